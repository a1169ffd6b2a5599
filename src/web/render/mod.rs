//! Renders the report: cards first, then the timeline, the log viewer and the files panel.

pub mod cards;
pub mod files;
pub mod progress;
pub mod timeline;
pub mod viewer;

use super::dom::{self, by_id};
use crate::parse::time;
use crate::report::Report;
use crate::viewer::Histogram;

pub fn show_report(report: &Report, histogram: Option<&Histogram>, lines: u64) {
    cards::render(report);
    timeline::render(report);
    viewer::reset(report, histogram, lines);
    files::render(report);
    dom::show(&by_id("results"), true);
    by_id("diagnosis-title").focus().ok();
}

/// `17:46:36.299` (with the date when it is not the same as `day_of`).
pub fn clock_time(ms: i64) -> String {
    time::time_of_day(ms)
}

/// Turns `total_wait_s` into `total-wait-s` for a data attribute.
pub fn kebab(key: &str) -> String {
    key.replace('_', "-")
}
