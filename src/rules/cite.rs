//! What a finding shows of an event: the evidence line it cites and the timeline mark it draws.
//! The correlation model knows events; these turn them into the report's words.

use crate::correlate::{EvRef, Model};
use crate::report::{Evidence, Mark, MarkKind};
use crate::vocab::FileFormat;

/// The log line of event `r`, to cite (its text is read back later, see `LineSource`).
pub fn evidence(model: &Model<'_>, r: EvRef) -> Evidence {
    let view = model.file(r);
    let event = model.event(r);
    Evidence {
        file: view.facts.path.clone(),
        line: event.line,
        offset: event.offset,
        time: if model.time_known(r) { model.iso(r) } else { String::new() },
        host: model.hosts[view.host.0].label(),
        process: model.own_process(r).map(str::to_string).or_else(|| view.process.clone()),
        text: String::new(),
    }
}

/// A timeline mark at event `r` (and to `end_ms` on the reference clock, for spans).
pub fn mark(model: &Model<'_>, r: EvRef, kind: MarkKind, end_ms: Option<i64>, label: String) -> Mark {
    let view = model.file(r);
    Mark {
        host: model.hosts[view.host.0].short(),
        // A lane is a log one can read: the Job Details' lines stay in theirs, whatever
        // process each names.
        process: match view.facts.format {
            FileFormat::JobDetails => view.process.clone(),
            _ => model.own_process(r).map(str::to_string).or_else(|| view.process.clone()),
        },
        kind,
        start_ms: model.aligned_ms(r),
        end_ms,
        label,
        file: view.facts.path.clone(),
        line: model.event(r).line,
    }
}
