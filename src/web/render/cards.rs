//! One card per finding, most severe first: what it is to the diagnosis (a cause or a
//! symptom) and who acts, plain words, the numbers, what to do, a request ready to copy, the
//! logs to collect next, the evidence lines (each opens the log viewer at that line), and the
//! source at its foot. No listener is attached here: clicks are handled once, by delegation
//! (see `super::wire`).

use super::words::{add_prose, copy_button, counted};
use super::{kebab, open_attrs};
use crate::report::{Finding, Report, Role, Severity};
use crate::web::dom::{self, add, attr, by_id, el};
use serde_json::Value;

pub fn render(report: &Report) {
    let root = by_id("cards");
    dom::clear(&root);
    if report.findings.is_empty() {
        let words = if report.files.iter().any(|f| f.is_log()) {
            format!(
                "No finding: none of the {} patterns nbtriage knows matched these logs (the verdict above says what was read).",
                report_rules()
            )
        } else {
            "No finding: no file could be analyzed.".to_string()
        };
        add(&root, "p", "no-findings", &words);
    }
    for (i, finding) in report.findings.iter().enumerate() {
        let _ = root.append_child(&card(finding, i));
    }
}

fn report_rules() -> usize {
    crate::rules::briefs().len()
}

/// What a finding is to the diagnosis, in words.
fn role_words(role: Role) -> &'static str {
    match role {
        Role::Cause => "Cause",
        Role::Symptom => "Symptom",
        Role::FirstError => "First error",
    }
}

fn card(f: &Finding, index: usize) -> web_sys::HtmlElement {
    let severity = f.severity.label();
    let card = el("article", &format!("card {severity}"));
    attr(&card, "data-rule", &f.rule);
    attr(&card, "data-severity", severity);
    attr(&card, "data-role", role_name(f.role));
    attr(&card, "data-owner", &owner_name(f));
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
    let title = add_prose(&header, "h3", "", &f.title);
    attr(&title, "id", &heading_id);

    let meta = add(&card, "p", "meta", "");
    add(&meta, "span", "role", role_words(f.role));
    if let Some(area) = f.area {
        dom::text(&meta, &format!(" · {}", area.label()));
    }
    dom::text(&meta, " · Who acts: ");
    add(&meta, "strong", "owner", f.owner.label());

    add_prose(&card, "p", "summary", &f.summary);
    if !f.owner_note.is_empty() {
        add_prose(&card, "p", "owner-note", &f.owner_note);
    }

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
            add_prose(&list, "li", "", step);
        }
    }
    if let Some(request) = &f.request {
        let block = add(&card, "div", "request", "");
        let heading = format!("Request for {}", request.to.label());
        add(&block, "h4", "", &heading);
        let text = add(&block, "pre", "", "");
        attr(&text, "tabindex", "0");
        attr(&text, "aria-label", &heading);
        super::words::block_prose(&text, &request.text);
        let copy = text.text_content().unwrap_or_default();
        copy_button(&block, "Copy request", &copy);
    }
    if !f.collect.is_empty() {
        add(&card, "h4", "", "Logs to collect next");
        let list = add(&card, "ul", "collect", "");
        for item in &f.collect {
            add_prose(&list, "li", "", item);
        }
    }

    super::packets::button(&card, f, index);

    evidence(&card, f);

    if !f.caveats.is_empty() {
        let caveat = add(&card, "p", "caveat", "Caveat: ");
        super::words::prose(&caveat, &f.caveats);
    }
    if !f.source.is_empty() {
        let foot = add(&card, "p", "source", "Source: ");
        dom::text(&foot, &crate::report::prose::text(&f.source));
    }
    card
}

/// The log lines a finding rests on, each one click from its place in the viewer. A finding read
/// from a capture or netstat output rests on none: no "Evidence: 0 log lines" (its packets have
/// their own button).
fn evidence(card: &web_sys::HtmlElement, f: &Finding) {
    if f.evidence.is_empty() {
        return;
    }
    let details = add(card, "details", "evidence", "");
    attr(&details, "open", "");
    add(&details, "summary", "", &format!("Evidence: {}", counted(f.evidence.len() as u64, "log line")));
    let list = add(&details, "ul", "", "");
    for e in &f.evidence {
        let item = add(&list, "li", "", "");
        let button = add(&item, "button", "evidence-line", "");
        attr(&button, "type", "button");
        open_attrs(&button, &e.file, e.line);
        attr(&button, "aria-label", &format!("Open {} line {} in the log viewer: {}", e.file, e.line, e.text));
        add(&button, "span", "where", &format!("{}:{}", e.file, e.line));
        add(&button, "code", "", &e.text);
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Cause => "cause",
        Role::Symptom => "symptom",
        Role::FirstError => "first-error",
    }
}

fn owner_name(f: &Finding) -> String {
    serde_json::to_value(f.owner).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
