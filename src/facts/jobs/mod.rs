//! A job list's facts (issue 23): a `bpdbjobs -report -all_columns`/`-most_columns` listing read
//! record by record as its bytes come, or a REST `GET /admin/jobs` page read whole (up to
//! [`MAX_REST_BYTES`]). Per job only what the groups and the jobs table need is kept (ids,
//! codes, times, and names as indexes into the file's table of distinct names); a record's text
//! is held only while it is read, up to [`MAX_RECORD_BYTES`]. A failed or partial job's try
//! lines are read as Job Details lines, for the catalogue signature that names their cause.

mod rest;

use crate::catalogue;
use crate::facts::extract;
use crate::facts::Fact;
use crate::input::utf16::{Utf16, Utf16Splitter};
use crate::parse::bpdbjobs::{self as record, JobTry};
use crate::parse::job_details;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A record longer than this is read up to it (its later tries and fields are lost: a note).
pub const MAX_RECORD_BYTES: usize = 4 << 20;
/// A REST page longer than this is not read (a note): it is parsed whole.
pub const MAX_REST_BYTES: usize = 64 << 20;
/// Jobs kept per file; past it they are counted (a note). 200,000 jobs is a large night.
pub const MAX_JOBS: usize = 1_000_000;

/// Which kind of job list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobListForm {
    /// `bpdbjobs -report -all_columns` or `-most_columns`.
    Bpdbjobs,
    /// The REST API's `GET /netbackup/admin/jobs` (JSON).
    Rest,
}

/// One job, as little as the groups and the table need. Names are indexes into
/// [`JobList::names`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFact {
    pub id: u64,
    pub parent: Option<u64>,
    pub job_type: u32,
    pub state: u32,
    pub status: Option<u32>,
    pub client: u32,
    pub policy: u32,
    pub schedule: u32,
    pub media_server: u32,
    pub storage_unit: u32,
    /// Epoch seconds, UTC.
    pub start_s: Option<i64>,
    pub end_s: Option<i64>,
    pub tries: u32,
    /// The catalogue pattern (an index into [`catalogue::PATTERNS`]) a try line of a failed or
    /// partial job matched first, with the line's process.
    pub cause: Option<u16>,
    /// 1-based line of the record (bpdbjobs).
    pub line: Option<u64>,
}

/// What a job list contributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobList {
    pub form: JobListForm,
    /// Distinct names (clients, policies, servers, types, states), first seen first; index 0 is "".
    pub names: Vec<String>,
    pub jobs: Vec<JobFact>,
    /// Records whose fixed fields could not be read (too few fields, no job id).
    pub damaged: u64,
    /// Records whose tries ran past their end (cut, or counts that do not hold).
    pub cut_tries: u64,
    /// Records longer than [`MAX_RECORD_BYTES`].
    pub long_records: u64,
    /// Jobs past [`MAX_JOBS`].
    pub over_cap: u64,
    /// Why a REST page was not read, when it was not.
    pub unread: Option<String>,
}

impl JobList {
    pub fn new(form: JobListForm) -> JobList {
        JobList {
            form,
            names: vec![String::new()],
            jobs: Vec::new(),
            damaged: 0,
            cut_tries: 0,
            long_records: 0,
            over_cap: 0,
            unread: None,
        }
    }

    /// A name by its index ("" when out of range).
    pub fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }

    /// What a person needs to know about how the list was read.
    pub fn notes(&self) -> Vec<String> {
        use catalogue::SourceId;
        let jobs = crate::numbers::count(self.jobs.len() as u64, "job", "jobs");
        let mut notes = vec![match self.form {
            JobListForm::Bpdbjobs => format!(
                "A job list (`bpdbjobs -report -all_columns` or `-most_columns`): {jobs} read, by the field order public parsers give ({}; {}; {}): no Veritas field list was found.",
                SourceId::BpdbreportPy.entry().short,
                SourceId::NbuToolsDelayReport.entry().short,
                SourceId::NbuJobPm.entry().short,
            ),
            JobListForm::Rest => format!(
                "A job list (the NetBackup REST API's `GET /admin/jobs`, {}): {jobs} read.",
                SourceId::NetbackupApiGettingStarted.entry().short
            ),
        }];
        let counted = [
            (
                self.damaged,
                "record could not be read (fewer fields than a job has, or no job id): left out",
                "records could not be read (fewer fields than a job has, or no job id): left out",
            ),
            (
                self.cut_tries,
                "record's tries end early (a cut or damaged record): its job is kept, with the tries read",
                "records' tries end early (cut or damaged records): their jobs are kept, with the tries read",
            ),
            (
                self.long_records,
                "record longer than 4 MiB was read up to 4 MiB",
                "records longer than 4 MiB were read up to 4 MiB",
            ),
            (
                self.over_cap,
                "job past the first 1,000,000 of the file was left out",
                "jobs past the first 1,000,000 of the file were left out",
            ),
        ];
        for (n, one, many) in counted {
            if n > 0 {
                notes.push(format!("{} {}.", crate::numbers::grouped(n), if n == 1 { one } else { many }));
            }
        }
        notes.extend(self.unread.clone());
        notes
    }

    fn intern(&mut self, index: &mut BTreeMap<String, u32>, name: String) -> u32 {
        if name.is_empty() {
            return 0;
        }
        if let Some(&i) = index.get(&name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.clone());
        index.insert(name, i);
        i
    }
}

/// The job types `bpdbjobs` numbers, as the REST API names them (bpdbreport.py's table, the
/// API's `jobType` values); other codes are kept as `type N`.
const JOB_TYPES: [&str; 8] = ["backup", "archive", "restore", "verify", "duplicate", "import", "dbbackup", "vault"];
/// Job states by code (bpdbreport.py; the API's `state` values).
const JOB_STATES: [&str; 4] = ["queued", "active", "requeued", "done"];

/// Reads a job list's bytes as they come.
pub struct JobListScanner {
    pub list: JobList,
    index: BTreeMap<String, u32>,
    record: Vec<u8>,
    cut: bool,
    line: u64,
    rest: Option<Vec<u8>>,
    /// A list saved as UTF-16 (Windows PowerShell's `>`): its bytes become UTF-8 first.
    utf16: Option<(Utf16, Utf16Splitter)>,
}

impl JobListScanner {
    pub fn new(form: JobListForm) -> JobListScanner {
        JobListScanner {
            list: JobList::new(form),
            index: BTreeMap::new(),
            record: Vec::new(),
            cut: false,
            line: 0,
            rest: (form == JobListForm::Rest).then(Vec::new),
            utf16: None,
        }
    }

    /// A job list in UTF-16 with a byte order mark, its bytes from the first (the mark too).
    pub fn utf16(form: JobListForm, order: Utf16) -> JobListScanner {
        let splitter = Utf16Splitter::with_max_line(order, MAX_RECORD_BYTES);
        JobListScanner { utf16: Some((order, splitter)), ..JobListScanner::new(form) }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if let (None, Some((_, splitter))) = (&self.rest, &mut self.utf16) {
            let mut lines = Vec::new();
            splitter.feed(chunk, |line| lines.push((line.text.to_vec(), line.cut)));
            for (text, cut) in lines {
                self.take(&text);
                self.cut |= cut;
                self.end_record();
            }
            return;
        }
        if let Some(buf) = &mut self.rest {
            if buf.len() + chunk.len() <= MAX_REST_BYTES {
                buf.extend_from_slice(chunk);
            } else if self.list.unread.is_none() {
                self.list.unread = Some("The REST page is larger than 64 MiB, nbtriage's cap for a page read whole: not read. Ask for smaller pages (page[limit]).".into());
                *buf = Vec::new();
            }
            return;
        }
        let mut rest = chunk;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            self.take(&rest[..at]);
            self.end_record();
            rest = &rest[at + 1..];
        }
        self.take(rest);
    }

    /// Lines read (records and others).
    pub fn lines(&self) -> u64 {
        self.line
    }

    pub fn finish(mut self) -> JobList {
        if let (None, Some((_, splitter))) = (&self.rest, &mut self.utf16) {
            let mut last = None;
            splitter.finish(|line| last = Some((line.text.to_vec(), line.cut)));
            if let Some((text, cut)) = last {
                self.take(&text);
                self.cut |= cut;
            }
        }
        match self.rest.take() {
            Some(buf) if self.list.unread.is_none() => match self.utf16.as_ref().map(|(order, _)| *order) {
                Some(order) => rest::read(&order.decode(&buf), &mut self),
                None => rest::read(&buf, &mut self),
            },
            Some(_) => {}
            None if !self.record.is_empty() => self.end_record(),
            None => {}
        }
        self.list
    }

    fn take(&mut self, bytes: &[u8]) {
        let room = MAX_RECORD_BYTES.saturating_sub(self.record.len());
        if bytes.len() > room {
            self.cut = true;
        }
        self.record.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn end_record(&mut self) {
        self.line += 1;
        let bytes = std::mem::take(&mut self.record);
        if std::mem::take(&mut self.cut) {
            self.list.long_records += 1;
        }
        if record::looks_like_record(&bytes) {
            self.read_record(&bytes);
        } else if bytes.first().is_some_and(u8::is_ascii_digit) && !bytes.trim_ascii().is_empty() {
            self.list.damaged += 1;
        }
        self.record = bytes;
        self.record.clear();
    }

    fn read_record(&mut self, bytes: &[u8]) {
        let f = record::fields(bytes);
        let Some(id) = record::text(&f, 0).parse::<u64>().ok().filter(|_| f.len() >= record::FIXED_FIELDS) else {
            self.list.damaged += 1;
            return;
        };
        let (tries, after, complete) = record::tries(&f);
        if !complete {
            self.list.cut_tries += 1;
        }
        let code = |i: usize| record::text(&f, i).parse::<usize>().ok();
        let job_type = code(1).map(|c| JOB_TYPES.get(c).map_or_else(|| format!("type {c}"), |t| t.to_string()));
        let state = code(2).map(|c| JOB_STATES.get(c).map_or_else(|| format!("state {c}"), |t| t.to_string()));
        let status = record::text(&f, 3).parse().ok();
        let parent =
            if complete { record::text(&f, after).parse().ok().filter(|&p: &u64| p != 0 && p != id) } else { None };
        let job = Job {
            id,
            parent,
            job_type: job_type.unwrap_or_default(),
            state: state.unwrap_or_default(),
            status,
            client: record::text(&f, 6),
            policy: record::text(&f, 4),
            schedule: record::text(&f, 5),
            media_server: record::text(&f, 7),
            storage_unit: record::text(&f, 11),
            start_s: record::epoch_ms(&f, 8).map(|ms| ms / 1000),
            end_s: record::epoch_ms(&f, 10).map(|ms| ms / 1000),
            tries: tries.len().max(record::count_at(&f, 12).unwrap_or(0).min(10_000)) as u32,
            line: Some(self.line),
        };
        let cause = if status.is_some_and(|s| s != 0) { cause(&tries) } else { None };
        self.push(job, cause);
    }

    /// Adds a job read from either form.
    fn push(&mut self, job: Job, cause: Option<u16>) {
        if self.list.jobs.len() >= MAX_JOBS {
            self.list.over_cap += 1;
            return;
        }
        let mut name = |s: String| self.list.intern(&mut self.index, s);
        let fact = JobFact {
            id: job.id,
            parent: job.parent,
            job_type: name(job.job_type),
            state: name(job.state),
            status: job.status,
            client: name(job.client),
            policy: name(job.policy),
            schedule: name(job.schedule),
            media_server: name(job.media_server),
            storage_unit: name(job.storage_unit),
            start_s: job.start_s,
            end_s: job.end_s,
            tries: job.tries,
            cause,
            line: job.line,
        };
        self.list.jobs.push(fact);
    }
}

/// A job as read, before its names are interned.
struct Job {
    id: u64,
    parent: Option<u64>,
    job_type: String,
    state: String,
    status: Option<u32>,
    client: String,
    policy: String,
    schedule: String,
    media_server: String,
    storage_unit: String,
    start_s: Option<i64>,
    end_s: Option<i64>,
    tries: u32,
    line: Option<u64>,
}

/// The first catalogue signature a try's Job Details line matches, the last try first (the one
/// the job's status is from), for a signature that reads the process the line names.
pub fn cause(tries: &[JobTry]) -> Option<u16> {
    let mut found = Vec::new();
    for t in tries.iter().rev() {
        for line in &t.lines {
            let parsed = job_details::parse_line(line.as_bytes(), true);
            let body = parsed.map_or(line.as_bytes(), |p| p.body);
            let process = parsed.and_then(|p| p.process).and_then(|p| crate::input::process::lookup(p)).map(|(n, _)| n);
            found.clear();
            extract::signatures(body, &mut found);
            for fact in &found {
                if let Fact::Signature { pattern, .. } = fact {
                    let rule = catalogue::PATTERNS.get(*pattern as usize).map(|p| p.rule);
                    if rule.and_then(|r| catalogue::SIGNATURES.get(r)).is_some_and(|s| s.applies_to(process)) {
                        return Some(*pattern);
                    }
                }
            }
        }
    }
    None
}

/// Whether a file's first bytes (up to [`SNIFF_BYTES`]) are a job list's, and which.
pub fn sniff(head: &[u8]) -> Option<JobListForm> {
    let text = head.trim_ascii_start();
    if text.first() == Some(&b'{') {
        let has = |needle: &[u8]| memchr::memmem::find(text, needle).is_some();
        return (has(b"\"data\"") && has(b"\"jobId\"")).then_some(JobListForm::Rest);
    }
    // A header line (`JobID ...`) may come first.
    let mut lines = head.split(|&b| b == b'\n');
    let first = lines.next()?;
    let record = if first.starts_with(b"JobID") || first.starts_with(b"JOBID") { lines.next()? } else { first };
    let commas = record.iter().filter(|&&b| b == b',').count();
    let whole = record.len() < head.len();
    (record::looks_like_record(record) && (commas >= record::FIXED_FIELDS - 1 || (!whole && commas >= 12)))
        .then_some(JobListForm::Bpdbjobs)
}

/// How many first bytes [`sniff`] reads (fewer when the file is shorter).
pub const SNIFF_BYTES: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    fn read(form: JobListForm, bytes: &[u8], chunk: usize) -> JobList {
        let mut s = JobListScanner::new(form);
        bytes.chunks(chunk.max(1)).for_each(|c| s.feed(c));
        s.finish()
    }

    #[test]
    fn sniffs_records_headers_and_rest_pages() {
        let record = format!("1205,0,3,58,P-WEB,Daily,web01,media01{}\n", ",".repeat(40));
        assert_eq!(sniff(record.as_bytes()), Some(JobListForm::Bpdbjobs));
        assert_eq!(sniff(format!("JobID,Type,State\n{record}").as_bytes()), Some(JobListForm::Bpdbjobs));
        assert_eq!(sniff(b"1205,0,3,58,P\n"), None, "too few fields for a whole record");
        assert_eq!(
            sniff(b"{\"data\": [{\"type\": \"job\", \"attributes\": {\"jobId\": 5}}]}"),
            Some(JobListForm::Rest)
        );
        assert_eq!(sniff(b"{\"data\": []}"), None);
        assert_eq!(sniff(b"17:46:37.262 [1660.4296] <2> bpbrm main: x, y, z"), None);
    }

    #[test]
    fn a_rest_page_of_one_job_or_many_and_a_broken_one() {
        let one = br#"{"data": {"type": "job", "id": "7", "attributes": {"jobId": 7, "parentJobId": 6, "jobType": "BACKUP", "state": "DONE", "status": 58, "clientName": "c1", "startTime": "2018-01-09T10:03:22.000Z"}}}"#;
        let list = read(JobListForm::Rest, one, 5);
        assert_eq!(list.jobs.len(), 1);
        let job = &list.jobs[0];
        assert_eq!((job.id, job.parent, job.status, job.start_s), (7, Some(6), Some(58), Some(1_515_492_202)));
        assert_eq!((list.name(job.client), list.name(job.job_type), list.name(job.state)), ("c1", "backup", "done"));
        let active = br#"{"data": [{"attributes": {"jobId": 8, "state": "ACTIVE", "status": 0}}, {"attributes": {}}]}"#;
        let list = read(JobListForm::Rest, active, 64);
        assert_eq!((list.jobs.len(), list.jobs[0].status, list.damaged), (1, None, 1));
        let broken = read(JobListForm::Rest, b"{\"data\": [", 3);
        assert!(broken.jobs.is_empty());
        assert!(broken.notes().iter().any(|n| n.contains("could not be read as JSON")), "{:?}", broken.notes());
    }

    #[test]
    fn a_list_saved_as_utf16_reads_as_the_same_jobs() {
        let record =
            format!("1205,0,3,58,P-WEB,Daily,web01,media01,1741645200,60,1741645260{}0,1,0\r\n", ",".repeat(21));
        let text = format!("{record}{}", record.replace("1205,", "1206,"));
        let scan = |bytes: &[u8], chunk: usize| {
            let mut s = crate::facts::scanner::FileScanner::new("primary/jobs.txt");
            bytes.chunks(chunk).for_each(|c| s.feed(c));
            s.finish()
        };
        let utf8 = scan(text.as_bytes(), 4096);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        for chunk in [1, 3, 4096] {
            let facts = scan(&utf16, chunk);
            assert_eq!(facts.format, crate::vocab::FileFormat::JobList);
            assert_eq!(facts.encoding, Some(Utf16::Le));
            assert_eq!(facts.job_list, utf8.job_list, "chunk {chunk}");
        }
        assert_eq!(utf8.job_list.map(|l| l.jobs.len()), Some(2));
    }

    #[test]
    fn damaged_records_are_counted_never_read_as_jobs() {
        let text = b"1220,0,3,58,P-WEB,Daily,web02\nnot a record\n\n12x,0,3\n";
        let list = read(JobListForm::Bpdbjobs, text, 2);
        assert!(list.jobs.is_empty());
        assert_eq!(list.damaged, 2);
        assert!(list.notes().iter().any(|n| n.starts_with("2 records could not be read")));
    }
}
