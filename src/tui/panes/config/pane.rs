//! The config view's own state, without what changes the rest of the console.

use crate::ops::ConfigDiff;
use crate::tui::msg::Effect;

/// The environment the view shows, its diff and how reading it goes.
#[derive(Debug, Clone, Default)]
pub struct ConfigPane {
    /// The context the environment is of (another context's answer is dropped).
    pub context: String,
    pub project: String,
    pub environment: String,
    /// The diff last read.
    pub diff: Option<ConfigDiff>,
    /// A read is in flight.
    pub loading: bool,
    /// Read again when the read in flight is back (it may predate what changed).
    pub again: bool,
    /// Why the last read failed.
    pub error: Option<String>,
    /// Lines scrolled past.
    pub scroll: usize,
}

impl ConfigPane {
    /// Show `project`/`environment` of `context` (from its top, forgetting another
    /// environment's diff) and read it.
    pub fn open(&mut self, context: &str, project: &str, environment: &str) -> Vec<Effect> {
        if !self.shows(context, project, environment) {
            *self = Self {
                context: context.to_string(),
                project: project.to_string(),
                environment: environment.to_string(),
                ..Self::default()
            };
        }
        self.scroll = 0;
        self.load()
    }

    /// Read the diff (unless a read is in flight).
    pub fn load(&mut self) -> Vec<Effect> {
        if self.loading {
            return Vec::new();
        }
        self.loading = true;
        vec![Effect::LoadConfigDiff {
            project: self.project.clone(),
            environment: self.environment.clone(),
        }]
    }

    /// Something changed on the server: read the diff, or read it again when the read in
    /// flight is back.
    pub fn changed(&mut self) -> Vec<Effect> {
        self.again = self.loading;
        self.load()
    }

    /// Whether the view is of this environment.
    pub fn shows(&self, context: &str, project: &str, environment: &str) -> bool {
        self.context == context
            && self.project.eq_ignore_ascii_case(project)
            && self.environment.eq_ignore_ascii_case(environment)
    }

    /// A read finished; what to read next.
    pub fn loaded(&mut self, result: Result<ConfigDiff, String>) -> Vec<Effect> {
        self.loading = false;
        match result {
            Ok(diff) => {
                self.diff = Some(diff);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
        if std::mem::take(&mut self.again) {
            return self.load();
        }
        Vec::new()
    }

    /// `project/environment`, as the title says it.
    pub fn place(&self) -> String {
        format!("{}/{}", self.project, self.environment)
    }

    /// Scroll by `delta` lines, within `0..=most`.
    pub fn scroll_by(&mut self, delta: isize, most: usize) {
        self.scroll = crate::tui::panes::step(self.scroll, delta, most + 1);
    }
}
