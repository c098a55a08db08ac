//! `pftui doctor`: settings, directories and the privacy of pftui's files, credential
//! stores, which context a command would use and why, every context (reachable, version,
//! token source, token abilities, clock skew) and the GitHub and model keys, with a verdict
//! per line. Exit 0 when nothing failed, 2 otherwise.

use std::path::Path;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::connect::{GithubAccess, choose, github_access, given_url, resolver};
use super::output::{Output, Paint, outln, print_json, print_table, table};
use super::{Failure, GlobalArgs};

use crate::model::words::plural;
use crate::model::{Abilities, Ability, Version, printable_line};
use crate::ops::Probe;
use crate::secrets::{
    ResolveError, Resolver, SecretString, Server, Service, StoreError, StoreKind, native_name,
    private, redact,
};
use crate::settings::{Origin, Paths, Settings, managed_path_for, same_url};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[arg(long, value_enum, default_value_t)]
    output: Output,
}

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
enum Verdict {
    Ok,
    Info,
    Warn,
    Fail,
}

impl Verdict {
    fn paint(self, paint: Paint) -> String {
        match self {
            Self::Ok => paint.green("ok"),
            Self::Info => paint.dim("info"),
            Self::Warn => paint.yellow("warn"),
            Self::Fail => paint.red("FAIL"),
        }
    }
}

#[derive(Debug, Serialize)]
struct Check {
    check: String,
    verdict: Verdict,
    detail: String,
}

#[derive(Debug, Default, Serialize)]
struct ContextReport {
    name: String,
    url: String,
    defined_in: Option<String>,
    token_source: Option<String>,
    reachable: bool,
    version: Option<String>,
    abilities: Option<Abilities>,
    clock_skew_seconds: Option<i64>,
}

#[derive(Debug, Serialize)]
struct KeyReport {
    service: &'static str,
    variable: &'static str,
    present: bool,
    source: Option<String>,
}

/// The context a command would use, and why.
#[derive(Debug, Serialize)]
struct ChoiceReport {
    name: String,
    why: String,
}

/// The JSON document `pftui doctor --output json` prints.
#[derive(Debug, Serialize)]
struct Report {
    ok: bool,
    settings_file: Option<String>,
    managed_file: Option<String>,
    /// The context a command would use with these options and environment.
    chosen: Option<ChoiceReport>,
    checks: Vec<Check>,
    contexts: Vec<ContextReport>,
    keys: Vec<KeyReport>,
}

#[derive(Default)]
struct Checks(Vec<Check>);

impl Checks {
    fn add(&mut self, verdict: Verdict, check: impl Into<String>, detail: impl AsRef<str>) {
        // Belt and braces: no message here should hold a secret, but mask any known one.
        let detail = redact::redact(detail.as_ref())
            .replace("\nTo fix it:\n  - ", " To fix it: ")
            .replace("\n  - ", "; ")
            .replace('\n', " ");
        self.0.push(Check {
            check: check.into(),
            verdict,
            detail,
        });
    }
}

/// Clock skew beyond these many seconds is a warning, then a failure.
const SKEW_WARN: i64 = 30;
const SKEW_FAIL: i64 = 300;

pub async fn run(global: &GlobalArgs, args: DoctorArgs) -> Result<(), Failure> {
    let mut checks = Checks::default();
    let paths = match Paths::discover() {
        Ok(p) => Some(p),
        Err(e) => {
            checks.add(Verdict::Fail, "directories", e);
            None
        }
    };
    let (settings, settings_file) = settings_checks(global, paths.as_ref(), &mut checks);
    if let Some(paths) = &paths {
        dir_check(&mut checks, "data dir", &paths.data, "audit journal");
        dir_check(&mut checks, "state dir", &paths.state, "trace log");
        privacy_checks(paths, &mut checks);
    }
    let resolver = resolver(&settings).with_url_flag(global.url.as_deref());
    store_checks(&resolver, &settings, &mut checks).await;
    let chosen = match choose(global, &settings) {
        Ok(choice) => {
            checks.add(
                Verdict::Info,
                "context",
                format!("a command uses {} ({})", choice.name(), choice.why),
            );
            Some(ChoiceReport {
                name: choice.name().to_string(),
                why: choice.why,
            })
        }
        Err(e) => {
            checks.add(Verdict::Warn, "context", e.message);
            None
        }
    };

    let mut contexts = Vec::new();
    for (name, url) in targets(global, &settings, &mut checks) {
        contexts.push(context_checks(&resolver, &settings, &name, &url, &mut checks).await);
    }
    let key_context = global
        .context
        .clone()
        .or_else(|| settings.default_context().map(|c| c.name.clone()));
    let keys = key_checks(&resolver, key_context.as_deref(), &mut checks).await;

    let failed = checks
        .0
        .iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .count();
    let warned = checks
        .0
        .iter()
        .filter(|c| c.verdict == Verdict::Warn)
        .count();
    let report = Report {
        ok: failed == 0,
        settings_file: settings_file.map(|p| p.display().to_string()),
        chosen,
        managed_file: settings
            .provenance
            .managed_file
            .as_ref()
            .map(|p| p.display().to_string()),
        checks: checks.0,
        contexts,
        keys,
    };
    match args.output {
        Output::Json => print_json(&report)?,
        Output::Table => print_human(&report, failed, warned),
    }
    if failed > 0 {
        Err(Failure::setup(""))
    } else {
        Ok(())
    }
}

fn print_human(report: &Report, failed: usize, warned: usize) {
    let paint = Paint::stdout();
    let mut rows = table(["VERDICT", "CHECK", "DETAIL"]);
    for c in &report.checks {
        rows.add_row([
            c.verdict.paint(paint),
            c.check.clone(),
            printable_line(&c.detail).into_owned(),
        ]);
    }
    print_table(&rows);
    outln!();
    match (failed, warned) {
        (0, 0) => outln!("{}", paint.green("All checks passed.")),
        (0, w) => outln!(
            "{}",
            paint.yellow(&format!("No failures; {}.", plural(w, "warning")))
        ),
        (f, w) => outln!(
            "{}",
            paint.red(&format!(
                "{} failed, {}: see the FAIL lines above.",
                plural(f, "check"),
                plural(w, "warning")
            ))
        ),
    }
}

/// The settings file and the managed contexts file; the settings in use (defaults when
/// they cannot be read).
fn settings_checks(
    global: &GlobalArgs,
    paths: Option<&Paths>,
    checks: &mut Checks,
) -> (Settings, Option<std::path::PathBuf>) {
    let fallback = Paths::under(Path::new("/nonexistent"));
    let paths = paths.unwrap_or(&fallback);
    match Settings::load(global.config.as_deref(), paths) {
        Ok((settings, path)) => {
            let managed_count = settings.provenance.managed_contexts.len();
            let detail = if path.is_file() {
                format!(
                    "{} parsed: {} ({managed_count} from the managed file)",
                    path.display(),
                    plural(settings.contexts.len(), "context")
                )
            } else {
                format!(
                    "no settings file at {}: defaults in use ({} from the managed file)",
                    path.display(),
                    plural(managed_count, "context")
                )
            };
            checks.add(Verdict::Ok, "settings", detail);
            for laxer in crate::ops::below_floor(&settings.policy) {
                checks.add(Verdict::Warn, "policy", laxer);
            }
            let managed = settings
                .provenance
                .managed_file
                .clone()
                .unwrap_or_else(|| managed_path_for(&path));
            if managed.is_file() {
                checks.add(
                    Verdict::Ok,
                    "managed contexts",
                    format!("{} parsed", managed.display()),
                );
            } else {
                checks.add(
                    Verdict::Info,
                    "managed contexts",
                    format!(
                        "{} does not exist yet (pftui login writes it)",
                        managed.display()
                    ),
                );
            }
            for clash in &settings.provenance.clashes {
                let verdict = if clash.same_url() {
                    Verdict::Info
                } else {
                    Verdict::Warn
                };
                checks.add(verdict, "context clash", clash.describe(&path, &managed));
            }
            (settings, Some(path))
        }
        Err(e) => {
            checks.add(Verdict::Fail, "settings", e.to_string());
            (Settings::default(), None)
        }
    }
}

fn dir_check(checks: &mut Checks, name: &str, dir: &Path, what: &str) {
    let probe = dir.join(format!(".pftui-doctor-{}", std::process::id()));
    let result = std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(&probe, b"ok"))
        .and_then(|_| std::fs::remove_file(&probe));
    match result {
        Ok(()) => checks.add(
            Verdict::Ok,
            name,
            format!("{} is writable ({what})", dir.display()),
        ),
        Err(e) => checks.add(
            Verdict::Fail,
            name,
            format!("{} is not writable ({what}): {e}", dir.display()),
        ),
    }
}

/// pftui's files that hold text near secrets are private to their owner.
fn privacy_checks(paths: &Paths, checks: &mut Checks) {
    for (name, file) in [
        ("audit journal", paths.audit_file()),
        ("demo journal", paths.demo_audit_file()),
        ("trace log", paths.trace_file()),
    ] {
        match private::too_open(&file) {
            Ok(None) => {}
            Ok(Some(mode)) => checks.add(
                Verdict::Warn,
                name,
                format!(
                    "{} has mode {mode:o}: other users may read it. pftui makes it 0600 at its next write; or run chmod 600 {}",
                    file.display(),
                    file.display()
                ),
            ),
            Err(e) => checks.add(
                Verdict::Warn,
                name,
                format!("cannot check {}: {e}", file.display()),
            ),
        }
    }
}

/// The OS keyring, and keyutils and the credentials file when they are in use.
async fn store_checks(resolver: &Resolver, settings: &Settings, checks: &mut Checks) {
    let records = &settings.provenance.credentials;
    let uses = |kind: StoreKind| records.values().any(|k| *k == kind);
    match resolver.probe(StoreKind::Keyring).await {
        Ok(()) => checks.add(
            Verdict::Ok,
            "keyring",
            format!("{} is reachable", native_name()),
        ),
        Err(e) => {
            let verdict = if uses(StoreKind::Keyring) {
                Verdict::Fail
            } else {
                Verdict::Warn
            };
            checks.add(
                verdict,
                "keyring",
                format!(
                    "{} is not usable: {e}. Fixes: {}",
                    native_name(),
                    e.fixes("COOLIFY_API_TOKEN").join("; ")
                ),
            );
        }
    }
    if uses(StoreKind::Keyutils) {
        match resolver.probe(StoreKind::Keyutils).await {
            Ok(()) => checks.add(
                Verdict::Ok,
                "keyutils",
                "the kernel keyutils store is reachable (it forgets at reboot)",
            ),
            Err(e) => checks.add(Verdict::Fail, "keyutils", e.to_string()),
        }
    }
    let file = resolver.file();
    if file.exists() {
        match file.accounts() {
            Ok(accounts) => checks.add(
                Verdict::Info,
                "credentials file",
                format!(
                    "{} holds {} (mode 0600, opt-in); a keyring is safer",
                    file.path().display(),
                    plural(accounts.len(), "credential")
                ),
            ),
            Err(e) => checks.add(Verdict::Fail, "credentials file", e.to_string()),
        }
    } else if uses(StoreKind::File) {
        checks.add(
            Verdict::Fail,
            "credentials file",
            format!(
                "{} is missing although pftui login stored credentials there",
                file.path().display()
            ),
        );
    }
}

/// The contexts to check: `--context`, or every context plus a server named only by
/// `--url` / `COOLIFY_BASE_URL`.
fn targets(global: &GlobalArgs, settings: &Settings, checks: &mut Checks) -> Vec<(String, String)> {
    if let Some(name) = &global.context {
        return match settings.context(name) {
            Some(c) => vec![(c.name.clone(), c.url.clone())],
            None => {
                checks.add(
                    Verdict::Fail,
                    format!("{name}: context"),
                    format!("no context named '{name}' in the settings"),
                );
                Vec::new()
            }
        };
    }
    let mut out: Vec<(String, String)> = settings
        .contexts
        .iter()
        .map(|c| (c.name.clone(), c.url.clone()))
        .collect();
    if let Some(url) = given_url(global) {
        match Server::parse(&url) {
            Err(e) => checks.add(Verdict::Fail, "env: server", e.to_string()),
            Ok(_) if settings.contexts.iter().any(|c| same_url(&c.url, &url)) => {}
            Ok(_) => out.push(("env".into(), url)),
        }
    }
    if out.is_empty() {
        checks.add(
            Verdict::Warn,
            "contexts",
            "none: run `pftui login --context NAME --url URL`, set COOLIFY_BASE_URL, or try --demo",
        );
    }
    out
}

async fn context_checks(
    resolver: &Resolver,
    settings: &Settings,
    name: &str,
    url: &str,
    checks: &mut Checks,
) -> ContextReport {
    let mut report = ContextReport {
        name: name.to_string(),
        url: url.to_string(),
        defined_in: settings.context_origin(name).map(|o| match o {
            Origin::SettingsFile => "settings file".to_string(),
            Origin::Managed => "managed contexts file".to_string(),
        }),
        ..ContextReport::default()
    };
    let context = (name != "env" || settings.context(name).is_some()).then_some(name);
    let token = resolver.resolve(context, Service::Coolify, None).await;
    match &token {
        Ok(c) => {
            report.token_source = Some(c.source.to_string());
            checks.add(
                Verdict::Ok,
                format!("{name}: token"),
                format!("from {}", c.source),
            );
        }
        Err(e) => checks.add(Verdict::Fail, format!("{name}: token"), e.to_string()),
    }
    let secret = token
        .as_ref()
        .map(|c| c.value.clone())
        .unwrap_or_else(|_| SecretString::from(String::new()));
    let client = match Probe::impatient(url, secret, Duration::from_secs(10)) {
        Ok(client) => client,
        Err(e) => {
            checks.add(Verdict::Fail, format!("{name}: server"), e.to_string());
            return report;
        }
    };
    if let Err(e) = client.health().await {
        checks.add(Verdict::Fail, format!("{name}: server"), e.to_string());
        return report;
    }
    report.reachable = true;
    if token.is_err() {
        checks.add(
            Verdict::Info,
            format!("{name}: server"),
            format!("{url} answers; version, abilities and clock need a token"),
        );
        return report;
    }
    match client.version().await {
        Ok(v) if Version::parse(&v).is_none() => {
            checks.add(
                Verdict::Warn,
                format!("{name}: server"),
                format!(
                    "{url} answers, but its version is '{v}', which no Coolify release is called: check that the URL points at Coolify"
                ),
            );
            report.version = Some(v);
        }
        Ok(v) => {
            checks.add(
                Verdict::Ok,
                format!("{name}: server"),
                format!("{url} answers: Coolify {v}"),
            );
            report.version = Some(v);
        }
        // The version is for reading only: the abilities below say whether the token
        // works (a gateway that refuses `/version` does not make the server unusable).
        Err(e) => checks.add(
            Verdict::Warn,
            format!("{name}: server"),
            format!("{url} answers, but its version could not be read: {e}"),
        ),
    }
    match client.abilities().await {
        Ok(a) => {
            let verdict = if a.read == Ability::No {
                Verdict::Fail
            } else if a.deploy.is_yes() && a.sensitive != Ability::No {
                Verdict::Ok
            } else {
                Verdict::Warn
            };
            checks.add(verdict, format!("{name}: abilities"), a.to_string());
            report.abilities = Some(a);
        }
        Err(e) => checks.add(Verdict::Fail, format!("{name}: abilities"), e.to_string()),
    }
    match client.clock_skew().await {
        Ok(skew) => {
            let s = skew.seconds();
            report.clock_skew_seconds = Some(s);
            let (verdict, detail) = match s.abs() {
                0 => (Verdict::Ok, "in step with the server".to_string()),
                n if n <= SKEW_WARN => (Verdict::Ok, describe_skew(s)),
                n if n <= SKEW_FAIL => (
                    Verdict::Warn,
                    format!(
                        "{}; log times will disagree (sync the clock, e.g. with NTP)",
                        describe_skew(s)
                    ),
                ),
                _ => (
                    Verdict::Fail,
                    format!(
                        "{}; times, logs and TLS checks will be off: sync the clock (NTP)",
                        describe_skew(s)
                    ),
                ),
            };
            checks.add(verdict, format!("{name}: clock"), detail);
        }
        Err(e) => checks.add(Verdict::Warn, format!("{name}: clock"), e.to_string()),
    }
    report
}

fn describe_skew(seconds: i64) -> String {
    if seconds > 0 {
        format!("the server's clock is {seconds}s ahead of ours")
    } else {
        format!("the server's clock is {}s behind ours", -seconds)
    }
}

async fn key_checks(
    resolver: &Resolver,
    context: Option<&str>,
    checks: &mut Checks,
) -> Vec<KeyReport> {
    let mut out = Vec::new();
    for (service, needed_for) in [
        (Service::Github, "promote and GitHub views"),
        (Service::Anthropic, "the agent with --provider anthropic"),
        (Service::Openai, "the agent with --provider openai"),
    ] {
        let name = format!("{} key", service.as_str());
        let result = resolver.resolve(context, service, None).await;
        let present = result.is_ok();
        let source = match result {
            Ok(c) => {
                match github_rule(resolver, context, service) {
                    Some((verdict, why)) => checks.add(verdict, name, why),
                    None => checks.add(Verdict::Ok, name, format!("present, from {}", c.source)),
                }
                Some(c.source.to_string())
            }
            Err(ResolveError::Missing { .. }) => {
                checks.add(
                    Verdict::Info,
                    name,
                    format!(
                        "not set (needed for {needed_for}): set {} or run `pftui login --service {}`",
                        service.env_var(),
                        service.as_str()
                    ),
                );
                None
            }
            Err(ResolveError::Store { error, .. }) => {
                checks.add(Verdict::Warn, name, store_problem(&error));
                None
            }
        };
        out.push(KeyReport {
            service: service.as_str(),
            variable: service.env_var(),
            present,
            source,
        });
    }
    out
}

/// For GitHub, when its key is present but may not be sent where `GITHUB_API_URL` points:
/// the verdict and why.
fn github_rule(
    resolver: &Resolver,
    context: Option<&str>,
    service: Service,
) -> Option<(Verdict, String)> {
    if service != Service::Github {
        return None;
    }
    match github_access(resolver, context) {
        Ok(GithubAccess::Granted { .. }) => None,
        Ok(GithubAccess::Denied(why)) => Some((Verdict::Warn, why)),
        Err(e) => Some((Verdict::Fail, e.message)),
    }
}

fn store_problem(error: &StoreError) -> String {
    format!("could not be looked up: {error}")
}
