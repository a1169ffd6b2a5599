//! The histogram above the log viewer: every file's lines over time, stacked by level; the chart
//! is named for screen readers, and each bin, under a pointer, by its time and counts.

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
    // One path per level (a bar a subpath), then one bare column per bin that names it: a
    // rectangle and a title per bar and level were 958 of a small bundle's 2,429 elements.
    let mut paths = [String::new(), String::new(), String::new()];
    for (i, counts) in h.bins.iter().enumerate() {
        let mut y = height;
        for (level, path) in paths.iter_mut().enumerate() {
            let n = counts[level];
            if n == 0 {
                continue;
            }
            let hgt = (f64::from(n) / f64::from(max) * height).max(1.5);
            y -= hgt;
            let w = (bar - 0.5).max(0.5);
            path.push_str(&format!("M{:.2} {y:.2}h{w:.2}v{hgt:.2}h-{w:.2}z", i as f64 * bar));
        }
    }
    for (path, class) in paths.iter().zip(["info", "warning", "error"]) {
        if !path.is_empty() {
            let shape = svg("path");
            attr(&shape, "d", path);
            attr(&shape, "class", class);
            let _ = chart.append_child(&shape);
        }
    }
    for (i, counts) in h.bins.iter().enumerate().filter(|(_, c)| c.iter().any(|&n| n > 0)) {
        let column = svg("rect");
        for (k, v) in [("x", i as f64 * bar), ("y", 0.0), ("width", bar), ("height", height)] {
            attr(&column, k, &format!("{v:.2}"));
        }
        attr(&column, "class", "bin");
        let start = h.start_ms + i as i64 * h.bin_ms;
        let mut what = vec![counted(counts.iter().map(|&n| u64::from(n)).sum(), "line")];
        for (n, level) in [(counts[1], "warning line"), (counts[2], "error line")] {
            if n > 0 {
                what.push(counted(u64::from(n), level));
            }
        }
        let tip = svg("title");
        text(&tip, &format!("{}: {}", clock_time(start), what.join(", ")));
        let _ = column.append_child(&tip);
        let _ = chart.append_child(&column);
    }
    let _ = root.append_child(&chart);
    let axis = add(&root, "div", "histogram-axis", "");
    attr(&axis, "aria-hidden", "true");
    add(&axis, "span", "", &clock_time(h.start_ms));
    add(&axis, "span", "", &clock_time(h.start_ms + h.bin_ms * h.bins.len() as i64));
}
