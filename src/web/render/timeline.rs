//! The timeline: one lane per host and process, the findings' marks drawn on the reference
//! host's clock (the PBX waits as bars, the forward socket's life against its timeout, the moment
//! it was needed, the failure). Hover shows the line; click, Enter or Space opens it in the
//! viewer (delegated: see `super::wire`).
//!
//! The lanes are HTML (their labels and the tick labels are text that grows with the page's
//! zoom); each lane's marks are an SVG drawn in percentages of its width, with no viewBox, so
//! nothing in it shrinks when the page is zoomed or narrow.

use super::{clock_time, open_attrs};
use crate::report::{Mark, MarkKind, Report};
use crate::vocab::time::Date;
use crate::web::dom::{self, add, attr, by_id, svg, text};
use std::collections::HashMap;

const LANE_HEIGHT: f64 = 34.0;
const DAY_MS: i64 = 86_400_000;
/// Ticks at 0, 25, 50, 75 and 100 % of the span (their places are in style.css).
const TICKS: usize = 5;

pub fn render(report: &Report) {
    let root = by_id("timeline");
    dom::clear(&root);
    let marks: Vec<&Mark> = report.findings.iter().flat_map(|f| f.marks.iter()).collect();
    clock_note(report);
    // No finding with timed events: nothing to draw, no section.
    dom::show(&by_id("timeline-section"), !marks.is_empty());
    if marks.is_empty() {
        return;
    }
    let mut by_time = marks.clone();
    crate::order::sort_by_key(&mut by_time, |m| m.start_ms);
    // Each mark's lane, named once (a name may be looked up among many files).
    let mark_lanes: Vec<String> = by_time.iter().map(|m| m.lane_label(&report.files)).collect();
    let mut lanes: Vec<String> = Vec::new();
    for lane in &mark_lanes {
        if !lanes.contains(lane) {
            lanes.push(lane.clone());
        }
    }
    let t0 = marks.iter().map(|m| m.start_ms).min().unwrap_or(0);
    let t1 = marks.iter().map(|m| m.end_ms.unwrap_or(m.start_ms)).max().unwrap_or(t0);
    let pad = (((t1 - t0) as f64) * 0.04).max(1000.0);
    let span = (t1 - t0) as f64 + 2.0 * pad;
    let pct = |ms: i64| ((ms - t0) as f64 + pad) / span * 100.0;

    let chart = add(&root, "div", "tl", "");
    attr(&chart, "role", "group");
    attr(&chart, "aria-label", "Timeline of the findings, on the reference host's clock");

    let axis = add(&chart, "div", "tl-row tl-axis", "");
    attr(&axis, "aria-hidden", "true");
    add(&axis, "span", "tl-label", "");
    let ticks = add(&axis, "div", "tl-ticks", "");
    let times: Vec<i64> = (0..TICKS).map(|i| t0 - pad as i64 + (span * i as f64 / (TICKS - 1) as f64) as i64).collect();
    for (i, label) in tick_labels(&times).into_iter().enumerate() {
        add(&ticks, "span", &format!("tick-label t{i}"), &label);
    }

    let names = mark_names(&by_time);
    for lane in &lanes {
        let row = add(&chart, "div", "tl-row", "");
        add(&row, "span", "tl-label", lane);
        let plot = svg("svg");
        attr(&plot, "class", "tl-plot");
        attr(&plot, "height", &format!("{LANE_HEIGHT}"));
        attr(&plot, "role", "group");
        attr(&plot, "aria-label", lane);
        for i in 0..TICKS {
            let tick = svg("line");
            let x = format!("{}%", 100 * i / (TICKS - 1));
            for (k, v) in [("x1", x.as_str()), ("x2", x.as_str()), ("y1", "0"), ("y2", "100%")] {
                attr(&tick, k, v);
            }
            attr(&tick, "class", "tick");
            let _ = plot.append_child(&tick);
        }
        for ((m, name), _) in by_time.iter().zip(&names).zip(&mark_lanes).filter(|(_, l)| *l == lane) {
            let _ = plot.append_child(&mark(m, name, &pct));
        }
        let _ = row.append_child(&plot);
    }

    let legend = add(&root, "ul", "legend", "");
    for kind in MarkKind::ALL {
        if marks.iter().any(|m| m.kind == kind) {
            let item = add(&legend, "li", kind.name(), "");
            add(&item, "span", "swatch", "");
            text(&item, kind.legend());
        }
    }
}

/// One mark: a bar for a span, a diamond for a moment; focusable, named, and opening its line.
fn mark(m: &Mark, name: &str, pct: &dyn Fn(i64) -> f64) -> web_sys::Element {
    let group = svg("g");
    attr(&group, "class", &format!("mark {}", m.kind.name()));
    attr(&group, "tabindex", "0");
    attr(&group, "role", "button");
    attr(&group, "aria-label", name);
    open_attrs(&group, &m.file, m.line);
    let tip = svg("title");
    text(&tip, &format!("{} at {}\n{}:{}", m.label, clock_time(m.start_ms), m.file, m.line));
    let _ = group.append_child(&tip);
    match m.end_ms {
        Some(end) => {
            let bar = svg("rect");
            let (x0, x1) = (pct(m.start_ms), pct(end));
            let (top, h) = if m.kind.is_tall() { (5.0, LANE_HEIGHT - 12.0) } else { (9.0, LANE_HEIGHT - 20.0) };
            attr(&bar, "x", &format!("{x0:.3}%"));
            attr(&bar, "width", &format!("{:.3}%", (x1 - x0).max(0.4)));
            attr(&bar, "y", &format!("{top}"));
            attr(&bar, "height", &format!("{h}"));
            attr(&bar, "rx", "3");
            let _ = group.append_child(&bar);
        }
        None => {
            // A diamond 16 px wide wherever the moment falls: drawn at 0 in a nested SVG placed
            // at the moment's percentage.
            let at = svg("svg");
            attr(&at, "x", &format!("{:.3}%", pct(m.start_ms)));
            attr(&at, "y", "0");
            attr(&at, "width", "1");
            attr(&at, "height", &format!("{LANE_HEIGHT}"));
            attr(&at, "overflow", "visible");
            let pin = svg("path");
            let mid = LANE_HEIGHT / 2.0 - 1.0;
            attr(&pin, "d", &format!("M0 {:.1} L8 {mid:.1} L0 {:.1} L-8 {mid:.1} Z", mid - 8.0, mid + 8.0));
            let _ = at.append_child(&pin);
            let _ = group.append_child(&at);
        }
    }
    group
}

/// Each mark's accessible name, told apart when two would read the same.
fn mark_names(marks: &[&Mark]) -> Vec<String> {
    let base: Vec<String> = marks
        .iter()
        .map(|m| format!("{} at {}, {} line {}", m.label, clock_time(m.start_ms), m.file, m.line))
        .collect();
    let mut total: HashMap<&str, usize> = HashMap::new();
    for b in &base {
        *total.entry(b.as_str()).or_default() += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    base.iter()
        .map(|b| {
            if total[b.as_str()] == 1 {
                return b.clone();
            }
            let n = seen.entry(b.as_str()).or_default();
            *n += 1;
            format!("{b} ({} of {})", n, total[b.as_str()])
        })
        .collect()
}

/// Labels for the ticks at `times`, as short as they can be while no two neighbours read the
/// same: over seconds they show tenths, hundredths or milliseconds; over days, the date.
pub fn tick_labels(times: &[i64]) -> Vec<String> {
    let (first, last) = (times.first().copied().unwrap_or(0), times.last().copied().unwrap_or(0));
    // Naive milliseconds below a day are a time of day with no date known.
    let dated = first >= DAY_MS;
    let days_apart = first.div_euclid(DAY_MS) != last.div_euclid(DAY_MS);
    let date = |ms: i64| {
        if dated && days_apart {
            format!("{} ", &Date::from_days_since_epoch(ms.div_euclid(DAY_MS)).iso()[5..])
        } else {
            String::new()
        }
    };
    let mut labels = Vec::new();
    // HH:MM, HH:MM:SS, then one more digit of the second at a time.
    for width in [5, 8, 10, 11, 12] {
        if width == 5 && !(dated && days_apart) {
            continue;
        }
        labels = times.iter().map(|&t| format!("{}{}", date(t), &clock_time(t)[..width])).collect();
        if labels.windows(2).all(|w| w[0] != w[1]) {
            break;
        }
    }
    labels
}

/// States which clock the timeline uses and how each host's clock was shifted.
fn clock_note(report: &Report) {
    dom::set_text(&by_id("clock-note"), &report.clock_note());
}

#[cfg(test)]
mod tests {
    use super::tick_labels;
    use wasm_bindgen_test::wasm_bindgen_test;

    const DAY: i64 = 86_400_000;

    #[wasm_bindgen_test]
    fn ticks_over_seconds_read_apart() {
        let base = 15_128 * DAY + 17 * 3_600_000 + 46 * 60_000;
        // A span of 2 s: ticks half a second apart.
        let times: Vec<i64> = (0..5).map(|i| base + i * 500).collect();
        assert_eq!(tick_labels(&times), ["17:46:00.0", "17:46:00.5", "17:46:01.0", "17:46:01.5", "17:46:02.0"]);
        // 40 ms apart.
        let times: Vec<i64> = (0..5).map(|i| base + i * 40).collect();
        assert_eq!(tick_labels(&times), ["17:46:00.00", "17:46:00.04", "17:46:00.08", "17:46:00.12", "17:46:00.16"]);
        // Minutes apart: whole seconds.
        let times: Vec<i64> = (0..5).map(|i| base + i * 60_000).collect();
        assert_eq!(tick_labels(&times)[1], "17:47:00");
        // Over days: the date, then hours and minutes.
        let times: Vec<i64> = (0..5).map(|i| base + i * DAY / 2).collect();
        assert_eq!(tick_labels(&times)[0], "06-03 17:46");
        // A time of day with no date: no date shown.
        let times: Vec<i64> = (0..5).map(|i| 1000 + i * 250).collect();
        assert_eq!(tick_labels(&times), ["00:00:01.0", "00:00:01.2", "00:00:01.5", "00:00:01.7", "00:00:02.0"]);
    }
}
