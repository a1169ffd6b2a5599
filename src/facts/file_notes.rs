//! What a scanned file was, and the notes that tell a person how it was read: its format, the
//! line forms in it, how its lines were dated, and everything odd about its bytes.

use super::timing::TimingNotes;
use super::FileFacts;
use crate::input::path_meta::NameForm;
use crate::input::sniff::Verdict;
use crate::numbers::plural_s;
use crate::parse::date::DateOrder;
use crate::parse::{vxul, LineForm};
use crate::vocab::time::human_duration;
use crate::vocab::FileFormat;

/// Counts the scanner keeps for the notes.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// Records read in each [`LineForm`].
    pub forms: [u64; LineForm::ALL.len()],
    pub other_lines: u64,
    pub elisions: u64,
    pub cut_lines: u64,
    /// The bytes of a line read (`Limits::line_bytes`); the rest of a longer line is cut.
    pub line_bytes: usize,
    pub longest_line: u64,
    pub invalid_utf8_lines: u64,
    pub grep_prefixed: u64,
    /// Lines read after a quote's indent (spaces, tabs or a mail's `>` marks).
    pub indented: u64,
    pub joined_records: u64,
    pub glued_records: u64,
}

/// `...snip...`, `…snip…`, a lone `.` or `...`: what people leave where they cut a paste.
pub fn is_elision(text: &[u8]) -> bool {
    let text = crate::parse::scan_trim_end(crate::parse::scan_trim_start(text));
    if text.is_empty() || text.len() > 24 {
        return false;
    }
    let dots_only = text.iter().all(|&b| b == b'.') || text == "…".as_bytes() || text == "……".as_bytes();
    dots_only || memchr::memmem::find(&text.to_ascii_lowercase(), b"snip").is_some()
}

/// The file's format, from its verdict, its name and the forms most of its lines are in.
pub fn format(f: &FileFacts, verdict: Verdict) -> FileFormat {
    match verdict {
        _ if f.bytes == 0 => FileFormat::Empty,
        Verdict::Text if f.command.is_some() => FileFormat::CommandOutput,
        Verdict::Text if !f.settings.is_empty() && f.log_lines == 0 => FileFormat::Settings,
        Verdict::Text if f.log_lines > 0 => {
            let count = |forms: &[LineForm]| -> u64 {
                f.forms.iter().filter(|(form, _)| forms.contains(form)).map(|(_, n)| n).sum()
            };
            let legacy = count(&[
                LineForm::Legacy,
                LineForm::Legacy12Hour,
                LineForm::LegacyNoTime,
                LineForm::Agent,
                LineForm::Msdp,
            ]);
            let vxul = count(&[LineForm::Vxul]);
            let job_details = count(&[LineForm::JobDetails, LineForm::JobLog]);
            let syslog = count(&[LineForm::Syslog, LineForm::EventLog]);
            if syslog > legacy && syslog > vxul && syslog > job_details {
                FileFormat::SystemLog
            } else if vxul > legacy && vxul >= job_details {
                FileFormat::Vxul
            } else if job_details > legacy && job_details > vxul {
                FileFormat::JobDetails
            } else {
                FileFormat::Legacy
            }
        }
        _ if matches!(f.meta.form, NameForm::Vxul { .. }) => FileFormat::RawVxul,
        Verdict::Text if quoted_messages(f) > 0 => FileFormat::Messages,
        Verdict::Text => FileFormat::UnknownText,
        _ => FileFormat::Binary,
    }
}

fn plural_verb(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", plural_s(n), if n == 1 { one } else { many })
}

/// Lines of a file with no log line that hold a message the catalogue knows, a process's exit
/// status beside its message, or a status stated on its own (`Status: can't connect to client`).
fn quoted_messages(f: &FileFacts) -> usize {
    let mut lines: Vec<u64> = f
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.fact,
                super::Fact::Signature { .. } | super::Fact::ExitStatus { .. } | super::Fact::StatedStatus { .. }
            )
        })
        .map(|e| e.line)
        .collect();
    lines.dedup();
    lines.len()
}

/// Whether every quoted line of the file is a status stated on its own.
fn stated_only(f: &FileFacts) -> bool {
    f.events.iter().all(|e| !matches!(e.fact, super::Fact::Signature { .. } | super::Fact::ExitStatus { .. }))
}

/// The notes on a scanned file, in a fixed order: what it is, how it was read, its dates, and
/// what in it was damaged or left out.
pub fn notes(
    f: &FileFacts,
    verdict: Verdict,
    counts: &Counts,
    timing: &TimingNotes,
    unterminated: bool,
) -> Vec<String> {
    let mut notes = Vec::new();
    format_notes(&mut notes, f, verdict);
    if !f.format.is_log() || matches!(f.format, FileFormat::Messages | FileFormat::CommandOutput) {
        if counts.cut_lines > 0 && f.format != FileFormat::Binary {
            notes.push(long_lines(counts));
        }
        return notes;
    }
    reading_notes(&mut notes, f, counts);
    date_notes(&mut notes, f, timing);
    damage_notes(&mut notes, counts, unterminated);
    if counts.cut_lines > 0 {
        notes.push(long_lines(counts));
    }
    notes
}

/// What the file is, when that is not a log of a known form.
fn format_notes(notes: &mut Vec<String>, f: &FileFacts, verdict: Verdict) {
    match (f.format, verdict) {
        (FileFormat::Empty, _) => notes.push("The file is empty.".into()),
        (FileFormat::Binary, Verdict::Known(what)) => {
            notes.push(format!("This is {what}, not a text log: skipped."));
            if what == crate::input::sniff::EVTX {
                notes.push("On a Windows host, export it as text with `wevtutil qe <file>.evtx /lf:true /f:text > <file>.txt` and add that file.".into());
            }
        }
        (FileFormat::Binary, _) if f.path.to_ascii_lowercase().ends_with(".etl") => notes.push(format!(
            "A Windows event trace (.etl), as `netsh trace` and `pktmon` write their packet captures: not read. Convert it to pcapng on Windows and add that file: a pktmon trace with `pktmon etl2pcap {} --out capture.pcapng` (Microsoft Learn, \"pktmon etl2pcap\"), a `netsh trace` capture with Microsoft's etl2pcapng (https://github.com/microsoft/etl2pcapng).",
            f.path.rsplit(['/', '\\']).next().unwrap_or("trace.etl")
        )),
        (FileFormat::Binary, _) => notes.push("Not a text file (binary content): skipped.".into()),
        (FileFormat::UnknownText, _) => notes.push(
            "No line in any form of NetBackup log nbtriage reads (debug logs, vxlogview output, Job Details, agent and MSDP logs): nothing was read from this file."
                .into(),
        ),
        (FileFormat::Messages, _) if stated_only(f) => {
            let n = quoted_messages(f) as u64;
            notes.push(format!(
                "No line in a NetBackup log form, but {n} line{} a NetBackup status on {} own (its official message or its number, as a console, a guide or an alert mail shows it): read as {} stated, with no job, host or time. The Job Details and the debug logs of the job would say more.",
                plural_verb(n, "states", "state"),
                if n == 1 { "its" } else { "their" },
                if n == 1 { "a status" } else { "statuses" },
            ));
        }
        (FileFormat::Messages, _) => {
            let n = quoted_messages(f) as u64;
            notes.push(format!(
                "No line in a NetBackup log form, but {n} line{} a NetBackup message nbtriage knows, quoted without its log header (as a console or a ticket shows it): read for {} alone, with no time. The debug logs around {} would say more.",
                plural_verb(n, "holds", "hold"),
                if n == 1 { "that message" } else { "those messages" },
                if n == 1 { "it" } else { "them" },
            ));
        }
        (FileFormat::CommandOutput, _) => notes.push(command_note(f)),
        (FileFormat::Settings, _) => notes.push(settings_note(f)),
        (FileFormat::SystemLog, _) => notes.push(
            "A system log (syslog, journalctl, or Windows' event log as Event Viewer saves it): read for what the operating system and NetBackup's daemons wrote there. Its lines carry no zone (an ISO line's offset is dropped): they are placed at the host's local time, as its other logs are."
                .into(),
        ),
        // A capture's notes are its own (`capture::CaptureFacts::notes`).
        (FileFormat::Capture | FileFormat::Netstat, _) => {}
        (FileFormat::RawVxul, _) => {
            let originator = match f.meta.form {
                NameForm::Vxul { originator } => originator,
                _ => 0,
            };
            let name = vxul::originator_name(originator).unwrap_or("process");
            notes.push(format!(
                "A raw unified log (VxUL) of {name} (originator {originator}): its binary form cannot be read here. On the NetBackup host, convert it to text with `vxlogview -d all -i {originator} > {name}.txt` and add that file."
            ));
        }
        (FileFormat::Legacy | FileFormat::Vxul | FileFormat::JobDetails | FileFormat::Archive | FileFormat::JobList, _) => {}
    }
}

/// Whose settings a settings file holds, and how that was decided: its CLIENT_NAME, else a
/// folder naming the host.
fn settings_note(f: &FileFacts) -> String {
    let n = f.settings.len() as u64;
    let owner = match (f.settings.iter().find(|s| s.key == "CLIENT_NAME"), &f.meta.host) {
        (Some(s), _) => format!("of {}, named by its CLIENT_NAME (line {})", s.value, s.line),
        (None, Some(host)) => format!("of {host}, named by its folder (no CLIENT_NAME line)"),
        (None, None) => "of a host it does not name (no CLIENT_NAME line, no folder naming a host)".to_string(),
    };
    let h = crate::vocab::settings::HostSettings::of(&f.settings, f.meta.host.as_deref());
    let list = |l: &[crate::vocab::settings::Entry]| match l {
        [] => "none".to_string(),
        l => l.iter().map(|e| e.value.as_str()).collect::<Vec<_>>().join(", "),
    };
    let seconds = |v: Option<u32>| v.map_or("not set (300 s by default)".to_string(), |s| format!("{s} s"));
    format!(
        "Settings as bp.conf holds them ({n} `KEY = value` line{}), {owner}: read for the server lists and timeouts the rules measure against, not as a log. SERVER (in file order): {}; MEDIA_SERVER: {}; CLIENT_READ_TIMEOUT: {}; CLIENT_CONNECT_TIMEOUT: {}.",
        if n == 1 { "" } else { "s" },
        list(&h.servers),
        list(&h.media_servers),
        seconds(h.client_read_timeout_s),
        seconds(h.client_connect_timeout_s),
    )
}

/// What a command's output is and how it was read.
fn command_note(f: &FileFacts) -> String {
    // A paste may hold several commands' output, each after its prompt line.
    let mut names: Vec<String> = Vec::new();
    for e in &f.events {
        if let super::Fact::Command { command, .. } = &e.fact {
            if !names.iter().any(|n| n == command.name()) {
                names.push(command.name().to_string());
            }
        }
    }
    let name = if names.is_empty() {
        f.command.map_or("a NetBackup command", |c| c.name()).to_string()
    } else {
        crate::numbers::and_list(&names)
    };
    let mut note = format!(
        "Output of {name}, told by its first lines: read for the state it shows (its checks, and its exit status as the command's own, not a job's)."
    );
    if f.log_lines > 0 {
        note.push_str(&format!(
            " Its {} debug line{} (`-debug`) {} read as a log.",
            f.log_lines,
            plural_s(f.log_lines),
            if f.log_lines == 1 { "was" } else { "were" }
        ));
    }
    note
}

/// How the file's lines were read: their encoding, forms and quoting.
fn reading_notes(notes: &mut Vec<String>, f: &FileFacts, counts: &Counts) {
    if let Some(order) = f.encoding {
        notes.push(format!(
            "UTF-16 text ({}, as Windows PowerShell's `>` writes it): read as text; lines and offsets are those of the file as stored.",
            order.name()
        ));
    }
    // The forms, when the file's format does not say them all.
    let plain = matches!(
        (f.forms.as_slice(), f.format),
        ([(LineForm::Legacy, _)], FileFormat::Legacy)
            | ([(LineForm::Vxul, _)], FileFormat::Vxul)
            | ([(LineForm::JobDetails, _)], FileFormat::JobDetails)
    );
    if !plain && !f.forms.is_empty() {
        let parts: Vec<String> = f.forms.iter().map(|(form, n)| format!("{n} {}", form.words(*n))).collect();
        notes.push(format!("Read {}.", crate::numbers::and_list(&parts)));
    }
    if counts.grep_prefixed > 0 {
        notes.push(format!(
            "{} line{} the `path:` prefix grep adds: read after it.",
            counts.grep_prefixed,
            plural_verb(counts.grep_prefixed, "carries", "carry")
        ));
    }
    if counts.indented > 0 {
        notes.push(format!(
            "{} line{} indented, as quoted text is (spaces, tabs or a mail's `>` marks): read after the indent.",
            counts.indented,
            if counts.indented == 1 { " is" } else { "s are" }
        ));
    }
    if counts.joined_records > 0 {
        notes.push(format!(
            "{} record{} broken over two lines (a header alone on its line, as pasted copies wrap them) {} joined.",
            counts.joined_records,
            plural_s(counts.joined_records),
            if counts.joined_records == 1 { "was" } else { "were" }
        ));
    }
    if counts.glued_records > 0 {
        notes.push(format!(
            "{} record{} glued onto the line before (as pasted copies flatten them) {} read one by one.",
            counts.glued_records,
            plural_s(counts.glued_records),
            if counts.glued_records == 1 { "was" } else { "were" }
        ));
    }
}

/// How the lines' dates and times were decided.
fn date_notes(notes: &mut Vec<String>, f: &FileFacts, timing: &TimingNotes) {
    // Said only when some date could be read either way.
    match timing.order.filter(|_| timing.first_ambiguous.is_some()) {
        Some((DateOrder::DayFirst, Some(line))) => {
            notes.push(format!("Dates are read day first: line {line} settles it (its first number is over 12)."))
        }
        Some((DateOrder::MonthFirst, Some(line))) => {
            notes.push(format!("Dates are read month first: line {line} settles it (its second number is over 12)."))
        }
        Some((DateOrder::MonthFirst, None)) => notes.push(format!(
            "Dates such as {} are read month first, as the US console writes them: no line of the file settles the order.",
            timing.first_ambiguous.as_deref().unwrap_or("05/02/2013")
        )),
        Some((DateOrder::DayFirst, None)) => notes.push(format!(
            "Dates such as {} are read day first, as European consoles write them: no line of the file settles the order.",
            timing.first_ambiguous.as_deref().unwrap_or("05.02.2013")
        )),
        None => {}
    }
    if timing.contrary_dates > 0 {
        notes.push(format!(
            "{} dated line{} the other way round: the file mixes date orders, so some dates may be wrong.",
            timing.contrary_dates,
            plural_verb(timing.contrary_dates, "reads", "read")
        ));
    }
    // Dates without a year (timing.year_missing): `correlate::dates` says which year they took.
    if timing.never_timed {
        notes.push("No line has a time: the lines are kept in file order, placed at the file's start.".into());
    } else if timing.untimed_lines > 0 {
        notes.push(format!(
            "{} line{} no time of {} own (as lines quoted in articles and tickets often lose it): each is placed at the time of the line before it.",
            timing.untimed_lines,
            plural_verb(timing.untimed_lines, "has", "have"),
            if timing.untimed_lines == 1 { "its" } else { "their" }
        ));
    }
    if f.meta.date.is_none() && f.date_from_lines.is_none() && f.year_less.is_none() && !timing.never_timed {
        notes.push(
            "No date in the file name (log.mmddyy, mmddyy.log or *.mmddyy_nnnnn.log): its lines carry only a time of day."
                .into(),
        );
    }
    if timing.midnights > 0 {
        notes.push(format!(
            "The file runs past midnight {} time{}: later lines are dated the next day.",
            timing.midnights,
            plural_s(timing.midnights)
        ));
    }
    if timing.step_backs > 0 {
        notes.push(format!(
            "Time steps back {} time{} (the largest step {} at line {}): lines may be out of order or the clock was changed.",
            timing.step_backs,
            plural_s(timing.step_backs),
            human_duration(timing.largest_step_back.0),
            timing.largest_step_back.1
        ));
    }
}

/// What in the file was damaged, cut off or left out.
fn damage_notes(notes: &mut Vec<String>, counts: &Counts, unterminated: bool) {
    if counts.elisions > 0 {
        notes.push(format!(
            "{} elision mark{} (...snip...) left in a pasted copy: skipped.",
            counts.elisions,
            plural_s(counts.elisions)
        ));
    }
    if counts.other_lines > 0 {
        notes.push(format!(
            "{} line{} not in a log form (continuations or damage): kept in the file, not analyzed.",
            counts.other_lines,
            plural_verb(counts.other_lines, "is", "are")
        ));
    }
    if counts.invalid_utf8_lines > 0 {
        notes.push(format!(
            "{} line{} bytes that are not valid UTF-8; they are shown as \u{FFFD}.",
            counts.invalid_utf8_lines,
            plural_verb(counts.invalid_utf8_lines, "has", "have")
        ));
    }
    if unterminated {
        notes.push(
            "The last line has no line end: the file may have been cut off while it was written or copied.".into(),
        );
    }
}

fn long_lines(counts: &Counts) -> String {
    format!(
        "{} line{} longer than {limit} (the longest {} KiB) {} read up to {limit}.",
        counts.cut_lines,
        plural_s(counts.cut_lines),
        counts.longest_line.div_ceil(1024),
        if counts.cut_lines == 1 { "was" } else { "were" },
        limit = crate::numbers::bytes(counts.line_bytes as u64),
    )
}

#[cfg(test)]
mod tests {
    use super::is_elision;

    #[test]
    fn elisions() {
        for e in ["...snip...", "…snip…", ".", "...", "  [snip]  ", "<snip>"] {
            assert!(is_elision(e.as_bytes()), "{e}");
        }
        for not in ["", "bpbrm log example:", "snipped the rest of the file because it was too long to paste here"] {
            assert!(!is_elision(not.as_bytes()), "{not}");
        }
    }
}
