//! `bpdbjobs -report -all_columns` and `-most_columns`: one comma-separated record per job, a
//! comma inside a value escaped as `\,` (a backslash as `\\`).
//!
//! The layout, from public parsers (no Veritas field list was found; see `sources.toml`,
//! `bpdbreport-py`, `nbu-tools-delay-report`, `nbu-job-pm`): 32 fixed fields (0-based: 0 job id,
//! 1 job type, 2 state, 3 status, 4 policy, 5 schedule, 6 client, 7 media server, 8 started,
//! 9 elapsed, 10 ended, 11 storage unit, 12 try, ... 31 file-list count N). With
//! `-all_columns` the N file-list entries follow, then the try count and each try: pid, storage
//! unit, server, started, elapsed, ended, status, status text, the count n of its status lines,
//! the n lines (Job Details, `MM/DD/YYYY HH:MM:SS - text`), KB and files written; then the
//! later versions' fields, parent job first. With `-most_columns` the file list and tries are
//! left out: field 32 is the try count and 33 the parent job. Fields later versions append
//! after that are not read.

use serde::{Deserialize, Serialize};

/// Fields before the file list.
pub const FIXED_FIELDS: usize = 32;
/// A try block's fields besides its status lines.
const TRY_FIELDS: usize = 11;

/// One try of a job, for the page's "one job's thread" (read back from the record on demand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobTry {
    /// 1-based.
    #[serde(rename = "try")]
    pub number: u32,
    /// The try's process id (`trypid`), 0 when the list gives none.
    pub pid: u32,
    /// The server the try ran on (`tryserver`), as the list names it.
    pub media_server: String,
    pub storage_unit: String,
    /// Epoch milliseconds, UTC.
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub status: Option<u32>,
    /// Its status lines (Job Details), in order.
    pub lines: Vec<String>,
}

/// A record's fields, unescaped (`\,` is a comma in the value; `\x` is `x`).
pub fn fields(record: &[u8]) -> Vec<Vec<u8>> {
    let record = record.strip_suffix(b"\n").unwrap_or(record);
    let record = record.strip_suffix(b"\r").unwrap_or(record);
    let mut out = vec![Vec::new()];
    let mut escaped = false;
    for &b in record {
        let field = out.last_mut();
        match (escaped, b, field) {
            (true, _, Some(f)) => {
                f.push(b);
                escaped = false;
            }
            (false, b'\\', _) => escaped = true,
            (false, b',', _) => out.push(Vec::new()),
            (false, _, Some(f)) => f.push(b),
            (_, _, None) => {}
        }
    }
    out
}

/// Which layout a record has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// With the file list and the tries.
    AllColumns,
    /// Counts only.
    MostColumns,
}

/// Where a record's tries start, and its layout: `-most_columns` when the field after the
/// file list's count is a number though a file list was announced, or when a try's started time
/// (four fields into it) is not a number where `-all_columns` would have it.
pub fn layout(f: &[Vec<u8>]) -> Layout {
    let n = count_at(f, FIXED_FIELDS - 1).unwrap_or(0);
    if n > 0 && f.get(FIXED_FIELDS).is_some_and(|v| is_number(v)) {
        return Layout::MostColumns;
    }
    let at = FIXED_FIELDS + n;
    match count_at(f, at) {
        Some(0) => Layout::AllColumns,
        Some(_) if f.get(at + 4).is_some_and(|v| is_number(v)) => Layout::AllColumns,
        _ => Layout::MostColumns,
    }
}

/// The tries of a record (empty for `-most_columns`), as far as the record's counts hold;
/// `complete` is false when a count ran past the record's end (a truncated or damaged record).
pub fn tries(f: &[Vec<u8>]) -> (Vec<JobTry>, usize, bool) {
    if layout(f) == Layout::MostColumns {
        return (Vec::new(), FIXED_FIELDS + 1, true);
    }
    let n = count_at(f, FIXED_FIELDS - 1).unwrap_or(0);
    let mut at = FIXED_FIELDS + n;
    let Some(count) = count_at(f, at) else { return (Vec::new(), at, false) };
    at += 1;
    let mut out = Vec::new();
    for number in 1..=count.min(10_000) {
        let Some(lines) = count_at(f, at + 8) else { return (out, at, false) };
        if f.len() < at + TRY_FIELDS + lines {
            return (out, at, false);
        }
        out.push(JobTry {
            number: number as u32,
            pid: text(f, at).parse().unwrap_or(0),
            storage_unit: text(f, at + 1),
            media_server: text(f, at + 2),
            start_ms: epoch_ms(f, at + 3),
            end_ms: epoch_ms(f, at + 5),
            status: text(f, at + 6).parse().ok(),
            lines: f[at + 9..at + 9 + lines].iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect(),
        });
        at += TRY_FIELDS + lines;
    }
    (out, at, true)
}

/// The tries of one record, for the page's job thread: `record` is the record's line as read
/// back from the file.
pub fn job_thread(record: &[u8]) -> Vec<JobTry> {
    tries(&fields(record)).0
}

/// Field `i` as text (lossy), "" when absent.
pub fn text(f: &[Vec<u8>], i: usize) -> String {
    f.get(i).map(|v| String::from_utf8_lossy(v).trim().to_string()).unwrap_or_default()
}

/// Field `i` as a count (digits only, at most 10 million).
pub fn count_at(f: &[Vec<u8>], i: usize) -> Option<usize> {
    let v = f.get(i)?;
    if !is_number(v) || v.len() > 8 {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// Field `i` as epoch seconds to milliseconds; `None` when empty, zero or not a number.
pub fn epoch_ms(f: &[Vec<u8>], i: usize) -> Option<i64> {
    let v = f.get(i)?;
    let s: i64 = std::str::from_utf8(v).ok()?.trim().parse().ok()?;
    (s > 0 && s < 100_000_000_000).then_some(s * 1000)
}

fn is_number(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(u8::is_ascii_digit)
}

/// Whether a line starts like a record: digits, a comma, then three fields of digits or empty
/// (job type, state, status).
pub fn looks_like_record(line: &[u8]) -> bool {
    let mut parts = line.splitn(5, |&b| b == b',');
    let id_ok = parts.next().is_some_and(|id| is_number(id) && id.len() <= 12);
    id_ok
        && (0..3).all(|_| parts.next().is_some_and(|v| v.len() <= 6 && v.iter().all(u8::is_ascii_digit)))
        && parts.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real record, verbatim, from `process_jobs.py` (Veritas nbsu job report script, in a
    /// comment; see tests/bundles/README.md): a restarted job's husk.
    const HUSK: &[u8] = b"601184,,,,,,,,0000000000,0000000000,0000000000,,,,,,,0,,,,,,,,master01,,,,0,0,0,1,0,,,0000000000,0000000000,0000000000,,,1,07/16/16 17:53:38 - Job 601184 restarted as job 601216,0,0,,,,,";

    #[test]
    fn reads_the_husk_record() {
        let f = fields(HUSK);
        assert_eq!(text(&f, 0), "601184");
        assert_eq!(text(&f, 25), "master01");
        assert_eq!(layout(&f), Layout::AllColumns);
        let (tries, end, complete) = tries(&f);
        assert!(complete);
        assert_eq!(end, 45);
        assert_eq!(tries.len(), 1);
        assert_eq!(tries[0].lines, vec!["07/16/16 17:53:38 - Job 601184 restarted as job 601216"]);
        assert_eq!(tries[0].start_ms, None);
    }

    #[test]
    fn escaped_commas_and_truncation() {
        assert_eq!(fields(b"a\\,b,c\\\\,d"), vec![b"a,b".to_vec(), b"c\\".to_vec(), b"d".to_vec()]);
        let cut = &HUSK[..HUSK.len() - 40];
        let (tries, _, complete) = tries(&fields(cut));
        assert!(!complete);
        assert!(tries.is_empty());
        assert!(job_thread(b"").is_empty());
        assert!(job_thread(b"1,2,3").is_empty());
    }

    #[test]
    fn most_columns_has_no_tries() {
        let mut line = b"7,0,3,58,p,s,c,m,1700000000,10,1700000010,stu,1".to_vec();
        line.extend(std::iter::repeat_n(b",".as_slice(), 18).flatten());
        line.extend_from_slice(b",0,1,5,0,0,robot");
        let f = fields(&line);
        assert_eq!(f.len(), 37);
        assert_eq!(layout(&f), Layout::MostColumns);
        assert_eq!(tries(&f).1, 33);
    }

    #[test]
    fn record_shape() {
        assert!(looks_like_record(HUSK));
        assert!(looks_like_record(b"12,0,3,58,policy"));
        assert!(!looks_like_record(b"JobID,Type"));
        assert!(!looks_like_record(b"12:00:01 x,y"));
    }
}
