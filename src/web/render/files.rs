//! The files panel: each file's process (and how it was decided), host, dates, lines, notes.
//! A note that names another file's path links to it: the path opens that log in the viewer
//! (how a Job Details line's `(pid=N)` leads to that process's own log). The table scrolls
//! sideways inside itself on a narrow screen, never the page.

use super::open_attrs;
use super::words::prose;
use crate::numbers::grouped;
use crate::report::Report;
use crate::web::dom::{self, add, attr, by_id};
use std::collections::HashSet;
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
    // A set, so that a bundle of 100,000 files links its notes in time linear in their length.
    let paths: HashSet<&str> = report.files.iter().filter(|f| f.is_log()).map(|f| f.path.as_str()).collect();
    let body = add(&table, "tbody", "", "");
    for f in &report.files {
        let row = add(&body, "tr", "", "");
        attr(&row, "data-format", f.format.name());
        attr(&row, "data-path", &f.path);
        attr(&add(&row, "th", "path", &f.path), "scope", "row");
        add(&row, "td", "kind", f.kind());
        add(&row, "td", "process", &f.process_label());
        add(&row, "td", "host", f.host.as_deref().unwrap_or("—"));
        add(&row, "td", "span", &f.span_label());
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
fn linked(parent: &Element, note: &str, paths: &HashSet<&str>, own: &str) {
    let mut rest = note;
    while let Some((at, len)) = first_path(rest, paths, own) {
        prose(parent, &rest[..at]);
        let path = &rest[at..at + len];
        let link = add(parent, "button", "file-link", path);
        attr(&link, "type", "button");
        attr(&link, "aria-label", &format!("Open {path} in the log viewer"));
        open_attrs(&link, path, 1);
        rest = &rest[at + len..];
    }
    prose(parent, rest);
}

/// The first word of `text` that is one of `paths` (other than `own`), with the punctuation
/// around it left out: its byte offset and length.
fn first_path(text: &str, paths: &HashSet<&str>, own: &str) -> Option<(usize, usize)> {
    let punctuation = |c: char| matches!(c, '(' | ')' | ',' | ';' | ':' | '.' | '"' | '\'' | '“' | '”');
    for word in text.split(char::is_whitespace) {
        // `word` is a slice of `text`: where it starts.
        let start = word.as_ptr() as usize - text.as_ptr() as usize;
        // Only leading brackets and quotes, and trailing punctuation: a path may hold dots.
        let trimmed = word.trim_start_matches(['(', '"', '\'', '“']);
        let lead = word.len() - trimmed.len();
        let mut candidate = trimmed;
        loop {
            if !candidate.is_empty() && candidate != own && paths.contains(candidate) {
                return Some((start + lead, candidate.len()));
            }
            match candidate.chars().next_back() {
                Some(c) if punctuation(c) => candidate = &candidate[..candidate.len() - c.len_utf8()],
                _ => break,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_path;
    use std::collections::HashSet;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_note_finds_the_paths_it_names() {
        let paths: HashSet<&str> = ["job-details.txt", "media02/bpbrm/log.031513", "log.031513"].into();
        let note = "Names bpbrm (pid 7249), whose own log is media02/bpbrm/log.031513.";
        assert_eq!(first_path(note, &paths, "job-details.txt"), Some((41, 24)));
        assert_eq!(&note[41..65], "media02/bpbrm/log.031513");
        assert_eq!(first_path("(log.031513), and", &paths, ""), Some((1, 10)));
        assert_eq!(first_path("no path here", &paths, ""), None);
        // Its own path is not a link; a path inside a longer word is not one either.
        assert_eq!(first_path("see job-details.txt", &paths, "job-details.txt"), None);
        assert_eq!(first_path("see xlog.031513", &paths, ""), None);
    }
}
