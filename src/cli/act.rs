//! The operations from the command line: plan, show the preview, get the confirmation the
//! policy asks for, execute while printing progress, and print the result card.

use std::io::{BufRead, IsTerminal};

use tokio::sync::mpsc;

use super::connect::connect;
use super::operation::{ConfirmArgs, Operation};
use super::output::{Paint, errln, out, outln};
use super::progress::print_progress;
use super::{Failure, GlobalArgs};
use crate::audit::{Actor, Channel};
use crate::model::words::shell_word;
use crate::model::{printable_line, short_sha, time};
use crate::ops::catalogue::TO;
use crate::ops::{Confirmation, Kind, OpsError, Outcome, Plan, Request, Verdict};

/// Plan, confirm, execute and report one operation.
pub async fn act(global: &GlobalArgs, op: Operation) -> Result<(), Failure> {
    let Operation {
        request,
        wait,
        confirm,
    } = op;
    let conn = connect(global).await?;
    let ops = &conn.ops;
    let plan = match ops.plan(&request).await {
        Ok(plan) => plan,
        // Already so: said, and not a failure.
        Err(OpsError::UpToDate(text)) => {
            outln!("{}", printable_line(&text));
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let paint = Paint::stdout();
    print_preview(paint, &plan);
    let confirmation = confirmation(&plan.verdict, &confirm);
    let (tx, rx) = mpsc::unbounded_channel();
    let printer = tokio::spawn(print_progress(rx, plan.targets.len() > 1, false));
    let actor = Actor::local(Channel::Cli);
    let ended = tokio::select! {
        result = ops.execute(&plan, &confirmation, &actor, wait, &tx) => Ok(result),
        signal = stop_signal() => Err(signal),
    };
    // By now an interrupted operation has been dropped, which recorded it as interrupted.
    drop(tx);
    let _ = printer.await;
    let result = match ended {
        Ok(result) => result,
        Err((number, name)) => {
            return Err(Failure {
                code: 128 + number,
                message: format!(
                    "stopped by {name}: what the operation started goes on without pftui (the audit journal records it as interrupted; pftui history shows how it ends)"
                ),
            });
        }
    };
    let outcome = result.map_err(|e| with_flag_hint(e, &plan.verdict))?;
    print_outcome(paint, &plan, &outcome);
    if let Some(err) = &outcome.audit_error {
        errln!(
            "pftui: warning: the operation ran but was not recorded: {}",
            printable_line(&err.to_string())
        );
    }
    if outcome.ok {
        Ok(())
    } else {
        Err(Failure::failed(outcome.summary))
    }
}

/// The first of SIGINT, SIGTERM and SIGHUP (a dropped SSH session) to arrive, as its number
/// and name; never, where they cannot be watched.
async fn stop_signal() -> (u8, &'static str) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let watch = |kind: SignalKind, number: u8, name: &'static str| async move {
            match signal(kind) {
                Ok(mut s) => {
                    s.recv().await;
                    (number, name)
                }
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            s = watch(SignalKind::interrupt(), 2, "SIGINT") => s,
            s = watch(SignalKind::terminate(), 15, "SIGTERM") => s,
            s = watch(SignalKind::hangup(), 1, "SIGHUP") => s,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        (2, "Ctrl-C")
    }
}

/// A refusal for a missing confirmation names the flag that gives it.
fn with_flag_hint(err: OpsError, verdict: &Verdict) -> Failure {
    let hint = match (&err, verdict) {
        (OpsError::Refused(_), Verdict::Confirm) => {
            "; pass --yes (or run it at a terminal to be asked)".to_string()
        }
        (OpsError::Refused(_), Verdict::ConfirmTyped { expected }) => {
            format!(
                "; pass --confirm {} (or run it at a terminal to type it)",
                shell_word(expected)
            )
        }
        _ => String::new(),
    };
    let mut failure = Failure::from(err);
    failure.message.push_str(&hint);
    failure
}

/// The preview card; names, commits and messages in it come from servers and
/// repositories, and are made printable.
pub(crate) fn print_preview(paint: Paint, plan: &Plan) {
    let p = &plan.preview;
    outln!("{}", paint.bold(&printable_line(&p.title)));
    for action in &p.actions {
        outln!("  · {}", printable_line(action));
    }
    if !p.commits.is_empty() {
        outln!("  commits that move:");
        for c in &p.commits {
            outln!("    {}", printable_line(c));
        }
    }
    for note in &p.notes {
        outln!("  {} {}", paint.yellow("note:"), printable_line(note));
    }
    outln!("  {} {}", paint.dim("undo:"), printable_line(&p.undo));
    outln!("  {} {}", paint.dim("same as:"), printable_line(&p.cli));
    outln!(
        "  {} {}",
        paint.dim("policy:"),
        printable_line(&plan.verdict.to_string())
    );
}

/// From the flags, or by asking at the terminal; nothing is approved without one.
fn confirmation(verdict: &Verdict, args: &ConfirmArgs) -> Confirmation {
    if let Some(name) = &args.confirm {
        return Confirmation::Typed(name.clone());
    }
    if args.yes && !matches!(verdict, Verdict::ConfirmTyped { .. }) {
        return Confirmation::Yes;
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let question = match verdict {
        Verdict::Confirm if interactive => "Proceed? [y/N] ".to_string(),
        Verdict::ConfirmTyped { expected } if interactive => {
            format!("Type the environment's name ({expected}) to proceed: ")
        }
        _ => {
            return if args.yes {
                Confirmation::Yes
            } else {
                Confirmation::None
            };
        }
    };
    out!("{}", printable_line(&question));
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return Confirmation::None;
    }
    let answer = answer.trim();
    match verdict {
        Verdict::Confirm
            if answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes") =>
        {
            Confirmation::Yes
        }
        Verdict::ConfirmTyped { .. } => Confirmation::Typed(answer.to_string()),
        _ => Confirmation::None,
    }
}

/// One line per target, then what failed and how to roll back; what the server said made
/// printable.
pub(crate) fn print_outcome(paint: Paint, plan: &Plan, outcome: &Outcome) {
    for app in &outcome.apps {
        let name = printable_line(&app.target.name);
        let Some(d) = &app.deployment else {
            let note = app
                .note
                .as_deref()
                .unwrap_or(if app.ok { "done" } else { "failed" });
            outln!("{name}: {}", printable_line(note));
            continue;
        };
        let took = app
            .duration_secs
            .map(|s| time::compact(jiff::SignedDuration::from_secs(s)));
        let commits = match (&app.before, &app.after) {
            (Some(b), Some(a)) if b != a => format!(
                "{} → {}",
                printable_line(short_sha(b)),
                printable_line(short_sha(a))
            ),
            (_, Some(a)) => format!("at commit {}", printable_line(short_sha(a))),
            _ => String::new(),
        };
        let health = match &app.health {
            Some(h) if h.ok => format!(", {}", paint.green("healthy")),
            Some(h) => format!(
                ", {} ({})",
                paint.red("unhealthy"),
                printable_line(&h.detail)
            ),
            None => String::new(),
        };
        outln!(
            "{name}: {}{} {commits}{health} (deployment {})",
            paint.deployment(&d.status),
            took.map(|t| format!(" after {t}")).unwrap_or_default(),
            printable_line(&d.uuid)
        );
        if let Some(note) = &app.note {
            outln!("  {}", printable_line(note));
        }
        if let Some(step) = &app.failure.step {
            outln!("  {} {}", paint.dim("failing step:"), printable_line(step));
        }
        if !app.failure.tail.is_empty() {
            outln!("  {}", paint.dim("last lines:"));
            for line in &app.failure.tail {
                outln!("    {}", paint.red(&printable_line(line)));
            }
        }
        if let Some(tag) = &app.rollback_to {
            let back = Request::new(Kind::Rollback, app.target.address()).text(TO, tag.as_str());
            outln!("  roll back with: {}", printable_line(&back.command_line()));
        }
    }
    if plan.targets.is_empty() {
        outln!("{}", printable_line(&outcome.summary));
    }
}
