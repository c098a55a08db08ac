//! An application's environment variables.

use secrecy::SecretString;

/// One environment variable of an application. The value is secret from the moment it is
/// read, and `Debug` never shows it.
#[derive(Debug, Clone, Default)]
pub struct EnvVar {
    pub uuid: Option<String>,
    pub key: String,
    /// `None` when the server withholds values (the token may not read sensitive data).
    pub value: Option<SecretString>,
    /// The copy used by preview (pull request) deployments.
    pub is_preview: Option<bool>,
    /// Used as written, without interpolating other variables.
    pub is_literal: Option<bool>,
    pub is_multiline: Option<bool>,
    /// Its value is shown once at creation and redacted in logs.
    pub is_shown_once: Option<bool>,
    pub is_runtime: Option<bool>,
    pub is_buildtime: Option<bool>,
    pub comment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_value() {
        let var = EnvVar {
            key: "DATABASE_URL".into(),
            value: Some(SecretString::from("postgres://u:hunter2@db".to_string())),
            ..EnvVar::default()
        };
        let text = format!("{var:?}");
        assert!(
            text.contains("DATABASE_URL") && !text.contains("hunter2"),
            "{text}"
        );
    }
}
