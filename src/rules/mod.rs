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

mod bpcd_reachable;
mod ca_certificate_listed;
mod ca_certificate_received;
mod capture_handshake;
mod capture_idle_reset;
mod capture_words;
mod capture_zero_window;
pub mod cite;
mod command_exit;
mod command_lines;
mod connect_refused;
mod disk_storage_state;
mod first_error;
mod forward_socket_expired;
mod idle_drop;
mod job_status;
mod netstat_syn_sent;
mod netstat_words;
mod pbx_connect_timeout;
mod read_timeout;
mod server_identifies_host;
mod server_list;
mod settings_of;
mod signatures;
mod silence;
mod silence_end;
mod status_stated;
mod storage_server_up;
mod tape_drives_state;
mod words;

use crate::catalogue::{self, Brief, Signature, SignatureId, SourceId, StatusEntry, StatusRule};
use crate::correlate::Model;
use crate::report::{status_fact, Area, Finding, Owner, Role, Severity};
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
    /// The public documents the facts come from (`src/catalogue/sources.toml`).
    pub sources: &'static [SourceId],
    /// What is inferred rather than stated by a source; the finding's words say "likely" there.
    pub caveats: &'static str,
}

/// A correlation rule.
pub struct Rule {
    pub doc: RuleDoc,
    pub area: Area,
    pub role: Role,
    pub check: fn(&Model<'_>) -> Vec<Finding>,
    /// Rules whose findings this one replaces when it fires: a measured explanation of the same
    /// lines (`read-timeout` measures what `socket-read-failed` only states).
    pub explains: &'static [SignatureId],
    /// Bundles under `tests/bundles/` that must raise this rule, and bundles that must not.
    /// `tests/rules.rs` checks every one.
    pub positive: &'static [&'static str],
    pub negative: &'static [&'static str],
}

impl Rule {
    /// A warning of this rule read from network evidence (a packet capture or netstat output):
    /// it rests on no log line and draws no mark, and it cites the rule's sources and caveats.
    /// The caller fills in what it says (`..rule.network_finding(owner)`).
    fn network_finding(&self, owner: Owner) -> Finding {
        Finding {
            rule: self.doc.id.into(),
            severity: Severity::Warning,
            title: String::new(),
            summary: String::new(),
            fix: Vec::new(),
            evidence: Vec::new(),
            facts: Default::default(),
            marks: Vec::new(),
            area: Some(self.area),
            role: self.role,
            owner,
            figures: Vec::new(),
            request: None,
            collect: Vec::new(),
            source: catalogue::cite(self.doc.sources),
            caveats: self.doc.caveats.to_string(),
            owner_note: String::new(),
        }
    }
}

/// Correlation rules that name causes. Among findings of equal severity and role the report
/// keeps the order of [`all`]: these, then the signature rules, then the symptoms.
static CAUSES: &[&Rule] = &[
    &pbx_connect_timeout::RULE,
    &forward_socket_expired::RULE,
    &connect_refused::RULE,
    &read_timeout::RULE,
    &idle_drop::RULE,
    &server_list::RULE,
    &capture_handshake::RULE,
    &capture_zero_window::RULE,
    &capture_idle_reset::RULE,
    &netstat_syn_sent::RULE,
];
/// Correlation rules that state symptoms; the first error comes last, and only when nothing
/// else explains a failure.
static SYMPTOMS: &[&Rule] = &[
    &job_status::RULE,
    &status_stated::RULE,
    &silence::RULE,
    &first_error::RULE,
    &bpcd_reachable::RULE,
    &server_identifies_host::RULE,
    &ca_certificate_received::RULE,
    &ca_certificate_listed::RULE,
    &storage_server_up::RULE,
    &disk_storage_state::RULE,
    &tape_drives_state::RULE,
    &command_exit::RULE,
];
/// Rules on admin commands' output: a command's state, never a job's (they run after the first
/// error is decided, so a command's exit does not make a job's failure).
static COMMANDS: &[&Rule] = &[
    &bpcd_reachable::RULE,
    &server_identifies_host::RULE,
    &ca_certificate_received::RULE,
    &ca_certificate_listed::RULE,
    &storage_server_up::RULE,
    &disk_storage_state::RULE,
    &tape_drives_state::RULE,
    &command_exit::RULE,
];

/// The correlation rules' briefs, worked out when compiling: strings and no function pointer, so
/// the page's WebAssembly, which lists the rules, does not link their code and the catalogue
/// (reading `CAUSES` at run time would, as the size-optimized build does).
static CAUSE_BRIEFS: [Brief; CAUSES.len()] = briefs_of(CAUSES);
static SYMPTOM_BRIEFS: [Brief; SYMPTOMS.len()] = briefs_of(SYMPTOMS);

const fn briefs_of<const N: usize>(rules: &[&Rule]) -> [Brief; N] {
    const fn brief(r: &Rule) -> Brief {
        Brief { id: r.doc.id, title: r.doc.title, meaning: r.doc.meaning, area: r.area, role: r.role }
    }
    let mut out = [brief(rules[0]); N];
    let mut i = 1;
    while i < N {
        out[i] = brief(rules[i]);
        i += 1;
    }
    out
}

/// What `nbtriage rules` and the page's "What nbtriage can diagnose" list for every rule.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub area: Area,
    pub role: Role,
    /// The most severe finding it gives; None when it depends on the case.
    pub severity: Option<Severity>,
    /// "correlation" (Rust), "signature" (catalogue data) or "status" (a status table entry's rule).
    pub kind: &'static str,
    pub meaning: &'static str,
    pub evidence: &'static str,
    pub fix: RuleFix,
    /// The public documents it rests on: titles, with addresses.
    pub source: String,
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
            source: catalogue::cite(d.sources),
            caveats: d.caveats,
            positive: rule.positive,
            negative: rule.negative,
        }
    }

    fn of_status(entry: &'static StatusEntry, rule: &'static StatusRule) -> RuleInfo {
        RuleInfo {
            id: rule.id,
            title: rule.name,
            area: entry.area.unwrap_or(Area::Network),
            role: Role::Symptom,
            severity: Some(rule.severity),
            kind: "status",
            meaning: rule.meaning,
            evidence: entry.message,
            fix: RuleFix::Steps(rule.fix),
            source: rule.source.to_string(),
            caveats: rule.caveats,
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
            source: sig.source.to_string(),
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
        out.extend(signature_order().into_iter().map(|i| RuleInfo::of_signature(&catalogue::SIGNATURES[i])));
        out.extend(catalogue::STATUSES.iter().filter_map(|e| Some(RuleInfo::of_status(e, e.rule.as_ref()?))));
        out.extend(SYMPTOMS.iter().map(|r| RuleInfo::of_rule(r)));
        out
    })
}

/// Every rule's id, title, meaning, area and role, in [`all`]'s order: what the page lists.
/// The page's WebAssembly holds these and not the whole catalogue (patterns, templates, fixes,
/// samples), which only the analysis needs.
pub fn briefs() -> &'static [Brief] {
    static BRIEFS: OnceLock<Vec<Brief>> = OnceLock::new();
    BRIEFS.get_or_init(|| {
        let mut out: Vec<Brief> = CAUSE_BRIEFS.to_vec();
        out.extend(signature_order().into_iter().map(|i| catalogue::SIGNATURE_BRIEFS[i]));
        out.extend(catalogue::STATUS_RULE_BRIEFS.iter().copied());
        out.extend(SYMPTOM_BRIEFS.iter().copied());
        out
    })
}

/// Signatures in report order (causes first, then by id), as indexes into the catalogue.
fn signature_order() -> Vec<usize> {
    let briefs = catalogue::SIGNATURE_BRIEFS;
    let mut order: Vec<usize> = (0..briefs.len()).collect();
    crate::order::sort_by_key(&mut order, |&i| (briefs[i].role, briefs[i].id));
    order
}

/// The silences before failures, but those a cause already measures (`read-timeout`,
/// `idle-drop`: the same line, the same quiet).
fn silences(model: &Model<'_>, findings: &[Finding]) -> Vec<Finding> {
    let measured: Vec<(&str, u64)> = findings
        .iter()
        .filter(|f| f.rule == read_timeout::RULE.doc.id || f.rule == idle_drop::RULE.doc.id)
        .flat_map(|f| f.evidence.iter().map(|e| (e.file.as_str(), e.line)))
        .collect();
    let mut out = (silence::RULE.check)(model);
    out.retain(|f| f.evidence.last().is_none_or(|e| !measured.contains(&(e.file.as_str(), e.line))));
    out
}

/// A rule's place in [`all`], for ordering findings.
pub fn rank(id: &str) -> usize {
    all().iter().position(|r| r.id == id).unwrap_or(usize::MAX)
}

/// Every rule's findings on the model, the most specific kept where two say the same thing:
/// a rule's findings give way to those of a rule that explains them, a bare status to a finding
/// that names that status, and the first error is named only when no cause was found.
pub fn run(model: &Model<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = CAUSES.iter().flat_map(|r| (r.check)(model)).collect();
    findings.extend(signatures::check(model));
    findings.extend((job_status::RULE.check)(model));
    findings.extend((status_stated::RULE.check)(model));
    findings.extend(silences(model, &findings));
    let explained: Vec<&str> = CAUSES
        .iter()
        .filter(|r| findings.iter().any(|f| f.rule == r.doc.id))
        .flat_map(|r| r.explains.iter().map(|s| s.signature().id))
        .collect();
    findings.retain(|f| !explained.contains(&f.rule.as_str()));
    // A bare status gives way to a finding about that status (status rules are bare statuses too).
    let is_status_finding = |f: &Finding| {
        f.rule == job_status::RULE.doc.id
            || f.rule == status_stated::RULE.doc.id
            || catalogue::STATUSES.iter().any(|e| e.rule.as_ref().is_some_and(|r| r.id == f.rule))
    };
    let stated: Vec<u64> = findings.iter().filter(|f| !is_status_finding(f)).filter_map(|f| f.status()).collect();
    findings.retain(|f| !is_status_finding(f) || !f.stated_status().is_some_and(|s| stated.contains(&s)));
    // A database agent's status tied to the database's error (job-status) is explained too.
    let explained_failure =
        findings.iter().any(|f| f.role == Role::Cause || f.facts.contains_key(status_fact::FOLLOWS_FROM));
    let failed = findings.iter().any(|f| f.role == Role::Symptom && f.severity >= Severity::Warning);
    if failed && !explained_failure {
        findings.extend((first_error::RULE.check)(model));
    }
    findings.extend(COMMANDS.iter().flat_map(|r| (r.check)(model)));
    // A line quoted without its time has no place on a timeline.
    for finding in &mut findings {
        finding.marks.retain(|m| model.files.iter().any(|f| f.facts.path == m.file && f.facts.first_ms.is_some()));
    }
    findings
}
