//! The analysis worker. The page starts one (the coordinator); it owns the `File` objects,
//! has them scanned (by itself, or by helper workers in parallel: see `parallel`), posts
//! progress and the report, and then serves the viewer's windows of lines from the same files,
//! plain or inside archives (read through each archive's map).
//! The same script runs as a helper when it receives a `scan` message.

use super::parallel;
use super::protocol::{from_js, FromWorker, ToWorker};
use super::scan::{describe, read, stream_slices, FileSource, OpenArchive};
use super::worker_scope::{post, scope, wasm_memory_bytes};
use crate::archive::{ArchiveKind, Limits, Unpacker};
use crate::viewer::{
    EntrySearches, Filter, LineAt, LineSearch, LogTable, Overlay, PacketPick, PacketScan, Packets, Row, ShownLine,
    Slot, View,
};
use js_sys::{Array, Reflect};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent};

/// What the worker keeps after an analysis, for the viewer.
struct Session {
    /// Where each table file's bytes are.
    sources: Vec<Source>,
    /// The archives among the dropped files, with their maps.
    archives: Vec<OpenArchive>,
    table: LogTable,
    view: View,
    view_id: u32,
    /// Search results by needle: one bit set per table file.
    searches: Vec<(String, Vec<Vec<u64>>)>,
    /// The report's names and their pseudonyms, for a job's tries read back with names redacted.
    mapping: crate::redact::Mapping,
    /// Every dropped file by its path: a job list (which has no line index) is read again
    /// from here for a job's record.
    dropped: Vec<(String, File)>,
    /// A capture's packets shown among the view's rows, as the page shows them (at most
    /// `viewer::MAX_PACKET_ROWS`), and where they go; cleared by the next view.
    packets: Option<(Overlay, Vec<ShownLine>)>,
}

/// Where a table file's bytes are.
#[derive(Clone)]
enum Source {
    /// A dropped file.
    File(File),
    /// Entry `entry` of `Session::archives[archive]`.
    Entry { archive: usize, entry: usize },
    /// Inside an archive without a map (not expected: every archive scanned for the viewer has
    /// one).
    Unreadable,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        post(&FromWorker::Error { message: format!("The analysis stopped on an internal error: {info}") });
    }));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| handle(event.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before the wasm was ready are lost: the page waits for this one.
    post(&FromWorker::Ready);
}

fn handle(data: JsValue) {
    let kind = Reflect::get(&data, &"type".into()).ok().and_then(|t| t.as_string());
    match kind.as_deref() {
        Some("analyze") => {
            let files: Vec<File> = Array::from(&Reflect::get(&data, &"files".into()).unwrap_or_default())
                .iter()
                .filter_map(|f| f.dyn_into().ok())
                .collect();
            let paths: Vec<String> = Array::from(&Reflect::get(&data, &"paths".into()).unwrap_or_default())
                .iter()
                .filter_map(|p| p.as_string())
                .collect();
            let workers = Reflect::get(&data, &"workers".into()).ok().and_then(|w| w.as_f64()).unwrap_or(0.0) as usize;
            let per_block_times = Reflect::get(&data, &"per_block_times".into()).is_ok_and(|p| p.is_truthy());
            parallel::start(paths.into_iter().zip(files).collect(), workers, per_block_times, finish);
            return;
        }
        Some("scan") => return parallel::scan_as_helper(&data),
        _ => {}
    }
    match from_js::<ToWorker>(data) {
        Ok(message) => {
            REQUESTS.with(|r| r.borrow_mut().push_back(message));
            if !ANSWERING.replace(true) {
                wasm_bindgen_futures::spawn_local(answer_requests());
            }
        }
        Err(e) => post(&FromWorker::Error { message: format!("Unknown request: {e}") }),
    }
}

thread_local! {
    /// The viewer's requests, answered in the order they came; a text search makes the ones
    /// after it wait while it reads the files.
    static REQUESTS: RefCell<VecDeque<ToWorker>> = const { RefCell::new(VecDeque::new()) };
    static ANSWERING: Cell<bool> = const { Cell::new(false) };
}

async fn answer_requests() {
    while let Some(message) = REQUESTS.with(|r| r.borrow_mut().pop_front()) {
        if let ToWorker::Thread { path, line, redact } = message {
            post(&job_thread(path, line, redact).await);
            continue;
        }
        let picked = match &message {
            ToWorker::Packets { pick, .. } => Some(read_packets(pick).await),
            _ => None,
        };
        let text = match message.search_text() {
            Some(needle) => {
                search(needle.to_string(), |index| LineSearch::new(needle, index.len(), index.encoding)).await
            }
            None => None,
        };
        let pids = match message.thread_pids() {
            // Not a text a person can type: the key of a pid search among the text searches.
            Some(pids) => {
                search(format!("\0pids {pids:?}"), |index| LineSearch::pids(pids, index.len(), index.encoding)).await
            }
            None => None,
        };
        let bits = crate::viewer::both(text, pids);
        SESSION.with(|s| {
            if let Some(session) = s.borrow_mut().as_mut() {
                match (message, picked) {
                    (ToWorker::Packets { pick, filter, text }, Some(packets)) => {
                        show_packets(session, &pick, packets, filter, text, bits)
                    }
                    (message, _) => answer(session, message, bits),
                }
            }
        });
    }
    ANSWERING.set(false);
}

/// Marks the lines a search made by `make` marks (a text, a row filter's pids) in every file:
/// one bit set per table file. The files are read again through their streams (see
/// `scan::stream_slices`), each archive once for all the files in it; the last few results are
/// kept by `key`. `None` when there is no session or a file could not be read to the end.
async fn search(
    key: String,
    make: impl Fn(&crate::facts::line_index::LineIndex) -> LineSearch,
) -> Option<Vec<Vec<u64>>> {
    let cached = SESSION.with(|s| {
        let session = s.borrow();
        session.as_ref()?.searches.iter().find(|(n, _)| *n == key).map(|(_, bits)| bits.clone())
    });
    if cached.is_some() {
        return cached;
    }
    // The plain files with their searches, and per archive (file, path, kind) its files'.
    type Searched = Vec<(usize, usize, LineSearch)>;
    let (plain, archives) = SESSION.with(|s| {
        let session = s.borrow();
        let session = session.as_ref()?;
        let search = |t: usize| make(&session.table.files[t].index);
        let mut plain = Vec::new();
        let mut archives: Vec<(File, String, ArchiveKind, Searched)> =
            session.archives.iter().map(|a| (a.file.clone(), a.path.clone(), a.map.kind, Vec::new())).collect();
        for (t, source) in session.sources.iter().enumerate() {
            match source {
                Source::File(file) => plain.push((t, file.clone(), search(t))),
                Source::Entry { archive, entry } => archives[*archive].3.push((*entry, t, search(t))),
                Source::Unreadable => {}
            }
        }
        Some((plain, archives))
    })?;
    let mut all = vec![Vec::new(); SESSION.with(|s| s.borrow().as_ref().map_or(0, |s| s.sources.len()))];
    for (t, file, mut s) in plain {
        stream_slices(&file, |slice| s.feed(slice), |_| {}).await.ok()?;
        all[t] = s.finish();
    }
    for (file, path, kind, wanted) in archives.into_iter().filter(|a| !a.3.is_empty()) {
        let mut sink = EntrySearches::new(wanted);
        let mut unpacker = Unpacker::new(kind, &path, Limits::default());
        stream_slices(&file, |slice| unpacker.feed(slice, &mut sink), |_| {}).await.ok()?;
        unpacker.finish(&mut sink);
        for (t, bits) in sink.finish() {
            all[t] = bits;
        }
    }
    SESSION.with(|s| {
        if let Some(session) = s.borrow_mut().as_mut() {
            if session.searches.len() >= 4 {
                session.searches.remove(0);
            }
            session.searches.push((key, all.clone()));
        }
    });
    Some(all)
}

/// Analyzes the scanned files together, posts the report, and keeps what the viewer needs.
/// `scanned[i]` belongs to `files[i]`.
pub fn finish(files: Vec<(String, File)>, scanned: Vec<crate::item::Scanned>, scan_ms: f64, helper_wasm_bytes: f64) {
    let mut facts = Vec::with_capacity(scanned.len());
    let mut indexes = Vec::new();
    let mut archives = Vec::new();
    for ((path, file), item) in files.iter().zip(scanned) {
        let archive = item.map.map(|map| {
            archives.push(OpenArchive { path: path.clone(), file: file.clone(), map, cache: Default::default() });
            archives.len() - 1
        });
        let is_archive = item.files.len() > 1 || archive.is_some();
        for (i, (f, index)) in item.files.into_iter().enumerate() {
            if let Some(index) = index {
                let source = match (archive, is_archive) {
                    (Some(archive), _) if i > 0 => Source::Entry { archive, entry: i - 1 },
                    (None, true) => Source::Unreadable,
                    _ => Source::File(file.clone()),
                };
                indexes.push((f.path.clone(), index, source));
            }
            facts.push(f);
        }
    }
    let mut source =
        FileSource { files: &files, archives: Default::default(), opened: &mut archives, ahead: Default::default() };
    let report = crate::analyze(facts, &mut source);
    let (table, sources) = LogTable::with_sources(&report, indexes);
    let histogram = table.histogram(160);
    let lines = table.total_lines() as u64;
    let wasm_bytes = wasm_memory_bytes() + helper_wasm_bytes;
    let report_json = serde_json::to_string(&report).unwrap_or_default();
    let (redacted, mapping) = crate::redact::redact(&report);
    let redacted_json = serde_json::to_string(&redacted).unwrap_or_default();
    let (mapping_json, mapping_rows) = (mapping.to_json(), mapping.rows());
    post(&FromWorker::Done {
        report_json,
        redacted_json,
        mapping_json,
        mapping_rows,
        histogram,
        lines,
        scan_ms,
        wasm_bytes,
    });
    let dropped = files;
    let mut session = Session {
        sources,
        archives,
        table,
        view: View::default(),
        view_id: 0,
        searches: Vec::new(),
        mapping,
        dropped,
        packets: None,
    };
    set_view(&mut session, Filter { aligned: true, ..Filter::default() }, None, None);
    SESSION.with(|s| *s.borrow_mut() = Some(session));
}

/// Shows the lines `filter` selects and, with `bits` (a search for `text`), only those marked.
fn set_view(session: &mut Session, filter: Filter, text: Option<String>, bits: Option<Vec<Vec<u64>>>) {
    let text = text.filter(|_| bits.is_some());
    session.view = session.table.view(&filter, bits);
    session.view_id += 1;
    session.packets = None;
    post(&FromWorker::View { view: session.view_id, length: session.view.len() as u32, filter, text, packets: None });
}

/// Reads the packets `pick` names from its capture (or from every dropped capture, the first
/// that has some); a capture inside an archive is not read again.
async fn read_packets(pick: &PacketPick) -> Packets {
    let files: Vec<File> = SESSION.with(|s| {
        let session = s.borrow();
        let dropped = session.as_ref().map_or(&[][..], |s| &s.dropped[..]);
        let is_capture = |f: &File| read(f, 0.0, 4.0).is_ok_and(|head| crate::parse::capture::is_capture(&head));
        dropped
            .iter()
            .filter(|(path, f)| if pick.capture.is_empty() { is_capture(f) } else { *path == pick.capture })
            .map(|(_, f)| f.clone())
            .collect()
    });
    for file in files {
        let mut scan = PacketScan::new(pick);
        if stream_slices(&file, |slice| scan.feed(slice), |_| {}).await.is_ok() {
            let packets = scan.finish();
            if packets.matched > 0 {
                return packets;
            }
        }
    }
    Packets::default()
}

/// Shows `packets` among the log lines of their hosts that `filter` (and the search `bits`)
/// select, on the view's clock; addresses redacted as the report's when the page asks.
fn show_packets(
    session: &mut Session,
    pick: &PacketPick,
    packets: Packets,
    mut filter: Filter,
    text: Option<String>,
    bits: Option<Vec<Vec<u64>>>,
) {
    let redact = |t: String| if pick.redact { session.mapping.apply(&t) } else { t };
    filter.rows = Some(packets.row_filter(pick, redact(pick.label.clone())));
    let text = text.filter(|_| bits.is_some());
    let view = session.table.view(&filter, bits);
    let times: Vec<i64> = packets.times_ms(filter.aligned).collect();
    let overlay = Overlay::new(&times, session.table.view_times(&view));
    let known = packets.offset.is_some();
    let rows = packets
        .rows
        .iter()
        .zip(&times)
        .enumerate()
        .map(|(k, (row, &time))| ShownLine {
            file: 0,
            line: k as u32 + 1,
            time_ms: Some(time),
            level: 0,
            text: redact(if known { row.text() } else { format!("{} (UTC)", row.text()) }),
            packet: true,
        })
        .collect();
    let length = overlay.len() as u32;
    session.view = view;
    session.view_id += 1;
    session.packets = Some((overlay, rows));
    post(&FromWorker::View { view: session.view_id, length, filter, text, packets: Some(packets_note(&packets)) });
}

/// What the viewer's status line adds for packet rows: how many, the cap, and the clock.
fn packets_note(packets: &Packets) -> String {
    if packets.rows.is_empty() {
        return "no packet of this connection in the dropped captures (a capture inside an archive is not read again)"
            .to_string();
    }
    let mut note = crate::numbers::count(packets.rows.len() as u64, "packet", "packets");
    if packets.matched > packets.rows.len() as u64 {
        note.push_str(&format!(
            " (the first {} of {}: nbtriage lists no more)",
            crate::numbers::grouped(crate::viewer::MAX_PACKET_ROWS as u64),
            crate::numbers::grouped(packets.matched)
        ));
    }
    if packets.offset.is_none() && !packets.rows.is_empty() {
        note.push_str(
            ", times in UTC: the capture's offset from the logs' clocks is not known, so no log line is shown beside them",
        );
    }
    note
}

/// The log lines and packets at positions `start..start + count` of the list shown.
fn packet_window(session: &mut Session, start: usize, count: usize) -> Vec<ShownLine> {
    let Some((overlay, _)) = &session.packets else { return Vec::new() };
    let slots: Vec<Slot> = (start..(start + count).min(overlay.len())).map(|at| overlay.slot(at)).collect();
    let logs: Vec<usize> = slots.iter().filter_map(|s| if let Slot::Log(p) = s { Some(*p) } else { None }).collect();
    let rows = match (logs.first(), logs.last()) {
        (Some(&first), Some(&last)) => session.table.rows(&session.view, first, last - first + 1),
        _ => Vec::new(),
    };
    let lines = read_rows(session, &rows);
    let packets = session.packets.as_ref().map_or(&[][..], |p| &p.1[..]);
    slots
        .iter()
        .filter_map(|slot| match *slot {
            Slot::Extra(k) => packets.get(k).cloned(),
            Slot::Log(p) => {
                let row = rows.get(p - logs[0])?;
                lines.iter().find(|l| l.file == row.file && l.line == row.line + 1).cloned()
            }
        })
        .collect()
}

/// Answers one viewer request; `bits` is the search for its text, if it has one.
fn answer(session: &mut Session, message: ToWorker, bits: Option<Vec<Vec<u64>>>) {
    let view_id = session.view_id;
    // With packets among the rows, a log row's position in the list shown, and back.
    let overlay = session.packets.as_ref().map(|p| p.0.clone());
    let at = |index: Option<usize>| index.map(|i| overlay.as_ref().map_or(i, |o| o.position_of_log(i)) as u32);
    let from_shown = |from: Option<u32>, forward| {
        overlay.as_ref().map_or(from.map(|f| f as usize), |o| o.log_from(from.map(|f| f as usize), forward))
    };
    match message {
        ToWorker::View { filter, text } => set_view(session, filter, text, bits),
        ToWorker::Rows { view, start, count } => {
            if view != view_id {
                return;
            }
            let lines = if session.packets.is_some() {
                packet_window(session, start as usize, count as usize)
            } else {
                let rows = session.table.rows(&session.view, start as usize, count as usize);
                read_rows(session, &rows)
            };
            post(&FromWorker::Rows { view, start, lines });
        }
        ToWorker::Locate { path, line } => {
            let Some(file) = session.table.file_index(&path) else {
                post(&FromWorker::Position { view: view_id, index: None, line: Some(line), path: Some(path) });
                return;
            };
            let row = Row { file, line: line.saturating_sub(1) };
            let mut index = at(session.table.position_of(&session.view, row));
            if index.is_none() {
                // Filtered out: show everything (same clock mode, no packets) and look again.
                let aligned = session.view.filter.aligned;
                set_view(session, Filter { aligned, ..Filter::default() }, None, None);
                index = session.table.position_of(&session.view, row).map(|i| i as u32);
            }
            post(&FromWorker::Position { view: session.view_id, index, line: Some(line), path: Some(path) });
        }
        ToWorker::NextError { from, forward } => {
            let index = session.table.next_error(&session.view, from_shown(from, forward), forward);
            post(&FromWorker::Position { view: view_id, index: at(index), line: None, path: None });
        }
        ToWorker::Find { from, forward, .. } => {
            let index = bits
                .and_then(|bits| session.table.next_match(&session.view, &bits, from_shown(from, forward), forward));
            post(&FromWorker::Position { view: view_id, index: at(index), line: None, path: None });
        }
        // Answered before the session is borrowed (see `answer_requests`).
        ToWorker::Thread { .. } | ToWorker::Packets { .. } => {}
    }
}

/// A job's tries, read back from its record's line (1-based `line` of the dropped job list
/// `path`, read again up to that line); names replaced by their pseudonyms when `redact`.
/// A job list inside an archive is not read back (its tries are not shown).
async fn job_thread(path: String, line: u32, redact: bool) -> FromWorker {
    let file = SESSION.with(|s| s.borrow().as_ref()?.dropped.iter().find(|(p, _)| *p == path).map(|(_, f)| f.clone()));
    let mut at = LineAt::new(u64::from(line), crate::facts::jobs::MAX_RECORD_BYTES);
    let read = match &file {
        Some(file) => stream_slices(file, |slice| at.feed(slice), |_| {}).await.is_ok(),
        None => false,
    };
    let Some(record) = at.finish().filter(|_| read) else {
        return FromWorker::Thread { path, line, tries: Vec::new(), servers: Vec::new(), read: false };
    };
    let mut tries = crate::parse::bpdbjobs::job_thread(&record);
    let servers = tries.iter().map(|t| t.media_server.clone()).collect();
    if redact {
        SESSION.with(|s| {
            let Some(session) = s.borrow().as_ref().map(|s| s.mapping.clone()) else { return };
            for t in &mut tries {
                for text in t.lines.iter_mut().chain([&mut t.media_server, &mut t.storage_unit]) {
                    *text = session.apply(text);
                }
            }
        });
    }
    FromWorker::Thread { path, line, tries, servers, read: true }
}

/// The bytes `start..end` of table file `file`, wherever they are.
fn read_bytes(session: &mut Session, file: u32, start: u64, end: u64) -> Result<Vec<u8>, String> {
    match &session.sources[file as usize] {
        Source::File(f) => {
            read(f, start as f64, end as f64).map_err(|e| format!("Could not read the file again: {}", describe(&e)))
        }
        Source::Entry { archive, entry } => session.archives[*archive]
            .read(*entry, start, end)
            .ok_or_else(|| "Could not read the archive again.".to_string()),
        Source::Unreadable => Err("This file's archive cannot be read from the middle.".to_string()),
    }
}

/// Reads the lines of `rows` from the files, in the order of `rows`.
fn read_rows(session: &mut Session, rows: &[Row]) -> Vec<ShownLine> {
    let aligned = session.view.filter.aligned;
    let mut lines: Vec<ShownLine> = Vec::with_capacity(rows.len());
    for (file, start, end, at_line) in session.table.read_plan(rows) {
        match read_bytes(session, file, start, end) {
            Ok(bytes) => lines.extend(session.table.lines_from(file, &bytes, at_line, rows, aligned)),
            Err(message) => post(&FromWorker::Error { message }),
        }
    }
    let position = |l: &ShownLine| rows.iter().position(|r| r.file == l.file && r.line + 1 == l.line);
    crate::order::sort_by_key(&mut lines, |l| position(l));
    lines
}
