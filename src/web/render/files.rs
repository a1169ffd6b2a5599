//! The files panel: each file's process (and how it was decided), host, dates, lines, notes.

use crate::report::Report;
use crate::web::dom::{self, add, attr, by_id};

pub fn render(report: &Report) {
    let root = by_id("files");
    dom::clear(&root);
    let table = add(&root, "table", "files", "");
    add(&table, "caption", "visually-hidden", "Files read, with what was learned from each");
    let head = add(&add(&table, "thead", "", ""), "tr", "", "");
    for title in ["File", "Kind", "Process", "Host", "Time span", "Lines", "Errors", "Notes"] {
        attr(&add(&head, "th", "", title), "scope", "col");
    }
    let body = add(&table, "tbody", "", "");
    for f in &report.files {
        let row = add(&body, "tr", "", "");
        attr(&row, "data-format", &f.format);
        attr(&add(&row, "th", "path", &f.path), "scope", "row");
        add(&row, "td", "kind", f.kind());
        let process = match (&f.process, &f.process_source) {
            (Some(p), Some(source)) => format!("{p} (from {source})"),
            (Some(p), None) => p.clone(),
            _ => "—".into(),
        };
        add(&row, "td", "process", &process);
        add(&row, "td", "host", f.host.as_deref().unwrap_or("—"));
        let span = match (&f.first, &f.last) {
            (Some(a), Some(b)) => format!("{} – {}", a.replace('T', " "), b.rsplit('T').next().unwrap_or(b)),
            _ => "—".into(),
        };
        let span = match &f.date_source {
            Some(source) if source != "file name" => format!("{span} (date from {source})"),
            _ => span,
        };
        add(&row, "td", "", &span);
        add(&row, "td", "num", &f.lines.to_string());
        add(&row, "td", "num", &f.errors.to_string());
        let notes = add(&row, "td", "notes", "");
        for note in &f.notes {
            add(&notes, "p", "", note);
        }
    }
    for note in &report.notes {
        add(&root, "p", "bundle-note", note);
    }
}
