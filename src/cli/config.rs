//! `pftui config check | show | export-env`: the platform configuration read, checked and
//! resolved, without talking to any server. The repository is `--config-dir DIR`, else
//! the settings' `platform.config_dir`, else `./config`; `--demo` uses the built-in
//! example set (the seed's files, examples/platform).

use std::path::Path;

use clap::{Args, Subcommand, ValueEnum};

use super::connect::{load_paths, platform_dir, resolver};
use super::operation::ConfigOperation;
use super::output::{Output, outln, print_json};
use super::{Failure, GlobalArgs};
use crate::config::tree::{Node, Value, plain};
use crate::config::{DesiredValue, Environment, Platform, Problems, Target};
use crate::model::printable_line;
use crate::secrets::{ExposeSecret, platform_account, platform_var};
use crate::settings::Settings;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub(super) command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub(super) enum ConfigCommand {
    /// Check every file and every instance and product in each environment; list every
    /// problem with file:line:column (exit 2 when there is one).
    Check {
        #[arg(long, value_enum, default_value_t)]
        output: Output,
    },
    /// The configuration of an instance or product (`air`, `air/ep`), its layers merged.
    Show(ShowArgs),
    /// An application's environment variables as dotenv lines; secrets masked.
    ExportEnv(ExportArgs),
    /// What the configuration gives an environment's applications and the server lacks;
    /// exit 0 in sync, 1 not.
    Diff(super::config_diff::DiffArgs),
    #[command(flatten)]
    Operation(ConfigOperation),
}

#[derive(Debug, Args)]
pub(super) struct ShowArgs {
    /// <instance> or <instance>/<product>, e.g. air or air/ep.
    target: String,
    /// Resolve for one environment (dev, staging, prod or their long names); without it,
    /// the layers merged with every `environments` section kept.
    #[arg(long, value_name = "ENV")]
    env: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    output: ShowFormat,
    /// Show the file:line each value comes from.
    #[arg(long)]
    origin: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
enum ShowFormat {
    #[default]
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    /// <instance> or <instance>/<product>, e.g. air or air/ep.
    target: String,
    /// dev, staging or prod (or development, production).
    env: String,
    /// Print secret values, read from PFTUI_SECRET_<NAME> or the credential store.
    #[arg(long)]
    reveal: bool,
}

pub async fn run(global: &GlobalArgs, args: ConfigArgs) -> Result<(), Failure> {
    match args.command {
        ConfigCommand::Check { output } => check(&open(global)?, output),
        ConfigCommand::Show(a) => show(&open(global)?, a),
        ConfigCommand::ExportEnv(a) => export_env(global, &open(global)?, a).await,
        // These compare with the server and write to it.
        ConfigCommand::Diff(a) => super::config_diff::run(global, a).await,
        ConfigCommand::Operation(op) => super::act::act(global, op.0).await,
    }
}

/// The repository the options name (see [`platform_dir`]).
fn open(global: &GlobalArgs) -> Result<Platform, Failure> {
    match platform_dir(global, &settings(global)?) {
        None => Ok(Platform::examples()),
        Some(dir) => Platform::load(&dir).map_err(|e| Failure::setup(e.to_string())),
    }
}

fn settings(global: &GlobalArgs) -> Result<Settings, Failure> {
    Settings::load(global.config.as_deref(), &load_paths()?)
        .map(|(s, _)| s)
        .map_err(|e| Failure::setup(e.to_string()))
}

fn check(platform: &Platform, output: Output) -> Result<(), Failure> {
    let problems = platform.check();
    if output == Output::Json {
        print_json(&problems)?;
    } else {
        for p in &problems {
            outln!("{}", printable_line(&p.to_string()));
        }
    }
    let dir = platform.root().display();
    if problems.is_empty() {
        if output == Output::Table {
            outln!(
                "ok: {} files in {dir}; {} instances and products resolve in development, staging and production",
                platform.layers().len(),
                platform.targets().len()
            );
        }
        return Ok(());
    }
    Err(Failure::setup(format!(
        "{} problem{} in the platform configuration in {dir}: fix each at the file:line:column given",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    )))
}

/// A target the repository has.
fn target(platform: &Platform, text: &str) -> Result<Target, Failure> {
    let target = Target::parse(text).map_err(Failure::setup)?;
    platform.find(&target).map_err(Failure::setup)?;
    Ok(target)
}

fn environment(text: &str) -> Result<Environment, Failure> {
    text.parse().map_err(Failure::setup)
}

fn invalid(problems: Problems) -> Failure {
    Failure::setup(problems.to_string())
}

fn show(platform: &Platform, args: ShowArgs) -> Result<(), Failure> {
    let target = target(platform, &args.target)?;
    let env = args.env.as_deref().map(environment).transpose()?;
    let tree = match env {
        Some(env) => platform.resolve(&target, env).map_err(invalid)?.tree,
        None => platform.merged(&target, None).map_err(invalid)?,
    };
    let root = platform.root();
    let origins = args.origin.then_some(root);
    match args.output {
        ShowFormat::Json => print_json(&json(&tree, origins)),
        ShowFormat::Yaml => {
            let layers: Vec<String> = platform
                .chain(&target)
                .map_err(|p| Failure::setup(p.to_string()))?
                .iter()
                .map(|l| l.name.clone())
                .collect();
            let scope = env.map_or("every environment".to_string(), |e| e.to_string());
            outln!("# {target}, {scope}: {}", layers.join(" -> "));
            let mut text = String::new();
            yaml(&tree, origins, 0, &mut text);
            super::output::out!("{text}");
            Ok(())
        }
    }
}

/// The tree as JSON; with origins, each value as `{"value": ..., "origin": "file:line"}`.
fn json(node: &Node, origins: Option<&Path>) -> serde_json::Value {
    let Some(root) = origins else {
        return node.to_json();
    };
    match &node.value {
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), json(&e.node, origins)))
                .collect(),
        ),
        Value::Seq(items) => items.iter().map(|n| json(n, origins)).collect(),
        _ => serde_json::json!({"value": node.to_json(), "origin": node.origin.short(root)}),
    }
}

/// The tree as block YAML; with origins, each value followed by `# file:line`.
fn yaml(node: &Node, origins: Option<&Path>, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let comment = |n: &Node| {
        origins.map_or(String::new(), |root| {
            format!("  # {}", n.origin.short(root))
        })
    };
    for entry in node.entries() {
        let key = yaml_string(&entry.key);
        let child = &entry.node;
        match &child.value {
            Value::Map(e) if !e.is_empty() => {
                out.push_str(&format!("{pad}{key}:\n"));
                yaml(child, origins, indent + 2, out);
            }
            Value::Seq(items) if !items.is_empty() => {
                out.push_str(&format!("{pad}{key}:\n"));
                for item in items {
                    out.push_str(&format!("{pad}  - {}{}\n", scalar(item), comment(item)));
                }
            }
            _ => out.push_str(&format!(
                "{pad}{key}: {}{}\n",
                scalar(child),
                comment(child)
            )),
        }
    }
}

/// One value on one line: a scalar as YAML reads it back, a collection in flow (JSON)
/// style.
fn scalar(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) if x.is_nan() => ".nan".into(),
        Value::Float(x) if x.is_infinite() => if *x > 0.0 { ".inf" } else { "-.inf" }.into(),
        Value::Float(x) => format!("{x:?}"),
        Value::Str(s) => yaml_string(s),
        Value::Seq(_) | Value::Map(_) => node.to_json().to_string(),
    }
}

/// A string plain when YAML reads it back as the same string, else double-quoted.
fn yaml_string(s: &str) -> String {
    let safe = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _./@+-".contains(c))
        && !s.starts_with([' ', '-', '.', '@'])
        && !s.ends_with(' ')
        && plain(s) == Value::Str(s.to_string());
    if safe {
        s.to_string()
    } else {
        serde_json::Value::String(s.to_string()).to_string()
    }
}

async fn export_env(
    global: &GlobalArgs,
    platform: &Platform,
    args: ExportArgs,
) -> Result<(), Failure> {
    let target = target(platform, &args.target)?;
    let env = environment(&args.env)?;
    let app = platform.resolve(&target, env).map_err(invalid)?.desired();
    let mut revealed = std::collections::BTreeMap::new();
    if args.reveal {
        let resolver = resolver(&settings(global)?);
        let mut missing = Vec::new();
        for secret in app.secrets() {
            let name = &secret.secret;
            match resolver.platform_secret(name).await {
                Ok(Some(value)) => {
                    revealed.insert(name.clone(), value);
                }
                Ok(None) => missing.push(format!(
                    "`{name}` (set {} or store it under service pftui, account {})",
                    platform_var(name),
                    platform_account(name)
                )),
                Err(e) => {
                    return Err(Failure::setup(format!(
                        "cannot read secret `{name}`: {e}; or set {}",
                        platform_var(name)
                    )));
                }
            }
        }
        if !missing.is_empty() {
            return Err(Failure::setup(format!(
                "cannot reveal {target} {env}: not stored: {}",
                missing.join("; ")
            )));
        }
    }
    outln!(
        "# {target} {env}: project {}, environment {}, application {}",
        app.project,
        app.environment,
        app.application
    );
    if !args.reveal && !app.secrets().is_empty() {
        outln!(
            "# secrets masked; --reveal reads them from PFTUI_SECRET_<NAME> or the credential store"
        );
    }
    for var in &app.envs {
        match &var.value {
            DesiredValue::Literal(v) => outln!("{}={}", var.key, dotenv(v)),
            DesiredValue::Secret(s) => match revealed.get(&s.secret) {
                Some(value) => outln!("{}={}", var.key, dotenv(value.expose_secret())),
                None => {
                    outln!("# {}: secret {}", var.key, s.secret);
                    outln!("{}=********", var.key);
                }
            },
        }
    }
    Ok(())
}

/// A dotenv value: bare when it is only safe characters, else double-quoted with `\`,
/// `"`, `$` and control characters escaped.
fn dotenv(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./:@+-,%".contains(c))
    {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_read_back_the_same() {
        for (s, want) in [
            ("512M", "512M"),
            ("20", "\"20\""),
            ("#1E40AF", "\"#1E40AF\""),
            ("true", "\"true\""),
            ("Emergency Protocol", "Emergency Protocol"),
            ("a: b", "\"a: b\""),
            ("", "\"\""),
            ("/api/health", "/api/health"),
        ] {
            assert_eq!(yaml_string(s), want, "{s}");
        }
    }

    #[test]
    fn dotenv_values_are_quoted_when_needed() {
        assert_eq!(dotenv("https://x.io/a"), "https://x.io/a");
        assert_eq!(dotenv("#1E40AF"), "\"#1E40AF\"");
        assert_eq!(dotenv("a $B\n\"c\""), "\"a \\$B\\n\\\"c\\\"\"");
        assert_eq!(dotenv("\u{1b}[2J"), "\"\\u{1b}[2J\"");
    }
}
