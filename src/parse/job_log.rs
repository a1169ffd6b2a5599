//! The job log's raw records, which Job Details are printed from:
//! `LOG 1551428319 4 Info MSDP_Server.example.com 27726 StorageServer=PureDisk:...`
//! (NetBackup Deduplication Guide, "MSDP job details"): `LOG`, the time in seconds since 1970
//! (UTC), a number, the tag, the process or host that wrote it, its pid, the text.

use super::scan::{digits, number, word};
use crate::vocab::time::{Date, MS_PER_DAY};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLogLine<'a> {
    pub date: Date,
    pub ms_of_day: u32,
    pub severity: Option<&'a [u8]>,
    pub who: &'a [u8],
    pub pid: u32,
    pub body: &'a [u8],
}

pub fn parse_line(line: &[u8]) -> Option<JobLogLine<'_>> {
    let rest = line.strip_prefix(b"LOG ")?;
    let (epoch, rest) = word(rest);
    if epoch.len() < 9 || epoch.len() > 10 || !epoch.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let seconds: i64 = epoch.iter().fold(0i64, |v, &d| v * 10 + i64::from(d - b'0'));
    let (n, rest) = word(rest);
    digits(n, 1, 3)?;
    let (tag, rest) = word(rest);
    if !matches!(tag, b"Info" | b"Warning" | b"Error" | b"Critical") {
        return None;
    }
    let (who, rest) = word(rest);
    let (pid, rest) = word(rest);
    let (pid, n) = number(pid)?;
    if n == 0 || who.is_empty() {
        return None;
    }
    let ms = seconds * 1000;
    let date = Date::from_days_since_epoch(ms.div_euclid(MS_PER_DAY));
    Some(JobLogLine { date, ms_of_day: ms.rem_euclid(MS_PER_DAY) as u32, severity: Some(tag), who, pid, body: rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_sample() {
        let l = parse_line(b"LOG 1551428319 4 Info MSDP_Server.example.com 27726 StorageServer=PureDisk:MSDP_Server.example.com; Report=PDDO Stats").unwrap();
        assert_eq!(l.date, Date::new(2019, 3, 1).unwrap());
        assert_eq!(l.ms_of_day, (8 * 3600 + 18 * 60 + 39) * 1000);
        assert_eq!((l.who, l.pid), (&b"MSDP_Server.example.com"[..], 27726));
        assert!(l.body.starts_with(b"StorageServer="));
        assert_eq!(parse_line(b"LOG in to the console"), None);
    }
}
