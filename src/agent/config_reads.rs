//! The platform configuration's read tools: `config_show` (what an instance or product is
//! configured to have in one environment, with origins) and `config_diff` (what the server
//! lacks). Secret values never reach a model: a secret is named, and a diff never holds a
//! server's value of a variable (only that it differs).

use serde_json::json;

use super::provider::ReadOutput;
use crate::model::words::plural;
use crate::ops::catalogue::{PRODUCT, PRUNE};
use crate::ops::{Ops, Request};

pub fn show(ops: &Ops, read: &Request) -> Result<ReadOutput, String> {
    let address = read.address().map_err(|e| e.to_string())?;
    let environment = address.environment.as_deref().unwrap_or_default();
    let view = ops
        .config_show(&address.project, environment, read.text_of(PRODUCT))
        .map_err(|e| e.to_string())?;
    Ok(ReadOutput {
        summary: format!(
            "{} in {}: {}, {}",
            view.target,
            view.environment,
            plural(view.settings.len(), "setting"),
            plural(view.envs.len(), "variable")
        ),
        content: serde_json::to_string(&view).map_err(|e| e.to_string())?,
    })
}

pub async fn diff(ops: &Ops, read: &Request) -> Result<ReadOutput, String> {
    let address = read.address().map_err(|e| e.to_string())?;
    let environment = address.environment.as_deref().unwrap_or_default();
    let diff = ops
        .config_diff(&address.project, environment, read.has_flag(PRUNE))
        .await
        .map_err(|e| e.to_string())?;
    let summary = if diff.in_sync() {
        format!(
            "{}/{} matches the configuration",
            diff.project, diff.environment
        )
    } else {
        format!(
            "{}/{}: {} to apply",
            diff.project,
            diff.environment,
            plural(diff.changes(), "change")
        )
    };
    Ok(ReadOutput {
        summary,
        content: serde_json::to_string(&json!({
            "in_sync": diff.in_sync(),
            "diff": diff,
        }))
        .map_err(|e| e.to_string())?,
    })
}
