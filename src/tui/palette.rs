//! The `:` command palette: its commands (the console's own, and every operation of the
//! catalogue), parsing and completion.

use crate::ops::Kind;

/// What a palette line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Servers,
    Tree,
    Pipeline,
    Deployments,
    Context(String),
    Theme(String),
    Refresh,
    Audit,
    /// The config view: of the tree selection's environment, or of the one named.
    Config(Option<(String, String)>),
    Messages,
    Operations,
    Ask,
    Help,
    Quit,
    /// An operation: on the selection, or on what the words name (`promote air dev
    /// staging`, as on the command line).
    Operation {
        kind: Kind,
        words: Vec<String>,
    },
}

/// The console's own commands: name, how it is typed, what it does.
const CONSOLE: &[(&str, &str, &str)] = &[
    ("servers", "servers", "the servers view"),
    ("tree", "tree", "the tree view"),
    (
        "pipeline",
        "pipeline",
        "dev, staging and prod of every project side by side",
    ),
    (
        "deployments",
        "deployments",
        "every deployment of every project",
    ),
    ("ctx", "ctx NAME", "switch context"),
    ("theme", "theme NAME", "switch theme"),
    ("refresh", "refresh", "refresh now"),
    (
        "audit",
        "audit",
        "the audit view: the journal of operations",
    ),
    (
        "config",
        "config [PROJECT ENV]",
        "the config view: an environment against the platform configuration",
    ),
    (
        "messages",
        "messages",
        "every message of this session, in full",
    ),
    (
        "ops",
        "ops",
        "the operations started here, running and recent",
    ),
    ("ask", "ask", "the agent pane"),
    ("help", "help", "keys for this view"),
    ("q", "q", "quit"),
];

/// The console's own commands (name, how it is typed, what it does).
pub fn console_commands() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    CONSOLE.iter().copied()
}

/// Every command: the console's own, then the catalogue's operations.
pub fn commands() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    console_commands().chain(Kind::operations().map(|k| (k.name(), k.name(), k.spec().summary)))
}

/// Parse a palette line such as `ctx prod` or `theme light`.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim().trim_start_matches(':');
    let (word, arg) = match line.split_once(char::is_whitespace) {
        Some((w, a)) => (w, a.trim()),
        None => (line, ""),
    };
    let needs = |what: &str| -> Result<String, String> {
        if arg.is_empty() {
            Err(format!(":{word} needs a {what} name"))
        } else {
            Ok(arg.to_string())
        }
    };
    match word.to_ascii_lowercase().as_str() {
        "servers" | "server" => Ok(Command::Servers),
        "tree" | "apps" => Ok(Command::Tree),
        "pipeline" | "stages" => Ok(Command::Pipeline),
        "deployments" | "deploys" => Ok(Command::Deployments),
        "ctx" | "context" => needs("context").map(Command::Context),
        "theme" => needs("theme").map(Command::Theme),
        "refresh" | "r" => Ok(Command::Refresh),
        "audit" => Ok(Command::Audit),
        "config" if Kind::by_words(&line.split_whitespace().collect::<Vec<_>>()).is_none() => {
            match arg.split_whitespace().collect::<Vec<_>>()[..] {
                [] => Ok(Command::Config(None)),
                [project, environment] => Ok(Command::Config(Some((
                    project.to_string(),
                    environment.to_string(),
                )))),
                _ => Err(":config takes a project and an environment (config air dev), or none for the selection's".into()),
            }
        }
        "messages" | "msgs" => Ok(Command::Messages),
        "ops" | "operations" => Ok(Command::Operations),
        "ask" | "agent" => Ok(Command::Ask),
        "help" | "?" => Ok(Command::Help),
        "q" | "quit" | "q!" | "exit" => Ok(Command::Quit),
        "" => Err("type a command; Tab completes".into()),
        other => {
            let words: Vec<&str> = line.split_whitespace().collect();
            match Kind::by_words(&words) {
                Some((kind, n)) => Ok(Command::Operation {
                    kind,
                    words: words[n..].iter().map(|w| w.to_string()).collect(),
                }),
                None => Err(format!(
                    "unknown command ':{other}'; commands: {}",
                    commands().map(|(c, _, _)| c).collect::<Vec<_>>().join(", ")
                )),
            }
        }
    }
}

/// Completions for what has been typed: command names, then context or theme names.
pub fn complete(input: &str, contexts: &[String], themes: &[String]) -> Vec<String> {
    let input = input.trim_start().trim_start_matches(':');
    if let Some((word, arg)) = input.split_once(' ') {
        let names = match word {
            "ctx" | "context" => contexts,
            "theme" => themes,
            _ => return Vec::new(),
        };
        let arg = arg.trim().to_ascii_lowercase();
        return names
            .iter()
            .filter(|n| n.to_ascii_lowercase().starts_with(&arg))
            .map(|n| format!("{word} {n}"))
            .collect();
    }
    let word = input.to_ascii_lowercase();
    commands()
        .filter(|(c, _, _)| c.starts_with(&word))
        .map(|(c, _, _)| match c {
            "ctx" | "theme" => format!("{c} "),
            other => other.to_string(),
        })
        .collect()
}

/// The description of a completion line's command.
pub fn describe(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let word = match Kind::by_words(&words) {
        Some((kind, _)) => kind.name(),
        None => words.first().copied().unwrap_or(""),
    };
    commands()
        .find(|(c, _, _)| *c == word)
        .map(|(name, typed, what)| {
            if typed == name {
                what.to_string()
            } else {
                format!("{what}: {typed}")
            }
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_arguments() {
        assert_eq!(parse(":servers"), Ok(Command::Servers));
        assert_eq!(parse("ctx  prod "), Ok(Command::Context("prod".into())));
        assert_eq!(parse("theme light"), Ok(Command::Theme("light".into())));
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert!(parse("theme").unwrap_err().contains("needs a theme name"));
        assert!(
            parse("bogus")
                .unwrap_err()
                .contains("unknown command ':bogus'")
        );
        assert!(parse("servers x").is_ok());
        assert_eq!(parse(":config"), Ok(Command::Config(None)));
        assert_eq!(
            parse("config air dev"),
            Ok(Command::Config(Some(("air".into(), "dev".into()))))
        );
        assert!(
            parse("config air")
                .unwrap_err()
                .contains("a project and an environment")
        );
        assert!(matches!(
            parse("config apply air dev"),
            Ok(Command::Operation {
                kind: Kind::ConfigApply,
                ..
            })
        ));
    }

    #[test]
    fn every_operation_is_a_command() {
        for kind in Kind::operations() {
            assert_eq!(
                parse(&format!(":{} air dev", kind.name())),
                Ok(Command::Operation {
                    kind,
                    words: vec!["air".into(), "dev".into()]
                })
            );
            assert_eq!(describe(kind.name()), kind.spec().summary);
        }
        assert!(parse("servers").is_ok());
    }

    #[test]
    fn completes_commands_then_names() {
        let contexts = vec!["prod".to_string(), "lab".to_string()];
        let themes = vec!["default".to_string(), "light".to_string()];
        assert_eq!(complete("se", &contexts, &themes), ["servers"]);
        assert_eq!(complete("t", &contexts, &themes), ["tree", "theme "]);
        assert_eq!(complete("theme l", &contexts, &themes), ["theme light"]);
        assert_eq!(
            complete("ctx ", &contexts, &themes),
            ["ctx prod", "ctx lab"]
        );
        assert!(complete("zz", &contexts, &themes).is_empty());
    }
}
