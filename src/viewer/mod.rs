//! The log viewer's model: every line of every file merged in time order, filtered, and read
//! back from the files in windows. Pure data and arithmetic: the caller (the page's worker)
//! owns the files and does the reading; this module says which bytes to read and what they mean.

mod search;

pub use search::{is_set, LineSearch};

use crate::facts::line_index::{level, LineIndex};
use crate::report::Report;
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
    pub time_ms: i64,
    pub level: u8,
    pub text: String,
}

/// Lines are cut to this many bytes for display.
const SHOWN_LINE_MAX: usize = 2000;

#[derive(Debug, Default)]
pub struct LogTable {
    pub files: Vec<TableFile>,
    /// All rows in time order for the current clock mode.
    order: Vec<Row>,
    aligned: Option<bool>,
}

impl LogTable {
    /// Builds the table from line indexes (by path) and the report's file data.
    pub fn new(report: &Report, mut indexes: Vec<(String, LineIndex)>) -> LogTable {
        indexes.sort_by(|a, b| a.0.cmp(&b.0));
        let mut files = Vec::new();
        for (path, index) in indexes {
            let Some(file) = report.files.iter().find(|f| f.path == path) else { continue };
            files.push(TableFile {
                host: file.host.clone().unwrap_or_else(|| "unknown host".into()),
                process: file.process.clone().unwrap_or_else(|| "unknown".into()),
                base_ms: file.time_base_ms,
                clock_offset_ms: file.clock_offset_ms,
                path,
                index,
            });
        }
        LogTable { files, order: Vec::new(), aligned: None }
    }

    pub fn total_lines(&self) -> usize {
        self.files.iter().map(|f| f.index.len()).sum()
    }

    pub fn file_index(&self, path: &str) -> Option<u32> {
        self.files.iter().position(|f| f.path == path).map(|i| i as u32)
    }

    /// The time a row is shown at.
    pub fn time_ms(&self, row: Row, aligned: bool) -> i64 {
        let f = &self.files[row.file as usize];
        let local = f.base_ms + i64::from(f.index.times[row.line as usize]);
        if aligned {
            local - f.clock_offset_ms
        } else {
            local
        }
    }

    pub fn level(&self, row: Row) -> u8 {
        self.files[row.file as usize].index.levels[row.line as usize]
    }

    fn ensure_order(&mut self, aligned: bool) {
        if self.aligned == Some(aligned) {
            return;
        }
        let mut order: Vec<Row> = Vec::with_capacity(self.total_lines());
        for (file, f) in self.files.iter().enumerate() {
            order.extend((0..f.index.len() as u32).map(|line| Row { file: file as u32, line }));
        }
        // Times are non-decreasing within most files, so this sort mostly merges runs.
        order.sort_by_key(|&r| (self.time_ms(r, aligned), r.file, r.line));
        self.order = order;
        self.aligned = Some(aligned);
    }

    /// The rows a filter shows, in time order. `text` restricts them to lines a [`LineSearch`]
    /// matched (one bit set per file).
    pub fn view(&mut self, filter: &Filter, text: Option<&[Vec<u64>]>) -> Vec<Row> {
        self.ensure_order(filter.aligned);
        let wanted: Vec<bool> = self
            .files
            .iter()
            .map(|f| {
                (filter.hosts.is_empty() || filter.hosts.contains(&f.host))
                    && (filter.processes.is_empty() || filter.processes.contains(&f.process))
            })
            .collect();
        self.order
            .iter()
            .copied()
            .filter(|r| wanted[r.file as usize])
            .filter(|&r| {
                let l = self.level(r);
                filter.min_level == 0 || (l != level::OTHER && l >= filter.min_level)
            })
            .filter(|r| text.is_none_or(|bits| search::is_set(&bits[r.file as usize], r.line)))
            .collect()
    }

    /// The next (or previous) row in `view` after (before) `from` whose level is an error;
    /// from the start (end) when `from` is `None`.
    pub fn next_error(&self, view: &[Row], from: Option<usize>, forward: bool) -> Option<usize> {
        next_where(view.len(), from, forward, |i| self.level(view[i]) == level::ERROR)
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

    /// Turns the bytes read for one plan item into the lines among `rows` it holds.
    pub fn lines_from(&self, file: u32, bytes: &[u8], at_line: u32, rows: &[Row], aligned: bool) -> Vec<ShownLine> {
        let mut wanted: Vec<u32> = rows.iter().filter(|r| r.file == file).map(|r| r.line).collect();
        wanted.sort_unstable();
        let mut out = Vec::new();
        let mut line = at_line;
        for text in bytes.split(|&b| b == b'\n') {
            if wanted.binary_search(&line).is_ok() {
                let text = text.strip_suffix(b"\r").unwrap_or(text);
                let text = &text[..text.len().min(SHOWN_LINE_MAX)];
                let row = Row { file, line };
                out.push(ShownLine {
                    file,
                    line: line + 1,
                    time_ms: self.time_ms(row, aligned),
                    level: self.level(row),
                    text: String::from_utf8_lossy(text).into_owned(),
                });
            }
            line += 1;
            if (line as usize) >= self.files[file as usize].index.len() {
                break;
            }
        }
        out
    }

    /// Line counts per time bin over all files (aligned clocks).
    pub fn histogram(&self, bins: usize) -> Option<Histogram> {
        let bins = bins.max(1);
        let times = self
            .files
            .iter()
            .enumerate()
            .flat_map(|(file, f)| (0..f.index.len() as u32).map(move |line| (file as u32, line)));
        let (mut lo, mut hi) = (i64::MAX, i64::MIN);
        for (file, line) in times.clone() {
            let t = self.time_ms(Row { file, line }, true);
            lo = lo.min(t);
            hi = hi.max(t);
        }
        if lo > hi {
            return None;
        }
        let bin_ms = ((hi - lo) / bins as i64 + 1).max(1);
        let mut counts = vec![[0u32; 3]; bins];
        for (file, line) in times {
            let row = Row { file, line };
            let level = self.level(row);
            if level == level::OTHER {
                continue;
            }
            let bin = (((self.time_ms(row, true) - lo) / bin_ms) as usize).min(bins - 1);
            counts[bin][level as usize] += 1;
        }
        Some(Histogram { start_ms: lo, bin_ms, bins: counts })
    }
}

/// The next index in `0..len` after (before) `from` for which `hit` holds.
pub fn next_where(len: usize, from: Option<usize>, forward: bool, mut hit: impl FnMut(usize) -> bool) -> Option<usize> {
    if forward {
        (from.map_or(0, |f| f.saturating_add(1))..len).find(|&i| hit(i))
    } else {
        (0..from.unwrap_or(len).min(len)).rev().find(|&i| hit(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::scanner::FileScanner;

    fn table(files: &[(&str, &str)]) -> LogTable {
        let mut analysis_files = Vec::new();
        let mut indexes = Vec::new();
        let mut source = crate::MemorySource::default();
        for (path, text) in files {
            let mut s = FileScanner::with_line_index(*path);
            s.feed(text.as_bytes());
            let (facts, index) = s.finish_with_index();
            analysis_files.push(facts);
            indexes.push((path.to_string(), index.unwrap()));
            source.0.insert(path.to_string(), text.as_bytes().to_vec());
        }
        LogTable::new(&crate::analyze(analysis_files, &mut source), indexes)
    }

    #[test]
    fn merges_filters_and_reads_back() {
        let a = "10:00:00.000 [1] <2> bpbrm a1\n10:00:02.000 [1] <16> bpbrm a2 failed\n";
        let b = "10:00:01.000 [2] <2> vnetd b1\ncontinuation\n10:00:03.000 [2] <2> vnetd b2\n";
        let mut t = table(&[("h1/bpbrm/log.010120", a), ("h2/vnetd/log.010120", b)]);
        let all = t.view(&Filter::default(), None);
        let order: Vec<(u32, u32)> = all.iter().map(|r| (r.file, r.line)).collect();
        assert_eq!(order, vec![(0, 0), (1, 0), (1, 1), (0, 1), (1, 2)]);
        assert_eq!(t.next_error(&all, None, true), Some(3));
        assert_eq!(t.next_error(&all, Some(0), true), Some(3));
        assert_eq!(t.next_error(&all, Some(3), true), None);
        assert_eq!(t.next_error(&all, Some(4), false), Some(3));
        assert_eq!(t.next_error(&all, None, false), Some(3));

        let errors = t.view(&Filter { min_level: 2, ..Filter::default() }, None);
        assert_eq!(errors, vec![Row { file: 0, line: 1 }]);
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
}
