//! Puts every file on an absolute (naive, per-host) time line.
//!
//! Legacy lines carry only a time of day; the date comes from the file name (reference §1.2).
//! A file whose name has no date borrows one from the other files, and says so; a file whose
//! lines carry month and day but no year borrows only the year (`years`). A rotation file that
//! continues another past midnight is moved to the next day.

use super::years::{self, Lender};
use super::FileView;
use crate::facts::year_less::YearLess;
use crate::vocab::time::{Date, MS_PER_DAY};
use std::collections::BTreeMap;

const NEW_DAY_STEP_BACK_MS: i64 = 12 * 3_600_000;

pub(super) fn assign(views: &mut [FileView<'_>], notes: &mut Vec<String>) {
    let mut dated: Vec<(Date, String, Option<String>)> = views
        .iter()
        .filter(|v| v.facts.format.is_log())
        .filter_map(|v| {
            let date = v.facts.meta.date.or(v.facts.date_from_lines)?;
            Some((date, v.facts.path.clone(), v.facts.meta.host.clone()))
        })
        .collect();
    // The earliest first (then by path), whatever order the files came in.
    crate::order::sort_by(&mut dated, |a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));

    for view in views.iter_mut() {
        let host = view.facts.meta.host.clone();
        let same_host = dated.iter().find(|(_, _, h)| h.is_some() && *h == host);
        let lender = same_host.or(dated.first());
        if let Some(date) = view.facts.meta.date.or(view.facts.date_from_lines) {
            view.base_ms = date.start_ms();
            view.date_known = true;
        } else if let (Some(year_less), true) = (view.facts.year_less, view.facts.format.is_log()) {
            borrow_year(
                view,
                &year_less,
                lender.map(|(date, path, _)| Lender { path, date: *date, same_host: same_host.is_some() }),
            );
        } else if let (Some((date, _, _)), true) = (lender, view.facts.format.is_log()) {
            view.base_ms = date.start_ms();
            view.date_known = true;
            view.notes.push(format!(
                "Dated {} like the other files from {}: an assumption, since its name carries no date.",
                date.iso(),
                if same_host.is_some() { "its host" } else { "this bundle" }
            ));
        }
    }
    if dated.is_empty() && views.iter().any(|v| v.facts.format.is_log()) {
        notes.push("No file name carries a date, so times are shown without dates.".into());
    }
    continue_streams_past_midnight(views);
}

/// A file whose lines carry month and day but no year: the year borrowed from `lender`, or, with
/// no dated file in the bundle, no year at all (never a made-up one).
fn borrow_year(view: &mut FileView<'_>, year_less: &YearLess, lender: Option<Lender<'_>>) {
    let Some(lender) = lender else {
        view.notes.push(format!(
            "Its lines carry month and day ({} to {}) but no year, and no file of the bundle gives one: they are shown by time of day, with no year made up.",
            years::day_and_month(year_less.month, year_less.day),
            years::day_and_month(year_less.last_month, year_less.last_day)
        ));
        return;
    };
    let last_day = view.facts.last_ms.map_or(year_less.day_index, |ms| ms.div_euclid(MS_PER_DAY));
    let (year, fits) = years::choose(year_less, last_day - year_less.day_index, lender.date);
    let first = years::first_date(year_less, year);
    view.base_ms = (first.days_since_epoch() - year_less.day_index) * MS_PER_DAY;
    view.date_known = true;
    view.notes.extend(years::notes(year_less, year, fits, &lender));
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
