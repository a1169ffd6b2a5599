//! The bundle's one verdict, shown first: what happened in words a non-admin reads, who should
//! act and the one thing to send them (copyable), then what stands under it: the first error
//! lines (each opens its line in the viewer) or, when nothing could be read, what each file
//! looked like. The core decides all of it (`report.verdict`, `report.headline`,
//! `report.first_errors`); this only lays it out.

use super::words::{add_prose, block_prose, copy_button, counted};
use super::{open_attrs, source_label};
use crate::report::{Evidence, FileFormat, Report, Verdict};
use crate::web::dom::{self, add, attr, by_id};

/// The verdict in a few words, for its heading.
pub fn title(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::CauseFound => "Cause found",
        Verdict::ErrorsUnexplained => "Errors found, cause not known",
        Verdict::NothingRead => "Nothing could be read",
        Verdict::NoFailureSeen => "No failure seen",
        Verdict::Clean => "No problem found",
    }
}

pub fn render(report: &Report) {
    let results = by_id("results");
    attr(&results, "data-verdict", report.verdict.name());
    let section = by_id("verdict");
    // The colour: red or amber for a cause (its finding's severity), amber for errors with no
    // known cause, grey when nothing was read or nothing says how the job ended (no failure seen
    // is not an all-clear), green only for a clean bundle: a success recorded.
    let tone = match report.verdict {
        Verdict::CauseFound => report.worst().map_or("warning", |s| s.label()),
        Verdict::ErrorsUnexplained => "warning",
        Verdict::NothingRead => "unread",
        Verdict::NoFailureSeen => "no-outcome",
        Verdict::Clean => "ok",
    };
    section.set_class_name(&format!("verdict {tone}"));
    attr(&section, "data-verdict", report.verdict.name());
    dom::set_text(&by_id("verdict-title"), title(report.verdict));

    let body = by_id("verdict-body");
    dom::clear(&body);
    add_prose(&body, "p", "headline", &report.headline.text);
    add(&body, "p", "scope", &scope(report));
    if let Some(coverage) = report.coverage_sentence() {
        add_prose(&body, "p", "coverage", &coverage);
    }

    if let Some(send) = &report.headline.send {
        let block = add(&body, "div", "send", "");
        let heading = match report.headline.owner {
            Some(owner) => format!("Send to {}", owner.label()),
            None => "What to do next".to_string(),
        };
        add(&block, "h3", "", &heading);
        let text = add(&block, "pre", "", "");
        attr(&text, "id", "send-text");
        attr(&text, "tabindex", "0");
        attr(&text, "aria-label", &heading);
        // Quotes and commands show as code; the copy is the text as shown, without backticks.
        block_prose(&text, send);
        let copy = text.text_content().unwrap_or_default();
        copy_button(&block, "Copy", &copy);
    }

    match report.verdict {
        Verdict::NothingRead => files_seen(&body, report),
        Verdict::ErrorsUnexplained | Verdict::Clean if !report.first_errors.is_empty() => {
            let heading = if report.verdict == Verdict::Clean {
                "Error lines beside the success (no job failed: worth a look, not a failure)"
            } else {
                "The first errors, earliest first"
            };
            add(&body, "h3", "", heading);
            error_list(&body, report, &report.first_errors);
        }
        _ => {}
    }
}

/// What was read: "3 files: 3 NetBackup logs from 2 hosts, 2011-06-03 17:46:35 to 17:50:36."
fn scope(report: &Report) -> String {
    let logs = report.files.iter().filter(|f| f.is_log()).count() as u64;
    let given = report.files.iter().filter(|f| f.format != FileFormat::Archive).count() as u64;
    let archives = report.files.len() as u64 - given;
    let mut words = format!("Read {}", counted(given, "file"));
    if archives > 0 {
        words.push_str(&format!(" (from {})", count_archives(archives)));
    }
    if logs == 0 {
        words.push_str(if given == 1 { ": it is not a NetBackup log." } else { ": none of them is a NetBackup log." });
        return words;
    }
    words.push_str(&format!(": {}", report.read_from(("NetBackup log", "NetBackup logs"))));
    if let (Some(first), Some(last)) = (&report.first, &report.last) {
        let last_time = if first.get(..10) == last.get(..10) { last.rsplit('T').next().unwrap_or(last) } else { last };
        words.push_str(&format!(", {} to {}", short_time(first), short_time(last_time)));
    }
    words.push('.');
    words
}

fn count_archives(n: u64) -> String {
    if n == 1 {
        "an archive".to_string()
    } else {
        counted(n, "archive")
    }
}

/// `2011-06-03T17:46:35.940` → `2011-06-03 17:46:35`.
fn short_time(iso: &str) -> String {
    let iso = iso.replace('T', " ");
    match iso.find('.') {
        Some(dot) => iso[..dot].to_string(),
        None => iso,
    }
}

/// Error lines as a list, each a button that opens its line in the viewer. A line the core
/// lists more than once (records glued on one line) is shown once.
pub fn error_list(parent: &web_sys::Element, report: &Report, lines: &[Evidence]) {
    let list = add(parent, "ol", "error-lines", "");
    let mut shown: Vec<(&str, u64)> = Vec::new();
    for e in lines {
        if shown.contains(&(e.file.as_str(), e.line)) {
            continue;
        }
        shown.push((e.file.as_str(), e.line));
        let item = add(&list, "li", "", "");
        let button = add(&item, "button", "evidence-line", "");
        attr(&button, "type", "button");
        open_attrs(&button, &e.file, e.line);
        let from = report.files.iter().find(|f| f.path == e.file).map(source_label).unwrap_or_default();
        let place = if from.is_empty() {
            format!("{} line {}", e.file, e.line)
        } else {
            format!("{from}, {} line {}", e.file, e.line)
        };
        attr(&button, "aria-label", &format!("Open {place} in the log viewer: {}", e.text));
        add(&button, "span", "where", &place);
        add(&button, "code", "", &e.text);
    }
}

/// Under "nothing could be read": each file, what it looked like, and its notes.
fn files_seen(parent: &web_sys::Element, report: &Report) {
    add(parent, "h3", "", "What each file looked like");
    let list = add(parent, "ul", "files-seen", "");
    for f in &report.files {
        let item = add(&list, "li", "", "");
        add(&item, "span", "path", &f.path);
        dom::text(&item, &format!(": {}", looked_like(f)));
        for note in &f.notes {
            add_prose(&item, "p", "note", note);
        }
    }
}

/// What a file looked like, in words.
fn looked_like(f: &crate::report::FileReport) -> String {
    let size = crate::numbers::bytes(f.bytes);
    match f.format {
        FileFormat::Binary => format!("not text ({size})"),
        FileFormat::UnknownText => format!("text, but not a NetBackup log ({})", counted(f.lines, "line")),
        FileFormat::RawVxul => format!("a raw unified log, which needs vxlogview first ({size})"),
        FileFormat::Empty => "empty".to_string(),
        FileFormat::Archive => format!("an archive ({size})"),
        _ => format!("{} ({})", f.kind(), counted(f.lines, "line")),
    }
}
