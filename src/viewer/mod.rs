//! The log viewer's model: every line of every file merged in time order, filtered, and read
//! back from the files in windows. Pure data and arithmetic: the caller (the page's worker)
//! owns the files and does the reading; this module says which bytes to read and what they mean.
//!
//! The merged order is never stored row by row: a [`View`] keeps the merge's state (each file's
//! cursor) every [`CHECKPOINT_ROWS`] rows, and a window of rows is produced by resuming the
//! k-way merge from the checkpoint before it. Each file keeps its own line order (lines written
//! out of order stay where the file has them, as in lnav).

mod overlay;
mod packets;
mod rows;
mod search;

pub use overlay::{Overlay, Slot};
pub use packets::{Anchor, PacketPick, PacketRow, PacketScan, Packets, MAX_PACKET_ROWS};
pub use rows::{line_pid, same_host, RowFilter, ThreadHost};
pub use search::{both, is_set, next_set, EntrySearches, LineAt, LineSearch};

use crate::facts::line_index::{level, LineIndex};
use crate::facts::timing::{LineClock, When};
use crate::parse::date::OrderHint;
use crate::report::Report;
use crate::vocab::time::{Date, MS_PER_DAY};
use serde::{Deserialize, Serialize};

/// One line of one file (0-based line number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Row {
    pub file: u32,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct TableFile {
    pub path: String,
    pub host: String,
    pub process: String,
    pub base_ms: i64,
    pub clock_offset_ms: i64,
    /// Whether the file's lines give times (lines quoted without theirs do not).
    pub timed: bool,
    pub index: LineIndex,
}

/// What the viewer shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Hosts to show; empty shows all.
    pub hosts: Vec<String>,
    /// Processes to show; empty shows all.
    pub processes: Vec<String>,
    /// 0: all lines, 1: warnings and errors, 2: errors only.
    pub min_level: u8,
    /// Put lines on the reference host's clock (per-host offsets applied).
    pub aligned: bool,
    /// The rows of one thread of events only (one job's, one connection's), if set.
    #[serde(default)]
    pub rows: Option<RowFilter>,
}

/// Line counts over time, for the histogram above the viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    pub start_ms: i64,
    pub bin_ms: i64,
    /// Per bin: info, warning and error lines.
    pub bins: Vec<[u32; 3]>,
}

/// A line ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownLine {
    pub file: u32,
    /// 1-based, as in the file on disk.
    pub line: u32,
    /// None in a file whose lines give no time.
    pub time_ms: Option<i64>,
    pub level: u8,
    pub text: String,
    /// A capture's packet, not a line of a file (`file` and `line` then mean nothing).
    #[serde(default)]
    pub packet: bool,
}

/// Lines are cut to this many bytes for display.
const SHOWN_LINE_MAX: usize = 2000;

/// A view's merge state is kept every this many rows.
pub const CHECKPOINT_ROWS: usize = 1024;

#[derive(Debug, Default)]
pub struct LogTable {
    pub files: Vec<TableFile>,
    /// Per file, the 0-based lines at error level, for jumping between errors.
    errors: Vec<Vec<u32>>,
}

/// The rows a filter shows, in time order, as resumable merge states.
#[derive(Debug, Clone, Default)]
pub struct View {
    pub filter: Filter,
    /// Lines a text search matched, one bit set per file; `None` shows every line.
    text: Option<Vec<Vec<u64>>>,
    wanted: Vec<bool>,
    /// Per file, the row filter's window on the file's own clock (from its day 0), if any.
    windows: Vec<Option<(i64, i64)>>,
    len: usize,
    /// `checkpoints[i]`: each file's next line at row `i * CHECKPOINT_ROWS`.
    checkpoints: Vec<Vec<u32>>,
}

impl View {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The merge order: time on the chosen clock, then file, then line.
type Key = (i64, u32, u32);

impl LogTable {
    /// Builds the table from line indexes (by path) and the report's file data.
    pub fn new(report: &Report, indexes: Vec<(String, LineIndex)>) -> LogTable {
        let indexes = indexes.into_iter().map(|(path, index)| (path, index, ())).collect();
        LogTable::with_sources(report, indexes).0
    }

    /// [`LogTable::new`], each index with what the caller reads its file from (a file, an entry
    /// of an archive): returned in the table's order, one per table file. Indexes whose path
    /// the report does not list are left out, with their source.
    pub fn with_sources<T>(report: &Report, mut indexes: Vec<(String, LineIndex, T)>) -> (LogTable, Vec<T>) {
        crate::order::sort_by(&mut indexes, |a, b| a.0.cmp(&b.0));
        // The first file of each path, as a search from the start would find it.
        let mut by_path = std::collections::BTreeMap::new();
        for file in report.files.iter().rev() {
            by_path.insert(file.path.as_str(), file);
        }
        let mut files = Vec::new();
        let mut sources = Vec::new();
        for (path, index, source) in indexes {
            let Some(file) = by_path.get(path.as_str()) else { continue };
            files.push(TableFile {
                host: file.host.clone().unwrap_or_else(|| "unknown host".into()),
                process: file.process.clone().unwrap_or_else(|| "unknown".into()),
                base_ms: file.time_base_ms,
                clock_offset_ms: file.clock_offset_ms,
                timed: file.first.is_some(),
                path,
                index,
            });
            sources.push(source);
        }
        let errors = files.iter().map(|f| f.index.lines_at(level::ERROR)).collect();
        (LogTable { files, errors }, sources)
    }

    pub fn total_lines(&self) -> usize {
        self.files.iter().map(|f| f.index.len()).sum()
    }

    pub fn file_index(&self, path: &str) -> Option<u32> {
        self.files.iter().position(|f| f.path == path).map(|i| i as u32)
    }

    /// The time a row is merged at: its own with every line's time kept, interpolated with
    /// per-block times (see [`crate::facts::line_index::TimeDetail`]). The time shown is always
    /// the line's own ([`LogTable::lines_from`]).
    pub fn merge_time_ms(&self, row: Row, aligned: bool) -> i64 {
        let f = &self.files[row.file as usize];
        clock_shift(f, aligned) + i64::from(f.index.time(row.line))
    }

    pub fn level(&self, row: Row) -> u8 {
        self.files[row.file as usize].index.level(row.line)
    }

    fn key(&self, row: Row, aligned: bool) -> Key {
        (self.merge_time_ms(row, aligned), row.file, row.line)
    }

    /// Whether a view shows line `line` of file `file`.
    fn shows(&self, view: &View, file: u32, line: u32) -> bool {
        if !view.wanted[file as usize] {
            return false;
        }
        let f = &self.files[file as usize];
        if let Some((from, to)) = view.windows[file as usize] {
            if !(from..=to).contains(&(f.base_ms + i64::from(f.index.time(line)))) {
                return false;
            }
        }
        let l = f.index.level(line);
        if view.filter.min_level > 0 && (l == level::OTHER || l < view.filter.min_level) {
            return false;
        }
        view.text.as_ref().is_none_or(|bits| search::is_set(&bits[file as usize], line))
    }

    /// The first line at or after `from` in `file` that the view shows.
    fn next_shown(&self, view: &View, file: u32, from: u32) -> Option<u32> {
        let len = self.files[file as usize].index.len() as u32;
        (from..len).find(|&line| self.shows(view, file, line))
    }

    /// The rows a filter shows. `text` restricts them to lines a [`LineSearch`] matched (one
    /// bit set per file; a row filter's pids are such a search, see [`RowFilter`]). One pass
    /// of the merge, keeping a checkpoint every [`CHECKPOINT_ROWS`] rows.
    pub fn view(&self, filter: &Filter, text: Option<Vec<Vec<u64>>>) -> View {
        let all = RowFilter::default();
        let thread = filter.rows.as_ref().unwrap_or(&all);
        let mut wanted = Vec::with_capacity(self.files.len());
        let mut windows = Vec::with_capacity(self.files.len());
        for f in &self.files {
            let window = thread.file_window(&f.host, &f.process);
            // A file whose lines give no time cannot be placed in a window.
            let in_thread = window.is_some_and(|w| w.is_none() || f.timed);
            wanted.push(
                (filter.hosts.is_empty() || filter.hosts.contains(&f.host))
                    && (filter.processes.is_empty() || filter.processes.contains(&f.process))
                    && in_thread,
            );
            windows.push(window.flatten());
        }
        let mut view = View { filter: filter.clone(), text, wanted, windows, len: 0, checkpoints: Vec::new() };
        let mut merge = Merge::start(self, &view, vec![0; self.files.len()]);
        loop {
            if view.len.is_multiple_of(CHECKPOINT_ROWS) {
                view.checkpoints.push(merge.cursors.clone());
            }
            if merge.next(self, &view).is_none() {
                break;
            }
            view.len += 1;
        }
        view
    }

    /// Rows `start..start + count` of a view.
    pub fn rows(&self, view: &View, start: usize, count: usize) -> Vec<Row> {
        let mut merge = self.merge_at(view, start);
        (0..count).map_while(|_| merge.next(self, view)).collect()
    }

    /// The merge times of a view's rows, in view order (to place an [`Overlay`]'s rows).
    pub fn view_times<'a>(&'a self, view: &'a View) -> impl Iterator<Item = i64> + 'a {
        let mut merge = Merge::start(self, view, vec![0; self.files.len()]);
        std::iter::from_fn(move || merge.next(self, view).map(|r| self.merge_time_ms(r, view.filter.aligned)))
    }

    /// A merge positioned at row `position` of the view.
    fn merge_at(&self, view: &View, position: usize) -> Merge {
        let position = position.min(view.len);
        let checkpoint = (position / CHECKPOINT_ROWS).min(view.checkpoints.len().saturating_sub(1));
        let cursors = view.checkpoints.get(checkpoint).cloned().unwrap_or_else(|| vec![0; self.files.len()]);
        let mut merge = Merge::start(self, view, cursors);
        for _ in checkpoint * CHECKPOINT_ROWS..position {
            merge.next(self, view);
        }
        merge
    }

    /// Where a row is in a view, if the view shows it. Each file's cursor only grows from one
    /// checkpoint to the next, so the checkpoint before the row is found by binary search on
    /// that file's cursor, whatever the times look like.
    pub fn position_of(&self, view: &View, row: Row) -> Option<usize> {
        if row.file as usize >= self.files.len() || !self.shows(view, row.file, row.line) {
            return None;
        }
        let f = row.file as usize;
        let checkpoint = view.checkpoints.partition_point(|c| c[f] <= row.line).checked_sub(1)?;
        let mut merge = Merge::start(self, view, view.checkpoints[checkpoint].clone());
        let mut position = checkpoint * CHECKPOINT_ROWS;
        while let Some(r) = merge.next(self, view) {
            if r == row {
                return Some(position);
            }
            position += 1;
        }
        None
    }

    /// The next (or previous) row after (before) `from` that the view shows and `pick` finds;
    /// from the start (end) when `from` is `None`. `pick(file, line, forward)` gives the file's
    /// next (or previous) candidate line at or after (before) `line`.
    fn next_where_in_files(
        &self,
        view: &View,
        from: Option<usize>,
        forward: bool,
        pick: impl Fn(u32, u32, bool) -> Option<u32>,
    ) -> Option<usize> {
        // Each file's cursor just after (or at) the starting row.
        let cursors = match (from, forward) {
            (Some(p), true) => self.merge_at(view, p + 1).cursors,
            (Some(p), false) => self.merge_at(view, p).cursors,
            (None, true) => vec![0; self.files.len()],
            (None, false) => self.files.iter().map(|f| f.index.len() as u32).collect(),
        };
        let mut best: Option<usize> = None;
        for (file, &cursor) in cursors.iter().enumerate() {
            let file = file as u32;
            if !view.wanted[file as usize] {
                continue;
            }
            let mut line = if forward { Some(cursor) } else { cursor.checked_sub(1) };
            let found = loop {
                let Some(l) = line.and_then(|l| pick(file, l, forward)) else { break None };
                if self.shows(view, file, l) {
                    break Some(l);
                }
                line = if forward { l.checked_add(1) } else { l.checked_sub(1) };
            };
            // The candidate the merge reaches first (last): its position decides.
            if let Some(position) = found.and_then(|line| self.position_of(view, Row { file, line })) {
                if best.is_none_or(|b| if forward { position < b } else { position > b }) {
                    best = Some(position);
                }
            }
        }
        best
    }

    /// The next (or previous) error line in the view after (before) `from`.
    pub fn next_error(&self, view: &View, from: Option<usize>, forward: bool) -> Option<usize> {
        self.next_where_in_files(view, from, forward, |file, line, forward| {
            let errors = &self.errors[file as usize];
            let at = errors.partition_point(|&e| e < line);
            if forward {
                errors.get(at).copied()
            } else {
                // The last error at or before `line`.
                errors.get(errors.partition_point(|&e| e <= line).checked_sub(1)?).copied()
            }
        })
    }

    /// The next (or previous) line in the view after (before) `from` that `bits` (a search's
    /// bit sets) marks.
    pub fn next_match(&self, view: &View, bits: &[Vec<u64>], from: Option<usize>, forward: bool) -> Option<usize> {
        self.next_where_in_files(view, from, forward, |file, line, forward| {
            search::next_set(&bits[file as usize], line, forward)
        })
    }

    /// Which byte ranges to read to show `rows`: per file, runs of nearby lines become one range.
    /// Each item is (file, start byte, end byte, 0-based line at start byte).
    pub fn read_plan(&self, rows: &[Row]) -> Vec<(u32, u64, u64, u32)> {
        const GAP: u32 = 256;
        let mut by_file: Vec<(u32, u32)> = rows.iter().map(|r| (r.file, r.line)).collect();
        by_file.sort_unstable();
        by_file.dedup();
        let mut plan = Vec::new();
        let mut i = 0;
        while i < by_file.len() {
            let (file, first) = by_file[i];
            let mut last = first;
            while i + 1 < by_file.len() && by_file[i + 1].0 == file && by_file[i + 1].1 - last <= GAP {
                i += 1;
                last = by_file[i].1;
            }
            let (start, end, at_line) = self.files[file as usize].index.byte_range(first, last - first + 1);
            plan.push((file, start, end, at_line));
            i += 1;
        }
        plan
    }

    /// Turns the bytes read for one plan item (from a checkpoint, see [`LogTable::read_plan`])
    /// into the lines among `rows` it holds, each with its own time.
    pub fn lines_from(&self, file: u32, bytes: &[u8], at_line: u32, rows: &[Row], aligned: bool) -> Vec<ShownLine> {
        let mut wanted: Vec<u32> = rows.iter().filter(|r| r.file == file).map(|r| r.line).collect();
        wanted.sort_unstable();
        let f = &self.files[file as usize];
        let shift = clock_shift(f, aligned);
        let mut times = LineTimes::resume(i64::from(f.index.time(at_line)), f);
        let mut out = Vec::new();
        let mut line = at_line;
        let decoded;
        let bytes = match f.index.encoding {
            Some(order) => {
                decoded = order.decode(bytes);
                &decoded[..]
            }
            None => bytes,
        };
        for text in bytes.split(|&b| b == b'\n') {
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            let time_ms = shift + times.next(line, text);
            if wanted.binary_search(&line).is_ok() {
                let text = &text[..text.len().min(SHOWN_LINE_MAX)];
                out.push(ShownLine {
                    file,
                    line: line + 1,
                    time_ms: f.timed.then_some(time_ms),
                    level: f.index.level(line),
                    text: String::from_utf8_lossy(text).into_owned(),
                    packet: false,
                });
            }
            line += 1;
            if (line as usize) >= self.files[file as usize].index.len() {
                break;
            }
        }
        out
    }

    /// Line counts per time bin over all files that give times (aligned clocks).
    pub fn histogram(&self, bins: usize) -> Option<Histogram> {
        let bins = bins.max(1);
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        let timed = || self.files.iter().filter(|f| f.timed);
        for f in timed() {
            if let Some((first, last)) = f.index.time_range() {
                lo = lo.min(clock_shift(f, true) + i64::from(first));
                hi = hi.max(clock_shift(f, true) + i64::from(last));
            }
        }
        if lo > hi {
            return None;
        }
        let bin_ms = ((hi - lo) / bins as i64 + 1).max(1);
        let mut counts = vec![[0u32; 3]; bins];
        for f in timed() {
            f.index.count_levels_by_bin(clock_shift(f, true), lo, bin_ms, &mut counts);
        }
        Some(Histogram { start_ms: lo, bin_ms, bins: counts })
    }
}

/// What to add to a file's line times to put them on the shown clock: the file's day 0, less
/// its host's clock offset when clocks are aligned.
fn clock_shift(f: &TableFile, aligned: bool) -> i64 {
    if aligned {
        f.base_ms - f.clock_offset_ms
    } else {
        f.base_ms
    }
}

/// Each line's own time, in milliseconds from its file's day 0, replayed from a line whose time
/// the index knows exactly (a checkpoint starts a time block) by the scanner's own
/// [`LineClock`]: times of day counted through midnights, dates read in the order the scan
/// decided, and a line with no time of its own at the time of the line before.
struct LineTimes {
    clock: LineClock<()>,
    previous: Option<crate::parse::LineForm>,
    last_ms: i64,
    timed: Vec<((), Option<i64>)>,
}

impl LineTimes {
    fn resume(start_ms: i64, f: &TableFile) -> LineTimes {
        let day0 = (f.base_ms != 0).then(|| Date::from_days_since_epoch(f.base_ms.div_euclid(MS_PER_DAY)));
        LineTimes {
            clock: LineClock::resume(start_ms, day0, f.index.date_order),
            previous: None,
            last_ms: start_ms,
            timed: Vec::new(),
        }
    }

    /// The time of line `line` (0-based), given its text; lines come in order.
    fn next(&mut self, line: u32, text: &[u8]) -> i64 {
        let text = if line == 0 { text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text) } else { text };
        let Some(log) = crate::parse::log_line_after(text, self.previous) else { return self.last_ms };
        self.previous = Some(log.form);
        let (when, hint) = match (log.date, log.time) {
            (Some((date, hint)), Some(ms)) => (When::Dated(date, ms), hint),
            (None, Some(ms)) => (When::Time(ms), OrderHint::Either),
            (_, None) => (When::NoTime, OrderHint::Either),
        };
        self.clock.push(u64::from(line) + 1, when, hint, (), &mut self.timed);
        if let Some(((), Some(ms))) = self.timed.pop() {
            self.last_ms = ms;
        }
        self.timed.clear();
        self.last_ms
    }
}

/// The state of the k-way merge: each file's next line, and a heap of each file's next shown
/// line by key.
struct Merge {
    cursors: Vec<u32>,
    heap: std::collections::BinaryHeap<std::cmp::Reverse<Key>>,
}

impl Merge {
    fn start(table: &LogTable, view: &View, cursors: Vec<u32>) -> Merge {
        let mut heap = std::collections::BinaryHeap::new();
        for (file, &cursor) in cursors.iter().enumerate() {
            if let Some(line) = table.next_shown(view, file as u32, cursor) {
                heap.push(std::cmp::Reverse(table.key(Row { file: file as u32, line }, view.filter.aligned)));
            }
        }
        Merge { cursors, heap }
    }

    fn next(&mut self, table: &LogTable, view: &View) -> Option<Row> {
        // The file's next line replaces it at the top: one sift down, not a pop and a push (the
        // merge runs once per line the view shows).
        let mut top = self.heap.peek_mut()?;
        let std::cmp::Reverse((_, file, line)) = *top;
        self.cursors[file as usize] = line + 1;
        match table.next_shown(view, file, line + 1) {
            Some(next) => *top = std::cmp::Reverse(table.key(Row { file, line: next }, view.filter.aligned)),
            None => drop(std::collections::binary_heap::PeekMut::pop(top)),
        }
        Some(Row { file, line })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::line_index::TimeDetail;
    use crate::facts::scanner::FileScanner;

    /// Many files and lines, positions checked against a plain sort: the merge, its
    /// checkpoints, `position_of` and the jumps agree with it everywhere.
    /// Five files of 900 lines, not all in time order, with some errors.
    fn five_files_out_of_order() -> Vec<(String, String)> {
        let mut files = Vec::new();
        for f in 0..5u32 {
            let mut text = String::new();
            for i in 0..900u32 {
                let ms = i64::from(i * (f + 3) * 37 % 50_000 + i * 40);
                let level = if (i + f) % 97 == 0 { 16 } else { 2 };
                text.push_str(&format!("{} [1] <{level}> x line {i} of {f}\n", crate::vocab::time::time_of_day(ms)));
            }
            files.push((format!("h{f}/bpcd/log.010120"), text));
        }
        files
    }

    #[test]
    fn the_merge_agrees_with_a_sort_across_checkpoints() {
        let files = five_files_out_of_order();
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let t = table(&refs);
        let view = t.view(&Filter::default(), None);
        assert_eq!(view.len(), 4500);
        let rows = t.rows(&view, 0, 5000);
        let mut sorted = rows.clone();
        sorted.sort_by_key(|&r| t.key(r, false));
        // Files are not all in time order, so the merge keeps each file's order: check that
        // instead, and that consecutive windows join up.
        for f in 0..5 {
            let lines: Vec<u32> = rows.iter().filter(|r| r.file == f).map(|r| r.line).collect();
            assert_eq!(lines, (0..900).collect::<Vec<_>>());
        }
        assert_eq!(t.rows(&view, 1500, 700), rows[1500..2200].to_vec());
        for (i, &r) in rows.iter().enumerate().step_by(113) {
            assert_eq!(t.position_of(&view, r), Some(i), "{r:?}");
        }
        let errors: Vec<usize> = (0..rows.len()).filter(|&i| t.level(rows[i]) == level::ERROR).collect();
        assert_eq!(t.next_error(&view, None, true), errors.first().copied());
        assert_eq!(t.next_error(&view, Some(errors[3]), true), Some(errors[4]));
        assert_eq!(t.next_error(&view, Some(errors[3]), false), Some(errors[2]));
        assert_eq!(sorted.len(), rows.len());
    }

    /// With times kept per block, the merge still keeps each file's order, windows join up,
    /// positions agree with the rows, and every shown time is the line's own (as with every
    /// line's time kept).
    #[test]
    fn per_block_times_keep_file_order_and_show_exact_times() {
        let files = five_files_out_of_order();
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let exact = table(&refs);
        let coarse = table_with(&refs, &[TimeDetail::PerBlock]);
        assert!(coarse.files[0].index.heap_bytes() * 3 < exact.files[0].index.heap_bytes());
        // All files per block, and every other one (as `TimeDetail::for_files` mixes them).
        let mixed = table_with(&refs, &[TimeDetail::PerBlock, TimeDetail::EveryLine]);
        for t in [&coarse, &mixed] {
            let view = t.view(&Filter::default(), None);
            assert_eq!(view.len(), 4500);
            let rows = t.rows(&view, 0, 5000);
            for f in 0..5 {
                let lines: Vec<u32> = rows.iter().filter(|r| r.file == f).map(|r| r.line).collect();
                assert_eq!(lines, (0..900).collect::<Vec<_>>());
            }
            assert_eq!(t.rows(&view, 2000, 900), rows[2000..2900].to_vec());
            for (i, &r) in rows.iter().enumerate().step_by(97) {
                assert_eq!(t.position_of(&view, r), Some(i), "{r:?}");
            }
            for (f, (_, text)) in files.iter().enumerate() {
                let wanted: Vec<Row> = (0..900).map(|line| Row { file: f as u32, line }).collect();
                let shown = t.lines_from(f as u32, text.as_bytes(), 0, &wanted, true);
                let times: Vec<i64> = wanted.iter().map(|&r| exact.merge_time_ms(r, true)).collect();
                assert_eq!(shown.iter().map(|l| l.time_ms.unwrap()).collect::<Vec<_>>(), times);
            }
        }
    }

    /// Lines read back show their own time and day, in both index modes: across a weekend in
    /// a dated (vxlogview) file, where an interpolated time lands days off, and across
    /// midnight in a legacy file, with a continuation line between.
    #[test]
    fn shown_times_keep_their_day_across_gaps_and_midnight() {
        let vx = |date: &str, time: &str| {
            format!("{date} {time} [Debug] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [No context] 1 [x] line\n")
        };
        let mut weekend = String::new();
        for m in 0..3 {
            weekend.push_str(&vx("12/04/2015", &format!("10:0{m}:00.000")));
        }
        for s in 0..37 {
            weekend.push_str(&vx("12/07/2015", &format!("09:00:{s:02}.000")));
        }
        let mut midnight = String::new();
        for s in 0..40u32 {
            let ms = (i64::from(s) * 1000 + 86_390_000) % 86_400_000;
            midnight.push_str(&format!("{} [7] <2> bpcd line {s}\n", crate::vocab::time::time_of_day(ms)));
            if s == 20 {
                midnight.push_str("  a continuation line\n");
            }
        }
        let files = [("h1/nbjm/nbjm.txt", weekend.as_str()), ("h2/bpcd/log.120415", midnight.as_str())];
        let exact = table(&files);
        let coarse = table_with(&files, &[TimeDetail::PerBlock]);
        for (f, (_, text)) in files.iter().enumerate() {
            let lines = exact.files[f].index.len() as u32;
            let rows: Vec<Row> = (0..lines).map(|line| Row { file: f as u32, line }).collect();
            let wanted: Vec<i64> = rows.iter().map(|&r| exact.merge_time_ms(r, false)).collect();
            for t in [&exact, &coarse] {
                let shown = t.lines_from(f as u32, text.as_bytes(), 0, &rows, false);
                assert_eq!(shown.iter().map(|l| l.time_ms.unwrap()).collect::<Vec<_>>(), wanted, "file {f}");
            }
        }
        // Monday's first line is three days after Friday's first.
        let day = crate::vocab::time::MS_PER_DAY;
        let monday =
            exact.merge_time_ms(Row { file: 0, line: 3 }, false) - exact.merge_time_ms(Row { file: 0, line: 0 }, false);
        assert_eq!(monday, 3 * day - 3_600_000);
    }

    fn table(files: &[(&str, &str)]) -> LogTable {
        table_with(files, &[TimeDetail::EveryLine])
    }

    /// A table whose `i`th file's index has `details[i % details.len()]`.
    fn table_with(files: &[(&str, &str)], details: &[TimeDetail]) -> LogTable {
        let mut analysis_files = Vec::new();
        let mut indexes = Vec::new();
        let mut source = crate::MemorySource::default();
        for (i, (path, text)) in files.iter().enumerate() {
            let mut s = FileScanner::with_line_index(*path, details[i % details.len()]);
            s.feed(text.as_bytes());
            let (facts, index) = s.finish_with_index();
            analysis_files.push(facts);
            indexes.push((path.to_string(), index.unwrap()));
            source.insert(path.to_string(), text.as_bytes().to_vec());
        }
        LogTable::new(&crate::analyze(analysis_files, &mut source), indexes)
    }

    #[test]
    fn merges_filters_and_reads_back() {
        let a = "10:00:00.000 [1] <2> bpbrm a1\n10:00:02.000 [1] <16> bpbrm a2 failed\n";
        let b = "10:00:01.000 [2] <2> vnetd b1\ncontinuation\n10:00:03.000 [2] <2> vnetd b2\n";
        let t = table(&[("h1/bpbrm/log.010120", a), ("h2/vnetd/log.010120", b)]);
        let view = t.view(&Filter::default(), None);
        let all = t.rows(&view, 0, 100);
        let order: Vec<(u32, u32)> = all.iter().map(|r| (r.file, r.line)).collect();
        assert_eq!(order, vec![(0, 0), (1, 0), (1, 1), (0, 1), (1, 2)]);
        assert_eq!(t.rows(&view, 3, 1), vec![Row { file: 0, line: 1 }]);
        assert_eq!(t.next_error(&view, None, true), Some(3));
        assert_eq!(t.next_error(&view, Some(0), true), Some(3));
        assert_eq!(t.next_error(&view, Some(3), true), None);
        assert_eq!(t.next_error(&view, Some(4), false), Some(3));
        assert_eq!(t.next_error(&view, None, false), Some(3));
        assert_eq!(t.position_of(&view, Row { file: 1, line: 2 }), Some(4));

        let errors = t.view(&Filter { min_level: 2, ..Filter::default() }, None);
        assert_eq!(t.rows(&errors, 0, 10), vec![Row { file: 0, line: 1 }]);
        assert_eq!(t.position_of(&errors, Row { file: 1, line: 2 }), None);
        let h2 = t.view(&Filter { hosts: vec!["h2".into()], ..Filter::default() }, None);
        assert_eq!(h2.len(), 3);

        let plan = t.read_plan(&all[..3]);
        assert_eq!(plan, vec![(0, 0, a.len() as u64, 0), (1, 0, b.len() as u64, 0)]);
        let shown = t.lines_from(1, b.as_bytes(), 0, &all[..3], false);
        assert_eq!(
            shown.iter().map(|l| (l.line, l.text.as_str())).collect::<Vec<_>>(),
            vec![(1, "10:00:01.000 [2] <2> vnetd b1"), (2, "continuation")]
        );
        assert_eq!(shown[1].level, level::OTHER);

        let h = t.histogram(3).unwrap();
        assert_eq!(h.bins.iter().map(|b| b[0] + b[1] + b[2]).sum::<u32>(), 4);
        assert_eq!(h.bins.iter().map(|b| b[2]).sum::<u32>(), 1);
    }

    /// Packet rows go among a row-filtered view's log rows by the merge's own times.
    #[test]
    fn packet_rows_go_among_the_views_rows_by_time() {
        let a = "10:00:00.000 [1] <2> bpbrm a1\n10:00:02.000 [5] <16> bpbrm a2 failed\n";
        let b = "10:00:01.000 [2] <2> vnetd b1\n10:00:03.000 [5] <2> vnetd b2\n";
        let t = table(&[("h1/bpbrm/log.010120", a), ("h2/vnetd/log.010120", b)]);
        let view = t.view(&Filter::default(), None);
        let ten = t.files[0].base_ms + 10 * 3_600_000;
        let overlay = Overlay::new(&[ten + 500, ten + 2_000, ten + 9_000], t.view_times(&view));
        let slots: Vec<Slot> = (0..overlay.len()).map(|at| overlay.slot(at)).collect();
        use Slot::{Extra, Log};
        assert_eq!(slots, [Log(0), Extra(0), Log(1), Log(2), Extra(1), Log(3), Extra(2)]);
        let none = RowFilter { no_log_lines: true, ..RowFilter::default() };
        let alone = t.view(&Filter { rows: Some(none), ..Filter::default() }, None);
        assert_eq!(Overlay::new(&[1, 2], t.view_times(&alone)).slot(1), Extra(1));
    }

    /// The row filter keeps one thread's rows: its window on each host's clock, its hosts,
    /// and the lines naming its pids (marked by a pid search, as the worker marks them).
    #[test]
    fn the_row_filter_keeps_one_threads_rows() {
        let a = "10:00:00.000 [1] <2> bpbrm a1\n10:00:02.000 [5] <16> bpbrm a2 failed\n10:09:00.000 [5] <2> bpbrm a3\n";
        let b = "10:00:01.000 [2] <2> vnetd b1\ncontinuation\n10:00:03.000 [5] <2> vnetd b2\n";
        let t = table(&[("h1/bpbrm/log.010120", a), ("h2/vnetd/log.010120", b)]);
        let day0 = t.files[0].base_ms;
        let ten = day0 + 10 * 3_600_000;
        // UTC 09:00 to 09:01 is 10:00 to 10:01 on h1's clock (one hour ahead).
        let host = |name: &str, offset_ms| ThreadHost { name: name.into(), offset_ms };
        let thread = RowFilter {
            label: "job 1".into(),
            window: Some((ten - 3_600_000, ten - 3_600_000 + 60_000)),
            hosts: vec![host("h1.example.com", Some(3_600_000))],
            ..RowFilter::default()
        };
        let shown = |rows: RowFilter, bits| {
            let view = t.view(&Filter { rows: Some(rows), ..Filter::default() }, bits);
            t.rows(&view, 0, 100).iter().map(|r| (r.file, r.line)).collect::<Vec<_>>()
        };
        assert_eq!(shown(thread.clone(), None), vec![(0, 0), (0, 1)]);
        // An unknown offset: the window is not applied, rather than applied across it.
        let unknown = RowFilter { hosts: vec![host("h1", None), host("h2", None)], ..thread.clone() };
        assert_eq!(shown(unknown.clone(), None), vec![(0, 0), (1, 0), (1, 1), (0, 1), (1, 2), (0, 2)]);
        let pids = |text: &str, lines| {
            let mut s = LineSearch::pids(&[5], lines, None);
            s.feed(text.as_bytes());
            s.finish()
        };
        let bits = Some(vec![pids(a, 3), pids(b, 3)]);
        assert_eq!(shown(unknown, bits.clone()), vec![(0, 1), (1, 2), (0, 2)]);
        assert_eq!(shown(thread, bits), vec![(0, 1)]);
        let only_vnetd = RowFilter { processes: vec!["vnetd".into()], ..RowFilter::default() };
        assert_eq!(shown(only_vnetd, None).len(), 3);
    }
}
