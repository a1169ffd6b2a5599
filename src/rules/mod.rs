//! Rules: each reads the [`Model`] and says what it finds, in words a non-admin can follow.
//!
//! Two kinds, one list:
//! - **correlation rules** are Rust, one file each: they measure gaps, pairs and clocks across
//!   lines and hosts (the PBX waits, the forward socket) and read typed facts, never line text;
//! - **signature rules** are data (`src/catalogue/signatures/*.toml`): one line shape means a
//!   known cause or symptom; [`signatures`] turns their matched lines into findings.
//!
//! Each rule has an id, its documentation (what it means, the evidence it needs, the fix and
//! the source of the facts it rests on) and its own positive and negative fixture bundles under
//! `tests/bundles/`.

mod forward_socket_expired;
mod job_status;
mod pbx_connect_timeout;
mod signatures;
mod words;

use crate::catalogue::{self, Signature};
use crate::correlate::Model;
use crate::report::{Area, Finding, Role, Severity};
use std::sync::OnceLock;

/// A correlation rule's documentation, kept next to its code.
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

/// A correlation rule.
pub struct Rule {
    pub doc: RuleDoc,
    pub area: Area,
    pub role: Role,
    pub check: fn(&Model<'_>) -> Vec<Finding>,
    /// Bundles under `tests/bundles/` that must raise this rule, and bundles that must not.
    /// `tests/rules.rs` checks every one.
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

/// Correlation rules that name causes. Among findings of equal severity and role the report
/// keeps the order of [`all`]: these, then the signature rules, then the symptoms.
static CAUSES: &[&Rule] = &[&pbx_connect_timeout::RULE, &forward_socket_expired::RULE];
/// Correlation rules that state symptoms.
static SYMPTOMS: &[&Rule] = &[&job_status::RULE];

/// What `nbtriage rules` and the page's "What nbtriage can diagnose" list for every rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub area: Area,
    pub role: Role,
    /// The most severe finding it gives; None when it depends on the case.
    pub severity: Option<Severity>,
    /// "correlation" (Rust) or "signature" (catalogue data).
    pub kind: &'static str,
    pub meaning: &'static str,
    pub evidence: &'static str,
    pub fix: RuleFix,
    pub source: &'static str,
    pub caveats: &'static str,
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

/// A rule's fix: one paragraph (correlation rules) or steps (signature templates).
#[derive(Debug, Clone, Copy)]
pub enum RuleFix {
    Text(&'static str),
    Steps(&'static [&'static str]),
}

impl RuleInfo {
    fn of_rule(rule: &'static Rule) -> RuleInfo {
        let d = &rule.doc;
        RuleInfo {
            id: d.id,
            title: d.title,
            area: rule.area,
            role: rule.role,
            severity: None,
            kind: "correlation",
            meaning: d.meaning,
            evidence: d.evidence,
            fix: RuleFix::Text(d.fix),
            source: d.source,
            caveats: d.caveats,
            positive: rule.positive,
            negative: rule.negative,
        }
    }

    fn of_signature(sig: &'static Signature) -> RuleInfo {
        RuleInfo {
            id: sig.id,
            title: sig.name,
            area: sig.area,
            role: sig.role,
            severity: Some(sig.severity),
            kind: "signature",
            meaning: sig.meaning,
            evidence: sig.patterns().first().map_or("", |p| p.text),
            fix: RuleFix::Steps(sig.fix),
            source: sig.source,
            caveats: sig.caveats,
            positive: sig.positive,
            negative: sig.negative,
        }
    }
}

/// Every rule, in report order: correlation causes, signature rules (causes first), symptoms.
pub fn all() -> &'static [RuleInfo] {
    static ALL: OnceLock<Vec<RuleInfo>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<RuleInfo> = CAUSES.iter().map(|r| RuleInfo::of_rule(r)).collect();
        let mut sigs: Vec<&'static Signature> = catalogue::SIGNATURES.iter().collect();
        sigs.sort_by_key(|s| (s.role, s.id));
        out.extend(sigs.into_iter().map(RuleInfo::of_signature));
        out.extend(SYMPTOMS.iter().map(|r| RuleInfo::of_rule(r)));
        out
    })
}

/// A rule's place in [`all`], for ordering findings.
pub fn rank(id: &str) -> usize {
    all().iter().position(|r| r.id == id).unwrap_or(usize::MAX)
}

/// Every rule's findings on the model.
pub fn run(model: &Model<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = CAUSES.iter().flat_map(|r| (r.check)(model)).collect();
    findings.extend(signatures::check(model));
    findings.extend(SYMPTOMS.iter().flat_map(|r| (r.check)(model)));
    findings
}
