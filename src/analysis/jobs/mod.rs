//! The night's jobs (issue 23): every job list's jobs, the same job in two lists once, failed and
//! partial jobs grouped by cause and by what they share ([`group`]), the table's rows, failures
//! per hour, and the verdict's part ([`verdict`]).

mod group;
mod verdict;

pub use verdict::fold_into_verdict;

use crate::correlate::Model;
use crate::facts::jobs::{JobFact, JobList};
use crate::facts::FileFacts;
use crate::report::jobs::{JobClock, JobHour, JobRow, Jobs, MAX_ROWS};
use std::collections::BTreeMap;

/// One distinct job with its names resolved.
pub(crate) struct JobView<'a> {
    pub fact: &'a JobFact,
    pub list: &'a JobList,
    pub file: &'a str,
    pub retried_ok: bool,
}

impl<'a> JobView<'a> {
    pub fn name(&self, i: u32) -> &'a str {
        self.list.name(i)
    }

    pub fn state(&self) -> &'a str {
        self.name(self.fact.state)
    }

    /// Done (or of no stated state, as a husk record) with a status.
    pub fn status(&self) -> Option<u32> {
        self.fact.status.filter(|_| matches!(self.state(), "done" | ""))
    }

    pub fn failed_or_partial(&self) -> bool {
        self.status().is_some_and(|s| s != 0)
    }
}

/// The jobs summary, when a job list was read. `files` are in the analysis's order.
pub fn summarize(files: &[FileFacts], model: &Model<'_>) -> Option<Jobs> {
    let lists: Vec<(&FileFacts, &JobList)> = files.iter().filter_map(|f| f.job_list.as_ref().map(|l| (f, l))).collect();
    if lists.is_empty() {
        return None;
    }
    let mut views = distinct(&lists);
    mark_retried(&mut views);
    let failed = views.iter().filter(|v| v.status().is_some_and(|s| s > 1) && !v.retried_ok).count() as u64;
    let partial = views.iter().filter(|v| v.status() == Some(1)).count() as u64;
    let retried_ok = views.iter().filter(|v| v.retried_ok).count() as u64;
    let (groups, group_of) = group::groups(&views);
    let (rows, rows_omitted) = rows(&views, &group_of);
    Some(Jobs {
        total: views.len() as u64,
        failed,
        partial,
        retried_ok,
        groups,
        rows,
        rows_omitted,
        hours: hours(&views),
        clock: clock(model, &views),
    })
}

/// Each job id once: from the list that knows it best (done before not, more tries), else the
/// first list in the analysis's order.
fn distinct<'a>(lists: &[(&'a FileFacts, &'a JobList)]) -> Vec<JobView<'a>> {
    let mut best: BTreeMap<u64, JobView<'a>> = BTreeMap::new();
    for &(file, list) in lists {
        for fact in &list.jobs {
            let view = JobView { fact, list, file: &file.path, retried_ok: false };
            let better = best.get(&fact.id).is_none_or(|old| rank(&view) > rank(old));
            if better {
                best.insert(fact.id, view);
            }
        }
    }
    best.into_values().collect()
}

fn rank(v: &JobView<'_>) -> (bool, u32) {
    (v.state() == "done", v.fact.tries)
}

/// A failed job (status above 1) that a later job of the same client, policy and schedule ended
/// with status 0.
fn mark_retried(views: &mut [JobView<'_>]) {
    let mut latest_ok: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for v in views.iter().filter(|v| v.status() == Some(0) && v.fact.client != 0 && v.fact.policy != 0) {
        let k =
            (v.name(v.fact.client).to_string(), v.name(v.fact.policy).to_string(), v.name(v.fact.schedule).to_string());
        let start = v.fact.start_s.unwrap_or(i64::MIN);
        let e = latest_ok.entry(k).or_insert(i64::MIN);
        *e = (*e).max(start);
    }
    for v in views.iter_mut().filter(|v| v.status().is_some_and(|s| s > 1)) {
        let k =
            (v.name(v.fact.client).to_string(), v.name(v.fact.policy).to_string(), v.name(v.fact.schedule).to_string());
        let start = v.fact.start_s.unwrap_or(i64::MAX);
        v.retried_ok = latest_ok.get(&k).is_some_and(|&ok| ok > start);
    }
}

/// Failed and partial first, then the rest; newest (highest id) first, a parent's children right
/// after it.
fn rows(views: &[JobView<'_>], group_of: &BTreeMap<u64, usize>) -> (Vec<JobRow>, u64) {
    let mut order: Vec<usize> = (0..views.len()).collect();
    crate::order::sort_by_key(&mut order, |&i| {
        let v = &views[i];
        let family = v.fact.parent.unwrap_or(v.fact.id);
        (!v.failed_or_partial(), std::cmp::Reverse(family), v.fact.parent.is_some(), v.fact.id)
    });
    let omitted = order.len().saturating_sub(MAX_ROWS) as u64;
    let rows =
        order.into_iter().take(MAX_ROWS).map(|i| row(&views[i], group_of.get(&views[i].fact.id).copied())).collect();
    (rows, omitted)
}

fn row(v: &JobView<'_>, group: Option<usize>) -> JobRow {
    let f = v.fact;
    JobRow {
        id: f.id,
        parent: f.parent,
        job_type: v.name(f.job_type).to_string(),
        state: v.state().to_string(),
        status: v.status(),
        client: v.name(f.client).to_string(),
        policy: v.name(f.policy).to_string(),
        schedule: v.name(f.schedule).to_string(),
        media_server: v.name(f.media_server).to_string(),
        storage_unit: v.name(f.storage_unit).to_string(),
        start_ms: f.start_s.map(|s| s * 1000),
        end_ms: f.end_s.map(|s| s * 1000),
        tries: f.tries,
        group,
        retried_ok: v.retried_ok,
        file: v.file.to_string(),
        line: f.line,
    }
}

/// Done jobs by the UTC hour they ended in, by status.
fn hours(views: &[JobView<'_>]) -> Vec<JobHour> {
    let mut by_hour: BTreeMap<i64, BTreeMap<String, u64>> = BTreeMap::new();
    for v in views {
        if let (Some(status), Some(end)) = (v.status(), v.fact.end_s) {
            *by_hour.entry(end.div_euclid(3600) * 3_600_000).or_default().entry(status.to_string()).or_default() += 1;
        }
    }
    by_hour.into_iter().map(|(start_ms, by_status)| JobHour { start_ms, by_status }).collect()
}

/// Each debug log host beside the job lists. The lists' times are UTC, the logs' local with no
/// zone: a host's offset is read from the jobs both name (a job's start in a list, the first line
/// of the host's logs that names the job), never assumed; job times and log lines are not paired.
fn clock(model: &Model<'_>, views: &[JobView<'_>]) -> Vec<JobClock> {
    let starts: BTreeMap<u64, i64> = views.iter().filter_map(|v| Some((v.fact.id, v.fact.start_s? * 1000))).collect();
    let mut by_host: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for view in model.files.iter().filter(|v| v.facts.format.is_log()) {
        let diffs = by_host.entry(model.host(view.host).label()).or_default();
        if view.date_known {
            let both =
                view.facts.job_first_ms.iter().filter_map(|(job, ms)| Some(starts.get(job)? - (view.base_ms + ms)));
            diffs.extend(both);
        }
    }
    by_host.into_iter().map(|(host, diffs)| host_clock(host, diffs)).collect()
}

/// Time zones are whole quarter hours: the median difference is rounded to one.
const QUARTER_HOUR_MS: i64 = 900_000;

fn host_clock(host: String, mut diffs: Vec<i64>) -> JobClock {
    if diffs.is_empty() {
        return JobClock {
            basis: "Not derived: the job list's times are UTC and this host's log times are local with no zone, and no job is named both by the list and by a dated line of this host's logs, so job times and log lines are not paired by time.".into(),
            host,
            offset_ms: None,
        };
    }
    crate::order::sort(&mut diffs);
    let median = diffs[diffs.len() / 2];
    let offset = (median as f64 / QUARTER_HOUR_MS as f64).round() as i64 * QUARTER_HOUR_MS;
    let basis = format!(
        "Estimated from {}: the job list's start (UTC) minus the time of the first line of this host's logs that names the job (local), median {}, rounded to a whole quarter hour (nbtriage's inference: time zones are whole quarter hours, and a job may be named before it starts, while queued). Job times and log lines are still not paired by time.",
        crate::numbers::count(diffs.len() as u64, "job", "jobs"),
        signed_duration(median)
    );
    JobClock { host, offset_ms: Some(offset), basis }
}

fn signed_duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "+" };
    format!("{sign}{}", crate::vocab::time::human_duration(ms.abs()))
}
