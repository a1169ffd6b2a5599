//! Progress while reading: percent, MB/s, the current file, and a cancel button.

use crate::web::dom::{self, by_id};
use web_sys::File;

pub fn reset(files: &[(String, File)]) {
    let total: f64 = files.iter().map(|(_, f)| f.size()).sum();
    dom::show(&by_id("progress"), true);
    let _ = by_id("progress-bar").set_attribute("value", "0");
    dom::set_text(&by_id("progress-text"), &format!("Starting: {} files, {}", files.len(), megabytes(total)));
}

pub fn update(done: f64, total: f64, file: &str, files_done: u32, files_total: u32, elapsed_ms: f64) {
    let percent = if total > 0.0 { done / total * 100.0 } else { 100.0 };
    let rate = if elapsed_ms > 0.0 { done / 1e6 / (elapsed_ms / 1000.0) } else { 0.0 };
    let _ = by_id("progress-bar").set_attribute("value", &format!("{percent:.0}"));
    dom::set_text(
        &by_id("progress-text"),
        &format!(
            "Reading {percent:.0}% – {rate:.0} MB/s ({} of {}; file {} of {}: {file})",
            megabytes(done),
            megabytes(total),
            files_done + 1,
            files_total
        ),
    );
}

pub fn cancelled() {
    dom::show(&by_id("progress"), false);
    dom::set_text(&by_id("progress-text"), "");
}

fn megabytes(bytes: f64) -> String {
    if bytes < 1e6 {
        format!("{:.0} KB", bytes / 1e3)
    } else {
        format!("{:.1} MB", bytes / 1e6)
    }
}
