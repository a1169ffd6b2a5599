//! The verdict's words (how it is decided: `analysis::verdict`): one honest verdict for the
//! whole bundle, in words a non-admin reads first, and the one line above the findings: what
//! failed, who should act and the one thing to send them.
//!
//! - `cause-found`: a finding names a cause (a known pattern explains a failure or a problem);
//! - `errors-unexplained`: a job or process failed (status 1 included), or a first error was
//!   named, and no known pattern explains it: this does not mean the job is healthy;
//! - `errors-unexplained` also when an error line of a NetBackup process stands with no success
//!   recorded beside it;
//! - `nothing-read`: no file could be read as a NetBackup log;
//! - `no-failure-seen` (neutral, not green): lines were read, none is an error, no failing status
//!   stands in them, and nothing says how the job ended;
//! - `clean`: a success is recorded in the lines (status 0), nothing failed and no cause was
//!   found (error lines beside the success are listed, not hidden).

use super::Owner;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    CauseFound,
    ErrorsUnexplained,
    NothingRead,
    NoFailureSeen,
    Clean,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::CauseFound => "cause-found",
            Verdict::ErrorsUnexplained => "errors-unexplained",
            Verdict::NothingRead => "nothing-read",
            Verdict::NoFailureSeen => "no-failure-seen",
            Verdict::Clean => "clean",
        }
    }
}

/// The line above the findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    /// What happened, in one or two sentences.
    pub text: String,
    /// Who should act, when someone should.
    pub owner: Option<Owner>,
    /// What to send them or do first (a request, a check to run, the logs to collect), ready
    /// to copy.
    pub send: Option<String>,
}
