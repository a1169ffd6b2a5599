//! One card per finding, most severe first: plain words, the numbers, what to do, a request
//! for the network team, and the evidence lines (each opens the log viewer at that line).

use super::kebab;
use crate::report::{Finding, Report, Severity};
use crate::web::app;
use crate::web::dom::{self, add, attr, by_id, el};
use crate::web::protocol::ToWorker;
use gloo::events::EventListener;
use serde_json::Value;

pub fn render(report: &Report) {
    let root = by_id("cards");
    dom::clear(&root);
    if report.findings.is_empty() {
        let card = add(&root, "article", "card ok", "");
        attr(&card, "data-rule", "none");
        add(&card, "h3", "", "No problem found");
        add(
            &card,
            "p",
            "summary",
            &format!(
                "None of the {} rules found a known failure in these {} files. Check the files panel below for files that could not be read.",
                crate::rules::ALL.len(),
                crate::numbers::grouped(report.files.len() as u64)
            ),
        );
    }
    for finding in &report.findings {
        let _ = root.append_child(&card(finding));
    }
}

fn card(f: &Finding) -> web_sys::HtmlElement {
    let severity = f.severity.label();
    let card = el("article", &format!("card {severity}"));
    attr(&card, "data-rule", &f.rule);
    attr(&card, "data-severity", severity);
    for (key, value) in &f.facts {
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::String(s) if s.len() <= 64 => s.clone(),
            _ => continue,
        };
        attr(&card, &format!("data-{}", kebab(key)), &text);
    }
    let heading_id = format!("finding-{}-{}", f.rule, f.evidence.first().map_or(0, |e| e.line));
    attr(&card, "aria-labelledby", &heading_id);

    let header = add(&card, "header", "", "");
    add(
        &header,
        "span",
        "badge",
        match f.severity {
            Severity::Critical => "Critical",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        },
    );
    let title = add(&header, "h3", "", &f.title);
    attr(&title, "id", &heading_id);
    add(&card, "p", "summary", &f.summary);

    let numbers = key_numbers(f);
    if !numbers.is_empty() {
        let dl = add(&card, "dl", "numbers", "");
        for (label, value) in numbers {
            let item = add(&dl, "div", "", "");
            add(&item, "dt", "", &label);
            add(&item, "dd", "", &value);
        }
    }

    if !f.fix.is_empty() {
        add(&card, "h4", "", "What to do");
        let list = add(&card, "ol", "fix", "");
        for step in &f.fix {
            add(&list, "li", "", step);
        }
    }
    if let Some(Value::String(request)) = f.facts.get("network_request") {
        let block = add(&card, "div", "request", "");
        add(&block, "h4", "", "Request for the network team");
        let text = add(&block, "pre", "", request);
        attr(&text, "tabindex", "0");
        let button = add(&block, "button", "copy", "Copy request");
        attr(&button, "type", "button");
        let request = request.clone();
        let target = button.clone();
        EventListener::new(&button, "click", move |_| {
            let clipboard = gloo::utils::window().navigator().clipboard();
            let _ = clipboard.write_text(&request);
            dom::set_text(&target, "Copied");
        })
        .forget();
    }

    let details = add(&card, "details", "evidence", "");
    attr(&details, "open", "");
    add(&details, "summary", "", &format!("Evidence: {} log lines", f.evidence.len()));
    let list = add(&details, "ul", "", "");
    for e in &f.evidence {
        let item = add(&list, "li", "", "");
        let button = add(&item, "button", "evidence-line", "");
        attr(&button, "type", "button");
        attr(&button, "data-file", &e.file);
        attr(&button, "data-line", &e.line.to_string());
        attr(&button, "aria-label", &format!("Open {} line {} in the log viewer", e.file, e.line));
        add(&button, "span", "where", &format!("{}:{}", e.file, e.line));
        add(&button, "code", "", &e.text);
        let (path, line) = (e.file.clone(), e.line as u32);
        EventListener::new(&button, "click", move |_| open_in_viewer(&path, line)).forget();
    }
    add(&card, "p", "rule-id", &format!("Rule {}", f.rule));
    card
}

/// Opens a file's line in the log viewer.
pub fn open_in_viewer(path: &str, line: u32) {
    super::viewer::expect_position();
    app::send(&ToWorker::Locate { path: path.to_string(), line });
    by_id("viewer-section").scroll_into_view();
}

/// The few numbers that prove a finding, as label and value.
fn key_numbers(f: &Finding) -> Vec<(String, String)> {
    let get = |k: &str| f.facts.get(k).filter(|v| !v.is_null());
    let seconds = |k: &str| get(k).and_then(Value::as_f64).map(|s| format!("{s:.1} s"));
    let plain = |k: &str| get(k).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
    let wanted: &[(&str, &str, bool)] = match f.rule.as_str() {
        "pbx-connect-timeout" => &[
            ("Connections that waited", "count", false),
            ("Total wait", "total_wait_s", true),
            ("Each wait", "typical_wait_s", true),
            ("From", "source_ip", false),
            ("To", "target_ip", false),
            ("Port", "port", false),
        ],
        "forward-socket-expired" => &[
            ("Forward socket port", "ipc_port", false),
            ("Timeout", "timeout_s", false),
            ("Created", "created", false),
            ("Expired", "expired", false),
            ("Needed", "needed", false),
            ("Too late by", "late_by_s", true),
        ],
        _ => &[],
    };
    wanted
        .iter()
        .filter_map(|&(label, key, is_seconds)| {
            let value = if is_seconds { seconds(key) } else { plain(key) };
            value.map(|v| (label.to_string(), if key == "timeout_s" { format!("{v} s") } else { v.replace('T', " ") }))
        })
        .collect()
}
