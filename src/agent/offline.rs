//! The offline provider: a deterministic planner for the phrasings operators use ("deploy
//! air dev", "promote baiv staging to prod", "why did baiv prod fail?"). It speaks the same
//! tool-call protocol as a real model — it emits `tool_use` events and reads the
//! `tool_result`s of the next turn to write its answer — so the agent loop runs exactly as
//! it does with one. It never guesses an action: anything it does not understand gets an
//! answer listing what it does understand, and unknown names get the valid ones.
//!
//! It is stateless: every turn is worked out from the conversation. The platform's names
//! come from the platform names it was given, else the latest `coolify_tree_summary` result in
//! the conversation, else the system prompt's `<platform>` block, else it asks for the
//! tree summary first.

use futures::StreamExt;
use futures::stream::BoxStream;
use serde_json::{Value, json};

use super::platform::{Instance, Platform};
use super::provider::{Block, Event, Message, Provider, ProviderError, Role, StopReason, Turn};
use super::tools::untrusted_body;
use crate::model::{Address, shown_value};
use crate::ops::catalogue::{self, TO};
use crate::ops::{Kind, Request};

/// The offline planner.
#[derive(Debug, Clone, Default)]
pub struct Offline {
    platform: Option<Platform>,
}

impl Offline {
    /// Learns the platform's names from the conversation.
    pub fn new() -> Self {
        Self::default()
    }

    /// Knows the platform's names from the start.
    pub fn with_platform(platform: Platform) -> Self {
        Self {
            platform: Some(platform),
        }
    }
}

impl Provider for Offline {
    fn name(&self) -> &str {
        "offline"
    }

    fn model(&self) -> &str {
        "offline planner"
    }

    fn stream<'a>(&'a self, turn: Turn<'a>) -> BoxStream<'a, Result<Event, ProviderError>> {
        let events = self.respond(&turn);
        futures::stream::iter(events.into_iter().map(Ok)).boxed()
    }
}

/// What the planner makes of a prompt, given the platform's names.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    /// Propose an operation through its tool.
    Propose {
        tool: &'static str,
        arguments: Value,
        /// `deploy AIR/dev`, for the answer's text.
        what: String,
    },
    Status {
        project: Option<String>,
        environment: Option<String>,
        application: Option<String>,
    },
    Logs {
        project: String,
        environment: String,
        application: Option<String>,
    },
    /// What failed: the latest failed deployment and its failing step.
    Diagnose {
        project: String,
        environment: String,
        application: Option<String>,
    },
    /// What differs between the platform configuration and the server.
    ConfigDiff {
        project: String,
        environment: String,
    },
    /// Cancel whatever is queued or running (optionally within an instance/environment).
    CancelRunning {
        project: Option<String>,
        environment: Option<String>,
    },
    /// Answer without any tool: help, a question back, unknown names.
    Answer(String),
}

/// One tool call made since the prompt, with its result.
#[derive(Debug, Clone)]
struct Exchange {
    name: String,
    content: String,
    is_error: bool,
}

/// What to emit for this turn.
enum Step {
    Say(String),
    Call {
        say: String,
        tool: &'static str,
        input: Value,
    },
}

impl Offline {
    fn respond(&self, turn: &Turn<'_>) -> Vec<Event> {
        let step = self.step(turn);
        let mut events = Vec::new();
        let say = |events: &mut Vec<Event>, text: &str| {
            // A few pieces, as a streaming model would send them.
            for piece in text.split_inclusive('\n') {
                events.push(Event::TextDelta(piece.to_string()));
            }
        };
        match step {
            Step::Say(text) => {
                say(&mut events, &text);
                events.push(Event::Done(StopReason::EndTurn));
            }
            Step::Call {
                say: text,
                tool,
                input,
            } => {
                if !text.is_empty() {
                    say(&mut events, &format!("{text}\n"));
                }
                let n = turn
                    .messages
                    .iter()
                    .flat_map(|m| &m.content)
                    .filter(|b| matches!(b, Block::ToolUse { .. }))
                    .count();
                events.push(Event::ToolUse {
                    id: format!("offline_{}", n + 1),
                    name: tool.to_string(),
                    input,
                });
                events.push(Event::Done(StopReason::ToolUse));
            }
        }
        events
    }

    fn step(&self, turn: &Turn<'_>) -> Step {
        let Some((at, prompt)) = last_prompt(turn.messages) else {
            return Step::Say(help(self.platform.as_ref()));
        };
        let exchanges = exchanges_after(turn.messages, at);
        let words = words(&prompt);
        let class = classify(&prompt, &words);
        let platform = self
            .platform
            .clone()
            .or_else(|| latest_tree(turn.messages))
            .or_else(|| Platform::from_block(turn.system));
        match class {
            Class::Unknown => {
                return Step::Say(format!(
                    "I did not understand \"{}\".\n{}",
                    prompt.trim(),
                    help(platform.as_ref())
                ));
            }
            Class::Help => return Step::Say(help(platform.as_ref())),
            _ => {}
        }
        let Some(platform) = platform.filter(|c| !c.is_empty()) else {
            if let Some(e) = exchanges
                .iter()
                .find(|e| e.name == Kind::Overview.tool() && e.is_error)
            {
                return Step::Say(format!("I cannot read the platform's names: {}", e.content));
            }
            return Step::Call {
                say: "First, the instances and environments.".into(),
                tool: Kind::Overview.tool(),
                input: json!({}),
            };
        };
        continue_intent(understand(&prompt, &platform), &exchanges)
    }
}

/// The latest user message with text: its index and its text.
fn last_prompt(messages: &[Message]) -> Option<(usize, String)> {
    messages.iter().enumerate().rev().find_map(|(i, m)| {
        if m.role != Role::User {
            return None;
        }
        let text: Vec<&str> = m
            .content
            .iter()
            .filter_map(|b| match b {
                Block::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        (!text.is_empty()).then(|| (i, text.join("\n")))
    })
}

/// The tool calls made after message `at`, paired with their results.
fn exchanges_after(messages: &[Message], at: usize) -> Vec<Exchange> {
    let mut out = Vec::new();
    for (i, m) in messages.iter().enumerate().skip(at + 1) {
        if m.role != Role::Assistant {
            continue;
        }
        for b in &m.content {
            let Block::ToolUse { id, name, .. } = b else {
                continue;
            };
            let result = messages.get(i + 1).and_then(|next| {
                next.content.iter().find_map(|r| match r {
                    Block::ToolResult {
                        id: rid,
                        content,
                        is_error,
                    } if rid == id => Some((content.clone(), *is_error)),
                    _ => None,
                })
            });
            if let Some((content, is_error)) = result {
                out.push(Exchange {
                    name: name.clone(),
                    content,
                    is_error,
                });
            }
        }
    }
    out
}

/// The platform's names from the latest successful, unfiltered tree summary.
fn latest_tree(messages: &[Message]) -> Option<Platform> {
    let mut found = None;
    for (i, m) in messages.iter().enumerate() {
        for b in &m.content {
            let Block::ToolUse { id, name, input } = b else {
                continue;
            };
            if name != Kind::Overview.tool() || input.get("project").is_some() {
                continue;
            }
            let content = messages.get(i + 1).and_then(|next| {
                next.content.iter().find_map(|r| match r {
                    Block::ToolResult {
                        id: rid,
                        content,
                        is_error: false,
                    } if rid == id => Some(content),
                    _ => None,
                })
            });
            if let Some(c) = content
                .and_then(|c| serde_json::from_str::<Value>(c).ok())
                .and_then(|v| Platform::from_summary(&v))
            {
                found = Some(c);
            }
        }
    }
    found
}

/// The help text: what the planner understands, with the names when known.
pub fn help(platform: Option<&Platform>) -> String {
    let mut text = String::from(
        "I am the offline planner: I understand these phrasings (names in any case), not free-form questions — for those, configure a model (--provider anthropic or openai):
  deploy air dev [app] [force]        redeploy baiv staging
  deploy baiv staging to prod         (that is a promotion)
  promote air dev to staging
  rollback w4m prod [to <tag>]        roll back w4m prod to abc1234
  restart | stop | start baiv prod [app]
  cancel [air dev]
  status [of baiv [prod]]
  logs of air staging
  what failed in baiv prod            why did baiv prod fail?
Every operation becomes a proposal that you approve or reject; nothing runs on its own.",
    );
    if let Some(c) = platform.filter(|c| !c.is_empty()) {
        text.push_str(&format!(
            "\nInstances: {}; environments: {}.",
            c.instance_names(),
            c.environment_names().join(", ")
        ));
    }
    text
}

/// The broad kind of request, decided from the words alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Action(Action),
    Status,
    Logs,
    Diagnose,
    /// What differs from the platform configuration.
    ConfigDiff,
    Help,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Deploy,
    Promote,
    Rollback,
    Restart,
    Stop,
    Start,
    Cancel,
    /// Write the platform configuration to an environment.
    SyncConfig,
}

/// Words about the platform configuration and how far a server is from it.
const CONFIG: &[&str] = &[
    "config",
    "configuration",
    "configured",
    "settings",
    "drift",
    "drifted",
    "drifting",
    "differs",
    "differ",
    "different",
    "difference",
    "differences",
    "diff",
    "mismatch",
];
/// With a word of [`CONFIG`]: make the server match.
const SYNC: &[&str] = &["sync", "resync", "apply", "reconcile", "align"];

const QUESTION: &[&str] = &[
    "why", "what", "whats", "how", "which", "when", "where", "who", "is", "are", "was", "were",
    "did", "does", "has", "have",
];
/// A first word that asks to see something, never to change it.
const SHOW: &[&str] = &[
    "show", "list", "get", "display", "give", "tell", "check", "view", "print", "fetch", "see",
    "look", "read", "explain",
];
const STATUS: &[&str] = &[
    "status",
    "state",
    "health",
    "healthy",
    "unhealthy",
    "up",
    "down",
    "running",
    "overview",
    "doing",
    "deployed",
    "going",
    "alive",
    "ok",
    "okay",
    "fine",
    "good",
    "working",
];
const LOGS: &[&str] = &["logs", "log", "output"];
const FAILURE: &[&str] = &[
    "fail", "failed", "fails", "failing", "failure", "failures", "broke", "broken", "wrong",
    "error", "errors", "crash", "crashed", "crashing",
];
const FORCE: &[&str] = &[
    "force", "forced", "--force", "no-cache", "nocache", "rebuild", "cache", "without", "fresh",
    "clean",
];
/// Words that carry no name: they never count as an unknown instance or resource.
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "to",
    "from",
    "of",
    "in",
    "on",
    "at",
    "for",
    "into",
    "onto",
    "please",
    "pls",
    "can",
    "could",
    "would",
    "will",
    "you",
    "me",
    "my",
    "our",
    "us",
    "i",
    "we",
    "it",
    "its",
    "this",
    "that",
    "these",
    "those",
    "and",
    "or",
    "with",
    "now",
    "again",
    "right",
    "just",
    "quickly",
    "asap",
    "then",
    "also",
    "do",
    "be",
    "been",
    "had",
    "s",
    "latest",
    "last",
    "recent",
    "recently",
    "current",
    "currently",
    "app",
    "apps",
    "application",
    "applications",
    "env",
    "environment",
    "environments",
    "instance",
    "instances",
    "project",
    "projects",
    "deployment",
    "deployments",
    "deploys",
    "build",
    "builds",
    "let",
    "lets",
    "go",
    "want",
    "wanna",
    "need",
    "should",
    "kindly",
    "hey",
    "hi",
    "ok",
    "okay",
    "thanks",
    "thank",
    "about",
    "happened",
    "happen",
    "went",
    "on",
    "all",
    "every",
    "everything",
    "lines",
    "line",
    "tail",
    "previous",
    "one",
    "back",
    "today",
    "yesterday",
    "there",
    "here",
    "so",
    "why",
    "what",
    "whats",
    "how",
    "which",
    "when",
    "where",
    "who",
    "is",
    "are",
    "was",
    "were",
    "did",
    "does",
    "has",
    "have",
    "version",
    "image",
    "again",
    "thing",
    "stuff",
    "pipeline",
    "branch",
    "code",
    "changes",
    "release",
    "server",
    "please",
    "by",
    "via",
    "using",
    "use",
    "platform",
];

/// A word that carries no name: [`FILLER`], or one about the configuration.
fn is_filler(w: &str) -> bool {
    FILLER.contains(&w) || CONFIG.contains(&w) || SYNC.contains(&w)
}

/// Lower-case words; punctuation other than `-`, `_` and `.` inside names splits words.
fn words(prompt: &str) -> Vec<String> {
    prompt
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_matches('.').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The action a word (and the next one) names, and how many words it takes.
fn action_at(words: &[String], i: usize) -> Option<(Action, usize)> {
    let next = words.get(i + 1).map(String::as_str);
    Some(match words[i].as_str() {
        "deploy" | "redeploy" | "ship" | "rebuild" => (Action::Deploy, 1),
        "promote" => (Action::Promote, 1),
        "rollback" | "revert" => (Action::Rollback, 1),
        "roll" if next == Some("back") => (Action::Rollback, 2),
        "restart" | "reboot" | "bounce" => (Action::Restart, 1),
        "stop" | "halt" | "shutdown" => (Action::Stop, 1),
        "shut" if next == Some("down") => (Action::Stop, 2),
        "start" | "boot" => (Action::Start, 1),
        "cancel" | "abort" => (Action::Cancel, 1),
        _ => return None,
    })
}

fn classify(prompt: &str, words: &[String]) -> Class {
    let Some(first) = words.first() else {
        return Class::Unknown;
    };
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(&["help", "commands"]) || prompt.to_lowercase().contains("what can you do") {
        return Class::Help;
    }
    // "what differs in air staging", "sync air staging config", "apply the config to baiv dev".
    if has(CONFIG) || has(SYNC) {
        return if has(SYNC) {
            Class::Action(Action::SyncConfig)
        } else {
            Class::ConfigDiff
        };
    }
    // "can you deploy air dev?" is a polite order, not a question.
    let polite = ["can", "could", "would", "will", "please", "pls", "kindly"];
    let asks = (prompt.trim_end().ends_with('?') && !polite.contains(&first.as_str()))
        || QUESTION.contains(&first.as_str())
        || SHOW.contains(&first.as_str());
    let action = (0..words.len())
        .find_map(|i| action_at(words, i))
        .map(|(a, _)| a);
    if asks {
        return if has(FAILURE) {
            Class::Diagnose
        } else if has(LOGS) {
            Class::Logs
        } else if has(STATUS) || action.is_some() || first == "how" {
            Class::Status
        } else {
            Class::Unknown
        };
    }
    if let Some(a) = action {
        return Class::Action(a);
    }
    if has(FAILURE) {
        Class::Diagnose
    } else if has(LOGS) {
        Class::Logs
    } else if has(STATUS) {
        Class::Status
    } else {
        Class::Unknown
    }
}

/// The names found in a prompt.
#[derive(Debug, Default)]
struct Names<'c> {
    instance: Option<&'c Instance>,
    /// (environment, marked "from", marked "to"), in order.
    environments: Vec<(String, bool, bool)>,
    /// Environment words the instance does not have.
    foreign_environments: Vec<String>,
    application: Option<String>,
    /// The environment of the named resource.
    resource_environment: Option<String>,
    tag: Option<String>,
    force: bool,
    unknown: Vec<String>,
}

fn looks_like_commit(word: &str) -> bool {
    (7..=40).contains(&word.len())
        && word.bytes().all(|b| b.is_ascii_hexdigit())
        && word.bytes().any(|b| b.is_ascii_digit())
}

fn names<'c>(words: &[String], platform: &'c Platform, class: Class) -> Names<'c> {
    let mut n = Names::default();
    let mut skip = vec![false; words.len()];
    for i in 0..words.len() {
        if let Some((_, len)) = action_at(words, i) {
            for s in skip.iter_mut().skip(i).take(len) {
                *s = true;
            }
        }
    }
    // The instance first: environments and resources are looked up in it.
    for w in words {
        if let Some(i) = platform.instance(w) {
            n.instance.get_or_insert(i);
        }
    }
    if n.instance.is_none() {
        // A resource name alone says where it lives.
        if let Some((i, _, _)) = words.iter().find_map(|w| platform.resource(w)) {
            n.instance = Some(i);
        }
    }
    let rollback = class == Class::Action(Action::Rollback);
    for (k, w) in words.iter().enumerate() {
        if skip[k] {
            continue;
        }
        let before = k.checked_sub(1).map(|j| words[j].as_str());
        if platform.instance(w).is_some() {
            continue;
        }
        if let Some(instance) = n.instance
            && let Some(resource) = instance
                .environments
                .iter()
                .flat_map(|(e, rs)| rs.iter().map(move |r| (e, r)))
                .find(|(_, r)| r.eq_ignore_ascii_case(w))
        {
            n.application = Some(resource.1.clone());
            n.resource_environment = Some(resource.0.clone());
            continue;
        }
        let env = match n.instance {
            Some(i) => i.environment(w).map(str::to_string),
            None => platform
                .environment_names()
                .into_iter()
                .find(|e| crate::model::pipeline::same_stage(e, w))
                .map(str::to_string),
        };
        if let Some(env) = env {
            n.environments.push((
                env,
                before == Some("from"),
                matches!(before, Some("to" | "into" | "onto")),
            ));
            continue;
        }
        if platform.is_environment_word(w) {
            n.foreign_environments.push(w.clone());
            continue;
        }
        if rollback && (before == Some("to") || looks_like_commit(w)) && !is_filler(w) {
            n.tag = Some(w.clone());
            continue;
        }
        if FORCE.contains(&w.as_str()) {
            continue;
        }
        if is_filler(w)
            || STATUS.contains(&w.as_str())
            || LOGS.contains(&w.as_str())
            || FAILURE.contains(&w.as_str())
            || SHOW.contains(&w.as_str())
            || action_at(words, k).is_some()
        {
            continue;
        }
        n.unknown.push(w.clone());
    }
    n.force = words.iter().any(|w| FORCE.contains(&w.as_str()));
    n
}

/// What the planner makes of a prompt. Pure: the table tests call it directly.
pub fn understand(prompt: &str, platform: &Platform) -> Intent {
    let words = words(prompt);
    let class = classify(prompt, &words);
    let action = match class {
        Class::Unknown => {
            return Intent::Answer(format!(
                "I did not understand \"{}\".\n{}",
                prompt.trim(),
                help(Some(platform))
            ));
        }
        Class::Help => return Intent::Answer(help(Some(platform))),
        Class::Action(a) => Some(a),
        _ => None,
    };
    let n = names(&words, platform, class);
    let instances = platform.instance_names();
    let Some(instance) = n.instance else {
        return Intent::Answer(match n.unknown.first() {
            Some(w) => {
                format!("I don't know an instance named '{w}'. The instances are: {instances}.")
            }
            None if class == Class::Status && n.environments.is_empty() => {
                return Intent::Status {
                    project: None,
                    environment: None,
                    application: None,
                };
            }
            None if action == Some(Action::Cancel) => {
                return Intent::CancelRunning {
                    project: None,
                    environment: None,
                };
            }
            None => format!(
                "Which instance? The instances are: {instances} (e.g. \"{}\").",
                example(class)
            ),
        });
    };
    let project = instance.name.clone();
    let envs = instance.environment_names();
    if let Some(w) = n.foreign_environments.first() {
        return Intent::Answer(format!(
            "{project} has no environment '{w}'; its environments: {envs}."
        ));
    }
    let no_env = |n: &Names<'_>| -> Intent {
        Intent::Answer(match n.unknown.first() {
            Some(w) => format!("{project} has no environment '{w}'; its environments: {envs}."),
            None => format!("Which environment of {project}? Its environments: {envs}."),
        })
    };
    // For operations, every word must be understood: an unknown one is likely a
    // resource name, and acting on the whole environment instead would be a guess.
    let unknown_resource = |env: &str, n: &Names<'_>| -> Option<Intent> {
        let w = n.unknown.first()?;
        let held = instance.resources(env).join(", ");
        Some(Intent::Answer(format!(
            "I did not understand '{w}': {project}/{env} has no resource by that name; it holds: {}.",
            if held.is_empty() { "nothing" } else { &held }
        )))
    };
    let Some(action) = action else {
        // Reads: status, logs, what failed.
        let environment = match environment_of(&n) {
            Ok(e) => e,
            Err(text) => return Intent::Answer(text),
        };
        if class == Class::Status {
            if environment.is_none() && !n.unknown.is_empty() {
                return no_env(&n);
            }
            return Intent::Status {
                project: Some(project),
                environment,
                application: n.application,
            };
        }
        let Some(environment) = environment else {
            return no_env(&n);
        };
        if class == Class::ConfigDiff {
            return Intent::ConfigDiff {
                project,
                environment,
            };
        }
        return if class == Class::Logs {
            Intent::Logs {
                project,
                environment,
                application: n.application,
            }
        } else {
            Intent::Diagnose {
                project,
                environment,
                application: n.application,
            }
        };
    };
    let marked_to = n
        .environments
        .iter()
        .find(|(_, _, to)| *to)
        .map(|(e, _, _)| e.clone());
    let marked_from = n
        .environments
        .iter()
        .find(|(_, from, _)| *from)
        .map(|(e, _, _)| e.clone());
    let plain: Vec<String> = n
        .environments
        .iter()
        .filter(|(_, from, to)| !from && !to)
        .map(|(e, _, _)| e.clone())
        .collect();
    let promote = |from: Option<String>, to: Option<String>| -> Intent {
        match (from, to) {
            (Some(from), Some(to)) if from == to => Intent::Answer(format!(
                "Promotion goes from one environment to another; both are {from}."
            )),
            (Some(from), Some(to)) => {
                if let Some(i) = unknown_resource(&from, &n) {
                    return i;
                }
                let request =
                    Request::new(Kind::Promote, Address::new(&project, Some(&from), None))
                        .text(TO, to.as_str());
                Intent::Propose {
                    tool: Kind::Promote.tool(),
                    what: format!("promote {project} {from} to {to}"),
                    arguments: request.arguments(),
                }
            }
            _ => Intent::Answer(format!(
                "Promote {project} from which environment to which? e.g. \"promote {} dev to staging\" (its environments: {envs}).",
                project.to_lowercase()
            )),
        }
    };
    if action == Action::Promote {
        let from = marked_from.clone().or_else(|| plain.first().cloned());
        let to = marked_to
            .clone()
            .or_else(|| plain.iter().find(|e| Some(*e) != from.as_ref()).cloned());
        return promote(from, to);
    }
    if action == Action::Deploy && n.environments.len() >= 2 {
        // "deploy baiv staging to prod" is a promotion.
        let from = marked_from.or_else(|| plain.first().cloned());
        let to = marked_to.or_else(|| plain.get(1).cloned());
        return promote(from, to);
    }
    let environment = match environment_of(&n) {
        Ok(e) => e,
        Err(text) => return Intent::Answer(text),
    };
    let Some(environment) = environment else {
        if action == Action::Cancel && n.unknown.is_empty() {
            return Intent::CancelRunning {
                project: Some(project),
                environment: None,
            };
        }
        return no_env(&n);
    };
    if let Some(i) = unknown_resource(&environment, &n) {
        return i;
    }
    let address = Address::new(&project, Some(&environment), n.application.as_deref());
    let place = match &n.application {
        Some(app) => format!("{app} in {project}/{environment}"),
        None => format!("{project}/{environment}"),
    };
    let (request, verb) = match action {
        Action::Deploy if n.force => (
            Request::new(Kind::Deploy, address).flag(catalogue::FORCE),
            "force-deploy",
        ),
        Action::Deploy => (Request::new(Kind::Deploy, address), "deploy"),
        Action::Rollback => (
            Request::new(Kind::Rollback, address).maybe_text(TO, n.tag.clone()),
            "roll back",
        ),
        Action::Restart => (Request::new(Kind::Restart, address), "restart"),
        Action::Stop => (Request::new(Kind::Stop, address), "stop"),
        Action::Start => (Request::new(Kind::Start, address), "start"),
        Action::Cancel => (
            Request::new(Kind::Cancel, address),
            "cancel the deployment of",
        ),
        Action::Promote => (Request::new(Kind::Promote, address), "promote"),
        Action::SyncConfig => (
            Request::new(
                Kind::ConfigApply,
                Address::new(&project, Some(&environment), None),
            ),
            "apply the platform configuration to",
        ),
    };
    let what = match (&n.tag, action) {
        (Some(tag), Action::Rollback) => format!("{verb} {place} to {tag}"),
        _ => format!("{verb} {place}"),
    };
    Intent::Propose {
        tool: request.kind.tool(),
        arguments: request.arguments(),
        what,
    }
}

/// The environment named in words, or the one of the named resource; an error text when
/// they disagree.
fn environment_of(n: &Names<'_>) -> Result<Option<String>, String> {
    let named = n.environments.first().map(|(e, _, _)| e.clone());
    match (named, &n.resource_environment, &n.application) {
        (Some(e), Some(r), Some(app)) if &e != r => {
            Err(format!("{app} is in {r}, not {e}: name one or the other."))
        }
        (Some(e), _, _) => Ok(Some(e)),
        (None, r, _) => Ok(r.clone()),
    }
}

fn example(class: Class) -> &'static str {
    match class {
        Class::Action(Action::Deploy) => "deploy air dev",
        Class::Action(Action::Promote) => "promote air dev to staging",
        Class::Action(Action::Rollback) => "rollback w4m prod",
        Class::Action(Action::Restart) => "restart baiv prod",
        Class::Action(Action::Stop) => "stop baiv dev",
        Class::Action(Action::Start) => "start baiv dev",
        Class::Action(Action::Cancel) => "cancel air dev",
        Class::Logs => "logs of air staging",
        Class::Diagnose => "what failed in baiv prod",
        Class::ConfigDiff => "what differs in air staging",
        Class::Action(Action::SyncConfig) => "sync air staging config",
        _ => "status of baiv",
    }
}

/// The next step of an intent, given the tool calls made since the prompt.
fn continue_intent(intent: Intent, done: &[Exchange]) -> Step {
    let last = |tool: &str| done.iter().rev().find(|e| e.name == tool);
    match intent {
        Intent::Answer(text) => Step::Say(text),
        Intent::Propose {
            tool,
            arguments,
            what,
        } => match last(tool) {
            Some(e) => Step::Say(report_operation(&what, e)),
            None => Step::Call {
                say: format!("Proposing to {what}."),
                tool,
                input: arguments,
            },
        },
        Intent::Status {
            project,
            environment: None,
            ..
        } => match last(Kind::Overview.tool()) {
            Some(e) if e.is_error => {
                Step::Say(format!("I could not read the status: {}", e.content))
            }
            Some(e) => Step::Say(report_tree(e, project.as_deref())),
            None => Step::Call {
                say: String::new(),
                tool: Kind::Overview.tool(),
                input: match &project {
                    Some(p) => json!({"project": p}),
                    None => json!({}),
                },
            },
        },
        Intent::Status {
            project: Some(project),
            environment: Some(environment),
            application,
        } => match last(Kind::Deployments.tool()) {
            Some(e) if e.is_error => {
                Step::Say(format!("I could not read the status: {}", e.content))
            }
            Some(e) => Step::Say(report_status(e)),
            None => Step::Call {
                say: String::new(),
                tool: Kind::Deployments.tool(),
                input: scoped(&project, &environment, application.as_deref(), "limit", 5),
            },
        },
        Intent::Status { .. } => Step::Say("Which instance? Try \"status of baiv prod\".".into()),
        Intent::Logs {
            project,
            environment,
            application,
        } => match last(Kind::DeploymentLog.tool()) {
            Some(e) if e.is_error => Step::Say(format!("I could not read the log: {}", e.content)),
            Some(e) => Step::Say(report_log(e)),
            None => Step::Call {
                say: String::new(),
                tool: Kind::DeploymentLog.tool(),
                input: scoped(&project, &environment, application.as_deref(), "lines", 40),
            },
        },
        Intent::Diagnose {
            project,
            environment,
            application,
        } => diagnose(&project, &environment, application.as_deref(), done),
        Intent::ConfigDiff {
            project,
            environment,
        } => match last(Kind::ConfigDiff.tool()) {
            Some(e) if e.is_error => Step::Say(format!(
                "I could not compare with the configuration: {}",
                e.content
            )),
            Some(e) => Step::Say(report_config_diff(e)),
            None => Step::Call {
                say: String::new(),
                tool: Kind::ConfigDiff.tool(),
                input: json!({"project": project, "environment": environment}),
            },
        },
        Intent::CancelRunning {
            project,
            environment,
        } => cancel_running(project.as_deref(), environment.as_deref(), done),
    }
}

/// What a `config_diff` found, in a few lines: per application what would change.
fn report_config_diff(e: &Exchange) -> String {
    let Ok(doc) = serde_json::from_str::<Value>(&e.content) else {
        return e.content.clone();
    };
    let diff = &doc["diff"];
    let place = format!(
        "{}/{}",
        diff["project"].as_str().unwrap_or("?"),
        diff["environment"].as_str().unwrap_or("?")
    );
    let mut lines = Vec::new();
    for app in diff["apps"].as_array().into_iter().flatten() {
        let name = app["application"].as_str().unwrap_or("?");
        if app["uuid"].is_null() {
            lines.push(format!("- {name}: not on the server (not provisioned)"));
            continue;
        }
        let mut changes: Vec<String> = app["settings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                format!(
                    "{} -> {}",
                    s["setting"].as_str().unwrap_or("?"),
                    shown_value(&s["want"])
                )
            })
            .collect();
        changes.extend(
            app["envs"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|v| v["change"] != "extra")
                .map(|v| {
                    let mark = if v["change"] == "add" { "+" } else { "~" };
                    format!("{mark}{}", v["key"].as_str().unwrap_or("?"))
                }),
        );
        if !changes.is_empty() {
            lines.push(format!("- {name}: {}", changes.join(", ")));
        }
    }
    if doc["in_sync"].as_bool() == Some(true) {
        let mut text = format!("{place} has what the platform configuration gives it.");
        for line in lines {
            text.push_str(&format!("\n{line}"));
        }
        return text;
    }
    format!(
        "{place} differs from the platform configuration:\n{}\nSay \"sync {} config\" to apply it (you confirm first).",
        lines.join("\n"),
        place.replace('/', " ").to_lowercase()
    )
}

fn scoped(project: &str, environment: &str, application: Option<&str>, key: &str, n: u64) -> Value {
    let mut v = json!({"project": project, "environment": environment, key: n});
    if let Some(a) = application {
        v["application"] = json!(a);
    }
    v
}

fn diagnose(
    project: &str,
    environment: &str,
    application: Option<&str>,
    done: &[Exchange],
) -> Step {
    let last = |tool: &str| done.iter().rev().find(|e| e.name == tool);
    if let Some(e) = last(Kind::DeploymentLog.tool()) {
        if e.is_error {
            return Step::Say(format!(
                "I could not read the failed deployment's log: {}",
                e.content
            ));
        }
        return Step::Say(report_failure(e));
    }
    let Some(status) = last(Kind::Deployments.tool()) else {
        return Step::Call {
            say: format!("Looking for the latest failed deployment in {project}/{environment}."),
            tool: Kind::Deployments.tool(),
            input: scoped(project, environment, application, "limit", 10),
        };
    };
    if status.is_error {
        return Step::Say(format!(
            "I could not read the deployments: {}",
            status.content
        ));
    }
    let doc: Value = serde_json::from_str(&status.content).unwrap_or(Value::Null);
    let app = doc["application"]
        .as_str()
        .unwrap_or("the application")
        .to_string();
    let deployments = doc["deployments"].as_array().cloned().unwrap_or_default();
    let Some(failed) = deployments.iter().find(|d| d["status"] == "failed") else {
        let latest = deployments
            .first()
            .map(|d| {
                format!(
                    "; the latest ({}) is {}",
                    d["uuid"].as_str().unwrap_or("?"),
                    d["status"].as_str().unwrap_or("?")
                )
            })
            .unwrap_or_default();
        return Step::Say(format!(
            "No failed deployment among the last {} of {app} in {project}/{environment}{latest}. It is {} now.",
            deployments.len(),
            doc["status"].as_str().unwrap_or("in an unknown state")
        ));
    };
    let mut input = scoped(project, environment, Some(&app), "lines", 30);
    input["deployment"] = failed["uuid"].clone();
    Step::Call {
        say: format!(
            "The latest failed deployment of {app} is {} (commit {}); reading its log.",
            failed["uuid"].as_str().unwrap_or("?"),
            failed["commit"].as_str().unwrap_or("unknown")
        ),
        tool: Kind::DeploymentLog.tool(),
        input,
    }
}

fn cancel_running(project: Option<&str>, environment: Option<&str>, done: &[Exchange]) -> Step {
    let last = |tool: &str| done.iter().rev().find(|e| e.name == tool);
    let Some(tree) = last(Kind::Overview.tool()) else {
        return Step::Call {
            say: "Looking for queued or running deployments.".into(),
            tool: Kind::Overview.tool(),
            input: json!({}),
        };
    };
    if tree.is_error {
        return Step::Say(format!(
            "I could not read what is running: {}",
            tree.content
        ));
    }
    let doc: Value = serde_json::from_str(&tree.content).unwrap_or(Value::Null);
    let running: Vec<&Value> = doc["running"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter(|d| {
                    project.is_none_or(|p| {
                        d["project"]
                            .as_str()
                            .is_some_and(|x| x.eq_ignore_ascii_case(p))
                    }) && environment.is_none_or(|e| {
                        d["environment"]
                            .as_str()
                            .is_some_and(|x| x.eq_ignore_ascii_case(e))
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let label = |d: &Value| {
        format!(
            "{}/{}/{} (deployment {}, {})",
            d["project"].as_str().unwrap_or("?"),
            d["environment"].as_str().unwrap_or("?"),
            d["application"].as_str().unwrap_or("?"),
            d["deployment"].as_str().unwrap_or("?"),
            d["status"].as_str().unwrap_or("?")
        )
    };
    match running.as_slice() {
        [] => Step::Say(format!(
            "Nothing is queued or running{}: there is nothing to cancel.",
            project.map(|p| format!(" in {p}")).unwrap_or_default()
        )),
        [one] => {
            let what = format!("cancel {}", label(one));
            if let Some(e) = last(Kind::Cancel.tool()) {
                return Step::Say(report_operation(&what, e));
            }
            Step::Call {
                say: format!("Proposing to {what}."),
                tool: Kind::Cancel.tool(),
                input: json!({
                    "project": one["project"],
                    "environment": one["environment"],
                    "application": one["application"],
                }),
            }
        }
        many => Step::Say(format!(
            "Several deployments are queued or running; say which to cancel (e.g. \"cancel air dev\"):\n{}",
            many.iter()
                .map(|d| format!("  {}", label(d)))
                .collect::<Vec<_>>()
                .join("\n")
        )),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The answer after an operation tool's result came back.
fn report_operation(what: &str, e: &Exchange) -> String {
    if e.is_error {
        return format!("Not done — {what}: {}", e.content);
    }
    let Ok(doc) = serde_json::from_str::<Value>(&e.content) else {
        return format!("{}: {}", capitalised(what), e.content);
    };
    let ok = doc["ok"].as_bool().unwrap_or(false);
    let mut text = format!(
        "{} — {}: {}.",
        if ok { "Done" } else { "It did not succeed" },
        what,
        doc["summary"].as_str().unwrap_or("no summary")
    );
    if let Some(args) = doc.get("edited_by_user") {
        text.push_str(&format!(" (You edited the arguments to {args}.)"));
    }
    for t in doc["targets"].as_array().into_iter().flatten() {
        let mut line = format!(
            "\n  {}: {}",
            t["target"].as_str().unwrap_or("?"),
            t["status"]
                .as_str()
                .unwrap_or(if t["ok"].as_bool() == Some(true) {
                    "done"
                } else {
                    "failed"
                })
        );
        match (t["before"].as_str(), t["after"].as_str()) {
            (Some(b), Some(a)) if b != a => line.push_str(&format!(", {b} → {a}")),
            (_, Some(a)) => line.push_str(&format!(", at {a}")),
            _ => {}
        }
        if let Some(h) = t["health"].as_str() {
            line.push_str(&format!(", {h}"));
        }
        if let Some(n) = t["note"].as_str() {
            line.push_str(&format!(" ({n})"));
        }
        text.push_str(&line);
        if let Some(tail) = t["failure_tail"].as_str().and_then(untrusted_body) {
            text.push_str("\n  last lines:");
            for l in tail
                .lines()
                .rev()
                .take(6)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                text.push_str(&format!("\n    {l}"));
            }
        }
        if let Some(r) = t["rollback_to"].as_str() {
            text.push_str(&format!(
                "\n  To go back, ask: rollback {} to {r}",
                t["target"].as_str().unwrap_or("").replace('/', " ")
            ));
        }
    }
    text
}

fn report_tree(e: &Exchange, project: Option<&str>) -> String {
    let Ok(doc) = serde_json::from_str::<Value>(&e.content) else {
        return e.content.clone();
    };
    let mut text = String::new();
    for p in doc["projects"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or("?");
        if project.is_some_and(|want| !want.eq_ignore_ascii_case(name)) {
            continue;
        }
        text.push_str(&format!("{name}:\n"));
        for env in p["environments"].as_array().into_iter().flatten() {
            let resources: Vec<String> = env["resources"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    format!(
                        "{} {}",
                        r["name"].as_str().unwrap_or("?"),
                        r["status"].as_str().unwrap_or("?")
                    )
                })
                .collect();
            text.push_str(&format!(
                "  {}: {}\n",
                env["name"].as_str().unwrap_or("?"),
                if resources.is_empty() {
                    "(empty)".into()
                } else {
                    resources.join(", ")
                }
            ));
        }
    }
    let running: Vec<String> = doc["running"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| {
            project.is_none_or(|p| {
                d["project"]
                    .as_str()
                    .is_some_and(|x| x.eq_ignore_ascii_case(p))
            })
        })
        .map(|d| {
            format!(
                "{}/{}/{} {} ({})",
                d["project"].as_str().unwrap_or("?"),
                d["environment"].as_str().unwrap_or("?"),
                d["application"].as_str().unwrap_or("?"),
                d["status"].as_str().unwrap_or("?"),
                d["deployment"].as_str().unwrap_or("?")
            )
        })
        .collect();
    if running.is_empty() {
        text.push_str("No deployment is queued or running.");
    } else {
        text.push_str(&format!("Running now: {}.", running.join("; ")));
    }
    text
}

fn report_status(e: &Exchange) -> String {
    let Ok(doc) = serde_json::from_str::<Value>(&e.content) else {
        return e.content.clone();
    };
    let mut text = format!(
        "{}/{}/{} is {}.",
        doc["project"].as_str().unwrap_or("?"),
        doc["environment"].as_str().unwrap_or("?"),
        doc["application"].as_str().unwrap_or("?"),
        doc["status"].as_str().unwrap_or("unknown")
    );
    let deployments = doc["deployments"].as_array().cloned().unwrap_or_default();
    if deployments.is_empty() {
        text.push_str(" No deployments yet.");
    } else {
        text.push_str(" Recent deployments (newest first):");
        for d in &deployments {
            text.push_str(&format!(
                "\n  {} {} commit {} {}",
                d["uuid"].as_str().unwrap_or("?"),
                d["status"].as_str().unwrap_or("?"),
                d["commit"].as_str().unwrap_or("?"),
                d["created_at"].as_str().unwrap_or("")
            ));
        }
    }
    text
}

fn report_log(e: &Exchange) -> String {
    let header = e.content.lines().next().unwrap_or("");
    let body = untrusted_body(&e.content).unwrap_or("");
    format!("{}\n{body}", capitalised(header))
}

fn report_failure(e: &Exchange) -> String {
    // "deployment <uuid> of P/E/app: failed, commit abc1234, started ...; the last ..."
    let header = e.content.lines().next().unwrap_or("");
    let what = header.split(';').next().unwrap_or(header);
    let body = untrusted_body(&e.content).unwrap_or("");
    let (step, lines) = match body.split_once("\n---\n") {
        Some((step, rest)) => (
            step.trim_start_matches("failing step:").trim().to_string(),
            rest,
        ),
        None => (String::new(), body),
    };
    let errors: Vec<&str> = lines
        .lines()
        .filter(|l| {
            let l = l.trim();
            l.to_ascii_lowercase().contains("error") && !l.ends_with("---")
        })
        .take(4)
        .collect();
    let last: Vec<&str> = lines
        .lines()
        .rev()
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let mut text = format!("{}.", capitalised(what));
    if step.is_empty() {
        text.push_str(" I could not tell which step failed.");
    } else {
        text.push_str(&format!("\nIt failed at the step: {step}"));
    }
    if !errors.is_empty() {
        text.push_str("\nThe errors:");
        for l in errors {
            text.push_str(&format!("\n  {}", l.trim()));
        }
    }
    text.push_str("\nIts last lines:");
    for l in last {
        text.push_str(&format!("\n  {l}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Platform {
        let instance = |name: &str, slug: &str| Instance {
            name: name.into(),
            environments: ["dev", "staging", "prod"]
                .iter()
                .map(|e| {
                    let mut rs = vec![format!("{slug}-{e}")];
                    if *e == "prod" && slug == "air" {
                        rs.push("air-postgres".into());
                    }
                    (e.to_string(), rs)
                })
                .collect(),
        };
        Platform {
            instances: vec![
                instance("AIR", "air"),
                instance("BAIV", "baiv"),
                instance("W4M", "w4m"),
            ],
        }
    }

    fn propose(tool: &str, args: Value) -> (String, Value) {
        (tool.to_string(), args)
    }

    fn proposed(prompt: &str) -> (String, Value) {
        match understand(prompt, &demo()) {
            Intent::Propose {
                tool, arguments, ..
            } => (tool.to_string(), arguments),
            other => panic!("{prompt:?}: expected a proposal, got {other:?}"),
        }
    }

    fn answered(prompt: &str) -> String {
        match understand(prompt, &demo()) {
            Intent::Answer(text) => text,
            other => panic!("{prompt:?}: expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn operations_in_many_phrasings() {
        let deploy_air_dev = propose(
            Kind::Deploy.tool(),
            json!({"project": "AIR", "environment": "dev"}),
        );
        let table: Vec<(&str, (String, Value))> = vec![
            ("deploy air dev", deploy_air_dev.clone()),
            ("Deploy AIR Dev", deploy_air_dev.clone()),
            ("redeploy air dev", deploy_air_dev.clone()),
            ("please deploy air development", deploy_air_dev.clone()),
            ("air dev deploy", deploy_air_dev.clone()),
            ("can you deploy air dev?", deploy_air_dev.clone()),
            ("deploy the air app in dev now", deploy_air_dev.clone()),
            ("deploy air to dev", deploy_air_dev),
            (
                "deploy air-dev",
                propose(
                    Kind::Deploy.tool(),
                    json!({"project": "AIR", "environment": "dev", "application": "air-dev"}),
                ),
            ),
            (
                "deploy baiv staging baiv-staging --force",
                propose(
                    Kind::Deploy.tool(),
                    json!({"project": "BAIV", "environment": "staging", "application": "baiv-staging", "force": true}),
                ),
            ),
            (
                "rebuild w4m dev without cache",
                propose(
                    Kind::Deploy.tool(),
                    json!({"project": "W4M", "environment": "dev", "force": true}),
                ),
            ),
            (
                "deploy baiv staging to prod",
                propose(
                    Kind::Promote.tool(),
                    json!({"project": "BAIV", "from": "staging", "to": "prod"}),
                ),
            ),
            (
                "promote air dev to staging",
                propose(
                    Kind::Promote.tool(),
                    json!({"project": "AIR", "from": "dev", "to": "staging"}),
                ),
            ),
            (
                "Promote AIR from Dev to Staging",
                propose(
                    Kind::Promote.tool(),
                    json!({"project": "AIR", "from": "dev", "to": "staging"}),
                ),
            ),
            (
                "promote to production from staging for w4m",
                propose(
                    Kind::Promote.tool(),
                    json!({"project": "W4M", "from": "staging", "to": "prod"}),
                ),
            ),
            (
                "roll back w4m prod to abc1234",
                propose(
                    Kind::Rollback.tool(),
                    json!({"project": "W4M", "environment": "prod", "to": "abc1234"}),
                ),
            ),
            (
                "rollback baiv prod",
                propose(
                    Kind::Rollback.tool(),
                    json!({"project": "BAIV", "environment": "prod"}),
                ),
            ),
            (
                "rollback baiv prod to the previous image",
                propose(
                    Kind::Rollback.tool(),
                    json!({"project": "BAIV", "environment": "prod"}),
                ),
            ),
            (
                "revert W4M production",
                propose(
                    Kind::Rollback.tool(),
                    json!({"project": "W4M", "environment": "prod"}),
                ),
            ),
            (
                "restart baiv prod",
                propose(
                    Kind::Restart.tool(),
                    json!({"project": "BAIV", "environment": "prod"}),
                ),
            ),
            (
                "restart air prod air-postgres",
                propose(
                    Kind::Restart.tool(),
                    json!({"project": "AIR", "environment": "prod", "application": "air-postgres"}),
                ),
            ),
            (
                "stop baiv dev",
                propose(
                    Kind::Stop.tool(),
                    json!({"project": "BAIV", "environment": "dev"}),
                ),
            ),
            (
                "shut down baiv-dev",
                propose(
                    Kind::Stop.tool(),
                    json!({"project": "BAIV", "environment": "dev", "application": "baiv-dev"}),
                ),
            ),
            (
                "start BAIV dev",
                propose(
                    Kind::Start.tool(),
                    json!({"project": "BAIV", "environment": "dev"}),
                ),
            ),
            (
                "cancel air dev",
                propose(
                    Kind::Cancel.tool(),
                    json!({"project": "AIR", "environment": "dev"}),
                ),
            ),
        ];
        for (prompt, want) in table {
            assert_eq!(proposed(prompt), want, "{prompt}");
        }
    }

    #[test]
    fn the_configuration_in_many_phrasings() {
        let d = demo();
        let diff = Intent::ConfigDiff {
            project: "AIR".into(),
            environment: "staging".into(),
        };
        for prompt in [
            "what differs in air staging",
            "show the config drift of AIR staging",
            "is air staging different from its configuration?",
            "config diff air staging",
        ] {
            assert_eq!(understand(prompt, &d), diff, "{prompt}");
        }
        let sync = propose(
            Kind::ConfigApply.tool(),
            json!({"project": "AIR", "environment": "staging"}),
        );
        for prompt in [
            "sync air staging config",
            "apply the configuration to air staging",
            "please reconcile AIR staging",
            "sync air staging",
        ] {
            assert_eq!(proposed(prompt), sync, "{prompt}");
        }
        assert!(answered("sync air config").contains("Which environment of AIR?"));
        assert!(answered("what differs in air").contains("Which environment of AIR?"));
    }

    #[test]
    fn reads_in_many_phrasings() {
        let d = demo();
        assert_eq!(
            understand("why did baiv prod fail?", &d),
            Intent::Diagnose {
                project: "BAIV".into(),
                environment: "prod".into(),
                application: None
            }
        );
        assert_eq!(
            understand("what failed in BAIV production", &d),
            Intent::Diagnose {
                project: "BAIV".into(),
                environment: "prod".into(),
                application: None
            }
        );
        assert_eq!(
            understand("show me what went wrong with w4m dev", &d),
            Intent::Diagnose {
                project: "W4M".into(),
                environment: "dev".into(),
                application: None
            }
        );
        assert_eq!(
            understand("logs of air staging", &d),
            Intent::Logs {
                project: "AIR".into(),
                environment: "staging".into(),
                application: None
            }
        );
        assert_eq!(
            understand("show the deploy logs for air-staging", &d),
            Intent::Logs {
                project: "AIR".into(),
                environment: "staging".into(),
                application: Some("air-staging".into())
            }
        );
        assert_eq!(
            understand("status of baiv", &d),
            Intent::Status {
                project: Some("BAIV".into()),
                environment: None,
                application: None
            }
        );
        assert_eq!(
            understand("how is baiv prod doing?", &d),
            Intent::Status {
                project: Some("BAIV".into()),
                environment: Some("prod".into()),
                application: None
            }
        );
        assert_eq!(
            understand("status", &d),
            Intent::Status {
                project: None,
                environment: None,
                application: None
            }
        );
        assert_eq!(
            understand("did air dev deploy?", &d),
            Intent::Status {
                project: Some("AIR".into()),
                environment: Some("dev".into()),
                application: None
            }
        );
        assert_eq!(
            understand("cancel", &d),
            Intent::CancelRunning {
                project: None,
                environment: None
            }
        );
        assert_eq!(
            understand("cancel the w4m deployment", &d),
            Intent::CancelRunning {
                project: Some("W4M".into()),
                environment: None
            }
        );
    }

    #[test]
    fn unknown_names_are_answered_with_the_valid_ones() {
        let text = answered("deploy foo dev");
        assert!(
            text.contains("'foo'") && text.contains("AIR, BAIV, W4M"),
            "{text}"
        );
        let text = answered("deploy air qa");
        assert!(
            text.contains("no environment 'qa'") && text.contains("dev, staging, prod"),
            "{text}"
        );
        let text = answered("why did baiv uat fail?");
        assert!(text.contains("no environment 'uat'"), "{text}");
        let text = answered("restart air dev frontend");
        assert!(
            text.contains("'frontend'") && text.contains("air-dev"),
            "{text}"
        );
        let text = answered("deploy air");
        assert!(
            text.contains("Which environment of AIR") && text.contains("dev, staging, prod"),
            "{text}"
        );
        let text = answered("deploy dev");
        assert!(
            text.contains("Which instance") && text.contains("AIR, BAIV, W4M"),
            "{text}"
        );
        let text = answered("promote air to prod");
        assert!(text.contains("from which environment"), "{text}");
        let text = answered("promote air dev to dev");
        assert!(text.contains("both are dev"), "{text}");
    }

    #[test]
    fn unknown_phrasing_gets_help_and_no_action() {
        for prompt in [
            "make it faster",
            "delete everything in air prod",
            "what is the weather",
            "",
            "air prod",
        ] {
            let text = answered(prompt);
            assert!(
                text.contains("I understand these phrasings"),
                "{prompt}: {text}"
            );
            assert!(text.contains("Instances: AIR, BAIV, W4M"), "{text}");
        }
        assert!(answered("help").contains("promote air dev to staging"));
    }

    fn user(text: &str) -> Message {
        Message::user_text(text)
    }

    fn run(offline: &Offline, system: &str, messages: &[Message]) -> Vec<Event> {
        offline.respond(&Turn {
            system,
            tools: &[],
            messages,
            max_tokens: 100,
        })
    }

    #[test]
    fn it_speaks_the_tool_protocol_and_learns_names_from_the_tree() {
        let offline = Offline::new();
        let mut messages = vec![user("deploy AIR dev")];
        let events = run(&offline, "", &messages);
        let Some(Event::ToolUse { id, name, input }) = events
            .iter()
            .find(|e| matches!(e, Event::ToolUse { .. }))
            .cloned()
        else {
            panic!("a tool call: {events:?}")
        };
        assert_eq!(
            (id.as_str(), name.as_str(), input),
            ("offline_1", Kind::Overview.tool(), json!({}))
        );
        assert_eq!(events.last(), Some(&Event::Done(StopReason::ToolUse)));
        messages.push(Message {
            role: Role::Assistant,
            content: vec![Block::ToolUse {
                id: id.clone(),
                name,
                input: json!({}),
            }],
        });
        let tree = json!({"projects": [{"name": "AIR", "environments": [{"name": "dev", "resources": [{"name": "air-dev"}]}]}], "running": []});
        messages.push(Message {
            role: Role::User,
            content: vec![Block::ToolResult {
                id,
                content: tree.to_string(),
                is_error: false,
            }],
        });
        let events = run(&offline, "", &messages);
        assert!(
            events.contains(&Event::ToolUse {
                id: "offline_2".into(),
                name: Kind::Deploy.tool().into(),
                input: json!({"project": "AIR", "environment": "dev"}),
            }),
            "{events:?}"
        );
    }

    #[test]
    fn names_come_from_the_system_prompt_block() {
        let offline = Offline::new();
        let system = format!("rules\n{}\n", demo().block());
        let events = run(&offline, &system, &[user("restart W4M prod")]);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::ToolUse { name, .. } if name == Kind::Restart.tool())),
            "{events:?}"
        );
        let events = run(&offline, &system, &[user("tell me a joke")]);
        assert!(!events.iter().any(|e| matches!(e, Event::ToolUse { .. })));
        assert_eq!(events.last(), Some(&Event::Done(StopReason::EndTurn)));
    }
}
