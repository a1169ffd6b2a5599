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
                crate::rules::all().len(),
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

    if !f.figures.is_empty() {
        let dl = add(&card, "dl", "numbers", "");
        for figure in &f.figures {
            let item = add(&dl, "div", "", "");
            add(&item, "dt", "", &figure.label);
            let value =
                if figure.unit.is_empty() { figure.value.clone() } else { format!("{} {}", figure.value, figure.unit) };
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
    if let Some(request) = &f.request {
        let block = add(&card, "div", "request", "");
        add(&block, "h4", "", &format!("Request for {}", request.to.label()));
        let request = &request.text;
        let text = add(&block, "pre", "", request);
        attr(&text, "tabindex", "0");
        let button = add(&block, "button", "copy", "Copy request");
        attr(&button, "type", "button");
        let (request, shown, target) = (request.clone(), text.clone(), button.clone());
        EventListener::new(&button, "click", move |_| {
            crate::web::clipboard::copy(request.clone(), shown.clone().into(), target.clone())
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
    app::send(&ToWorker::Locate { path: crate::web::redaction::original_path(path), line });
    by_id("viewer-section").scroll_into_view();
}
