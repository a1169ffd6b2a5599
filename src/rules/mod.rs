//! Rules: each reads the [`Model`] and says what it finds, in words a non-admin can follow.
//!
//! One file per rule. Each has an id, a [`RuleDoc`] (what it means, the evidence it needs,
//! the fix and the source of the facts it rests on) and its own positive and negative
//! fixture bundles under `tests/bundles/`, named in its [`Rule`].

mod forward_socket_expired;
mod job_status;
mod pbx_connect_timeout;
mod words;

use crate::correlate::Model;
use crate::report::Finding;

/// A rule's documentation, shown by `nbtriage rules` and kept next to its code.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    pub id: &'static str,
    pub title: &'static str,
    /// What a finding means.
    pub meaning: &'static str,
    /// Which log lines it rests on.
    pub evidence: &'static str,
    pub fix: &'static str,
    /// Where the facts come from (reference section and source tags).
    pub source: &'static str,
    /// What is inferred rather than stated by a source; the finding's words say "likely" there.
    pub caveats: &'static str,
}

pub struct Rule {
    pub doc: RuleDoc,
    pub check: fn(&Model<'_>) -> Vec<Finding>,
    /// Bundles under `tests/bundles/` that must raise this rule, and bundles that must not.
    /// `tests/rules.rs` checks every one.
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

/// Every rule. Among findings of equal severity the report keeps this order, so rules that
/// name a root cause come before rules that name its symptoms.
pub static ALL: &[&Rule] = &[&pbx_connect_timeout::RULE, &forward_socket_expired::RULE, &job_status::RULE];
