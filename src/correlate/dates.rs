//! Puts every file on an absolute (naive, per-host) time line.
//!
//! Legacy lines carry only a time of day; the date comes from the file name (reference §1.2).
//! A file whose name has no date borrows one from the other files, and says so. A rotation
//! file that continues another past midnight is moved to the next day.

use super::FileView;
use crate::vocab::time::{Date, MS_PER_DAY};
use std::collections::BTreeMap;

const NEW_DAY_STEP_BACK_MS: i64 = 12 * 3_600_000;

pub(super) fn assign(views: &mut [FileView<'_>], notes: &mut Vec<String>) {
    let dated: Vec<(Option<String>, Date)> = views
        .iter()
        .filter(|v| v.facts.format.is_log())
        .filter_map(|v| v.facts.meta.date.or(v.facts.date_from_lines).map(|d| (v.facts.meta.host.clone(), d)))
        .collect();

    for view in views.iter_mut() {
        if let Some(date) = view.facts.meta.date.or(view.facts.date_from_lines) {
            view.base_ms = date.start_ms();
            view.date_known = true;
        } else if view.facts.format.is_log() {
            let same_host =
                dated.iter().filter(|(h, _)| h.is_some() && *h == view.facts.meta.host).map(|(_, d)| *d).min();
            if let Some(date) = same_host.or_else(|| dated.iter().map(|(_, d)| *d).min()) {
                view.base_ms = date.start_ms();
                view.date_known = true;
                view.notes.push(format!(
                    "Dated {} like the other files from {}: an assumption, since its name carries no date.",
                    date.iso(),
                    if same_host.is_some() { "its host" } else { "this bundle" }
                ));
            }
        }
    }
    if dated.is_empty() && views.iter().any(|v| v.facts.format.is_log()) {
        notes.push("No file name carries a date, so times are shown without dates.".into());
    }
    continue_streams_past_midnight(views);
}

/// Files of one process in one folder form a stream (daily files, rotation files). A file whose
/// first line lies more than 12 hours before the previous file's last line continues it on the
/// next day.
fn continue_streams_past_midnight(views: &mut [FileView<'_>]) {
    let mut streams: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, view) in views.iter().enumerate() {
        let (Some(process), Some(_)) = (&view.process, view.facts.first_ms) else { continue };
        let folder = view.facts.path.rsplit_once(['/', '\\']).map_or("", |(dir, _)| dir).to_string();
        streams.entry((folder, process.clone())).or_default().push(i);
    }
    for files in streams.values_mut() {
        crate::order::sort_by_key(files, |&i| {
            let v = &views[i];
            (v.base_ms, v.facts.meta.rotation, v.facts.path.clone())
        });
        for pair in files.windows(2) {
            let (prev, cur) = (&views[pair[0]], &views[pair[1]]);
            let (Some(prev_last), Some(cur_first)) = (prev.facts.last_ms, cur.facts.first_ms) else { continue };
            if prev.date_known != cur.date_known {
                continue;
            }
            let prev_end = prev.base_ms + prev_last;
            let mut base = cur.base_ms;
            while base + cur_first < prev_end - NEW_DAY_STEP_BACK_MS {
                base += MS_PER_DAY;
            }
            if base != cur.base_ms {
                let prev_path = prev.facts.path.clone();
                let cur = &mut views[pair[1]];
                cur.base_ms = base;
                cur.notes.push(format!(
                    "Continues {prev_path} past midnight: its lines are dated {}.",
                    Date::from_days_since_epoch(base.div_euclid(MS_PER_DAY)).iso()
                ));
            }
        }
    }
}
