//! The timeline: one lane per host and process, the findings' marks drawn on the reference
//! host's clock (the PBX waits as bars, the forward socket's life against its timeout, the moment
//! it was needed, the failure). Hover shows the line; click or Enter opens it in the viewer.

use super::cards::open_in_viewer;
use super::clock_time;
use crate::report::{Mark, Report};
use crate::web::dom::{self, add, attr, by_id, svg, text};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;

const WIDTH: f64 = 1000.0;
const LABEL_WIDTH: f64 = 190.0;
const LANE_HEIGHT: f64 = 34.0;
const AXIS_HEIGHT: f64 = 28.0;

pub fn render(report: &Report) {
    let root = by_id("timeline");
    dom::clear(&root);
    let marks: Vec<&Mark> = report.findings.iter().flat_map(|f| f.marks.iter()).collect();
    clock_note(report);
    if marks.is_empty() {
        add(&root, "p", "empty", "Nothing to draw: no finding has timed events.");
        return;
    }
    let mut lanes: Vec<(String, Option<String>)> = Vec::new();
    let mut by_time = marks.clone();
    by_time.sort_by_key(|m| m.start_ms);
    for m in &by_time {
        let lane = (m.host.clone(), m.process.clone());
        if !lanes.contains(&lane) {
            lanes.push(lane);
        }
    }
    let t0 = marks.iter().map(|m| m.start_ms).min().unwrap_or(0);
    let t1 = marks.iter().map(|m| m.end_ms.unwrap_or(m.start_ms)).max().unwrap_or(t0);
    let pad = (((t1 - t0) as f64) * 0.04).max(1000.0);
    let span = (t1 - t0) as f64 + 2.0 * pad;
    let x = |ms: i64| LABEL_WIDTH + ((ms - t0) as f64 + pad) / span * (WIDTH - LABEL_WIDTH - 10.0);
    let height = AXIS_HEIGHT + lanes.len() as f64 * LANE_HEIGHT + 8.0;

    let chart = svg("svg");
    attr(&chart, "viewBox", &format!("0 0 {WIDTH} {height}"));
    attr(&chart, "class", "timeline");
    attr(&chart, "role", "group");
    attr(&chart, "aria-label", "Timeline of the findings, on the reference host's clock");

    for i in 0..=6 {
        let ms = t0 - pad as i64 + (span * f64::from(i) / 6.0) as i64;
        let tx = x(ms);
        let tick = svg("line");
        for (k, v) in [("x1", tx), ("x2", tx), ("y1", AXIS_HEIGHT - 6.0), ("y2", height)] {
            attr(&tick, k, &format!("{v:.1}"));
        }
        attr(&tick, "class", "tick");
        let _ = chart.append_child(&tick);
        let label = svg("text");
        attr(&label, "x", &format!("{tx:.1}"));
        attr(&label, "y", "14");
        attr(&label, "class", "tick-label");
        // The first and last labels are anchored inside the chart so they are not cut off.
        let anchor = match i {
            0 => "start",
            6 => "end",
            _ => "middle",
        };
        attr(&label, "text-anchor", anchor);
        text(&label, &clock_time(ms)[..8]);
        let _ = chart.append_child(&label);
    }

    for (i, (host, process)) in lanes.iter().enumerate() {
        let y = AXIS_HEIGHT + i as f64 * LANE_HEIGHT;
        let band = svg("rect");
        for (k, v) in [("x", 0.0), ("y", y), ("width", WIDTH), ("height", LANE_HEIGHT - 2.0)] {
            attr(&band, k, &format!("{v:.1}"));
        }
        attr(&band, "class", if i % 2 == 0 { "lane" } else { "lane alt" });
        let _ = chart.append_child(&band);
        let label = svg("text");
        attr(&label, "x", "6");
        attr(&label, "y", &format!("{:.1}", y + LANE_HEIGHT / 2.0 + 4.0));
        attr(&label, "class", "lane-label");
        text(&label, &format!("{host} · {}", process.as_deref().unwrap_or("?")));
        let _ = chart.append_child(&label);
    }

    for m in &by_time {
        let lane = lanes.iter().position(|l| l.0 == m.host && l.1 == m.process).unwrap_or(0);
        let y = AXIS_HEIGHT + lane as f64 * LANE_HEIGHT;
        let group = svg("g");
        attr(&group, "class", &format!("mark {}", m.kind));
        attr(&group, "tabindex", "0");
        attr(&group, "role", "button");
        attr(&group, "aria-label", &format!("{} at {} ({}:{})", m.label, clock_time(m.start_ms), m.file, m.line));
        let tip = svg("title");
        text(&tip, &format!("{} at {}\n{}:{}", m.label, clock_time(m.start_ms), m.file, m.line));
        let _ = group.append_child(&tip);
        match m.end_ms {
            Some(end) => {
                let bar = svg("rect");
                let (x0, x1) = (x(m.start_ms), x(end));
                let (top, h) =
                    if m.kind == "socket" { (y + 5.0, LANE_HEIGHT - 12.0) } else { (y + 9.0, LANE_HEIGHT - 20.0) };
                for (k, v) in [("x", x0), ("y", top), ("width", (x1 - x0).max(3.0)), ("height", h)] {
                    attr(&bar, k, &format!("{v:.1}"));
                }
                attr(&bar, "rx", "3");
                let _ = group.append_child(&bar);
            }
            None => {
                let at = x(m.start_ms);
                let pin = svg("path");
                let mid = y + LANE_HEIGHT / 2.0 - 1.0;
                attr(
                    &pin,
                    "d",
                    &format!(
                        "M{at:.1} {:.1} L{:.1} {mid:.1} L{at:.1} {:.1} L{:.1} {mid:.1} Z",
                        mid - 8.0,
                        at + 8.0,
                        mid + 8.0,
                        at - 8.0
                    ),
                );
                let _ = group.append_child(&pin);
            }
        }
        let (path, line) = (m.file.clone(), m.line as u32);
        EventListener::new(&group, "click", move |_| open_in_viewer(&path, line)).forget();
        let (path, line) = (m.file.clone(), m.line as u32);
        EventListener::new(&group, "keydown", move |event| {
            if let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) {
                if key == "Enter" || key == " " {
                    event.prevent_default();
                    open_in_viewer(&path, line);
                }
            }
        })
        .forget();
        let _ = chart.append_child(&group);
    }
    let _ = root.append_child(&chart);

    let legend = add(&root, "ul", "legend", "");
    for (kind, words) in [
        ("wait", "connection waiting for port 1556"),
        ("socket", "forward socket open"),
        ("timeout", "forward socket gave up"),
        ("needed", "bpcd needs the socket"),
        ("failure", "failure"),
    ] {
        if marks.iter().any(|m| m.kind == kind) {
            let item = add(&legend, "li", kind, "");
            add(&item, "span", "swatch", "");
            text(&item, words);
        }
    }
}

/// States which clock the timeline uses and how each host's clock was shifted.
fn clock_note(report: &Report) {
    let note = by_id("clock-note");
    let reference = report.hosts.iter().find(|h| h.clock_reference);
    let mut words = match reference {
        Some(r) => format!("Times are on {}'s clock.", r.name.as_deref().unwrap_or(&r.label)),
        None => "Times are as each host logged them: no connection was logged by two hosts, so clocks could not be compared.".to_string(),
    };
    for h in report.hosts.iter().filter(|h| !h.clock_reference) {
        match h.clock_offset_ms {
            Some(ms) if reference.is_some() => words.push_str(&format!(
                " {}'s clock runs {:.1} s {} (measured from {} connection{} both hosts logged); its lines are shifted to match.",
                h.name.as_deref().unwrap_or(&h.label),
                ms.abs() as f64 / 1000.0,
                if ms < 0 { "behind" } else { "ahead" },
                h.clock_pairs,
                if h.clock_pairs == 1 { "" } else { "s" }
            )),
            _ if reference.is_some() => words.push_str(&format!(
                " {}'s clock could not be compared (no connection both hosts logged).",
                h.name.as_deref().unwrap_or(&h.label)
            )),
            _ => {}
        }
    }
    dom::set_text(&note, &words);
}
