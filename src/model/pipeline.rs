//! The platform's pipeline: code moves dev -> staging -> prod, and each stage goes by a few
//! names (the environments' and the branches' that feed them).

/// A stage of the pipeline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Dev,
    Staging,
    Prod,
}

/// The names each stage goes by, the environment's usual name first.
pub const NAMES: &[(Stage, &[&str])] = &[
    (Stage::Dev, &["dev", "development", "develop"]),
    (Stage::Staging, &["staging", "stage", "stg"]),
    (Stage::Prod, &["prod", "production", "prd", "live", "main"]),
];

impl Stage {
    /// The stage a name (any case) stands for.
    pub fn of(name: &str) -> Option<Stage> {
        let name = name.to_ascii_lowercase();
        NAMES
            .iter()
            .find(|(_, names)| names.contains(&name.as_str()))
            .map(|(stage, _)| *stage)
    }

    /// The stage after this one.
    pub fn next(self) -> Option<Stage> {
        match self {
            Self::Dev => Some(Self::Staging),
            Self::Staging => Some(Self::Prod),
            Self::Prod => None,
        }
    }
}

/// Do two names stand for the same environment (`production` and `prod`)?
pub fn same_stage(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || Stage::of(a).is_some_and(|s| Stage::of(b) == Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stand_for_their_stage() {
        assert_eq!(Stage::of("Production"), Some(Stage::Prod));
        assert_eq!(Stage::of("develop"), Some(Stage::Dev));
        assert_eq!(Stage::of("qa"), None);
        assert_eq!(Stage::Dev.next(), Some(Stage::Staging));
        assert!(same_stage("prod", "LIVE") && same_stage("qa", "QA") && !same_stage("qa", "dev"));
    }
}
