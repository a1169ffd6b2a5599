//! The bodies of nbtriage's fuzz targets, and what each one checks beyond "does not panic".
//!
//! Each target takes AFL's bytes; the first byte or two steer it (which path, which chunking,
//! how many files) and the rest is the input. `tests/fuzz` builds them with cargo-afl, seeds
//! them from `tests/bundles/` and runs them (see FUZZING.md). A crash is a panic, a failed check
//! below, an overflow or a debug assertion (the fuzz build keeps both on).
//!
//! - [`line`]: the line grammars, one input = one line.
//! - [`scanner`]: one file scanned whole and in other chunks: the facts must be equal.
//! - [`archive`]: the archive unpacker, whole and in other chunks: the same entries and notes;
//!   each entry read back through the archive's map is what was unpacked.
//! - [`analysis`]: 2 to 4 files analyzed together, in two file orders and chunkings: the same report.

use nbtriage::archive::{self, ArchiveBytes, ArchiveKind, ArchiveMap, EntrySink, Limits, ReadCache, Unpacker};
use nbtriage::facts::limits::Limits as ScanLimits;
use nbtriage::facts::line_index::TimeDetail;
use nbtriage::parse::{
    self, agent, bpdbjobs, clock, commands, date, eventlog, grep_prefix, job_details, job_log, json, legacy, msdp,
    netstat, settings, stated, status, syslog, vxul,
};
use nbtriage::vocab::addr;
use nbtriage::{Analysis, FileScanner, MemorySource, Report};

const DAY_MS: u32 = 86_400_000;

/// Whether `part` lies inside `whole` (the parsers borrow from the line, never copy).
fn within(whole: &[u8], part: &[u8]) -> bool {
    let (start, end) = (whole.as_ptr() as usize, whole.as_ptr() as usize + whole.len());
    let at = part.as_ptr() as usize;
    part.is_empty() || (at >= start && at + part.len() <= end)
}

fn check_borrowed(whole: &[u8], parts: &[Option<&[u8]>], grammar: &str) {
    for part in parts.iter().flatten() {
        assert!(within(whole, part), "{grammar}: a field does not borrow from the line");
    }
}

/// Every line grammar on one line: the combined parser `parse::log_line`, then each grammar's
/// own `parse_line`. A new grammar module under `src/parse/` gets its line here.
pub fn line(text: &[u8]) {
    for previous in [None, Some(parse::LineForm::JobDetails)] {
        if let Some(l) = parse::log_line_after(text, previous) {
            check_borrowed(text, &[Some(l.body), l.process], "log_line");
            assert!(l.time.is_none_or(|t| t < DAY_MS), "log_line: {:?} ms is past the day", l.time);
            assert!(usize::from(l.prefix) < text.len().max(1), "log_line: the grep prefix is past the line");
            let _ = nbtriage::facts::extract::fact(l.body);
            let mut facts = Vec::new();
            nbtriage::facts::extract::signatures(l.body, &mut facts);
        }
    }
    for may_hold_tags in [false, true] {
        if let Some(l) = parse::scan_line(text, None, may_hold_tags) {
            check_borrowed(text, &[Some(l.body)], "scan_line");
        }
    }
    if let Some(l) = legacy::parse_line(text) {
        check_borrowed(text, &[Some(l.body)], "legacy");
        assert!(l.ms_of_day.is_none_or(|t| t < DAY_MS), "legacy: past the day");
        let _ = legacy::severity(l.level, l.body);
        let body = legacy::split_body(l.body, nbtriage::input::process::is_process);
        check_borrowed(text, &[body.process, body.function, Some(body.message)], "legacy body");
    }
    if let Some(l) = legacy::parse_variant(text) {
        check_borrowed(text, &[Some(l.body)], "legacy variant");
        assert!(l.ms_of_day.is_none_or(|t| t < DAY_MS), "legacy variant: past the day");
    }
    if let Some(v) = vxul::parse_line(text) {
        check_borrowed(text, &[Some(v.body), v.originator, v.severity], "vxul");
        assert!(v.ms_of_day < DAY_MS, "vxul: {} ms is past the day", v.ms_of_day);
        let _ = vxul::job_status(v.body);
    }
    for after in [false, true] {
        if let Some(j) = job_details::parse_line(text, after) {
            check_borrowed(text, &[Some(j.body), j.process, j.severity], "job_details");
            assert!(j.ms_of_day.is_none_or(|t| t < DAY_MS), "job_details: past the day");
        }
    }
    if let Some(a) = agent::parse_line(text) {
        check_borrowed(text, &[Some(a.body)], "agent");
        assert!(a.ms_of_day < DAY_MS, "agent: past the day");
    }
    if let Some(m) = msdp::parse_line(text) {
        check_borrowed(text, &[Some(m.body)], "msdp");
        assert!(m.ms_of_day < DAY_MS, "msdp: past the day");
    }
    if let Some(j) = job_log::parse_line(text) {
        check_borrowed(text, &[Some(j.body), Some(j.who), j.severity], "job_log");
        assert!(j.ms_of_day < DAY_MS, "job_log: past the day");
    }
    if let Some(s) = syslog::parse_line(text) {
        check_borrowed(text, &[Some(s.body), Some(s.host), Some(s.program)], "syslog");
        assert!(s.ms_of_day < DAY_MS, "syslog: past the day");
    }
    if let Some(e) = eventlog::parse_line(text) {
        check_borrowed(text, &[Some(e.body), Some(e.source), Some(e.computer)], "eventlog");
        assert!(e.ms_of_day < DAY_MS, "eventlog: past the day");
    }
    if let Some(c) = clock::time_of_day(text) {
        assert!(c.ms_of_day < DAY_MS && c.len <= text.len(), "clock: out of range");
    }
    if let Some((d, _, n)) = date::date(text) {
        assert!(n <= text.len(), "date: read past the text");
        for order in [date::DateOrder::MonthFirst, date::DateOrder::DayFirst] {
            let _ = d.resolve(order, 2020);
        }
    }
    for at in grep_prefix::candidates(text) {
        assert!(at < text.len(), "grep prefix: past the line");
    }
    // Admin commands' output (a prompt line, a first output line, each command's lines).
    let _ = commands::prompt(text);
    let _ = commands::first_output(text);
    for command in commands::Command::ALL {
        let _ = commands::read(command, text);
    }
    // netstat/ss output: a row, a header, a loop's time line.
    let _ = netstat::line(text);
    let _ = netstat::address(text);
    // A settings file's line (bp.conf).
    if let Some((key, value)) = settings::read(text) {
        assert!(value.len() <= settings::MAX_VALUE && !key.is_empty(), "settings: value past its cap");
    }
    let _ = settings::starts_settings(text);
    let _ = settings::is_comment_or_blank(text);
    let _ = status::trailing(text);
    let _ = status::leading(text);
    let _ = status::mentioned(text);
    let _ = stated::stated(text);
    let mut buf = [0u8; stated::MAX_LINE];
    assert!(stated::normalize(text, &mut buf).len() <= stated::MAX_LINE, "stated: past its buffer");
    // A job list's record (bpdbjobs -report -all_columns / -most_columns), as the page's job
    // thread reads one back; its tries' lines are its fields.
    let fields = bpdbjobs::fields(text);
    let tries = bpdbjobs::job_thread(text);
    let lines: usize = tries.iter().map(|t| t.lines.len()).sum();
    assert!(lines + tries.len() <= fields.len(), "bpdbjobs: more try lines than fields");
    let _ = bpdbjobs::looks_like_record(text);
    let _ = nbtriage::facts::jobs::sniff(text);
    // A REST jobs page's JSON reader: an error or a value, never a panic.
    let _ = json::parse(text);
    let _ = nbtriage::facts::jobs::cause(&tries);
    let _ = addr::SockAddr::parse(text);
    let _ = addr::from_to(text);
    let _ = nbtriage::viewer::line_pid(text);
    let mut pids = nbtriage::viewer::LineSearch::pids(&[1, 1234], 2, None);
    text.chunks(7).for_each(|c| pids.feed(c));
    let _ = pids.finish();
    let mut at = nbtriage::viewer::LineAt::new(2, 16);
    text.chunks(5).for_each(|c| at.feed(c));
    assert!(at.finish().is_none_or(|l| l.len() <= 16), "LineAt: a line past its cap");
    let mut hits = Vec::new();
    nbtriage::facts::extract::hits(text, 0, &mut hits);
    assert!(hits.iter().all(|&h| h < text.len() as u64), "a needle hit past the text");
}

/// File names that steer path-based decisions: process and date from folders and names, raw
/// VxUL names, Job Details, archive names, a Windows path, no folder at all, a host's bp.conf, a
/// host's system log.
const PATHS: [&str; 9] = [
    "media01/bpbrm/060311.log",
    "myclient/usr/openv/netbackup/logs/bpcd/log.060311",
    "primary01/nbjm/nbjm.txt",
    "job-details.txt",
    "primary01/nbjm/51216-117-2201360136-151204-0000000000.log",
    "case.tar.gz",
    "C:\\Program Files\\Veritas\\NetBackup\\logs\\vnetd\\root.060311_00001.log",
    "client01/usr/openv/netbackup/bp.conf",
    "media01/var/log/messages",
];

/// Chunk sizes from a seed byte: a xorshift sequence, each size up to 1, 2, 4 ... 4096 bytes,
/// so that some plans cut every byte and others cut rarely.
struct Chunks {
    state: u32,
    max: usize,
}

impl Chunks {
    fn new(seed: u8) -> Chunks {
        Chunks { state: 0x9e37_79b9 ^ u32::from(seed), max: 1 << (seed % 13) }
    }

    fn next_len(&mut self) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        1 + self.state as usize % self.max
    }

    /// Splits `bytes` into the plan's chunks.
    fn split<'a>(&mut self, mut bytes: &'a [u8]) -> Vec<&'a [u8]> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let (now, rest) = bytes.split_at(self.next_len().min(bytes.len()));
            out.push(now);
            bytes = rest;
        }
        out
    }
}

/// One file scanned from a single chunk and from many: the facts (and the viewer's line index,
/// when one is built) must be equal. Byte 0: the path (low 3 bits, and the high bit for the
/// ninth) and the index (none, every line, per block); byte 1: the chunking; the rest is the file.
pub fn scanner(data: &[u8]) {
    let [how, chunking, file @ ..] = data else { return };
    let path = PATHS[(usize::from(how & 7) + 8 * usize::from(how >> 7)) % PATHS.len()];
    let detail = match (how >> 3) % 3 {
        0 => None,
        1 => Some(TimeDetail::EveryLine),
        _ => Some(TimeDetail::PerBlock),
    };
    // The top bit scans at tiny limits, so every cap of the scanner is reached and fuzzed too.
    let limits = if how & 0x80 != 0 { ScanLimits::TINY } else { ScanLimits::DEFAULT };
    let start = || {
        let scanner = FileScanner::with_limits(path, limits);
        match detail {
            Some(detail) => scanner.and_line_index(detail),
            None => scanner,
        }
    };
    let mut whole = start();
    whole.feed(file);
    let whole = whole.finish_with_index();
    let mut chunked = start();
    for chunk in Chunks::new(*chunking).split(file) {
        chunked.feed(chunk);
    }
    let chunked = chunked.finish_with_index();
    assert_eq!(whole.0.bytes, file.len() as u64);
    assert!(whole == chunked, "the chunking changed the file's facts:\nwhole: {whole:?}\nchunked: {chunked:?}");
    if parse::capture::is_capture(file) {
        packet_rows(file, *chunking);
    }
}

/// A capture's packets as the log viewer lists them (`viewer::PacketScan`), every connection
/// picked: the same rows, count and offset whole and in other chunks, within the cap.
fn packet_rows(file: &[u8], chunking: u8) {
    use nbtriage::viewer::{Anchor, PacketPick, PacketScan, MAX_PACKET_ROWS};
    let anchor = Anchor { client: "2.2.2.2.3582".into(), server: "3.3.3.3.1556".into(), at_ms: 1, host_offset_ms: 0 };
    let pick = PacketPick { anchors: vec![anchor], ..PacketPick::default() };
    let mut whole = PacketScan::new(&pick);
    whole.feed(file);
    let whole = whole.finish();
    let mut chunked = PacketScan::new(&pick);
    for chunk in Chunks::new(chunking).split(file) {
        chunked.feed(chunk);
    }
    assert!(whole == chunked.finish(), "the chunking changed the packet rows");
    assert!(whole.rows.len() <= MAX_PACKET_ROWS && whole.rows.len() as u64 <= whole.matched);
    for row in &whole.rows {
        let _ = row.text();
    }
}

/// What an [`EntrySink`] was told, in order, with the sink's contract checked as it goes.
#[derive(Debug, Default, PartialEq)]
struct Events {
    events: Vec<Event>,
    open: bool,
    data: u64,
}

#[derive(Debug, PartialEq)]
enum Event {
    Start(String),
    Data(Vec<u8>),
    End,
    Note(Option<String>, String),
}

impl EntrySink for Events {
    fn start_entry(&mut self, path: &str) {
        assert!(!self.open, "an entry started inside another");
        assert!(!path.is_empty() && !path.starts_with('/'), "entry path {path:?}");
        assert!(
            !path.split('/').any(|c| c.is_empty() || c == "." || c == ".."),
            "entry path {path:?} leaves the archive"
        );
        self.open = true;
        self.events.push(Event::Start(path.to_string()));
    }
    fn entry_data(&mut self, bytes: &[u8]) {
        assert!(self.open, "data outside an entry");
        assert!(!bytes.is_empty(), "an empty data call");
        self.data += bytes.len() as u64;
        match self.events.last_mut() {
            Some(Event::Data(data)) => data.extend_from_slice(bytes),
            _ => self.events.push(Event::Data(bytes.to_vec())),
        }
    }
    fn end_entry(&mut self) {
        assert!(self.open, "an entry ended that was not started");
        self.open = false;
        self.events.push(Event::End);
    }
    fn note(&mut self, entry: Option<&str>, note: String) {
        assert!(!note.is_empty(), "an empty note");
        self.events.push(Event::Note(entry.map(str::to_string), note));
    }
}

/// Limits small enough that a bomb costs little time, large enough to pass the ratio's floor.
const ARCHIVE_LIMITS: Limits = Limits { max_total_bytes: 2 << 20, max_entries: 64, max_ratio: 200 };

/// Unpacks, keeping a map (restart points every 4 KiB, at most 16) when `map`.
fn unpack(kind: ArchiveKind, name: &str, chunks: &[&[u8]], map: bool) -> (Events, Option<ArchiveMap>) {
    let mut sink = Events::default();
    let mut unpacker = Unpacker::new(kind, name, ARCHIVE_LIMITS);
    if map {
        unpacker.keep_map_with(4096, 16);
    }
    for chunk in chunks {
        unpacker.feed(chunk, &mut sink);
    }
    let out = unpacker.bytes_out();
    let map = unpacker.finish(&mut sink);
    assert!(!sink.open, "an entry left open after finish");
    assert!(sink.data >= out && sink.data <= ARCHIVE_LIMITS.max_total_bytes, "{} bytes out, {out} counted", sink.data);
    (sink, map)
}

/// The archive in memory, read by offset.
struct InMemory<'a>(&'a [u8]);

impl ArchiveBytes for InMemory<'_> {
    fn read(&mut self, start: u64, end: u64) -> Option<Vec<u8>> {
        let len = self.0.len() as u64;
        Some(self.0[start.min(len) as usize..end.min(len) as usize].to_vec())
    }
}

/// Each entry read back through `map`, whole and its second half, is the data unpacked.
fn read_back(map: &ArchiveMap, events: &Events, bytes: &[u8]) {
    let mut data: Vec<Vec<u8>> = Vec::new();
    for event in &events.events {
        match event {
            Event::Start(_) => data.push(Vec::new()),
            Event::Data(d) => data.last_mut().expect("data in an entry").extend_from_slice(d),
            _ => {}
        }
    }
    assert_eq!(map.entries.len(), data.len(), "one map entry per entry");
    let mut cache = ReadCache::default();
    for (i, expected) in data.iter().enumerate() {
        let len = expected.len() as u64;
        assert_eq!(map.entries[i].len, len);
        let got = map.read(i, 0, len, &mut InMemory(bytes), &mut ReadCache::default()).expect("read");
        assert!(&got == expected, "entry {i} read back whole differs");
        let got = map.read(i, len / 2, len, &mut InMemory(bytes), &mut cache).expect("read");
        assert!(got == expected[(len / 2) as usize..], "entry {i}'s second half differs");
    }
}

/// The archive unpacker, whole and in chunks (keeping a map): the same entries, data and
/// notes, and the sink's contract kept (entries never overlap, paths stay inside, limits
/// hold); each entry read back through the map is the data unpacked. Byte 0: the
/// format (gzip, tar, tar.gz, zip, or judged by `kind_of` from the bytes and a name); byte 1:
/// the chunking; the rest is the archive.
pub fn archive(data: &[u8]) {
    let [how, chunking, bytes @ ..] = data else { return };
    const KINDS: [ArchiveKind; 4] = [ArchiveKind::Gzip, ArchiveKind::Tar, ArchiveKind::TarGz, ArchiveKind::Zip];
    const NAMES: [&str; 4] = ["logs.tar.gz", "logs.tar", "bpbrm.log.gz", "case.zip"];
    let name = NAMES[usize::from(how >> 4) % NAMES.len()];
    let kind = match KINDS.get(usize::from(how & 7)) {
        Some(&kind) => kind,
        None => match archive::kind_of(name, &bytes[..bytes.len().min(512)]) {
            Some(kind) => kind,
            None => return,
        },
    };
    let (whole, _) = unpack(kind, name, &[bytes], false);
    let (chunked, map) = unpack(kind, name, &Chunks::new(*chunking).split(bytes), true);
    assert!(
        whole == chunked,
        "the chunking or the map changed the archive's entries:\nwhole: {whole:?}\nchunked: {chunked:?}"
    );
    read_back(&map.expect("a map"), &whole, bytes);
}

/// Marks where one file ends and the next starts in the analysis target's input.
pub const FILE_MARK: &[u8] = b"\n--8<--\n";

/// The whole analysis of 2 to 4 files: in order and whole, then in reverse order and in chunks
/// fed in turn; the reports must be equal, and each renderer must take the report. Byte 0: the
/// number of files (when the input has no [`FILE_MARK`]) and the first path; byte 1: the
/// chunking; the rest is the files, split at each [`FILE_MARK`] (at most 4), or else evenly.
pub fn analysis(data: &[u8]) {
    let [how, chunking, rest @ ..] = data else { return };
    let mut bodies: Vec<&[u8]> = split_marked(rest);
    if bodies.len() < 2 {
        let n = 2 + usize::from(how % 3);
        let size = rest.len().div_ceil(n).max(1);
        bodies = rest.chunks(size).collect();
        bodies.resize(n, &[]);
    }
    // Distinct paths, so that each file can be read back for its evidence.
    let first = usize::from(how >> 2);
    let files: Vec<(String, Vec<u8>)> =
        bodies.iter().enumerate().map(|(i, b)| (PATHS[(first + i) % PATHS.len()].to_string(), b.to_vec())).collect();

    let in_order = analyze(&files, None);
    let mut reversed = files.clone();
    reversed.reverse();
    let other = analyze(&reversed, Some(*chunking));
    assert!(in_order == other, "the file order or the chunking changed the report");
    let json = nbtriage::report::json::render(&in_order);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "the JSON report does not parse");
    let _ = nbtriage::report::text::render(&in_order);
    let _ = nbtriage::report::markdown::render(&in_order);
}

/// Up to 4 pieces: the fourth takes the rest, marks included.
fn split_marked(bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while out.len() < 3 {
        let Some(at) = find(rest, FILE_MARK) else { break };
        out.push(&rest[..at]);
        rest = &rest[at + FILE_MARK.len()..];
    }
    out.push(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Analyzes `files`: each whole (`chunking` None), or in chunks of that plan, one chunk of each
/// file in turn, as the CLI's threads and the page's workers interleave them.
fn analyze(files: &[(String, Vec<u8>)], chunking: Option<u8>) -> Report {
    let mut analysis = Analysis::new();
    let ids: Vec<_> = files.iter().map(|(path, _)| analysis.add_file(path.clone())).collect();
    match chunking {
        None => {
            for (id, (_, bytes)) in ids.iter().zip(files) {
                analysis.feed(*id, bytes);
            }
        }
        Some(seed) => {
            let mut plan = Chunks::new(seed);
            let mut queues: Vec<Vec<&[u8]>> = files.iter().map(|(_, b)| plan.split(b)).collect();
            queues.iter_mut().for_each(|q| q.reverse());
            while queues.iter().any(|q| !q.is_empty()) {
                for (id, queue) in ids.iter().zip(&mut queues) {
                    if let Some(chunk) = queue.pop() {
                        analysis.feed(*id, chunk);
                    }
                }
            }
        }
    }
    let mut source: MemorySource = files.iter().cloned().collect();
    analysis.finish(&mut source)
}
