//! A generated night's job list (issue 23): `bpdbjobs -report -all_columns` records in the field
//! order of public parsers (see `parse::bpdbjobs`), for scale tests and benchmarks. Names, ids
//! and times are made up; the try lines are real Job Details lines (Veritas 100009743), the same
//! as in the `job-list-night` fixture. Every 50th job fails with status 84 on media02 (its try
//! lines name the Accelerator verification failure), every 97th with status 58 (no lines, and a
//! job 13 ids later of the same client, policy and schedule makes it good); the rest end with 0.

use serde::Serialize;

/// What the analysis of a generated job list must report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobsExpected {
    pub total: u64,
    pub failed_84: u64,
    pub failed_58: u64,
    pub bytes: u64,
}

const BEGIN: &str = "10/14/2018 13:44:27 - begin writing";
const FAILED_84: [&str; 3] = [
    "10/14/2018 21:09:24 - Critical bptm (pid=2772) accelerator verification failed: backupid=hostname_XXXXXXXX, offset=23761920, length=512, error=2060022, error message: software error",
    "10/14/2018 21:09:24 - Critical bptm (pid=2772) image write failed: error 2060022: software error",
    "10/14/2018 21:09:28 - Info bptm (pid=2772) EXITING with status 84 <----------",
];
const END: &str = "10/14/2018 21:09:29 - end writing; write time: 7:25:02";

/// The night starts at 2025-03-10 22:00 UTC.
const NIGHT_START_S: i64 = 1_741_644_000;

/// Writes `jobs` records to `sink` in chunks; the same seed gives the same bytes.
pub fn job_list(seed: u64, jobs: u64, mut sink: impl FnMut(&[u8])) -> JobsExpected {
    let mut out = String::with_capacity(1 << 20);
    let mut expected = JobsExpected { total: jobs, failed_84: 0, failed_58: 0, bytes: 0 };
    for i in 0..jobs {
        let id = 100_000 + i;
        let status = if i % 50 == 7 {
            expected.failed_84 += 1;
            84
        } else if i % 97 == 3 {
            expected.failed_58 += 1;
            58
        } else {
            0
        };
        record(&mut out, seed, i, id, status);
        if out.len() >= 1 << 20 {
            expected.bytes += out.len() as u64;
            sink(out.as_bytes());
            out.clear();
        }
    }
    expected.bytes += out.len() as u64;
    sink(out.as_bytes());
    expected
}

fn record(out: &mut String, seed: u64, i: u64, id: u64, status: u32) {
    use std::fmt::Write;
    // A status 58 job's client, policy and schedule come back 13 ids later, and that job ends well.
    let key = if i % 97 == 3 {
        i
    } else if i >= 13 && (i - 13) % 97 == 3 {
        i - 13
    } else {
        i
    };
    let client = format!("client{:03}", (key.wrapping_mul(7) ^ seed) % 300);
    let policy = format!("policy{:02}", key % 20);
    let media = if status == 84 { "media02".to_string() } else { format!("media{:02}", 1 + (i / 7) % 4) };
    let start = NIGHT_START_S + (i as i64) * 36_000 / 200_000 + (i as i64 % 60);
    let end = start + 60 + (i as i64 % 600);
    let _ = write!(
        out,
        "{id},0,3,{status},{policy},Daily,{client},{media},{start},{},{end},stu-{media},1,,1024,10,,100,{},root,1,0,0,0,,master01,1,2,0,0,0,1,/data,1,",
        end - start,
        4000 + i % 1000
    );
    let lines: Vec<&str> = match status {
        84 => [BEGIN].into_iter().chain(FAILED_84).chain([END]).collect(),
        58 => Vec::new(),
        _ => vec![BEGIN, END],
    };
    let _ =
        write!(out, "{},stu-{media},{media},{start},{},{end},{status},,{}", 4000 + i % 1000, end - start, lines.len());
    for line in &lines {
        out.push(',');
        out.push_str(&line.replace(',', "\\,"));
    }
    out.push_str(",1024,10,0,1000,1,,,,0,0,,,,,0,0,0,1,0,0,,1,,0,0,0,,0.0,0,,,\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_seed_same_bytes() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let ea = super::job_list(3, 500, |c| a.extend_from_slice(c));
        let eb = super::job_list(3, 500, |c| b.extend_from_slice(c));
        assert_eq!((a, ea.clone()), (b, eb));
        assert_eq!(ea.failed_84, 10);
    }
}
