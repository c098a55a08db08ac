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
use crate::model::{printable_line, short_sha, time};
use crate::ops::catalogue::TO;
use crate::ops::{Confirmation, Kind, Outcome, Plan, Request, Verdict};

/// Plan, confirm, execute and report one operation.
pub async fn act(global: &GlobalArgs, op: Operation) -> Result<(), Failure> {
    let Operation {
        request,
        wait,
        confirm,
    } = op;
    let conn = connect(global).await?;
    let ops = &conn.ops;
    let plan = ops.plan(&request).await?;
    let paint = Paint::stdout();
    print_preview(paint, &plan);
    let confirmation = confirmation(&plan.verdict, &confirm);
    let (tx, rx) = mpsc::unbounded_channel();
    let printer = tokio::spawn(print_progress(rx, plan.targets.len() > 1, false));
    let result = ops
        .execute(&plan, &confirmation, &Actor::local(Channel::Cli), wait, &tx)
        .await;
    drop(tx);
    let _ = printer.await;
    let outcome = result?;
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
