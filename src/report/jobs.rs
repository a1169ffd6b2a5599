//! The night's jobs (issue 23): what the job lists dropped with the logs say, grouped. A
//! `bpdbjobs -report -all_columns`/`-most_columns` listing or a REST `GET /admin/jobs` page is
//! read job by job; failed and partial jobs are grouped by cause, then by what they share.
//! Absent from a report when no job list was read.

use super::Owner;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rows kept in [`Jobs::rows`]: failed and partial first, then the rest; past it they are
/// counted in `rows_omitted` (nbtriage's bound, so a report of 200,000 jobs stays small).
pub const MAX_ROWS: usize = 20_000;

/// The jobs of every job list read, the same job in two lists counted once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Jobs {
    /// Distinct jobs (by job id) in the lists.
    pub total: u64,
    /// Done jobs whose status is neither 0 nor 1.
    pub failed: u64,
    /// Done jobs with status 1 (partially successful).
    pub partial: u64,
    /// Failed jobs a later job of the same client, policy and schedule made good (status 0 or 1,
    /// started after it failed): counted here, and not in `failed`.
    pub retried_ok: u64,
    /// Failed and partial jobs by cause, then by what they share; largest first.
    pub groups: Vec<JobGroup>,
    /// Failed and partial first (newest first), then the rest, at most [`MAX_ROWS`].
    pub rows: Vec<JobRow>,
    /// Jobs not in `rows` (past [`MAX_ROWS`]).
    pub rows_omitted: u64,
    /// Done jobs by the hour they ended in (UTC), by status; hours with none left out.
    pub hours: Vec<JobHour>,
    /// Each debug log host's clock against the job lists' UTC, where events both record give it.
    pub clock: Vec<JobClock>,
}

/// Failed or partial jobs with one cause and one thing in common.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobGroup {
    /// The jobs' status (each job's final status).
    pub status: u32,
    /// The rule whose finding explains them (a catalogue signature's id when one matched a line of
    /// their tries), else `job-status`.
    pub rule: String,
    /// One sentence: the cause.
    pub title: String,
    pub owner: Owner,
    /// Jobs in the group (parents and children each count once).
    pub count: u64,
    /// Of those, how many a later job made good.
    pub retried_ok: u64,
    /// Distinct values among the group's jobs, sorted.
    pub clients: Vec<String>,
    pub policies: Vec<String>,
    pub media_servers: Vec<String>,
    pub storage_units: Vec<String>,
    /// The group's job ids, ascending (at most [`MAX_GROUP_IDS`]).
    pub job_ids: Vec<u64>,
    /// What they share, in words: "all 14 on media server m02".
    pub shares: String,
    /// What the cause usually means, from the catalogue.
    pub explanation: String,
    /// The one thing to do first, then the rest.
    pub fix: Vec<String>,
}

/// Job ids listed per group.
pub const MAX_GROUP_IDS: usize = 1_000;

/// One job, as the jobs table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: u64,
    /// Its parent job's id (a database's or a VM policy's parent), when it has one.
    pub parent: Option<u64>,
    /// "backup", "restore", ... ("" when the list gives none); a code nbtriage cannot name as `type N`.
    pub job_type: String,
    /// "queued", "active", "requeued", "done", "suspended", "incomplete".
    pub state: String,
    /// The final status of a done job.
    pub status: Option<u32>,
    pub client: String,
    pub policy: String,
    pub schedule: String,
    pub media_server: String,
    pub storage_unit: String,
    /// Epoch milliseconds, UTC.
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub tries: u32,
    /// Index into [`Jobs::groups`].
    pub group: Option<usize>,
    /// A failed job a later job made good.
    pub retried_ok: bool,
    /// The job list it was read from (the first, when it is in two).
    pub file: String,
    /// 1-based line of its record (bpdbjobs); absent for a REST page.
    pub line: Option<u64>,
}

/// Done jobs that ended in one hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobHour {
    /// The hour's start, epoch milliseconds UTC.
    pub start_ms: i64,
    /// Status (as a string: `"0"`, `"58"`) to count.
    pub by_status: BTreeMap<String, u64>,
}

/// A debug log host's clock against UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobClock {
    pub host: String,
    /// Add to the host's local time to get UTC, when known.
    pub offset_ms: Option<i64>,
    /// How it was decided, in words (or why it could not be).
    pub basis: String,
}

impl Jobs {
    /// One sentence for the reports: how many jobs, how many failed.
    pub fn sentence(&self) -> String {
        let mut parts = vec![format!("{} failed", crate::numbers::grouped(self.failed))];
        if self.partial > 0 {
            parts.push(format!("{} partially successful", crate::numbers::grouped(self.partial)));
        }
        if self.retried_ok > 0 {
            parts.push(format!("{} failed, then made good by a later job", crate::numbers::grouped(self.retried_ok)));
        }
        format!(
            "{} in the job lists: {}; {}.",
            crate::numbers::count(self.total, "job", "jobs"),
            parts.join(", "),
            crate::numbers::count(
                self.groups.len() as u64,
                "group of failed or partial jobs",
                "groups of failed or partial jobs"
            )
        )
    }
}

impl JobGroup {
    /// "2 jobs, status 58": the group's size and status.
    pub fn size(&self) -> String {
        let made_good = if self.retried_ok > 0 {
            format!(" ({} made good by a later job)", self.retried_ok)
        } else {
            String::new()
        };
        format!("{}, status {}{made_good}", crate::numbers::count(self.count, "job", "jobs"), self.status)
    }

    /// The group's job ids, the first few, as text.
    pub fn ids(&self) -> String {
        const SHOWN: usize = 12;
        let mut ids: Vec<String> = self.job_ids.iter().take(SHOWN).map(u64::to_string).collect();
        if self.count as usize > SHOWN {
            ids.push(format!("and {} more", self.count as usize - SHOWN));
        }
        ids.join(", ")
    }
}
