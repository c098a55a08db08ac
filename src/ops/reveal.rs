//! Showing a secret value to a person is recorded: who, which variable of which
//! application, never the value. Nothing is shown when the journal cannot be written.

use jiff::Timestamp;
use serde_json::json;

use super::{Ops, OpsError};
use crate::audit::{Actor, Record};
use crate::model::Address;

/// The audit record's operation for a value shown on screen.
pub const REVEAL: &str = "reveal";

impl Ops {
    /// Record that `actor` is about to see the value of `variable` of the application at
    /// `app`.
    pub fn record_reveal(
        &self,
        actor: &Actor,
        app: &Address,
        variable: &str,
    ) -> Result<(), OpsError> {
        let record = Record {
            id: None,
            time: Timestamp::now(),
            context: self.session.context().to_string(),
            actor: actor.clone(),
            operation: REVEAL.to_string(),
            target: app.to_string(),
            parameters: json!({ "variable": variable }),
            outcome: "succeeded".to_string(),
            deployments: Vec::new(),
            duration_ms: 0,
        };
        let secrets = self.secrets();
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        self.journal.append(&record, &refs)?;
        Ok(())
    }
}
