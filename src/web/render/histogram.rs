//! The histogram above the log viewer: every file's lines over time, stacked by level, each bar
//! named for screen readers and pointers alike.

use super::clock_time;
use super::words::counted;
use crate::viewer::Histogram;
use crate::web::dom::{self, add, attr, by_id, svg, text};

/// Draws the log lines over time, by level, above the viewer.
pub fn render(histogram: Option<&Histogram>) {
    let root = by_id("histogram");
    dom::clear(&root);
    let Some(h) = histogram else { return };
    let max = h.bins.iter().map(|b| b[0] + b[1] + b[2]).max().unwrap_or(0).max(1);
    let (width, height) = (1000.0, 70.0);
    let bar = width / h.bins.len() as f64;
    // The bars stretch to the page's width; the labels under them are text, which grows with
    // the page's zoom.
    let chart = svg("svg");
    attr(&chart, "viewBox", &format!("0 0 {width} {height}"));
    attr(&chart, "preserveAspectRatio", "none");
    attr(&chart, "class", "histogram");
    attr(&chart, "role", "img");
    let errors: u32 = h.bins.iter().map(|b| b[2]).sum();
    attr(&chart, "aria-label", &format!("Log lines over time; {}", counted(u64::from(errors), "error line")));
    for (i, counts) in h.bins.iter().enumerate() {
        let mut y = height;
        for (level, class) in [(0, "info"), (1, "warning"), (2, "error")] {
            let n = counts[level];
            if n == 0 {
                continue;
            }
            let hgt = (f64::from(n) / f64::from(max) * height).max(1.5);
            y -= hgt;
            let rect = svg("rect");
            for (k, v) in [("x", i as f64 * bar), ("y", y), ("width", (bar - 0.5).max(0.5)), ("height", hgt)] {
                attr(&rect, k, &format!("{v:.2}"));
            }
            attr(&rect, "class", class);
            let tip = svg("title");
            let start = h.start_ms + i as i64 * h.bin_ms;
            let what = match class {
                "info" => counted(u64::from(n), "line"),
                _ => counted(u64::from(n), &format!("{class} line")),
            };
            text(&tip, &format!("{}: {what}", clock_time(start)));
            let _ = rect.append_child(&tip);
            let _ = chart.append_child(&rect);
        }
    }
    let _ = root.append_child(&chart);
    let axis = add(&root, "div", "histogram-axis", "");
    attr(&axis, "aria-hidden", "true");
    add(&axis, "span", "", &clock_time(h.start_ms));
    add(&axis, "span", "", &clock_time(h.start_ms + h.bin_ms * h.bins.len() as i64));
}
