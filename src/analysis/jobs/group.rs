//! Failed and partial jobs grouped: by cause first (the catalogue signature a try line matched,
//! else the status), then by the one of client, policy, media server and storage unit that
//! gathers most of them, largest group first. Each group says what its jobs share.

use super::JobView;
use crate::catalogue::{self, Basis};
use crate::report::jobs::{JobGroup, MAX_GROUP_IDS};
use crate::report::Owner;
use std::collections::BTreeMap;

/// The four things jobs can share, in the order the issue lists them.
const DIMENSIONS: [(&str, &str); 4] = [
    ("client", "of client"),
    ("policy", "in policy"),
    ("media server", "on media server"),
    ("storage unit", "to storage unit"),
];

fn value<'a>(v: &JobView<'a>, dimension: usize) -> &'a str {
    let f = v.fact;
    v.name([f.client, f.policy, f.media_server, f.storage_unit][dimension])
}

/// The groups, and each grouped job's group index.
pub(super) fn groups(views: &[JobView<'_>]) -> (Vec<JobGroup>, BTreeMap<u64, usize>) {
    let mut by_cause: BTreeMap<(String, u32), Vec<&JobView<'_>>> = BTreeMap::new();
    for v in views.iter().filter(|v| v.failed_or_partial()) {
        let status = v.status().unwrap_or(0);
        by_cause.entry((rule_of(v, status), status)).or_default().push(v);
    }
    let mut groups: Vec<(Vec<&JobView<'_>>, String, u32)> = Vec::new();
    for ((rule, status), jobs) in by_cause {
        for part in split(jobs) {
            groups.push((part, rule.clone(), status));
        }
    }
    // Failures before partial successes, then the largest first.
    crate::order::sort_by_key(&mut groups, |(jobs, rule, status)| {
        (*status == 1, std::cmp::Reverse(jobs.len()), *status, rule.clone())
    });
    let mut group_of = BTreeMap::new();
    let out = groups
        .into_iter()
        .enumerate()
        .map(|(i, (jobs, rule, status))| {
            for v in &jobs {
                group_of.insert(v.fact.id, i);
            }
            group(&jobs, rule, status)
        })
        .collect();
    (out, group_of)
}

/// A cause's jobs split by the dimension whose commonest value gathers most of them (the first
/// in [`DIMENSIONS`] on a tie); one part when they all share one.
fn split<'a, 'b>(jobs: Vec<&'b JobView<'a>>) -> Vec<Vec<&'b JobView<'a>>> {
    let mut best: Option<(usize, usize)> = None; // (largest bucket, dimension)
    for d in 0..DIMENSIONS.len() {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for v in &jobs {
            *counts.entry(value(v, d)).or_default() += 1;
        }
        let largest = counts.values().copied().max().unwrap_or(0);
        if largest == jobs.len() {
            return vec![jobs];
        }
        if best.is_none_or(|(n, _)| largest > n) {
            best = Some((largest, d));
        }
    }
    let Some((_, d)) = best else { return vec![jobs] };
    let mut parts: BTreeMap<&str, Vec<&JobView<'_>>> = BTreeMap::new();
    for v in jobs {
        parts.entry(value(v, d)).or_default().push(v);
    }
    parts.into_values().collect()
}

/// The rule that explains a job: its try lines' signature, else its status's own rule, else the
/// bare status.
fn rule_of(v: &JobView<'_>, status: u32) -> String {
    let signature =
        v.fact.cause.and_then(|p| catalogue::PATTERNS.get(p as usize)).and_then(|p| catalogue::SIGNATURES.get(p.rule));
    match (signature, catalogue::status(status).and_then(|e| e.rule.as_ref())) {
        (Some(s), _) => s.id.to_string(),
        (None, Some(r)) => r.id.to_string(),
        (None, None) => "job-status".to_string(),
    }
}

fn group(jobs: &[&JobView<'_>], rule: String, status: u32) -> JobGroup {
    let distinct = |d: usize| {
        let mut values: Vec<String> = jobs.iter().map(|v| value(v, d).to_string()).filter(|s| !s.is_empty()).collect();
        crate::order::sort(&mut values);
        values.dedup();
        values
    };
    let mut job_ids: Vec<u64> = jobs.iter().map(|v| v.fact.id).collect();
    crate::order::sort(&mut job_ids);
    job_ids.truncate(MAX_GROUP_IDS);
    let (title, owner, explanation, fix) = words(&rule, status);
    let all = [distinct(0), distinct(1), distinct(2), distinct(3)];
    JobGroup {
        status,
        title,
        owner,
        count: jobs.len() as u64,
        retried_ok: jobs.iter().filter(|v| v.retried_ok).count() as u64,
        shares: shares(jobs.len(), &all),
        clients: all[0].clone(),
        policies: all[1].clone(),
        media_servers: all[2].clone(),
        storage_units: all[3].clone(),
        job_ids,
        rule,
        explanation,
        fix,
    }
}

/// "all 14 on media server m02, in policy P", or what they do not share.
fn shares(n: usize, values: &[Vec<String>; 4]) -> String {
    let shared: Vec<String> = DIMENSIONS
        .iter()
        .zip(values)
        .filter(|(_, v)| v.len() == 1)
        .map(|((_, words), v)| format!("{words} {}", v[0]))
        .collect();
    let who = if n == 1 { "the one job".to_string() } else { format!("all {n}") };
    if shared.is_empty() && n == 1 {
        return "the one job, which names no client, policy, media server or storage unit".to_string();
    }
    if shared.is_empty() {
        return format!("{who}: no client, policy, media server or storage unit in common");
    }
    format!("{who} {}", shared.join(", "))
}

/// Title, owner, explanation and fix of a cause, from the catalogue.
fn words(rule: &str, status: u32) -> (String, Owner, String, Vec<String>) {
    let phrase = catalogue::status_phrase(status);
    let entry = catalogue::status(status);
    if let Some(s) = catalogue::SIGNATURES.iter().find(|s| s.id == rule) {
        let fix = s.fix.iter().map(|t| catalogue::template::fill(t, |_| None)).filter(|t| !t.contains('{')).collect();
        return (format!("{}: {phrase}", s.name), s.owner, s.meaning.to_string(), fix);
    }
    let mut fix: Vec<String> = Vec::new();
    let mut explanation = entry.map(|e| e.meaning.to_string()).unwrap_or_default();
    let title = match entry.and_then(|e| e.rule.as_ref()) {
        Some(r) => {
            fix.extend(r.fix.iter().map(|s| s.to_string()));
            if explanation.is_empty() {
                explanation = r.meaning.to_string();
            }
            if r.name.contains(&format!("status {status}")) {
                r.name.to_string()
            } else {
                format!("{}: {phrase}", r.name)
            }
        }
        None => capitalized(&phrase),
    };
    fix.push(catalogue::step(
        "Read one job's Job Details (its try lines in the job list, or the Activity Monitor): they name the process and host whose log to read next.",
        Basis::Practice,
    ));
    if let Some(next) = entry.map(|e| e.read_next).filter(|r| !r.is_empty()) {
        fix.push(format!("For status {status}: {next}"));
    }
    // Reading NetBackup's logs is the backup admin's step, never the network team's.
    let owner = match entry {
        Some(e) if e.rule.is_some() || e.owner != Owner::NetworkTeam => e.owner,
        _ => Owner::BackupAdmin,
    };
    (title, owner, explanation, fix)
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
