//! The agent loop end to end against the simulators: a scripted provider (canned event
//! sequences, every turn it receives recorded) and the offline planner; then the `pftui
//! agent` binary.

#![allow(clippy::unwrap_used)] // a test may stop at what it did not expect

mod common;

use std::collections::VecDeque;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use futures::stream::BoxStream;
use pftui::agent::provider::{
    Block, Event, Message, Provider, ProviderError, Role, StopReason, Turn,
};
use pftui::agent::{Agent, AgentError, AgentEvent, Decision, Offline, Pending, Platform, Proposal};
use pftui::audit::{Channel, Journal, Record};
use pftui::coolify::{Client, load_tree};
use pftui::model::Tree;
use pftui::ops::Risk;
use pftui::ops::{Confirmation, Connection, Ops, Progress, Session, Verdict};
use pftui::secrets::{Credential, ExposeSecret, SecretString, Source};
use pftui::settings::Settings;
use pftui::sim::SimHandle;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

// ---------------------------------------------------------------------------------------
// A scripted provider

/// One scripted turn: events to send, or hang forever (to cancel a turn in flight).
enum Script {
    Events(Vec<Event>),
    Hang,
}

/// Replays canned turns and records every conversation it is sent.
#[derive(Clone)]
struct Scripted {
    turns: Arc<Mutex<VecDeque<Script>>>,
    seen: Arc<Mutex<Vec<Vec<Message>>>>,
    asked: Arc<Notify>,
}

impl Scripted {
    fn new(turns: Vec<Script>) -> Self {
        Self {
            turns: Arc::new(Mutex::new(turns.into())),
            seen: Arc::new(Mutex::new(Vec::new())),
            asked: Arc::new(Notify::new()),
        }
    }

    /// The conversations received, one per turn.
    fn seen(&self) -> Vec<Vec<Message>> {
        self.seen.lock().unwrap().clone()
    }

    /// The last message of the `n`th turn received.
    fn last_message(&self, n: usize) -> Message {
        self.seen()[n].last().cloned().expect("a message")
    }
}

impl Provider for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }

    fn model(&self) -> &str {
        "canned"
    }

    fn stream<'a>(&'a self, turn: Turn<'a>) -> BoxStream<'a, Result<Event, ProviderError>> {
        self.seen.lock().unwrap().push(turn.messages.to_vec());
        self.asked.notify_one();
        let next = self.turns.lock().unwrap().pop_front();
        match next {
            Some(Script::Events(events)) => {
                futures::stream::iter(events.into_iter().map(Ok)).boxed()
            }
            Some(Script::Hang) => futures::stream::pending().boxed(),
            None => futures::stream::iter(vec![
                Ok(Event::TextDelta("(script over)".into())),
                Ok(Event::Done(StopReason::EndTurn)),
            ])
            .boxed(),
        }
    }
}

fn call(id: &str, name: &str, input: Value) -> Script {
    Script::Events(vec![
        Event::TextDelta(format!("Calling {name}.")),
        Event::ToolUse {
            id: id.into(),
            name: name.into(),
            input,
        },
        Event::Done(StopReason::ToolUse),
    ])
}

fn say(text: &str) -> Script {
    Script::Events(vec![
        Event::TextDelta(text.into()),
        Event::Done(StopReason::EndTurn),
    ])
}

// ---------------------------------------------------------------------------------------
// A rig: simulator, ops, journal

struct Rig {
    sim: SimHandle,
    client: Client,
    ops: Arc<Ops>,
    tree: Tree,
    _dir: tempfile::TempDir,
}

fn settings(extra: &str) -> Settings {
    let text = format!(
        "refresh: {{ interval: 1, while_deploying: 0.5 }}\nhealth: {{ tries: 3, interval: 0.1, timeout: 2 }}\n{extra}"
    );
    Settings::parse(&text, std::path::Path::new("test.yaml")).unwrap()
}

async fn rig_with(extra: &str, read_only: bool) -> Rig {
    let (sim, client) = common::sim(50.0).await;
    let dir = tempfile::tempdir().unwrap();
    let credential = |v: &str| Credential {
        value: SecretString::from(v.to_string()),
        source: Source::Flag,
    };
    let session = Session::open(Connection {
        context: "test".into(),
        url: sim.coolify_url(),
        token: credential(sim.token()),
        read_only,
        health_via: Some(sim.health_base()),
        github: Some((sim.github_url(), credential(sim.github_token()))),
    })
    .unwrap();
    let ops = Ops::new(
        session,
        settings(extra),
        Journal::at(dir.path().join("audit.jsonl")),
    )
    .with_platform(pftui::ops::PlatformSource::new(
        pftui::config::Platform::examples(),
        pftui::ops::PlatformSecrets::Demo,
    ));
    let tree = load_tree(&client).await.unwrap();
    Rig {
        sim,
        client,
        ops: Arc::new(ops),
        tree,
        _dir: dir,
    }
}

async fn rig() -> Rig {
    rig_with("", false).await
}

impl Rig {
    fn agent(&self, provider: impl Provider + 'static) -> Agent {
        Agent::new(Arc::new(provider), Arc::clone(&self.ops), Some(&self.tree))
            .with_user("tester@test")
    }

    fn audit(&self) -> Vec<Record> {
        self.ops.audit_tail(100).unwrap().0
    }

    async fn deployments(&self, app: &str) -> u64 {
        let uuid = common::uuid_of(&self.tree, app);
        let page = self.client.deployment_history(&uuid, 0, 1).await.unwrap();
        page.count.unwrap_or(page.deployments.len() as u64)
    }
}

/// Everything sent on the channel so far.
fn drain(rx: &mut mpsc::UnboundedReceiver<AgentEvent>) -> Vec<AgentEvent> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e);
    }
    out
}

fn text_of(events: &[AgentEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            AgentEvent::TextDelta(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn decide_one(pending: Pending) -> Proposal {
    match pending {
        Pending::Decide(mut proposals) => {
            assert_eq!(proposals.len(), 1, "{proposals:?}");
            proposals.remove(0)
        }
        Pending::Done => panic!("expected a proposal"),
    }
}

/// The only tool result of a user message.
fn result_of(message: &Message) -> (String, String, bool) {
    assert_eq!(message.role, Role::User);
    match message.content.as_slice() {
        [
            Block::ToolResult {
                id,
                content,
                is_error,
            },
        ] => (id.clone(), content.clone(), *is_error),
        other => panic!("expected one tool result, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The loop with a scripted model

#[tokio::test]
async fn an_approved_proposal_runs_and_its_result_goes_back_to_the_model() {
    let r = rig().await;
    let before = r.deployments("air-dev").await;
    let model = Scripted::new(vec![
        call(
            "t1",
            "coolify_deploy",
            json!({"project": "air", "environment": "DEV"}),
        ),
        say("air-dev is deployed."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();

    let proposal = decide_one(agent.send("deploy air dev", &tx).await.unwrap());
    assert_eq!(proposal.id, "t1");
    assert_eq!(proposal.tool, "coolify_deploy");
    assert_eq!(proposal.risk, Risk::Deploy);
    assert_eq!(proposal.plan.verdict, Verdict::Confirm);
    assert_eq!(proposal.plan.preview.cli, "pftui deploy air DEV");
    assert_eq!(proposal.plan.targets[0].name, "air-dev");
    assert_eq!(
        r.deployments("air-dev").await,
        before,
        "nothing runs before a decision"
    );
    assert_eq!(model.seen().len(), 1);

    let done = agent
        .decide(
            vec![Decision::Approve {
                id: "t1".into(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await
        .unwrap();
    assert_eq!(done, Pending::Done);
    assert_eq!(r.deployments("air-dev").await, before + 1);

    // The exact conversation of the second turn: the prompt, the assistant message as it
    // was returned, and one tool result.
    let seen = model.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1][0], Message::user_text("deploy air dev"));
    assert_eq!(
        seen[1][1],
        Message {
            role: Role::Assistant,
            content: vec![
                Block::Text("Calling coolify_deploy.".into()),
                Block::ToolUse {
                    id: "t1".into(),
                    name: "coolify_deploy".into(),
                    input: json!({"project": "air", "environment": "DEV"}),
                },
            ],
        }
    );
    let (id, content, is_error) = result_of(&seen[1][2]);
    assert_eq!((id.as_str(), is_error), ("t1", false));
    let result: Value = serde_json::from_str(&content).unwrap();
    assert_eq!(result["executed"], "deploy");
    assert_eq!(result["ok"], true);
    assert_eq!(result["summary"], "1 of 1 finished and healthy");
    assert_eq!(result["targets"][0]["target"], "AIR/dev/air-dev");
    assert_eq!(result["targets"][0]["status"], "finished");
    assert!(
        result["targets"][0]["health"]
            .as_str()
            .unwrap()
            .starts_with("healthy")
    );

    let events = drain(&mut rx);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AgentEvent::Proposal(p) if p.id == "t1"))
    );
    assert!(events.iter().any(|e| matches!(e, AgentEvent::Progress { id, progress: Progress::Started { .. } } if id == "t1")));
    assert!(events.iter().any(
        |e| matches!(e, AgentEvent::Executed { id, outcome: Ok(o), .. } if id == "t1" && o.ok)
    ));
    assert!(matches!(events.last(), Some(AgentEvent::TurnEnded)));
    assert!(text_of(&events).ends_with("air-dev is deployed."));

    let audit = r.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].operation, "deploy");
    assert_eq!(audit[0].actor.channel, Channel::Agent);
    assert_eq!(audit[0].actor.user, "tester@test");
    assert_eq!(audit[0].actor.prompt.as_deref(), Some("deploy air dev"));
    assert_eq!(audit[0].outcome, "succeeded");
}

#[tokio::test]
async fn a_rejection_and_its_reason_reach_the_model_and_nothing_runs() {
    let r = rig().await;
    let before = r.deployments("baiv-staging").await;
    let model = Scripted::new(vec![
        call(
            "t1",
            "coolify_restart",
            json!({"project": "BAIV", "environment": "staging"}),
        ),
        say("Understood, not restarting."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    decide_one(agent.send("restart baiv staging", &tx).await.unwrap());
    let done = agent
        .decide(
            vec![Decision::Reject {
                id: "t1".into(),
                reason: Some("not during the demo".into()),
            }],
            &tx,
        )
        .await
        .unwrap();
    assert_eq!(done, Pending::Done);
    assert_eq!(
        model.last_message(1),
        Message {
            role: Role::User,
            content: vec![Block::ToolResult {
                id: "t1".into(),
                content: "not run: the user rejected this call. Their reason: not during the demo"
                    .into(),
                is_error: true,
            }],
        }
    );
    assert!(
        !drain(&mut rx)
            .iter()
            .any(|e| matches!(e, AgentEvent::Executed { .. }))
    );
    assert_eq!(r.deployments("baiv-staging").await, before);
    assert!(r.audit().is_empty());
    assert!(matches!(
        agent
            .decide(
                vec![Decision::Reject {
                    id: "t1".into(),
                    reason: None
                }],
                &tx
            )
            .await,
        Err(AgentError::NothingPending)
    ));
}

#[tokio::test]
async fn an_edit_is_validated_and_planned_again_before_it_runs() {
    let r = rig().await;
    let (dev, staging) = (
        r.deployments("air-dev").await,
        r.deployments("air-staging").await,
    );
    let model = Scripted::new(vec![
        call(
            "t1",
            "coolify_deploy",
            json!({"project": "air", "environment": "dev"}),
        ),
        say("Deployed what you chose."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    decide_one(agent.send("deploy air", &tx).await.unwrap());

    // Invalid edits change nothing.
    let bad = agent
        .decide(
            vec![Decision::Edit {
                id: "t1".into(),
                arguments: json!({"project": "air"}),
            }],
            &tx,
        )
        .await;
    assert!(
        matches!(&bad, Err(AgentError::Invalid { reason, .. }) if reason.contains("missing the required argument 'environment'")),
        "{bad:?}"
    );
    let unknown = agent
        .decide(
            vec![Decision::Edit {
                id: "t1".into(),
                arguments: json!({"project": "air", "environment": "qa"}),
            }],
            &tx,
        )
        .await;
    assert!(
        matches!(&unknown, Err(AgentError::Invalid { reason, .. }) if reason.contains("no environment 'qa'")),
        "{unknown:?}"
    );
    assert_eq!(agent.pending()[0].plan.targets[0].name, "air-dev");

    let edited = decide_one(
        agent
            .decide(
                vec![Decision::Edit {
                    id: "t1".into(),
                    arguments: json!({"project": "air", "environment": "staging"}),
                }],
                &tx,
            )
            .await
            .unwrap(),
    );
    assert_eq!(edited.id, "t1");
    assert!(edited.edited);
    assert_eq!(edited.plan.targets[0].name, "air-staging");
    assert_eq!(edited.plan.preview.cli, "pftui deploy air staging");
    assert!(
        drain(&mut rx)
            .iter()
            .any(|e| matches!(e, AgentEvent::Proposal(p) if p.edited))
    );
    assert_eq!(
        model.seen().len(),
        1,
        "the model waits while the person edits"
    );

    agent
        .decide(
            vec![Decision::Approve {
                id: "t1".into(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await
        .unwrap();
    assert_eq!(r.deployments("air-dev").await, dev);
    assert_eq!(r.deployments("air-staging").await, staging + 1);
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(!is_error);
    let result: Value = serde_json::from_str(&content).unwrap();
    assert_eq!(
        result["edited_by_user"],
        json!({"project": "air", "environment": "staging"})
    );
    assert_eq!(result["targets"][0]["target"], "AIR/staging/air-staging");
}

#[tokio::test]
async fn denied_proposals_are_shown_and_can_only_be_rejected() {
    // A read-only context denies every operation.
    let r = rig_with("", true).await;
    let model = Scripted::new(vec![
        call(
            "t1",
            "coolify_deploy",
            json!({"project": "air", "environment": "dev"}),
        ),
        say("The context is read-only."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, _rx) = mpsc::unbounded_channel();
    let p = decide_one(agent.send("deploy air dev", &tx).await.unwrap());
    assert!(p.is_denied());
    assert_eq!(
        p.plan.verdict,
        Verdict::Deny {
            reason: "context test is read-only".into()
        }
    );
    for d in [
        Decision::Approve {
            id: "t1".into(),
            confirmation: Confirmation::Yes,
        },
        Decision::Approve {
            id: "t1".into(),
            confirmation: Confirmation::Typed("dev".into()),
        },
        Decision::ApproveForSession { id: "t1".into() },
    ] {
        let err = agent.decide(vec![d], &tx).await;
        assert!(matches!(err, Err(AgentError::Invalid { .. })), "{err:?}");
    }
    agent
        .decide(
            vec![Decision::Reject {
                id: "t1".into(),
                reason: Some("denied by the policy: context test is read-only".into()),
            }],
            &tx,
        )
        .await
        .unwrap();
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(is_error && content.contains("read-only"), "{content}");
    assert!(r.audit().is_empty());

    // A policy that denies deploys in staging, with reads still allowed.
    let r = rig_with(
        "policy:\n  environments:\n    staging: { deploy: deny }\n",
        false,
    )
    .await;
    let model = Scripted::new(vec![call(
        "t2",
        "github_promote",
        json!({"project": "w4m", "from": "dev", "to": "staging"}),
    )]);
    let mut agent = r.agent(model);
    let p = decide_one(agent.send("promote w4m dev to staging", &tx).await.unwrap());
    assert!(
        matches!(p.verdict(), Verdict::Deny { reason } if reason.contains("denies deploy operations in staging"))
    );
}

#[tokio::test]
async fn confirm_typed_needs_the_name_and_is_never_approved_for_the_session() {
    let r = rig().await;
    let before = r.deployments("w4m-prod").await;
    let model = Scripted::new(vec![
        call(
            "t1",
            "coolify_deploy",
            json!({"project": "W4M", "environment": "prod"}),
        ),
        say("Production is deployed."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, _rx) = mpsc::unbounded_channel();
    let p = decide_one(agent.send("deploy w4m prod", &tx).await.unwrap());
    assert_eq!(p.typed_name(), Some("prod"));
    assert!(!p.session_approvable());
    let yes = agent
        .decide(
            vec![Decision::Approve {
                id: "t1".into(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await;
    assert!(
        matches!(&yes, Err(AgentError::Invalid { reason, .. }) if reason.contains("typed: prod")),
        "{yes:?}"
    );
    let wrong = agent
        .decide(
            vec![Decision::Approve {
                id: "t1".into(),
                confirmation: Confirmation::Typed("staging".into()),
            }],
            &tx,
        )
        .await;
    assert!(matches!(wrong, Err(AgentError::Invalid { .. })));
    let session = agent
        .decide(vec![Decision::ApproveForSession { id: "t1".into() }], &tx)
        .await;
    assert!(
        matches!(&session, Err(AgentError::Invalid { reason, .. }) if reason.contains("approve it on its own")),
        "{session:?}"
    );
    assert_eq!(r.deployments("w4m-prod").await, before);
    assert_eq!(agent.pending().len(), 1, "still waiting");
    agent
        .decide(
            vec![Decision::Approve {
                id: "t1".into(),
                confirmation: Confirmation::Typed("PROD".into()),
            }],
            &tx,
        )
        .await
        .unwrap();
    assert_eq!(r.deployments("w4m-prod").await, before + 1);
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(!is_error, "{content}");
}

#[tokio::test]
async fn approve_for_the_session_covers_later_identical_plain_confirmations_only() {
    let r = rig().await;
    let before = r.deployments("baiv-dev").await;
    let model = Scripted::new(vec![
        call(
            "t1",
            "coolify_deploy",
            json!({"project": "baiv", "environment": "dev"}),
        ),
        call(
            "t2",
            "coolify_deploy",
            json!({"project": "BAIV", "environment": "dev"}),
        ),
        call(
            "t3",
            "coolify_stop",
            json!({"project": "baiv", "environment": "dev"}),
        ),
        call(
            "t4",
            "coolify_deploy",
            json!({"project": "baiv", "environment": "staging"}),
        ),
        say("Enough."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    decide_one(
        agent
            .send("deploy baiv dev twice, then stop it", &tx)
            .await
            .unwrap(),
    );
    // Approved for the session: t1 runs, t2 (same tool, same target) runs without asking,
    // t3 (destructive, confirm-typed) waits.
    let stop = decide_one(
        agent
            .decide(vec![Decision::ApproveForSession { id: "t1".into() }], &tx)
            .await
            .unwrap(),
    );
    assert_eq!(stop.id, "t3");
    assert_eq!(stop.risk, Risk::Destructive);
    assert!(!stop.auto_approved);
    assert_eq!(r.deployments("baiv-dev").await, before + 2);
    let events = drain(&mut rx);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AgentEvent::Proposal(p) if p.id == "t2" && p.auto_approved))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AgentEvent::Executed { id, .. } if id == "t2"))
    );
    let err = agent
        .decide(vec![Decision::ApproveForSession { id: "t3".into() }], &tx)
        .await;
    assert!(matches!(err, Err(AgentError::Invalid { .. })), "{err:?}");
    // Another target is not covered.
    let other = decide_one(
        agent
            .decide(
                vec![Decision::Reject {
                    id: "t3".into(),
                    reason: None,
                }],
                &tx,
            )
            .await
            .unwrap(),
    );
    assert_eq!(other.id, "t4");
    assert!(!other.auto_approved);
    agent
        .decide(
            vec![Decision::Reject {
                id: "t4".into(),
                reason: None,
            }],
            &tx,
        )
        .await
        .unwrap();
    let audit = r.audit();
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().all(|a| a.actor.channel == Channel::Agent
        && a.actor.prompt.as_deref() == Some("deploy baiv dev twice, then stop it")));
}

#[tokio::test]
async fn model_garbage_becomes_error_results_never_an_action() {
    let r = rig().await;
    let model = Scripted::new(vec![
        Script::Events(vec![
            Event::ToolUse {
                id: "g1".into(),
                name: "rm_rf".into(),
                input: json!({}),
            },
            Event::ToolUse {
                id: "g2".into(),
                name: "coolify_deploy".into(),
                input: json!("deploy air dev"),
            },
            Event::ToolUse {
                id: "g3".into(),
                name: "coolify_deploy".into(),
                input: json!({"project": "nope", "environment": "dev"}),
            },
            Event::ToolUse {
                id: "g4".into(),
                name: "coolify_stop".into(),
                input: json!({"project": "air", "environment": "dev", "force": true}),
            },
            Event::ToolUse {
                id: "g3".into(),
                name: "coolify_servers".into(),
                input: json!({}),
            },
            Event::Done(StopReason::ToolUse),
        ]),
        say("Sorry."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert_eq!(agent.send("do things", &tx).await.unwrap(), Pending::Done);
    let results = model.last_message(1).content;
    let expect: Vec<(&str, &str)> = vec![
        ("g1", "unknown tool 'rm_rf'"),
        ("g2", "the input must be a JSON object"),
        (
            "g3",
            "no project named 'nope'; known projects: AIR, BAIV, W4M",
        ),
        ("g4", "unknown argument 'force'"),
        ("g3", "used twice"),
    ];
    assert_eq!(results.len(), expect.len());
    for (block, (want_id, want)) in results.iter().zip(expect) {
        let Block::ToolResult {
            id,
            content,
            is_error,
        } = block
        else {
            panic!("{block:?}")
        };
        assert_eq!(id, want_id);
        assert!(is_error, "{content}");
        assert!(content.contains(want), "{content} should contain {want}");
    }
    assert!(
        !drain(&mut rx)
            .iter()
            .any(|e| matches!(e, AgentEvent::Proposal(_)))
    );
    assert!(r.audit().is_empty());

    // A stream that ends without a stop reason is an error, and the next prompt still
    // makes a valid conversation.
    let model = Scripted::new(vec![
        Script::Events(vec![Event::TextDelta("half an ans".into())]),
        say("Whole."),
    ]);
    let mut agent = r.agent(model.clone());
    let err = agent.send("first", &tx).await;
    assert!(
        matches!(
            err,
            Err(AgentError::Provider(ProviderError::Garbled { .. }))
        ),
        "{err:?}"
    );
    agent.send("second", &tx).await.unwrap();
    assert_roles_alternate(&model.seen()[1]);
}

fn assert_roles_alternate(messages: &[Message]) {
    assert_eq!(messages.first().map(|m| m.role), Some(Role::User));
    assert_eq!(messages.last().map(|m| m.role), Some(Role::User));
    for pair in messages.windows(2) {
        assert_ne!(pair[0].role, pair[1].role, "{messages:?}");
    }
    // Every tool_use is answered in the next message.
    for (i, m) in messages.iter().enumerate() {
        for b in &m.content {
            if let Block::ToolUse { id, .. } = b {
                let next = &messages[i + 1];
                assert!(
                    next.content
                        .iter()
                        .any(|r| matches!(r, Block::ToolResult { id: rid, .. } if rid == id)),
                    "{id} is not answered"
                );
                let first_text = next
                    .content
                    .iter()
                    .position(|b| matches!(b, Block::Text(_)));
                let last_result = next
                    .content
                    .iter()
                    .rposition(|b| matches!(b, Block::ToolResult { .. }));
                if let (Some(t), Some(r)) = (first_text, last_result) {
                    assert!(r < t, "tool results come before text");
                }
            }
        }
    }
}

#[tokio::test]
async fn a_call_cut_off_at_max_tokens_is_not_run() {
    let r = rig().await;
    let before = r.deployments("air-dev").await;
    let model = Scripted::new(vec![
        Script::Events(vec![
            Event::ToolUse {
                id: "m1".into(),
                name: "coolify_deploy".into(),
                input: json!({"project": "air", "environment": "dev"}),
            },
            Event::Done(StopReason::MaxTokens),
        ]),
        say("OK."),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert_eq!(
        agent.send("deploy air dev", &tx).await.unwrap(),
        Pending::Done
    );
    let events = drain(&mut rx);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, AgentEvent::Notice(n) if n.contains("was not run")))
    );
    assert!(!events.iter().any(|e| matches!(e, AgentEvent::Proposal(_))));
    assert_eq!(r.deployments("air-dev").await, before);
    agent.send("go on", &tx).await.unwrap();
    let last = model.last_message(1);
    assert!(
        matches!(&last.content[0], Block::ToolResult { id, is_error: true, content } if id == "m1" && content.contains("cut off"))
    );
    assert_eq!(last.content[1], Block::Text("go on".into()));
    assert_roles_alternate(&model.seen()[1]);
}

#[tokio::test]
async fn the_turn_cap_stops_a_model_that_keeps_calling_tools() {
    let r = rig().await;
    let turns = (0..10)
        .map(|i| call(&format!("r{i}"), "audit_recent", json!({"limit": 1})))
        .collect();
    let model = Scripted::new(turns);
    let mut agent = r.agent(model.clone()).with_limits(3, 1000);
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert_eq!(agent.send("loop", &tx).await.unwrap(), Pending::Done);
    assert_eq!(model.seen().len(), 3);
    assert!(
        drain(&mut rx).iter().any(
            |e| matches!(e, AgentEvent::Notice(n) if n.contains("stopped after 3 model turns"))
        )
    );
    // The unsent results go with the next prompt.
    agent.send("stop", &tx).await.unwrap();
    assert_roles_alternate(&model.seen()[3]);
}

#[tokio::test]
async fn cancelling_keeps_the_conversation_valid() {
    let r = rig().await;
    let (tx, mut rx) = mpsc::unbounded_channel();

    // 1. A new prompt while proposals wait: they are answered as cancelled.
    let model = Scripted::new(vec![
        call(
            "c1",
            "coolify_deploy",
            json!({"project": "air", "environment": "dev"}),
        ),
        say("Fine."),
    ]);
    let mut agent = r.agent(model.clone());
    decide_one(agent.send("deploy air dev", &tx).await.unwrap());
    agent.send("never mind", &tx).await.unwrap();
    let last = model.last_message(1);
    assert_eq!(
        last.content,
        vec![
            Block::ToolResult {
                id: "c1".into(),
                content: "not run: cancelled by the user".into(),
                is_error: true
            },
            Block::Text("never mind".into()),
        ]
    );
    assert!(agent.pending().is_empty());

    // 2. Esc while the model is answering: the future is dropped mid-turn.
    let model = Scripted::new(vec![Script::Hang, say("Here.")]);
    let mut agent = r.agent(model.clone());
    {
        let send = agent.send("first", &tx);
        tokio::select! {
            _ = send => panic!("the turn hangs"),
            _ = model.asked.notified() => {}
        }
    }
    agent.send("second", &tx).await.unwrap();
    let seen = model.seen();
    assert_roles_alternate(&seen[1]);
    assert_eq!(seen[1].last(), Some(&Message::user_text("second")));

    // 3. Esc while an approved operation runs: it may have started, and the model is told.
    let model = Scripted::new(vec![
        call(
            "c2",
            "coolify_deploy",
            json!({"project": "w4m", "environment": "dev"}),
        ),
        say("Noted."),
    ]);
    let mut agent = r.agent(model.clone());
    decide_one(agent.send("deploy w4m dev", &tx).await.unwrap());
    drain(&mut rx);
    {
        let decide = agent.decide(
            vec![Decision::Approve {
                id: "c2".into(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        );
        let started = async {
            while let Some(e) = rx.recv().await {
                if matches!(
                    e,
                    AgentEvent::Progress {
                        progress: Progress::Started { .. },
                        ..
                    }
                ) {
                    return;
                }
            }
        };
        tokio::select! {
            _ = decide => panic!("cancelled before it ends"),
            _ = started => {}
        }
    }
    agent.send("what happened?", &tx).await.unwrap();
    let last = model.last_message(1);
    assert!(
        matches!(&last.content[0], Block::ToolResult { id, is_error: true, content } if id == "c2" && content.contains("may have started")),
        "{last:?}"
    );
    assert_roles_alternate(&model.seen()[1]);
}

#[tokio::test]
async fn read_tools_run_at_once_and_logs_reach_the_model_as_untrusted_scrubbed_data() {
    let r = rig().await;
    // Any registered secret is scrubbed; the server's name stands in for one here.
    pftui::secrets::redact::register(&SecretString::from("pfcore-main".to_string()));
    let model = Scripted::new(vec![
        call(
            "l1",
            "coolify_deployment_status",
            json!({"project": "baiv", "environment": "prod", "limit": 10}),
        ),
        say("read it"),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert_eq!(agent.send("history", &tx).await.unwrap(), Pending::Done);
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(!is_error, "{content}");
    let doc: Value = serde_json::from_str(&content).unwrap();
    let failed = doc["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "failed")
        .expect("the demo has a failed deployment")["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(drain(&mut rx).iter().any(|e| matches!(e, AgentEvent::ToolRan { tool, is_error: false, .. } if tool == "coolify_deployment_status")));

    let model = Scripted::new(vec![
        call(
            "l2",
            "coolify_deployment_log_tail",
            json!({"project": "baiv", "environment": "prod", "deployment": failed, "lines": 40}),
        ),
        say("read it"),
    ]);
    let mut agent = r.agent(model.clone());
    agent.send("log", &tx).await.unwrap();
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(!is_error, "{content}");
    assert!(
        content.starts_with(&format!(
            "deployment {failed} of BAIV/prod/baiv-prod: failed"
        )),
        "{content}"
    );
    assert!(content.contains("<untrusted-log note="), "{content}");
    assert!(content.contains("do not follow"), "{content}");
    assert!(
        content.contains("failing step: [stage-0 8/11] RUN npm run build"),
        "{content}"
    );
    assert!(content.trim_end().ends_with("</untrusted-log>"));
    assert!(
        !content.contains("pfcore-main") && content.contains("[redacted]"),
        "{content}"
    );

    // Reads follow the read policy too.
    let r = rig_with(
        "policy:\n  environments:\n    prod: { read: deny }\n",
        false,
    )
    .await;
    let model = Scripted::new(vec![
        call(
            "l3",
            "coolify_application",
            json!({"project": "air", "environment": "prod", "application": "air-prod"}),
        ),
        say("ok"),
    ]);
    let mut agent = r.agent(model.clone());
    agent.send("app", &tx).await.unwrap();
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(is_error && content.contains("denied"), "{content}");
}

#[tokio::test]
async fn a_credential_typed_into_a_prompt_never_reaches_the_model() {
    let r = rig().await;
    let model = Scripted::new(vec![say("noted")]);
    let mut agent = r.agent(model.clone());
    let (tx, _rx) = mpsc::unbounded_channel();
    let canary = "ghp_PromptCanary0123456789abcdefghijklmn";
    agent
        .send(&format!("use token {canary} to deploy air dev"), &tx)
        .await
        .unwrap();
    let sent = format!("{:?}", model.seen());
    assert!(!sent.contains(canary), "{sent}");
    assert!(
        sent.contains("use token"),
        "the rest of the prompt is sent: {sent}"
    );
}

#[tokio::test]
async fn the_variables_read_names_every_key_and_never_a_value() {
    let r = rig().await;
    let uuid = common::uuid_of(&r.tree, "air-prod");
    let vars = r.client.env_vars(&uuid).await.unwrap();
    assert!(vars.len() >= 2, "the demo app has variables: {vars:?}");
    let model = Scripted::new(vec![
        call(
            "v1",
            "coolify_env_keys",
            json!({"project": "air", "environment": "prod"}),
        ),
        say("read it"),
    ]);
    let mut agent = r.agent(model.clone());
    let (tx, _rx) = mpsc::unbounded_channel();
    agent.send("which variables?", &tx).await.unwrap();
    let (_, content, is_error) = result_of(&model.last_message(1));
    assert!(!is_error, "{content}");
    let doc: Value = serde_json::from_str(&content).unwrap();
    let keys: Vec<&str> = doc["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    for entry in doc["variables"].as_array().unwrap() {
        let fields: Vec<&String> = entry.as_object().unwrap().keys().collect();
        assert_eq!(
            fields,
            [
                "build_time",
                "has_value",
                "key",
                "preview",
                "run_time",
                "shown_once"
            ],
            "no field carries a value"
        );
    }
    let mut secret_like = 0;
    for var in &vars {
        assert!(keys.contains(&var.key.as_str()), "{} in {content}", var.key);
        let value = var.value.as_ref().map(|v| v.expose_secret().to_string());
        // Long values (URLs with passwords, keys) are the ones that could leak unnoticed.
        if let Some(value) = value.filter(|v| v.len() >= 12) {
            secret_like += 1;
            assert!(
                !content.contains(&value),
                "{}'s value reached the model",
                var.key
            );
        }
    }
    assert!(
        secret_like > 0,
        "the demo has a long value to look for: {vars:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The loop with the offline planner

#[tokio::test]
async fn offline_promotion_is_proposed_approved_and_reported() {
    let r = rig().await;
    let mut agent = r.agent(Offline::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let p = decide_one(agent.send("Promote AIR dev to staging", &tx).await.unwrap());
    assert_eq!(p.tool, "github_promote");
    assert_eq!(
        p.arguments,
        json!({"project": "AIR", "from": "dev", "to": "staging"})
    );
    assert_eq!(p.plan.verdict, Verdict::Confirm);
    agent
        .decide(
            vec![Decision::Approve {
                id: p.id.clone(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await
        .unwrap();
    let text = text_of(&drain(&mut rx));
    assert!(text.contains("Done — promote AIR dev to staging"), "{text}");
    assert!(text.contains("AIR/staging/air-staging: finished"), "{text}");
    let audit = r.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].operation, "promote");
    assert_eq!(audit[0].actor.channel, Channel::Agent);
    assert_eq!(
        audit[0].actor.prompt.as_deref(),
        Some("Promote AIR dev to staging")
    );
}

#[tokio::test]
async fn offline_compares_with_the_configuration_and_proposes_the_sync() {
    let r = rig().await;
    let mut agent = r.agent(Offline::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert_eq!(
        agent
            .send("what differs in air staging?", &tx)
            .await
            .unwrap(),
        Pending::Done
    );
    let events = drain(&mut rx);
    let text = text_of(&events);
    assert!(
        text.contains("AIR/staging differs from the platform configuration"),
        "{text}"
    );
    assert!(text.contains("limits_memory -> 768M"), "{text}");
    assert!(text.contains("+SUPABASE_SERVICE_KEY"), "{text}");
    assert!(text.contains("sync air staging config"), "{text}");
    assert!(
        !text.contains("demo-supabase"),
        "a secret value reached the model: {text}"
    );

    let p = decide_one(agent.send("sync air staging config", &tx).await.unwrap());
    assert_eq!(p.tool, "config_apply");
    assert_eq!(
        p.arguments,
        json!({"project": "AIR", "environment": "staging"})
    );
    assert!(
        p.plan
            .preview
            .actions
            .iter()
            .any(|a| a.contains("limits_memory")),
        "{:?}",
        p.plan.preview
    );
    agent
        .decide(
            vec![Decision::Approve {
                id: p.id.clone(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await
        .unwrap();
    let text = text_of(&drain(&mut rx));
    assert!(
        text.contains("Done — apply the platform configuration to AIR/staging"),
        "{text}"
    );
    let audit = r.audit();
    assert_eq!(audit[0].operation, "config apply");
    assert_eq!(audit[0].actor.channel, Channel::Agent);

    agent
        .send("does air staging differ from its config?", &tx)
        .await
        .unwrap();
    let text = text_of(&drain(&mut rx));
    assert!(
        text.contains("AIR/staging has what the platform configuration gives it"),
        "{text}"
    );
}

#[tokio::test]
async fn offline_names_the_failing_step_after_a_forced_failure() {
    let r = rig().await;
    assert!(r.sim.control().fail_next_deployment("baiv-prod"));
    let mut agent = r.agent(Offline::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let p = decide_one(agent.send("redeploy BAIV prod", &tx).await.unwrap());
    assert_eq!(p.typed_name(), Some("prod"));
    agent
        .decide(
            vec![Decision::Approve {
                id: p.id.clone(),
                confirmation: Confirmation::Typed("prod".into()),
            }],
            &tx,
        )
        .await
        .unwrap();
    let events = drain(&mut rx);
    let failed = events
        .iter()
        .find_map(|e| match e {
            AgentEvent::Executed { outcome: Ok(o), .. } => {
                o.apps[0].deployment.as_ref().map(|d| d.uuid.clone())
            }
            _ => None,
        })
        .expect("an outcome");
    let text = text_of(&events);
    assert!(text.contains("It did not succeed"), "{text}");
    assert!(r.audit()[0].outcome.starts_with("failed"));

    assert_eq!(
        agent.send("why did baiv prod fail?", &tx).await.unwrap(),
        Pending::Done
    );
    let text = text_of(&drain(&mut rx));
    assert!(
        text.contains(&format!(
            "latest failed deployment of baiv-prod is {failed}"
        )),
        "{text}"
    );
    assert!(text.contains("It failed at the step:"), "{text}");
    assert!(text.contains("Its last lines:"), "{text}");
}

#[tokio::test]
async fn offline_unknown_phrasing_and_names_never_act() {
    let r = rig().await;
    let mut agent = r.agent(Offline::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    for prompt in ["make it fast", "deploy zeta prod", "deploy air qa"] {
        assert_eq!(
            agent.send(prompt, &tx).await.unwrap(),
            Pending::Done,
            "{prompt}"
        );
    }
    let events = drain(&mut rx);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, AgentEvent::ToolRan { .. } | AgentEvent::Proposal(_)))
    );
    let text = text_of(&events);
    assert!(text.contains("I understand these phrasings"), "{text}");
    assert!(
        text.contains("I don't know an instance named 'zeta'. The instances are: AIR, BAIV, W4M."),
        "{text}"
    );
    assert!(
        text.contains("AIR has no environment 'qa'; its environments: dev, staging, prod."),
        "{text}"
    );

    // Without the tree at construction, it reads the names first, through the tool loop.
    let agent_tree = Agent::new(Arc::new(Offline::new()), Arc::clone(&r.ops), None);
    let mut agent = agent_tree;
    let p = decide_one(agent.send("restart w4m staging", &tx).await.unwrap());
    assert_eq!(p.tool, "coolify_restart");
    assert!(
        drain(&mut rx).iter().any(
            |e| matches!(e, AgentEvent::ToolRan { tool, .. } if tool == "coolify_tree_summary")
        )
    );
    let platform = Platform::from_tree(&r.tree);
    assert!(platform.instance("w4m").is_some());
}

// ---------------------------------------------------------------------------------------
// The binary

fn pftui(home: &tempfile::TempDir, sim: &SimHandle) -> Command {
    let settings = home.path().join("config/pftui/config.yaml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(
        &settings,
        "refresh: { interval: 1, while_deploying: 0.5 }\nhealth: { tries: 3, interval: 0.2, timeout: 2 }\n",
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pftui"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("NO_COLOR", "1")
        .env("COOLIFY_BASE_URL", sim.coolify_url())
        .env("COOLIFY_API_TOKEN", sim.token())
        .env("PFTUI_HEALTH_VIA", sim.health_base())
        .env("GITHUB_API_URL", sim.github_url())
        .env("GITHUB_TOKEN", sim.github_token());
    cmd
}

async fn run(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("pftui runs"))
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn journal(home: &tempfile::TempDir) -> Vec<Record> {
    Journal::at(home.path().join("data/pftui/audit.jsonl"))
        .tail(100)
        .unwrap()
        .0
}

#[tokio::test]
async fn cli_plan_only_prints_the_proposal_and_changes_nothing() {
    let (sim, client) = common::sim(50.0).await;
    let tree = load_tree(&client).await.unwrap();
    let uuid = common::uuid_of(&tree, "air-dev");
    let before = client.deployment_history(&uuid, 0, 1).await.unwrap().count;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home, &sim);
    cmd.args(["agent", "deploy AIR dev", "--plan-only"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("proposal coolify_deploy"), "{stdout}");
    assert!(stdout.contains("risk: deploy"), "{stdout}");
    assert!(stdout.contains("policy: needs a confirmation"), "{stdout}");
    assert!(stdout.contains("same as: pftui deploy air dev"), "{stdout}");
    assert!(stdout.contains("not run (--plan-only)"), "{stdout}");
    assert_eq!(
        client.deployment_history(&uuid, 0, 1).await.unwrap().count,
        before
    );
    assert!(journal(&home).is_empty());

    let mut cmd = pftui(&home, &sim);
    cmd.args([
        "agent",
        "roll back w4m prod",
        "--plan-only",
        "--output",
        "json",
    ]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["provider"], "offline");
    let p = &doc["proposals"][0];
    assert_eq!(p["tool"], "coolify_rollback");
    assert_eq!(p["risk"], "deploy");
    assert_eq!(p["verdict"], "confirm-typed");
    assert!(
        p["preview"]["cli"]
            .as_str()
            .unwrap()
            .starts_with("pftui rollback w4m prod w4m-prod --to ")
    );
}

#[tokio::test]
async fn cli_yes_runs_a_dev_deploy_through_the_agent() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home, &sim);
    cmd.args(["agent", "deploy w4m dev", "--yes"]);
    let out = run(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("decision: approved (--yes)"), "{stdout}");
    assert!(stdout.contains("queued w4m-dev"), "{stdout}");
    assert!(stdout.contains("w4m-dev: finished"), "{stdout}");
    assert!(stdout.contains("Done — deploy W4M/dev"), "{stdout}");
    let records = journal(&home);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].actor.channel, Channel::Agent);
    assert_eq!(records[0].actor.prompt.as_deref(), Some("deploy w4m dev"));
}

#[tokio::test]
async fn cli_refuses_without_a_terminal_and_yes_never_covers_production() {
    let (sim, _) = common::sim(50.0).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pftui(&home, &sim);
    cmd.args(["agent", "deploy air prod", "--yes"]);
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}\n{stderr}",
        text(&out.stdout)
    );
    assert!(
        stderr.contains("--yes does not cover confirm-typed operations"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pftui deploy air prod --confirm prod"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("Not done — deploy AIR/prod"),
        "{}",
        text(&out.stdout)
    );

    let mut cmd = pftui(&home, &sim);
    cmd.args(["agent", "stop baiv dev", "--yes"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("confirm-typed"),
        "{}",
        text(&out.stderr)
    );

    let mut cmd = pftui(&home, &sim);
    cmd.args(["agent", "deploy air dev"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("no terminal to confirm at"),
        "{}",
        text(&out.stderr)
    );
    assert!(journal(&home).is_empty());

    let mut cmd = pftui(&home, &sim);
    cmd.args(["agent", "deploy air dev", "--provider", "anthropic"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[tokio::test]
async fn offline_cancel_finds_the_one_queued_deployment() {
    let r = rig().await;
    let mut agent = r.agent(Offline::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert_eq!(agent.send("cancel", &tx).await.unwrap(), Pending::Done);
    assert!(text_of(&drain(&mut rx)).contains("Nothing is queued or running"));

    r.sim.control().pause_queue(true);
    let uuid = common::uuid_of(&r.tree, "w4m-staging");
    let queued = r
        .client
        .deploy(&pftui::coolify::DeployRequest::uuids([uuid]))
        .await
        .unwrap();
    let deployment = queued[0].deployment_uuid.clone().expect("queued");
    let p = decide_one(agent.send("Cancel", &tx).await.unwrap());
    assert_eq!(p.tool, "coolify_cancel");
    assert_eq!(
        p.arguments,
        json!({"project": "W4M", "environment": "staging", "application": "w4m-staging"})
    );
    assert_eq!(p.risk, Risk::Write);
    agent
        .decide(
            vec![Decision::Approve {
                id: p.id.clone(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await
        .unwrap();
    let text = text_of(&drain(&mut rx));
    assert!(
        text.contains(&format!(
            "Done — cancel W4M/staging/w4m-staging (deployment {deployment}"
        )),
        "{text}"
    );
    r.sim.control().pause_queue(false);
}

#[tokio::test]
async fn offline_status_and_logs_read_through_the_tools() {
    let r = rig().await;
    let mut agent = r.agent(Offline::new());
    let (tx, mut rx) = mpsc::unbounded_channel();
    agent.send("status of BAIV", &tx).await.unwrap();
    let text = text_of(&drain(&mut rx));
    assert!(text.contains("BAIV:\n  dev: baiv-dev running"), "{text}");
    assert!(
        text.contains("prod: baiv-prod running:healthy, baiv-redis"),
        "{text}"
    );

    agent.send("how is air prod?", &tx).await.unwrap();
    let text = text_of(&drain(&mut rx));
    assert!(
        text.starts_with("AIR/prod/air-prod is running:healthy. Recent deployments"),
        "{text}"
    );

    agent.send("logs of w4m staging", &tx).await.unwrap();
    let events = drain(&mut rx);
    assert!(events.iter().any(
        |e| matches!(e, AgentEvent::ToolRan { tool, .. } if tool == "coolify_deployment_log_tail")
    ));
    let text = text_of(&events);
    assert!(
        text.starts_with("Deployment ") && text.contains("of W4M/staging/w4m-staging"),
        "{text}"
    );
    assert!(
        !text.contains("untrusted-log"),
        "the wrapper is for models, not people: {text}"
    );
    assert_roles_alternate(agent.messages().split_last().map(|(_, rest)| rest).unwrap());
}

#[test]
fn tool_schemas_are_valid_json_schema_and_the_checker_agrees_with_a_real_validator() {
    use pftui::agent::tools;
    let samples = [
        json!({}),
        json!({"project": "air"}),
        json!({"project": "air", "environment": "dev"}),
        json!({"project": "air", "environment": "dev", "application": "air-dev"}),
        json!({"project": "air", "environment": "dev", "force": true}),
        json!({"project": "air", "environment": "dev", "force": "yes"}),
        json!({"project": "air", "environment": "dev", "nope": 1}),
        json!({"project": "air", "from": "dev", "to": "staging"}),
        json!({"project": "", "environment": "dev"}),
        json!({"project": "air", "environment": "dev", "lines": 0}),
        json!({"project": "air", "environment": "dev", "lines": 40}),
        json!({"project": "air", "environment": "dev", "limit": 21}),
        json!({"limit": 3}),
        json!([1, 2]),
        json!("deploy"),
    ];
    for spec in tools::specs() {
        assert!(jsonschema::meta::is_valid(&spec.schema), "{}", spec.name);
        let validator = jsonschema::validator_for(&spec.schema).unwrap();
        for sample in &samples {
            assert_eq!(
                pftui::ops::validate(&spec.schema, sample).is_ok(),
                validator.is_valid(sample),
                "{} on {sample}",
                spec.name
            );
        }
    }
}

/// The console spawns these futures: they must be `Send`.
#[allow(dead_code)]
fn agent_futures_are_send(agent: &mut Agent, tx: &mpsc::UnboundedSender<AgentEvent>) {
    fn send<T: Send>(_: T) {}
    send(agent.send("x", tx));
}

#[allow(dead_code)]
fn agent_decide_is_send(agent: &mut Agent, tx: &mpsc::UnboundedSender<AgentEvent>) {
    fn send<T: Send>(_: T) {}
    send(agent.decide(Vec::new(), tx));
}

/// A fake Anthropic Messages endpoint: answers each request with the next SSE transcript
/// and keeps every request body.
async fn fake_anthropic(transcripts: Vec<String>) -> (String, Arc<Mutex<Vec<Value>>>) {
    use axum::body::Body;
    use axum::http::Response;
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let queue = Arc::new(Mutex::new(VecDeque::from(transcripts)));
    let app = axum::Router::new().route(
        "/v1/messages",
        axum::routing::post({
            let seen = seen.clone();
            move |body: axum::body::Bytes| {
                let (seen, queue) = (seen.clone(), queue.clone());
                async move {
                    seen.lock()
                        .unwrap()
                        .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
                    let sse = queue.lock().unwrap().pop_front().unwrap_or_default();
                    Response::builder()
                        .header("content-type", "text/event-stream")
                        .body(Body::from(sse))
                        .unwrap()
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

fn sse(events: &[Value]) -> String {
    events
        .iter()
        .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn the_loop_with_anthropic_streaming_runs_an_approved_deploy_and_sends_the_result_back() {
    let r = rig().await;
    let start = json!({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1}}});
    let first = sse(&[
        start.clone(),
        json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Deploying air-dev."}}),
        json!({"type":"content_block_stop","index":0}),
        json!({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"coolify_deploy","input":{}}}),
        json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}),
        json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"project\": \"air\", "}}),
        json!({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"environment\": \"dev\"}"}}),
        json!({"type":"content_block_stop","index":1}),
        json!({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":30}}),
        json!({"type":"message_stop"}),
    ]);
    let second = sse(&[
        start,
        json!({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
        json!({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"air-dev is deployed and healthy."}}),
        json!({"type":"content_block_stop","index":0}),
        json!({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}),
        json!({"type":"message_stop"}),
    ]);
    let (url, seen) = fake_anthropic(vec![first, second]).await;
    let config = pftui::agent::anthropic::AnthropicConfig::new(SecretString::from(
        "sk-ant-canary-key".to_string(),
    ))
    .with_base_url(url);
    let provider = pftui::agent::anthropic::AnthropicProvider::new(config).unwrap();
    let mut agent = r.agent(provider);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let pending = agent.send("deploy air dev", &tx).await.unwrap();
    let Pending::Decide(proposals) = pending else {
        panic!("expected a proposal, got {pending:?}");
    };
    assert_eq!(proposals[0].tool, "coolify_deploy");
    assert_eq!(proposals[0].plan.targets[0].name, "air-dev");
    let done = agent
        .decide(
            vec![Decision::Approve {
                id: "toolu_01".into(),
                confirmation: Confirmation::Yes,
            }],
            &tx,
        )
        .await
        .unwrap();
    assert_eq!(done, Pending::Done);
    drop(tx);
    let mut text = String::new();
    while let Some(event) = rx.recv().await {
        if let AgentEvent::TextDelta(t) = event {
            text.push_str(&t);
        }
    }
    assert_eq!(text, "Deploying air-dev.air-dev is deployed and healthy.");

    let bodies = seen.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0]["stream"], true);
    assert!(
        bodies[0]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "coolify_deploy")
    );
    // The second request echoes the assistant's tool_use and answers it first thing.
    let messages = bodies[1]["messages"].as_array().unwrap();
    let assistant = &messages[messages.len() - 2];
    assert_eq!(assistant["role"], "assistant");
    assert!(
        assistant["content"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["type"] == "tool_use" && b["id"] == "toolu_01")
    );
    let result = &messages[messages.len() - 1]["content"][0];
    assert_eq!(result["type"], "tool_result");
    assert_eq!(result["tool_use_id"], "toolu_01");
    let content = result["content"].to_string();
    assert!(content.contains("finished"), "{content}");
    assert!(
        !serde_json::to_string(&bodies)
            .unwrap()
            .contains(r.sim.token()),
        "the Coolify token never reaches the model"
    );
    let audit = r.audit();
    assert_eq!(audit.last().unwrap().actor.channel, Channel::Agent);
    assert_eq!(
        audit.last().unwrap().actor.prompt.as_deref(),
        Some("deploy air dev")
    );
}
