//! Progress while reading: overall percent and speed, files done, the file being read and how
//! far into it, and a cancel button.

use crate::numbers::{bytes, grouped};
use crate::web::dom::{self, by_id};
use crate::web::protocol::FromWorker;
use crate::web::render::words::counted;
use web_sys::File;

pub fn reset(files: &[(String, File)]) {
    let total: f64 = files.iter().map(|(_, f)| f.size()).sum();
    dom::show(&by_id("progress"), true);
    let _ = by_id("progress-bar").set_attribute("value", "0");
    dom::set_text(
        &by_id("progress-text"),
        &format!("Starting: {}, {}", counted(files.len() as u64, "file"), bytes(total as u64)),
    );
}

/// Shows a `Progress` message (others are ignored).
pub fn update(message: &FromWorker) {
    let FromWorker::Progress {
        done_bytes,
        total_bytes,
        file,
        file_done_bytes,
        file_bytes,
        files_done,
        files_total,
        elapsed_ms,
    } = message
    else {
        return;
    };
    let percent = |done: f64, total: f64| if total > 0.0 { done / total * 100.0 } else { 100.0 };
    let overall = percent(*done_bytes, *total_bytes);
    // In the unit the sizes are in (numbers::bytes: MiB), so the line agrees with itself.
    let rate = if *elapsed_ms > 0.0 { done_bytes / MIB / (elapsed_ms / 1000.0) } else { 0.0 };
    let _ = by_id("progress-bar").set_attribute("value", &format!("{overall:.0}"));
    dom::set_text(
        &by_id("progress-text"),
        &format!(
            "Reading {overall:.0}% – {rate:.0} MiB/s ({} of {}; {} of {} done). Now: {file}, {:.0}%",
            bytes(*done_bytes as u64),
            bytes(*total_bytes as u64),
            grouped(u64::from(*files_done)),
            counted(u64::from(*files_total), "file"),
            percent(*file_done_bytes, *file_bytes),
        ),
    );
}

const MIB: f64 = 1024.0 * 1024.0;

pub fn cancelled() {
    dom::show(&by_id("progress"), false);
    dom::set_text(&by_id("progress-text"), "");
}
