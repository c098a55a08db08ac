//! The event loop: terminal events, timers and background results all become `Msg`s; each
//! goes through `update`; effects are spawned; the screen is drawn when something changed,
//! at most ~60 times a second. With nothing happening the loop sleeps.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use jiff::Timestamp;
use tokio::sync::{Mutex, mpsc};
use tokio::time::{Instant, sleep_until};

use super::clipboard::osc52_here;
use super::msg::{ContextInfo, Effect, Msg};
use super::state::State;
use super::terminal::FullScreen;
use super::theme::{Depth, Theme};
use super::update::update;
use super::views;
use crate::agent::{Agent, AgentError, AgentEvent, Pending, Platform, providers};
use crate::audit::{Actor, Channel};
use crate::model::Tree;
use crate::ops::{Ops, Session};
use std::io::Write;

/// Opens the session of another context by name (for `:ctx`).
pub type Connector = Arc<dyn Fn(&str) -> Result<Session, String> + Send + Sync>;

/// Everything the console starts with.
pub struct Launch {
    /// The operations and reads of the session it opens with (the settings and the audit
    /// journal come with them).
    pub ops: Ops,
    /// The user's theme folder (`<config>/themes`).
    pub themes_dir: Option<PathBuf>,
    pub connector: Connector,
}

const FRAME: Duration = Duration::from_millis(16);
/// Container log lines read per poll, and how often.
const RUNTIME_LINES: u32 = 500;
const RUNTIME_POLL: Duration = Duration::from_secs(2);

/// How the console ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// A signal stopped it (its number): the terminal was restored all the same.
    Signal(i32),
}

/// Run the console until the user quits or a signal stops it; the terminal is restored
/// either way.
pub async fn run(launch: Launch) -> std::io::Result<Ended> {
    // Before the terminal changes: a signal from now on restores it.
    let mut stop = stop_signals();
    let depth = Depth::detect();
    let settings = launch.ops.settings().clone();
    let theme_name = settings
        .context(launch.ops.session().context())
        .and_then(|c| c.theme.clone())
        .unwrap_or_else(|| settings.theme.clone());
    let (theme, theme_error) = match Theme::load(&theme_name, launch.themes_dir.as_deref(), depth) {
        Ok(theme) => (theme, None),
        Err(e) => (Theme::fallback(depth), Some(e.to_string())),
    };
    let mut screen = FullScreen::enter(settings.mouse)?;
    let size = screen.terminal.size()?;
    let mut state = State::new(
        ContextInfo::of(launch.ops.session()),
        settings,
        theme,
        depth,
        launch.themes_dir,
        Timestamp::now(),
        (size.width, size.height),
    );
    if let Some(error) = theme_error {
        state.flash = Some(super::state::Flash {
            text: error,
            error: true,
            at: state.now,
        });
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (opened_tx, mut opened) = mpsc::unbounded_channel();
    let mut runner = Runner::new(tx, opened_tx, launch.ops.refreshing(), launch.connector);
    let mut timers = Timers::default();
    runner.apply(Effect::Load { full: true }, &mut timers);

    let mut events = EventStream::new();
    let mut ended = Ended::Quit;
    let mut last_draw = Instant::now() - FRAME;
    let mut dirty = true;
    let mut next_tick = Instant::now() + Duration::from_secs(1);
    // Whether messages other than ticks came since memory was last given back.
    let mut worked = false;
    let mut gave_back = Instant::now();
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            screen.terminal.draw(|frame| views::draw(&state, frame))?;
            last_draw = Instant::now();
            dirty = false;
        }
        let tick_every = if state.animating() {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(1)
        };
        next_tick = next_tick.min(Instant::now() + tick_every);
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Msg::Quit,
            },
            Some(msg) = rx.recv() => runner.received(msg),
            Some(result) = opened.recv() => runner.opened(result, &mut timers),
            () = until(timers.refresh_at) => {
                timers.refresh_at = None;
                Msg::RefreshDue
            }
            () = until(timers.recent_at.as_ref().map(|(at, _)| *at)) => match timers.recent_at.take() {
                Some((_, app)) => Msg::RecentDue(app),
                None => continue,
            },
            () = sleep_until(next_tick) => {
                next_tick = Instant::now() + tick_every;
                Msg::Tick(Timestamp::now())
            }
            () = sleep_until(last_draw + FRAME), if dirty => continue,
            Some(signal) = stop.recv() => {
                ended = Ended::Signal(signal);
                Msg::Quit
            }
        };
        let tick = matches!(msg, Msg::Tick(_));
        dirty |= !tick;
        worked |= !tick;
        if tick && worked && gave_back.elapsed() >= Duration::from_secs(1) {
            super::memory::give_back();
            (worked, gave_back) = (false, Instant::now());
        }
        for effect in update(&mut state, msg) {
            dirty |= effect == Effect::Redraw;
            runner.apply(effect, &mut timers);
        }
        if state.quit {
            break;
        }
    }
    drop(screen);
    Ok(ended)
}

impl ContextInfo {
    pub fn of(session: &Session) -> Self {
        Self {
            name: session.context().to_string(),
            url: session.url().to_string(),
            token_source: session.token_source().to_string(),
            token_short: session.token_source().short().to_string(),
            read_only: session.read_only(),
        }
    }
}

/// The two pending timers `update` can ask for.
#[derive(Default)]
struct Timers {
    refresh_at: Option<Instant>,
    recent_at: Option<(Instant, String)>,
}

/// CPU time used so far by the whole process or by the calling thread, where the platform
/// tells.
#[derive(Clone, Copy)]
enum Cpu {
    Process,
    Thread,
}

#[cfg(unix)]
fn cpu_time(of: Cpu) -> Option<Duration> {
    use rustix::time::{ClockId, clock_gettime};
    let t = clock_gettime(match of {
        Cpu::Process => ClockId::ProcessCPUTime,
        Cpu::Thread => ClockId::ThreadCPUTime,
    });
    Some(Duration::new(
        u64::try_from(t.tv_sec).ok()?,
        u32::try_from(t.tv_nsec).ok()?,
    ))
}

#[cfg(not(unix))]
fn cpu_time(_: Cpu) -> Option<Duration> {
    None
}

/// Sleep until a deadline, or forever when there is none.
async fn until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Carries out effects; results come back as messages.
struct Runner {
    tx: mpsc::UnboundedSender<Msg>,
    opened_tx: mpsc::UnboundedSender<Result<Session, String>>,
    ops: Arc<Ops>,
    connector: Connector,
    /// What the log pane follows; aborted when it follows something else.
    log_task: Option<tokio::task::JoinHandle<()>>,
    /// The agent's conversation (made at the first prompt) and its turn in flight.
    agent: Option<Arc<Mutex<Agent>>>,
    agent_task: Option<tokio::task::JoinHandle<()>>,
    /// The event loop thread's CPU time when the load in flight started: what it spends
    /// meanwhile (drawing, keys) is not the load's cost.
    load_started: Option<Duration>,
}

impl Runner {
    fn new(
        tx: mpsc::UnboundedSender<Msg>,
        opened_tx: mpsc::UnboundedSender<Result<Session, String>>,
        ops: Ops,
        connector: Connector,
    ) -> Self {
        Self {
            tx,
            opened_tx,
            ops: Arc::new(ops),
            connector,
            log_task: None,
            agent: None,
            agent_task: None,
            load_started: None,
        }
    }

    /// A message from a task, with a load's process CPU time made the load's own.
    fn received(&mut self, msg: Msg) -> Msg {
        match msg {
            Msg::LoadCost(process) => {
                let drawing = self
                    .load_started
                    .take()
                    .zip(cpu_time(Cpu::Thread))
                    .map(|(start, now)| now.saturating_sub(start))
                    .unwrap_or_default();
                Msg::LoadCost(process.saturating_sub(drawing))
            }
            other => other,
        }
    }

    fn apply(&mut self, effect: Effect, timers: &mut Timers) {
        match effect {
            // The event loop draws.
            Effect::Redraw => {}
            // Reads that answer once (the same as `snapshot` awaits).
            Effect::LoadRecent(_)
            | Effect::Plan(_)
            | Effect::LoadRollbackCandidates(_)
            | Effect::LoadPipeline
            | Effect::LoadAudit(_)
            | Effect::LoadEnv { .. }
            | Effect::LoadBoard { .. }
            | Effect::LoadConfigDiff { .. }
            | Effect::LoadDrift(_)
            | Effect::LoadTheme { .. }
            | Effect::RecordReveal { .. } => {
                let (tx, ops) = (self.tx.clone(), self.ops.clone());
                tokio::spawn(async move {
                    if let Some(msg) = super::reads::answer(&ops, effect).await {
                        let _ = tx.send(msg);
                    }
                });
            }
            Effect::Load { full } => {
                let (tx, ops) = (self.tx.clone(), self.ops.clone());
                let context = ops.session().context().to_string();
                self.load_started = cpu_time(Cpu::Thread);
                tokio::spawn(async move {
                    let before = cpu_time(Cpu::Process);
                    let result = ops.overview(full).await;
                    if let (Some(before), Some(after)) = (before, cpu_time(Cpu::Process)) {
                        let _ = tx.send(Msg::LoadCost(after.saturating_sub(before)));
                    }
                    match &result {
                        Ok(o) => {
                            tracing::debug!(full, resources = o.tree.resources().count(), "loaded")
                        }
                        Err(e) => tracing::warn!(full, error = %e, "refresh failed"),
                    }
                    let result = result.map(Box::new).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::Loaded { context, result });
                });
            }
            Effect::RefreshAfter(after) => timers.refresh_at = Some(Instant::now() + after),
            Effect::RecentAfter(app, after) => {
                timers.recent_at = Some((Instant::now() + after, app))
            }
            Effect::Execute {
                id,
                plan,
                confirmation,
            } => {
                let (tx, ops) = (self.tx.clone(), self.ops.clone());
                tokio::spawn(async move {
                    let (progress, mut news) = mpsc::unbounded_channel();
                    let forward = {
                        let (tx, id) = (tx.clone(), id.clone());
                        tokio::spawn(async move {
                            while let Some(progress) = news.recv().await {
                                let id = id.clone();
                                let _ = tx.send(Msg::OpProgress { id, progress });
                            }
                        })
                    };
                    let actor = Actor::local(Channel::Tui);
                    let result = ops
                        .execute(&plan, &confirmation, &actor, true, &progress)
                        .await;
                    drop(progress);
                    let _ = forward.await;
                    let result = result.map(Box::new).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::OpDone { id, result });
                });
            }
            Effect::FollowLog { name, deployment } => {
                let (tx, ops) = (self.tx.clone(), self.ops.clone());
                self.replace_log_task(tokio::spawn(async move {
                    let (progress, mut news) = mpsc::unbounded_channel();
                    let forward = {
                        let (tx, deployment) = (tx.clone(), deployment.clone());
                        tokio::spawn(async move {
                            while let Some(progress) = news.recv().await {
                                let deployment = deployment.clone();
                                let _ = tx.send(Msg::LogProgress {
                                    deployment,
                                    progress,
                                });
                            }
                        })
                    };
                    let followed = ops.follow(&name, &deployment, &progress).await;
                    drop(progress);
                    let _ = forward.await;
                    let result = followed.map(|(d, _)| d).map_err(|e| e.to_string());
                    let _ = tx.send(Msg::LogEnded { deployment, result });
                }));
            }
            Effect::RuntimeLog { app } => {
                let (tx, ops) = (self.tx.clone(), self.ops.clone());
                self.replace_log_task(tokio::spawn(async move {
                    loop {
                        let result = ops
                            .container_log(&app, RUNTIME_LINES)
                            .await
                            .map_err(|e| e.to_string());
                        let failed = result.is_err();
                        if tx
                            .send(Msg::RuntimeLog {
                                app: app.clone(),
                                result,
                            })
                            .is_err()
                            || failed
                        {
                            return;
                        }
                        tokio::time::sleep(RUNTIME_POLL).await;
                    }
                }));
            }
            Effect::AgentSend { prompt, tree } => {
                let agent = match self.agent(&tree) {
                    Ok(agent) => agent,
                    Err(e) => {
                        let _ = self.tx.send(Msg::AgentReplied(Err(e)));
                        return;
                    }
                };
                self.agent_turn(agent, move |agent, events| {
                    Box::pin(async move { agent.send(&prompt, events).await })
                });
            }
            Effect::AgentDecide(decisions) => {
                let Some(agent) = self.agent.clone() else {
                    let _ = self
                        .tx
                        .send(Msg::AgentReplied(Err("no conversation to answer".into())));
                    return;
                };
                self.agent_turn(agent, move |agent, events| {
                    Box::pin(async move { agent.decide(decisions, events).await })
                });
            }
            Effect::AgentCancel => {
                if let Some(task) = self.agent_task.take() {
                    task.abort();
                }
            }
            Effect::StopLog => {
                if let Some(task) = self.log_task.take() {
                    task.abort();
                }
            }
            Effect::Copy(text) => {
                let clip = osc52_here(&text);
                let mut out = std::io::stdout();
                let _ = out.write_all(clip.sequence.as_bytes());
                let _ = out.flush();
            }
            Effect::Save { path, bytes } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = crate::settings::Paths::discover()
                        .map_err(|e| format!("cannot save the log: {e}"))
                        .and_then(|paths| {
                            super::update::logs::write_saved(&paths.data, &path, &bytes)
                        });
                    let _ = tx.send(Msg::Saved(result));
                });
            }
            Effect::OpenContext(name) => {
                tracing::info!(context = %name, "opening context");
                let (tx, connector) = (self.opened_tx.clone(), self.connector.clone());
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(connector(&name));
                });
            }
        }
    }

    /// The conversation, made at the first prompt with the configured provider.
    fn agent(&mut self, tree: &Tree) -> Result<Arc<Mutex<Agent>>, String> {
        if let Some(agent) = &self.agent {
            return Ok(agent.clone());
        }
        let settings = self.ops.settings();
        let name = settings
            .agent
            .provider
            .clone()
            .unwrap_or_else(|| providers::default_name().to_string());
        let provider = providers::build(
            &name,
            settings,
            self.ops.session().context(),
            Some(Platform::from_tree(tree)),
        )
        .map_err(|e| e.to_string())?;
        let agent = Arc::new(Mutex::new(Agent::new(
            provider,
            self.ops.clone(),
            Some(tree),
        )));
        self.agent = Some(agent.clone());
        Ok(agent)
    }

    /// Run one `send` or `decide` of the agent as a task; its events and its answer come
    /// back as messages.
    fn agent_turn<F>(&mut self, agent: Arc<Mutex<Agent>>, turn: F)
    where
        F: for<'a> FnOnce(
                &'a mut Agent,
                &'a mpsc::UnboundedSender<AgentEvent>,
            ) -> std::pin::Pin<
                Box<dyn std::future::Future<Output = Result<Pending, AgentError>> + Send + 'a>,
            > + Send
            + 'static,
    {
        let tx = self.tx.clone();
        let task = tokio::spawn(async move {
            let (events, mut news) = mpsc::unbounded_channel();
            let forward = {
                let tx = tx.clone();
                tokio::spawn(async move {
                    while let Some(event) = news.recv().await {
                        let _ = tx.send(Msg::Agent(event));
                    }
                })
            };
            let mut agent = agent.lock().await;
            let result = turn(&mut agent, &events).await;
            let who = format!("{} · {}", agent.provider_name(), agent.model());
            drop(events);
            let _ = forward.await;
            let _ = tx.send(Msg::AgentReplied(
                result.map(|p| (p, who)).map_err(|e| e.to_string()),
            ));
        });
        if let Some(old) = self.agent_task.replace(task) {
            old.abort();
        }
    }

    fn replace_log_task(&mut self, task: tokio::task::JoinHandle<()>) {
        if let Some(old) = self.log_task.replace(task) {
            old.abort();
        }
    }

    /// A context opened: talk to it from now on.
    fn opened(&mut self, result: Result<Session, String>, timers: &mut Timers) -> Msg {
        match result {
            Ok(session) => {
                let info = ContextInfo::of(&session);
                self.agent = None;
                self.ops = Arc::new(self.ops.reopened(session));
                *timers = Timers::default();
                Msg::ContextOpened(Ok(info))
            }
            Err(e) => Msg::ContextOpened(Err(e)),
        }
    }
}

/// The signals that end the console cleanly, by number: SIGINT and SIGQUIT (sent with
/// `kill`: in raw mode Ctrl-C and `Ctrl-\` are keys), SIGTERM, and SIGHUP (an SSH connection
/// dropping). Once these are listened for, none of them ends the process before the
/// terminal is restored.
fn stop_signals() -> mpsc::UnboundedReceiver<i32> {
    let (tx, rx) = mpsc::unbounded_channel();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        for kind in [
            SignalKind::interrupt(),
            SignalKind::quit(),
            SignalKind::terminate(),
            SignalKind::hangup(),
        ] {
            if let Ok(mut sig) = signal(kind) {
                let tx = tx.clone();
                tokio::spawn(async move {
                    while sig.recv().await.is_some() {
                        let _ = tx.send(kind.as_raw_value());
                    }
                });
            }
        }
    }
    #[cfg(not(unix))]
    {
        let tx = tx.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                // SIGINT's number, for the exit status.
                let _ = tx.send(2);
            }
        });
    }
    rx
}
