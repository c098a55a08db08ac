//! Exit codes and the one-line error report, with every secret masked (a server's error may
//! echo the token it was sent).

use std::process::ExitCode;

use super::output::errln;
use crate::model::{AddressError, printable};
use crate::ops::OpsError;
use crate::secrets::redact::redact;

/// The operation ran and failed (e.g. a deployment failed).
pub const FAILED: u8 = 1;
/// Usage, configuration or credential error.
pub const SETUP: u8 = 2;
/// Refused by policy or not confirmed.
pub const REFUSED: u8 = 3;

/// Why a command did not succeed, and the exit code that says so.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    /// Empty when the command already reported the failure itself.
    pub message: String,
}

impl Failure {
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            code: FAILED,
            message: message.into(),
        }
    }

    pub fn setup(message: impl Into<String>) -> Self {
        Self {
            code: SETUP,
            message: message.into(),
        }
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            code: REFUSED,
            message: message.into(),
        }
    }
}

impl From<OpsError> for Failure {
    fn from(err: OpsError) -> Self {
        Self {
            code: err.exit_code(),
            message: err.to_string(),
        }
    }
}

impl From<AddressError> for Failure {
    fn from(err: AddressError) -> Self {
        Self::setup(err.to_string())
    }
}

/// Print the failure (if it has a message, secrets masked) and return its exit code.
pub fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                errln!("pftui: {}", printable(&redact(&failure.message)));
            }
            ExitCode::from(failure.code)
        }
    }
}
