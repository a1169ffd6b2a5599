//! Links Job Details text to the processes' own logs: a Job Details line that names a process
//! and its pid (`Error bpbrm (pid=7249) socket read failed ...`, reference §1.5) points at the
//! log that process wrote, which holds the rest of the story.

use super::FileView;
use crate::vocab::FileFormat;

/// Adds a note to each Job Details file for every named process whose log is in the bundle,
/// and to that log.
pub(super) fn link(views: &mut [FileView<'_>]) {
    let mut links: Vec<(usize, usize, String, u32)> = Vec::new();
    for (j, view) in views.iter().enumerate().filter(|(_, v)| v.facts.format == FileFormat::JobDetails) {
        for (process, pid) in &view.facts.named_pids {
            for (l, log) in views.iter().enumerate() {
                let same_process = log.process.as_deref() == Some(process.as_str());
                if l != j && same_process && log.facts.format.is_log() && log.facts.pids.binary_search(pid).is_ok() {
                    links.push((j, l, process.clone(), *pid));
                }
            }
        }
    }
    for (j, l, process, pid) in links {
        let (job_path, log_path) = (views[j].facts.path.clone(), views[l].facts.path.clone());
        views[j].notes.push(format!("Names {process} (pid {pid}), whose own log is {log_path}."));
        views[l].notes.push(format!("The Job Details in {job_path} name this process ({process}, pid {pid})."));
    }
}
