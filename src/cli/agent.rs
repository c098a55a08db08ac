//! `pftui agent "<prompt>"`: a plain-language request, answered by a model (the offline
//! planner by default). Each operation it proposes is shown with its preview and asked at
//! the terminal; without one, nothing is approved unless `--yes`, and `--yes` never covers
//! confirm-typed or destructive operations.

use std::collections::HashMap;
use std::future::Future;
use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

use clap::Args;
use serde_json::{Value, json};
use tokio::sync::mpsc::{self, UnboundedReceiver};

use super::act::{print_outcome, print_preview};
use super::connect::connect;
use super::output::{Output, Paint, errln, out, outln, print_json};
use super::{Failure, GlobalArgs};
use crate::agent::provider::ProviderError;
use crate::agent::{
    Agent, AgentError, AgentEvent, Decision, Pending, Platform, Proposal, providers,
};
use crate::model::{printable, printable_line};
use crate::ops::Risk;
use crate::ops::{Confirmation, Outcome, Plan, Verdict};

#[derive(Debug, Args)]
pub struct AgentArgs {
    /// What to do or ask, in plain language (quote it), e.g. "promote air dev to staging".
    pub prompt: String,
    /// offline (the default without an API key), anthropic or openai.
    #[arg(long, value_parser = providers::NAMES)]
    pub provider: Option<String>,
    /// Print the proposed operations (tool, arguments, risk, verdict, preview); run nothing.
    #[arg(long)]
    pub plan_only: bool,
    /// Approve proposals that need only a yes (needed without a terminal); never covers
    /// confirm-typed or destructive operations.
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

pub async fn run(global: &GlobalArgs, args: AgentArgs) -> Result<(), Failure> {
    let conn = connect(global).await?;
    let ops = Arc::new(conn.ops.clone());
    let tree = ops.overview(true).await?.tree;
    let context = ops.session().context().to_string();
    let name = args
        .provider
        .clone()
        .unwrap_or_else(|| providers::default_name().to_string());
    let provider = providers::build(
        &name,
        ops.settings(),
        &context,
        Some(Platform::from_tree(&tree)),
    )
    .map_err(|e| Failure::setup(e.to_string()))?;
    let mut agent = Agent::new(provider, ops, Some(&tree));
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut out = Printer::new(args.output);
    if args.output == Output::Table {
        errln!(
            "{}",
            out.paint.dim(&printable_line(&format!(
                "pftui agent: {} ({}), context {}",
                agent.model(),
                agent.provider_name(),
                context
            )))
        );
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut pending = drive(agent.send(&args.prompt, &tx), &mut rx, &mut out)
        .await
        .map_err(failure)?;
    while let Pending::Decide(proposals) = pending {
        for p in &proposals {
            out.plans.insert(p.id.clone(), p.plan.clone());
        }
        if args.plan_only {
            for p in &proposals {
                out.proposal(p, "not run (--plan-only)");
            }
            break;
        }
        let mut decisions = Vec::new();
        for p in &proposals {
            let decision = ask(p, &args, interactive, &mut out).await;
            decisions.push(decision);
        }
        pending = drive(agent.decide(decisions, &tx), &mut rx, &mut out)
            .await
            .map_err(failure)?;
    }
    out.line_break();
    if args.output == Output::Json {
        print_json(&json!({
            "provider": agent.provider_name(),
            "model": agent.model(),
            "context": context,
            "prompt": args.prompt,
            "answer": out.answer,
            "tools": out.tools,
            "proposals": out.proposals,
            "notices": out.notices,
        }))?;
    }
    if !out.failed.is_empty() {
        return Err(Failure::failed(out.failed.join("; ")));
    }
    if !out.refused.is_empty() {
        return Err(Failure::refused(format!(
            "refused: {}",
            out.refused.join("; ")
        )));
    }
    Ok(())
}

fn failure(err: AgentError) -> Failure {
    match &err {
        AgentError::Provider(ProviderError::Unauthorized { .. }) => Failure::setup(err.to_string()),
        _ => Failure::failed(err.to_string()),
    }
}

/// Run a step of the loop, printing its events as they come; every event sent before the
/// step returned is printed before this returns.
async fn drive<F>(
    step: F,
    rx: &mut UnboundedReceiver<AgentEvent>,
    out: &mut Printer,
) -> Result<Pending, AgentError>
where
    F: Future<Output = Result<Pending, AgentError>>,
{
    tokio::pin!(step);
    loop {
        tokio::select! {
            biased;
            Some(event) = rx.recv() => out.event(event),
            result = &mut step => {
                while let Ok(event) = rx.try_recv() {
                    out.event(event);
                }
                return result;
            }
        }
    }
}

/// The decision for one proposal: by policy, by `--yes`, or by asking at the terminal.
async fn ask(p: &Proposal, args: &AgentArgs, interactive: bool, out: &mut Printer) -> Decision {
    let reject = |reason: String| Decision::Reject {
        id: p.id.clone(),
        reason: Some(reason),
    };
    let approve = |confirmation| Decision::Approve {
        id: p.id.clone(),
        confirmation,
    };
    let label = format!("{} ({})", p.tool, p.plan.preview.title);
    let typed = p.typed_name().map(str::to_string);
    let destructive = p.risk == Risk::Destructive;
    if let Verdict::Deny { reason } = p.verdict() {
        out.proposal(p, &format!("refused: denied by the policy ({reason})"));
        out.refused
            .push(format!("{label}: denied by the policy ({reason})"));
        return reject(format!("denied by the policy: {reason}"));
    }
    let yes_covers = args.yes && typed.is_none() && !destructive;
    if yes_covers {
        out.proposal(p, "approved (--yes)");
        return approve(Confirmation::Yes);
    }
    if !interactive {
        let reason = if args.yes {
            let how = match &typed {
                Some(env) => format!(
                    "type '{env}' at a terminal, or run `{} --confirm {env}`",
                    p.plan.preview.cli
                ),
                None => format!("confirm it at a terminal, or run `{}`", p.plan.preview.cli),
            };
            format!(
                "--yes does not cover {} operations: {how}",
                if typed.is_some() {
                    "confirm-typed"
                } else {
                    "destructive"
                }
            )
        } else {
            "no terminal to confirm at, and --yes was not given".to_string()
        };
        out.proposal(p, &format!("refused: {reason}"));
        out.refused.push(format!("{label}: {reason}"));
        return reject(format!("refused by pftui: {reason}"));
    }
    out.proposal(p, "asked");
    let question = match &typed {
        Some(env) => {
            format!("Type the environment's name ({env}) to approve, or n [reason] to reject: ")
        }
        None => "Approve? [y/N, or n <reason>] ".to_string(),
    };
    let answer = read_answer(&question, out.json).await;
    let answer = answer.trim();
    let lower = answer.to_ascii_lowercase();
    let rejection = |rest: &str| {
        let rest = rest.trim();
        (!rest.is_empty()).then(|| rest.to_string())
    };
    let (decision, status) =
        if lower == "n" || lower == "no" || lower.starts_with("n ") || lower.starts_with("no ") {
            let rest = answer.split_once(' ').map(|(_, r)| r).unwrap_or("");
            (
                Decision::Reject {
                    id: p.id.clone(),
                    reason: rejection(rest),
                },
                "rejected".to_string(),
            )
        } else {
            match &typed {
                Some(env) if answer.eq_ignore_ascii_case(env) => (
                    approve(Confirmation::Typed(answer.to_string())),
                    "approved".to_string(),
                ),
                Some(env) => (
                    reject(format!("the typed name did not match '{env}'")),
                    format!("rejected: the typed name did not match '{env}'"),
                ),
                None if lower == "y" || lower == "yes" => {
                    (approve(Confirmation::Yes), "approved".to_string())
                }
                None => (
                    Decision::Reject {
                        id: p.id.clone(),
                        reason: None,
                    },
                    "rejected".to_string(),
                ),
            }
        };
    if let Decision::Reject { reason, .. } = &decision {
        out.refused.push(format!(
            "{label}: not confirmed{}",
            reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ));
    }
    out.set_decision(&p.id, &status);
    decision
}

async fn read_answer(question: &str, to_stderr: bool) -> String {
    let question = printable_line(question).into_owned();
    tokio::task::spawn_blocking(move || {
        if to_stderr {
            super::output::write_err(format_args!("{question}"));
        } else {
            out!("{question}");
        }
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(_) => line,
            Err(_) => String::new(),
        }
    })
    .await
    .unwrap_or_default()
}

/// Prints events as they come (table), or collects them for one JSON document.
struct Printer {
    json: bool,
    paint: Paint,
    /// The cursor is at the start of a line (nothing streamed since the last newline).
    at_line_start: bool,
    plans: HashMap<String, Plan>,
    answer: String,
    tools: Vec<Value>,
    proposals: Vec<Value>,
    notices: Vec<String>,
    refused: Vec<String>,
    failed: Vec<String>,
}

impl Printer {
    fn new(output: Output) -> Self {
        Self {
            json: output == Output::Json,
            paint: Paint::stdout(),
            at_line_start: true,
            plans: HashMap::new(),
            answer: String::new(),
            tools: Vec::new(),
            proposals: Vec::new(),
            notices: Vec::new(),
            refused: Vec::new(),
            failed: Vec::new(),
        }
    }

    fn line_break(&mut self) {
        if !self.at_line_start && !self.json {
            outln!();
        }
        self.at_line_start = true;
    }

    fn proposal(&mut self, p: &Proposal, status: &str) {
        self.proposals.push(json!({
            "id": p.id,
            "tool": p.tool,
            "arguments": p.arguments,
            "risk": p.risk.name(),
            "verdict": verdict_rule(p.verdict()),
            "verdict_detail": p.verdict().to_string(),
            "targets": p.plan.targets,
            "preview": p.plan.preview,
            "decision": status,
        }));
        if self.json {
            return;
        }
        self.line_break();
        let paint = self.paint;
        outln!(
            "{} {} {}  {} {}",
            paint.bold("proposal"),
            printable_line(&p.tool),
            printable_line(&p.arguments.to_string()),
            paint.dim("risk:"),
            p.risk
        );
        print_preview(paint, &p.plan);
        if status != "asked" {
            outln!("  {} {}", paint.dim("decision:"), printable_line(status));
        }
    }

    fn set_decision(&mut self, id: &str, status: &str) {
        if let Some(p) = self.proposals.iter_mut().rev().find(|p| p["id"] == id) {
            p["decision"] = json!(status);
        }
    }

    fn event(&mut self, event: AgentEvent) {
        let paint = self.paint;
        match event {
            AgentEvent::TextDelta(text) => {
                self.answer.push_str(&text);
                if !self.json {
                    out!("{}", printable(&text));
                    self.at_line_start = text.ends_with('\n');
                }
            }
            AgentEvent::ToolRan {
                id,
                tool,
                arguments,
                summary,
                is_error,
            } => {
                self.tools.push(json!({"id": id, "tool": tool, "arguments": arguments, "summary": summary, "is_error": is_error}));
                if !self.json {
                    self.line_break();
                    let text = printable_line(&format!("· {tool}: {summary}")).into_owned();
                    outln!(
                        "{}",
                        if is_error {
                            paint.yellow(&text)
                        } else {
                            paint.dim(&text)
                        }
                    );
                }
            }
            // Shown when it is decided (see `ask`); the CLI never approves for a session.
            AgentEvent::Proposal(_) => {}
            AgentEvent::Progress { progress, .. } => {
                if !self.json {
                    self.line_break();
                    super::progress::print_one(paint, progress, true, false);
                }
            }
            AgentEvent::Executed { id, tool, outcome } => {
                let plan = self.plans.get(&id).cloned();
                match &outcome {
                    Ok(o) if !o.ok => self.failed.push(format!("{tool}: {}", o.summary)),
                    Err(e) => self.failed.push(format!("{tool}: {e}")),
                    Ok(_) => {}
                }
                if let Some(p) = self.proposals.iter_mut().rev().find(|p| p["id"] == id) {
                    p["outcome"] = match &outcome {
                        Ok(o) => serde_json::to_value(o).unwrap_or(Value::Null),
                        Err(e) => json!({"error": e}),
                    };
                }
                if self.json {
                    return;
                }
                self.line_break();
                match (&outcome, plan) {
                    (Ok(o), Some(plan)) => print_outcome(paint, &plan, o),
                    (Ok(o), None) => outln!("{}", printable_line(&o.summary)),
                    (Err(e), _) => outln!("{} {}", paint.red("failed:"), printable_line(e)),
                }
                if let Ok(Outcome {
                    audit_error: Some(e),
                    ..
                }) = &outcome
                {
                    errln!(
                        "pftui: warning: the operation ran but was not recorded: {}",
                        printable_line(&e.to_string())
                    );
                }
            }
            AgentEvent::Notice(text) => {
                self.notices.push(text.clone());
                if !self.json {
                    self.line_break();
                    outln!("{} {}", paint.yellow("note:"), printable_line(&text));
                }
            }
            AgentEvent::TurnEnded => self.line_break(),
            AgentEvent::Error(text) => {
                self.line_break();
                errln!("pftui: {}", printable(&text));
            }
        }
    }
}

fn verdict_rule(v: &Verdict) -> &'static str {
    match v {
        Verdict::Allow => "allow",
        Verdict::Confirm => "confirm",
        Verdict::ConfirmTyped { .. } => "confirm-typed",
        Verdict::Deny { .. } => "deny",
    }
}
