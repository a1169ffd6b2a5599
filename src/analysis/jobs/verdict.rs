//! The job lists' part of the verdict (the table in `analysis::verdict`): a list with failed or
//! partial jobs is never green; jobs all done with status 0 are evidence of health for those jobs.
//! What the logs found stands first; the jobs are added to it, or decide when the logs say
//! nothing.

use crate::numbers::count;
use crate::report::jobs::Jobs;
use crate::report::{Headline, Role, Verdict};

/// Folds the jobs into the verdict and its headline.
pub fn fold_into_verdict(jobs: &Jobs, verdict: &mut Verdict, headline: &mut Headline) {
    let bad = jobs.failed + jobs.partial + jobs.retried_ok;
    let summary = summary(jobs);
    let quiet = matches!(*verdict, Verdict::NothingRead | Verdict::NoFailureSeen | Verdict::Clean);
    match (jobs.groups.first(), quiet) {
        (Some(largest), true) => {
            let explained = crate::catalogue::SIGNATURES.iter().any(|s| s.id == largest.rule && s.role == Role::Cause);
            *verdict = if explained { Verdict::CauseFound } else { Verdict::ErrorsUnexplained };
            let not_healthy = if explained {
                ""
            } else {
                ", and no known pattern explains it: this does not mean the other jobs are healthy"
            };
            headline.text = format!(
                "{summary} The largest group: {} ({}){not_healthy}. Who should act: {}.",
                largest.title.trim_end_matches('.'),
                largest.shares,
                largest.owner.label()
            );
            headline.owner = Some(largest.owner);
            headline.send = largest.fix.first().cloned();
        }
        (Some(_), false) => headline.text = format!("{} {summary}", headline.text),
        (None, true) if bad == 0 && jobs.total > 0 && all_done(jobs) => {
            *verdict = Verdict::Clean;
            headline.text = format!("{summary} Every job in the job list ended with status 0: evidence of health for those jobs, not for others.");
            headline.owner = None;
            headline.send = None;
        }
        (None, true) if *verdict == Verdict::NothingRead => {
            *verdict = Verdict::NoFailureSeen;
            headline.text = format!(
                "{summary} No job in the list failed, but not every job is done: the list does not say how those end."
            );
            headline.owner = None;
            headline.send = None;
        }
        (None, _) => headline.text = format!("{} {summary}", headline.text),
    }
}

/// "The job list holds 1,204 jobs: 14 failed, 2 partially successful, 3 failed then made good by a later job."
fn summary(jobs: &Jobs) -> String {
    let mut parts = vec![format!("{} failed", crate::numbers::grouped(jobs.failed))];
    if jobs.partial > 0 {
        parts.push(format!("{} partially successful", crate::numbers::grouped(jobs.partial)));
    }
    if jobs.retried_ok > 0 {
        parts.push(format!("{} failed, then made good by a later job", crate::numbers::grouped(jobs.retried_ok)));
    }
    format!("The job list holds {}: {}.", count(jobs.total, "job", "jobs"), parts.join(", "))
}

/// Whether every job the rows show is done (the rows hold failed ones first, so a list past the
/// rows' cap is judged by them all only when none was left out).
fn all_done(jobs: &Jobs) -> bool {
    jobs.rows_omitted == 0 && jobs.rows.iter().all(|r| r.state == "done")
}
