//! The files panel: each file's process (and how it was decided), host, dates, lines, notes.
//! A note that names another file's path links to it: the path opens that log in the viewer
//! (how a Job Details line's `(pid=N)` leads to that process's own log). The table scrolls
//! sideways inside itself on a narrow screen, never the page.

use super::open_attrs;
use super::words::prose;
use crate::numbers::grouped;
use crate::report::Report;
use crate::web::dom::{self, add, attr, by_id};
use web_sys::Element;

pub fn render(report: &Report) {
    let root = by_id("files");
    dom::clear(&root);
    let scroller = add(&root, "div", "table-scroll", "");
    attr(&scroller, "tabindex", "0");
    attr(&scroller, "role", "region");
    attr(&scroller, "aria-label", "Files read (the table scrolls sideways when it is wider than the screen)");
    let table = add(&scroller, "table", "files", "");
    add(&table, "caption", "visually-hidden", "Files read, with what was learned from each");
    let head = add(&add(&table, "thead", "", ""), "tr", "", "");
    for title in ["File", "Kind", "Process", "Host", "Time span", "Lines", "Errors", "Notes"] {
        attr(&add(&head, "th", "", title), "scope", "col");
    }
    let paths: Vec<&str> = report.files.iter().filter(|f| f.is_log()).map(|f| f.path.as_str()).collect();
    let body = add(&table, "tbody", "", "");
    for f in &report.files {
        let row = add(&body, "tr", "", "");
        attr(&row, "data-format", &f.format);
        attr(&row, "data-path", &f.path);
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
        add(&row, "td", "span", &span);
        add(&row, "td", "num", &grouped(f.lines));
        add(&row, "td", "num", &grouped(f.errors));
        let notes = add(&row, "td", "notes", "");
        for note in &f.notes {
            let p = add(&notes, "p", "", "");
            linked(&p, note, &paths, &f.path);
        }
    }
    for note in &report.notes {
        let p = add(&root, "p", "bundle-note", "");
        prose(&p, note);
    }
}

/// Writes `note` into `parent`, each log path it names (other than `own`) as a link that opens
/// that log in the viewer.
fn linked(parent: &Element, note: &str, paths: &[&str], own: &str) {
    let mut rest = note;
    while let Some((at, path)) = first_path(rest, paths, own) {
        prose(parent, &rest[..at]);
        let link = add(parent, "button", "file-link", path);
        attr(&link, "type", "button");
        attr(&link, "aria-label", &format!("Open {path} in the log viewer"));
        open_attrs(&link, path, 1);
        rest = &rest[at + path.len()..];
    }
    prose(parent, rest);
}

/// The earliest whole path of `paths` in `text` (the longest where two start at once).
fn first_path<'a>(text: &str, paths: &[&'a str], own: &str) -> Option<(usize, &'a str)> {
    let boundary = |c: Option<char>| {
        c.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | ':' | '.' | '"' | '\''))
    };
    let mut best: Option<(usize, &'a str)> = None;
    for &path in paths.iter().filter(|p| **p != own && !p.is_empty()) {
        let mut from = 0;
        while let Some(i) = text[from..].find(path).map(|i| i + from) {
            let before = text[..i].chars().next_back();
            let after = text[i + path.len()..].chars().next();
            if boundary(before) && boundary(after) {
                if best.is_none_or(|(b, p)| i < b || (i == b && path.len() > p.len())) {
                    best = Some((i, path));
                }
                break;
            }
            from = i + 1;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::first_path;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_note_finds_the_paths_it_names() {
        let paths = ["job-details.txt", "media02/bpbrm/log.031513", "log.031513"];
        let note = "Names bpbrm (pid 7249), whose own log is media02/bpbrm/log.031513.";
        assert_eq!(first_path(note, &paths, "job-details.txt"), Some((41, "media02/bpbrm/log.031513")));
        assert_eq!(first_path("no path here", &paths, ""), None);
        // Its own path is not a link; a path inside a longer word is not one either.
        assert_eq!(first_path("see job-details.txt", &paths, "job-details.txt"), None);
        assert_eq!(first_path("see xlog.031513", &paths, ""), None);
    }
}
