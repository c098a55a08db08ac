//! The agent pane: a prompt, the streamed answer, the tool calls that ran, and proposal
//! cards that run only when the person at the keyboard says so. Part of `update`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;
use serde_json::Value;

use crate::tui::panes::agent::{CardInput, Entry, editing, text_of};

use crate::agent::{AgentEvent, Decision, Pending, Proposal};
use crate::ops::{Confirmation, Outcome, Verdict};
use crate::tui::msg::Effect;
use crate::tui::operations::OpId;
use crate::tui::panes::confirm::{Answer, Confirm};
use crate::tui::state::State;

pub fn open(state: &mut State) {
    state.agent.open = true;
    state.agent.focused = true;
}

/// Keys while the pane is open; `None` lets the rest of the console have them.
pub fn on_key(state: &mut State, key: KeyEvent) -> Option<Vec<Effect>> {
    if !state.agent.open || state.screen != crate::tui::state::Screen::Tree {
        return None;
    }
    // Tab moves the keyboard between the tree and the input, visibly.
    if key.code == KeyCode::Tab && state.agent.waiting.is_empty() {
        state.agent.focused = !state.agent.focused;
        state.focus = crate::tui::state::Pane::Left;
        return Some(Vec::new());
    }
    if !state.agent.focused && state.agent.waiting.is_empty() {
        return None;
    }
    if state.agent.busy && key.code == KeyCode::Esc {
        state.agent.busy = false;
        state.agent.entries.push(Entry::Notice("cancelled".into()));
        return Some(vec![Effect::AgentCancel]);
    }
    if !state.agent.waiting.is_empty() {
        return Some(on_card_key(state, key));
    }
    if key.code == KeyCode::Enter && !key.modifiers.contains(KeyModifiers::ALT) {
        return Some(send(state));
    }
    Some(state.agent.on_input_key(key).effects())
}

/// Send what was typed.
fn send(state: &mut State) -> Vec<Effect> {
    let Some(prompt) = state.agent.take_prompt() else {
        return Vec::new();
    };
    let tree = Box::new(state.data.tree.clone());
    vec![Effect::AgentSend { prompt, tree }]
}

/// Keys on the proposal card: y approve, n reject (with a reason), a approve for the
/// session, e edit the arguments.
fn on_card_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(proposal) = state.agent.waiting.first().cloned() else {
        return Vec::new();
    };
    let id = proposal.id.clone();
    match std::mem::take(&mut state.agent.card) {
        CardInput::Typed(mut confirm) => match confirm.key(key) {
            Answer::Confirmed(confirmation) => {
                return decide(state, &proposal, Decision::Approve { id, confirmation });
            }
            // Esc goes back to the card's keys.
            Answer::Declined => {}
            Answer::Mistyped(expected) => {
                state.tell(format!("type {expected} exactly to run it"), true);
                state.agent.card = CardInput::Typed(confirm);
            }
            Answer::Pending => state.agent.card = CardInput::Typed(confirm),
        },
        CardInput::Reason(mut area) => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => {
                let reason = text_of(&area).trim().to_string();
                let reason = (!reason.is_empty()).then_some(reason);
                return decide(state, &proposal, Decision::Reject { id, reason });
            }
            _ => {
                area.input(key);
                state.agent.card = CardInput::Reason(area);
            }
        },
        CardInput::Edit(mut area) => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter if !key.modifiers.contains(KeyModifiers::ALT) => {
                match serde_json::from_str::<Value>(&text_of(&area)) {
                    Ok(arguments) => {
                        return decide(state, &proposal, Decision::Edit { id, arguments });
                    }
                    Err(e) => {
                        state.tell(format!("the arguments are not JSON: {e}"), true);
                        state.agent.card = CardInput::Edit(area);
                    }
                }
            }
            KeyCode::Enter => {
                area.insert_newline();
                state.agent.card = CardInput::Edit(area);
            }
            _ => {
                area.input(key);
                state.agent.card = CardInput::Edit(area);
            }
        },
        CardInput::Keys => match (key.code, proposal.verdict()) {
            (KeyCode::Char('n'), _) => {
                let mut area = TextArea::default();
                area.set_placeholder_text("why (optional), then enter");
                state.agent.card = CardInput::Reason(area);
            }
            (KeyCode::Char('e'), _) => {
                let text = serde_json::to_string_pretty(&proposal.arguments).unwrap_or_default();
                state.agent.card = CardInput::Edit(editing(&text));
            }
            (KeyCode::Char('y') | KeyCode::Enter, Verdict::Allow | Verdict::Confirm) => {
                return decide(
                    state,
                    &proposal,
                    Decision::Approve {
                        id,
                        confirmation: Confirmation::Yes,
                    },
                );
            }
            (KeyCode::Char('y') | KeyCode::Enter, Verdict::ConfirmTyped { .. }) => {
                state.agent.card = CardInput::Typed(Confirm::for_verdict(proposal.verdict()));
            }
            (KeyCode::Char('y') | KeyCode::Enter, Verdict::Deny { reason }) => {
                let text = format!("refused by the policy: {reason}; press n to reject it");
                state.tell(text, true);
            }
            (KeyCode::Char('a'), _) if proposal.session_approvable() => {
                return decide(state, &proposal, Decision::ApproveForSession { id });
            }
            (KeyCode::Char('a'), _) => {
                state.tell(
                    "only plain confirmations can be approved for the session",
                    true,
                );
            }
            (KeyCode::Esc, _) => state.agent.open = false,
            _ => {}
        },
    }
    Vec::new()
}

fn decide(state: &mut State, proposal: &Proposal, decision: Decision) -> Vec<Effect> {
    let approved = matches!(
        decision,
        Decision::Approve { .. } | Decision::ApproveForSession { .. }
    );
    // A second operation on a target that has one running is refused, with the reason.
    let decision = match state.operations.blocking(&proposal.plan) {
        Some(busy) if approved => Decision::Reject {
            id: proposal.id.clone(),
            reason: Some(format!(
                "{} is still running on the same target; wait for it to finish",
                busy.title
            )),
        },
        _ => decision,
    };
    let status = match &decision {
        Decision::Approve { .. } | Decision::ApproveForSession { .. } => "approved",
        Decision::Reject { .. } => "rejected",
        Decision::Edit { .. } => "edited",
    };
    set_status(state, &proposal.id, status);
    if matches!(
        decision,
        Decision::Approve { .. } | Decision::ApproveForSession { .. }
    ) {
        let id = OpId::Agent(proposal.id.clone());
        state.operations.start(id, &proposal.plan, state.now);
    }
    state.agent.waiting.retain(|p| p.id != proposal.id);
    state.agent.busy = true;
    vec![Effect::AgentDecide(vec![decision])]
}

fn set_status(state: &mut State, id: &str, status: &str) {
    for entry in state.agent.entries.iter_mut().rev() {
        if let Entry::Proposal {
            id: eid, status: s, ..
        } = entry
            && eid == id
        {
            *s = status.to_string();
            return;
        }
    }
}

/// News from the loop.
pub fn on_event(state: &mut State, event: AgentEvent) -> Vec<Effect> {
    let pane = &mut state.agent;
    match event {
        AgentEvent::TextDelta(text) => match pane.entries.last_mut() {
            Some(Entry::Answer(answer)) => answer.push_str(&text),
            _ => pane.entries.push(Entry::Answer(text)),
        },
        AgentEvent::ToolRan {
            tool,
            summary,
            is_error,
            ..
        } => pane.entries.push(Entry::Tool {
            tool,
            summary,
            error: is_error,
        }),
        AgentEvent::Proposal(proposal) => {
            if proposal.auto_approved {
                let id = OpId::Agent(proposal.id.clone());
                state.operations.start(id, &proposal.plan, state.now);
            }
            let pane = &mut state.agent;
            let title = proposal.plan.preview.title.clone();
            let status = if proposal.auto_approved {
                "approved for the session"
            } else {
                "waiting"
            };
            let known = pane
                .entries
                .iter()
                .any(|e| matches!(e, Entry::Proposal { id, .. } if *id == proposal.id));
            if known {
                set_status(state, &proposal.id, status);
            } else {
                pane.entries.push(Entry::Proposal {
                    id: proposal.id.clone(),
                    title,
                    status: status.into(),
                });
            }
        }
        AgentEvent::Progress { id, progress } => {
            return super::running::on_progress(state, &OpId::Agent(id), progress);
        }
        AgentEvent::Executed { id, outcome, .. } => {
            let result = outcome.clone().map(Box::new).map_err(|e| e.to_string());
            state
                .operations
                .end(&OpId::Agent(id.clone()), result, state.now);
            let status = match &outcome {
                Ok(o) => outcome_line(o),
                Err(e) => format!("did not run: {e}"),
            };
            set_status(state, &id, &status);
            state.data.loading = true;
            return vec![Effect::Load { full: false }];
        }
        AgentEvent::Notice(text) => pane.entries.push(Entry::Notice(text)),
        AgentEvent::TurnEnded => pane.busy = false,
        AgentEvent::Error(text) => pane.entries.push(Entry::Error(text)),
    }
    Vec::new()
}

/// `send`/`decide` returned: proposals wait, or the turn is over.
pub fn on_replied(state: &mut State, result: Result<(Pending, String), String>) -> Vec<Effect> {
    let pane = &mut state.agent;
    pane.busy = false;
    pane.card = CardInput::Keys;
    match result {
        Ok((Pending::Decide(proposals), by)) => {
            pane.waiting = proposals;
            pane.answered_by = Some(by);
        }
        Ok((Pending::Done, by)) => {
            pane.waiting.clear();
            pane.answered_by = Some(by);
        }
        Err(e) => {
            // What the failed turn was running ended with it.
            let ended: Vec<OpId> = state
                .operations
                .running()
                .filter(|op| matches!(op.id, OpId::Agent(_)))
                .map(|op| op.id.clone())
                .collect();
            for id in ended {
                let why = format!("the agent's turn failed: {e}");
                state.operations.end(&id, Err(why), state.now);
            }
            state.agent.entries.push(Entry::Error(e));
        }
    }
    Vec::new()
}

fn outcome_line(o: &Outcome) -> String {
    let apps: Vec<String> = o
        .apps
        .iter()
        .map(|a| {
            let status = a
                .deployment
                .as_ref()
                .map(|d| d.status.to_string())
                .or_else(|| a.note.clone())
                .unwrap_or_default();
            let health = match &a.health {
                Some(h) if h.ok => ", healthy",
                Some(_) => ", unhealthy",
                None => "",
            };
            format!("{} {status}{health}", a.target.name)
        })
        .collect();
    format!(
        "{}: {}",
        if o.ok { "done" } else { "failed" },
        apps.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Risk;
    use crate::ops::{Kind, Plan, Preview, Target};
    use crate::tui::fixture;
    use crate::tui::msg::Msg;
    use crate::tui::panes::agent::with_caret;
    use crate::tui::snapshot::render;
    use crate::tui::update::update;

    fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(state: &mut State, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in text.chars() {
            effects = press(state, KeyCode::Char(c));
        }
        effects
    }

    fn proposal(verdict: Verdict, env: &str, risk: Risk) -> Proposal {
        let target = Target {
            project: "AIR".into(),
            environment: env.into(),
            name: format!("air-{env}"),
            uuid: format!("app-air-{env}"),
            kind: crate::model::ResourceKind::Application,
        };
        Proposal {
            id: "toolu_1".into(),
            tool: "coolify_deploy".into(),
            arguments: serde_json::json!({"project": "air", "environment": env}),
            plan: Plan::for_tests(
                Kind::Deploy,
                vec![target],
                env,
                verdict,
                Preview {
                    title: format!("Deploy air-{env} in AIR/{env}"),
                    actions: vec![format!(
                        "build and start air-{env} from pfcore/pf-air (its head)"
                    )],
                    commits: vec![],
                    undo: "roll back".into(),
                    cli: format!("pftui deploy air {env}"),
                    notes: vec![],
                },
            ),
            risk,
            edited: false,
            auto_approved: false,
        }
    }

    fn waiting(state: &mut State, p: Proposal) {
        update(state, Msg::Agent(AgentEvent::Proposal(Box::new(p.clone()))));
        update(
            state,
            Msg::AgentReplied(Ok((
                Pending::Decide(vec![p]),
                "offline · offline planner".into(),
            ))),
        );
    }

    fn opened() -> State {
        let mut state = fixture::state((120, 40));
        typed(&mut state, "a");
        assert!(state.agent.open);
        state
    }

    #[test]
    fn a_prompt_is_sent_with_enter_and_kept_in_history() {
        let mut state = opened();
        typed(&mut state, "deploy air dev");
        let effects = press(&mut state, KeyCode::Enter);
        assert!(
            matches!(&effects[..], [Effect::AgentSend { prompt, .. }] if prompt == "deploy air dev"),
            "{effects:?}"
        );
        assert!(state.agent.busy);
        assert!(
            press(&mut state, KeyCode::Enter).is_empty(),
            "nothing while a turn runs"
        );
        assert_eq!(press(&mut state, KeyCode::Esc), [Effect::AgentCancel]);
        assert!(!state.agent.busy);
        press(&mut state, KeyCode::Up);
        assert_eq!(text_of(&state.agent.input), "deploy air dev");
    }

    #[test]
    fn y_approves_a_confirm_and_a_typed_one_needs_the_name() {
        let mut state = opened();
        waiting(&mut state, proposal(Verdict::Confirm, "dev", Risk::Deploy));
        let effects = typed(&mut state, "y");
        assert_eq!(
            effects,
            [Effect::AgentDecide(vec![Decision::Approve {
                id: "toolu_1".into(),
                confirmation: Confirmation::Yes
            }])]
        );
        assert_eq!(
            state.operations.running().count(),
            1,
            "the approved operation is running"
        );

        let mut state = opened();
        waiting(
            &mut state,
            proposal(
                Verdict::ConfirmTyped {
                    expected: "prod".into(),
                },
                "prod",
                Risk::Deploy,
            ),
        );
        assert!(typed(&mut state, "y").is_empty());
        assert!(typed(&mut state, "staging").is_empty());
        assert!(press(&mut state, KeyCode::Enter).is_empty(), "not the name");
        for _ in 0.."staging".len() {
            press(&mut state, KeyCode::Backspace);
        }
        typed(&mut state, "prod");
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            [Effect::AgentDecide(vec![Decision::Approve {
                id: "toolu_1".into(),
                confirmation: Confirmation::Typed("prod".into())
            }])]
        );
    }

    #[test]
    fn reject_with_a_reason_session_approval_and_edit() {
        let mut state = opened();
        waiting(&mut state, proposal(Verdict::Confirm, "dev", Risk::Deploy));
        typed(&mut state, "n");
        typed(&mut state, "not now");
        let effects = press(&mut state, KeyCode::Enter);
        assert_eq!(
            effects,
            [Effect::AgentDecide(vec![Decision::Reject {
                id: "toolu_1".into(),
                reason: Some("not now".into())
            }])]
        );

        let mut state = opened();
        waiting(&mut state, proposal(Verdict::Confirm, "dev", Risk::Deploy));
        assert_eq!(
            typed(&mut state, "a"),
            [Effect::AgentDecide(vec![Decision::ApproveForSession {
                id: "toolu_1".into()
            }])]
        );

        let mut state = opened();
        waiting(
            &mut state,
            proposal(
                Verdict::ConfirmTyped {
                    expected: "prod".into(),
                },
                "prod",
                Risk::Deploy,
            ),
        );
        assert!(
            typed(&mut state, "a").is_empty(),
            "never for the session when typed"
        );

        let mut state = opened();
        waiting(&mut state, proposal(Verdict::Confirm, "dev", Risk::Deploy));
        typed(&mut state, "e");
        assert!(matches!(state.agent.card, CardInput::Edit(_)));
        let effects = press(&mut state, KeyCode::Enter);
        assert!(
            matches!(&effects[..], [Effect::AgentDecide(d)] if matches!(&d[0], Decision::Edit { arguments, .. } if arguments["environment"] == "dev")),
            "{effects:?}"
        );
    }

    #[test]
    fn the_arguments_editor_types_where_its_caret_shows() {
        let mut state = opened();
        waiting(&mut state, proposal(Verdict::Confirm, "dev", Risk::Deploy));
        typed(&mut state, "e");
        let caret = |state: &State| match &state.agent.card {
            CardInput::Edit(area) => with_caret(area),
            other => panic!("not editing: {other:?}"),
        };
        assert!(caret(&state).ends_with("}▏"), "{}", caret(&state));
        press(&mut state, KeyCode::Left);
        typed(&mut state, ",\"force\":true");
        assert!(
            caret(&state).ends_with(",\"force\":true▏}"),
            "{}",
            caret(&state)
        );
        assert!(render(&state, 120, 40, false).contains("\"force\":true▏}"));
        let effects = press(&mut state, KeyCode::Enter);
        assert!(
            matches!(&effects[..], [Effect::AgentDecide(d)] if matches!(&d[0], Decision::Edit { arguments, .. } if arguments["force"] == true && arguments["environment"] == "dev")),
            "{effects:?}"
        );
    }

    #[test]
    fn a_denied_proposal_can_only_be_rejected() {
        let mut state = opened();
        waiting(
            &mut state,
            proposal(
                Verdict::Deny {
                    reason: "context lab is read-only".into(),
                },
                "dev",
                Risk::Deploy,
            ),
        );
        assert!(typed(&mut state, "y").is_empty());
        assert!(crate::tui::fixture::flashed(&state).contains("read-only"));
        typed(&mut state, "n");
        assert!(
            matches!(&press(&mut state, KeyCode::Enter)[..], [Effect::AgentDecide(d)] if matches!(d[0], Decision::Reject { .. }))
        );
    }

    #[test]
    fn streamed_text_tool_lines_and_results_fill_the_conversation() {
        let mut state = opened();
        typed(&mut state, "why did w4m dev fail");
        press(&mut state, KeyCode::Enter);
        update(
            &mut state,
            Msg::Agent(AgentEvent::TextDelta("Looking ".into())),
        );
        update(
            &mut state,
            Msg::Agent(AgentEvent::TextDelta("into it.".into())),
        );
        update(
            &mut state,
            Msg::Agent(AgentEvent::ToolRan {
                id: "t1".into(),
                tool: "coolify_deployment_log_tail".into(),
                arguments: serde_json::json!({}),
                summary: "30 lines".into(),
                is_error: false,
            }),
        );
        update(&mut state, Msg::Agent(AgentEvent::TurnEnded));
        assert!(!state.agent.busy);
        assert_eq!(
            state.agent.entries[1],
            Entry::Answer("Looking into it.".into())
        );
        assert!(
            matches!(&state.agent.entries[2], Entry::Tool { tool, .. } if tool == "coolify_deployment_log_tail")
        );
    }

    #[test]
    fn ctrl_c_quits_from_the_pane_after_cancelling_the_turn() {
        let mut state = opened();
        typed(&mut state, "why did baiv prod fail?");
        press(&mut state, KeyCode::Enter);
        assert!(state.agent.busy);
        let effects = update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        );
        assert_eq!(effects, [Effect::AgentCancel]);
        assert!(state.quit);
    }

    #[test]
    fn tab_gives_the_keyboard_to_the_tree_and_back() {
        let mut state = opened();
        let before = state.tree.selected;
        press(&mut state, KeyCode::Tab);
        assert!(!state.agent.focused);
        press(&mut state, KeyCode::Char('j'));
        assert_eq!(state.tree.selected, before + 1, "j moves the tree");
        assert!(text_of(&state.agent.input).is_empty(), "and types nothing");
        press(&mut state, KeyCode::Tab);
        typed(&mut state, "j");
        assert_eq!(text_of(&state.agent.input), "j");
    }

    #[test]
    fn history_recall_ends_at_the_end_and_ctrl_u_clears() {
        let mut state = opened();
        typed(&mut state, "status of air");
        press(&mut state, KeyCode::Enter);
        update(&mut state, Msg::Agent(AgentEvent::TurnEnded));
        press(&mut state, KeyCode::Up);
        assert_eq!(text_of(&state.agent.input), "status of air");
        assert_eq!(state.agent.input.cursor(), (0, "status of air".len()));
        typed(&mut state, "?");
        assert_eq!(text_of(&state.agent.input), "status of air?");
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        );
        assert!(text_of(&state.agent.input).is_empty());
    }

    #[test]
    fn the_pane_with_a_proposal_card() {
        let mut state = opened();
        typed(&mut state, "deploy air prod");
        press(&mut state, KeyCode::Enter);
        update(
            &mut state,
            Msg::Agent(AgentEvent::TextDelta(
                "Proposing a deploy of AIR/prod.".into(),
            )),
        );
        waiting(
            &mut state,
            proposal(
                Verdict::ConfirmTyped {
                    expected: "prod".into(),
                },
                "prod",
                Risk::Deploy,
            ),
        );
        insta::assert_snapshot!(render(&state, 120, 40, false));
    }
}
