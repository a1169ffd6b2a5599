//! Unified logging (VxUL) as `vxlogview` prints it (reference §2, from Veritas's "Types of
//! unified logging messages"):
//!
//! ```text
//! 12/04/2015 15:48:54.101 [Application] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [reqid=-1446587750] [Info] V-117-40 BPBRM pid = 17446
//! 12/04/2015 15:48:54.608 [Diagnostic] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [No context] 3 V-117-298 [JobInst_i::requestResourcesWithTimeout] callback object timeout=600
//! 12/04/2015 15:48:56.982 [Debug] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [jobid=2 parentid=1] 1 [BackupJob::start()] no pending proxy requests, start the job
//! 12:43:08.415 [Debug] [CallbackQueue::queueRequest] queueing JL updateJobStatus : jobid=249061, ...
//! ```
//!
//! Parsed leniently, as the reference asks: dates not zero-padded, spaces lost in copied text
//! (`51216nbjm`, `PID:880TID:3876`, `File ID:117[reqid=...]`), and the short form with only a
//! time, a type and the text. Whether vxlogview writes the month or the day first is uncertain
//! (§2; every sample is month first): an ambiguous date is decided per file (see `parse::date`).

use super::date::{LineDate, OrderHint};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageType {
    Application,
    Diagnostic,
    Debug,
}

/// One vxlogview line; `body` borrows the message text (after the context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VxulLine<'a> {
    pub date: Option<(LineDate, OrderHint)>,
    pub ms_of_day: u32,
    pub kind: MessageType,
    /// The originator's name (`nbjm`), when the line has it.
    pub originator: Option<&'a [u8]>,
    /// The originator id (`117`).
    pub oid: Option<u32>,
    pub pid: u32,
    pub tid: Option<u32>,
    pub job_id: Option<u64>,
    pub parent_job_id: Option<u64>,
    /// `[Info]`, `[Warning]`, `[Error]`, `[Critical]` on Application lines.
    pub severity: Option<&'a [u8]>,
    pub body: &'a [u8],
}

/// Parses a vxlogview line (full or short form), or `None`.
pub fn parse_line(line: &[u8]) -> Option<VxulLine<'_>> {
    let mut rest = line;
    let date = if rest.first()?.is_ascii_digit() && rest.iter().take(3).any(|&b| b == b'/') {
        let (date, hint, n) = super::date::date(rest)?;
        rest = skip_spaces(&rest[n..]);
        Some((date, hint))
    } else {
        None
    };
    let (ms_of_day, after) = time(rest)?;
    rest = skip_spaces(after);
    let (kind, after) = message_type(rest)?;
    rest = skip_spaces(after);

    let mut out = VxulLine {
        date,
        ms_of_day,
        kind,
        originator: None,
        oid: None,
        pid: 0,
        tid: None,
        job_id: None,
        parent_job_id: None,
        severity: None,
        body: rest,
    };
    // Short form: the message follows the type at once.
    let Some(after_product) = rest.strip_prefix(b"NB") else { return Some(out) };
    let after_product = skip_spaces(after_product).strip_prefix(b"51216")?;
    let rest_fields = skip_spaces(after_product);
    let name_end = rest_fields.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).unwrap_or(0);
    let name = &rest_fields[..name_end];
    // `nbjm 117` or `nbjm117`: the originator's name, then its id.
    let digits_from = name.iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |p| p + 1);
    let (name, mut oid) = (&name[..digits_from], number(&name[digits_from..]));
    let mut rest = skip_spaces(&rest_fields[name_end..]);
    if oid.is_none() {
        let (id, after) = leading_number(rest)?;
        oid = Some(id);
        rest = skip_spaces(after);
    }
    out.originator = (!name.is_empty()).then_some(name);
    out.oid = oid.and_then(|o| u32::try_from(o).ok());
    rest = skip_spaces(rest.strip_prefix(b"PID:")?);
    let (pid, after) = leading_number(rest)?;
    out.pid = u32::try_from(pid).ok()?;
    rest = skip_spaces(after);
    if let Some(after) = rest.strip_prefix(b"TID:") {
        let (tid, after) = leading_number(skip_spaces(after))?;
        out.tid = u32::try_from(tid).ok();
        rest = skip_spaces(after);
    }
    if let Some(after) = rest.strip_prefix(b"File ID:") {
        let (_, after) = leading_number(skip_spaces(after))?;
        rest = skip_spaces(after);
    }
    if let Some(inner) = rest.strip_prefix(b"[") {
        let close = memchr::memchr(b']', inner)?;
        let context = &inner[..close];
        out.job_id = key_number(context, b"jobid=");
        out.parent_job_id = key_number(context, b"parentid=");
        rest = skip_spaces(&inner[close + 1..]);
    }
    if kind == MessageType::Application {
        if let Some(inner) = rest.strip_prefix(b"[") {
            if let Some(close) = memchr::memchr(b']', inner) {
                out.severity = Some(&inner[..close]);
                rest = skip_spaces(&inner[close + 1..]);
            }
        }
    }
    out.body = rest;
    Some(out)
}

/// `HH:MM:SS.mmm` (or `H:MM:SS.mmm`).
fn time(text: &[u8]) -> Option<(u32, &[u8])> {
    let (h, rest) = leading_number(text)?;
    let (m, rest) = leading_number(rest.strip_prefix(b":")?)?;
    let (s, rest) = leading_number(rest.strip_prefix(b":")?)?;
    let (ms, rest) = match rest.strip_prefix(b".") {
        Some(frac) => {
            let digits = frac.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits != 3 {
                return None;
            }
            (number(&frac[..3])?, &frac[3..])
        }
        None => (0, rest),
    };
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(((h * 3_600_000 + m * 60_000 + s * 1000 + ms) as u32, rest))
}

fn message_type(text: &[u8]) -> Option<(MessageType, &[u8])> {
    for (tag, kind) in [
        (&b"[Application]"[..], MessageType::Application),
        (b"[Diagnostic]", MessageType::Diagnostic),
        (b"[Debug]", MessageType::Debug),
    ] {
        if let Some(rest) = text.strip_prefix(tag) {
            return Some((kind, rest));
        }
    }
    None
}

/// The number after `key` inside a context (`jobid=2 parentid=1`).
fn key_number(context: &[u8], key: &[u8]) -> Option<u64> {
    let at = memchr::memmem::find(context, key)?;
    leading_number(&context[at + key.len()..]).map(|(n, _)| n)
}

fn leading_number(text: &[u8]) -> Option<(u64, &[u8])> {
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    Some((number(&text[..digits])?, &text[digits..]))
}

fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')))
}

fn skip_spaces(text: &[u8]) -> &[u8] {
    let n = text.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    &text[n..]
}

/// The status nbjm records for a job: `updateJobStatus : jobid=249061, ..., status=40` ([S17];
/// reference §10 reads nbjm's `status=40` as the job's end).
pub fn job_status(body: &[u8]) -> Option<u32> {
    let at = memchr::memmem::find(body, b"updateJobStatus")?;
    let rest = &body[at..];
    let status = memchr::memmem::find(rest, b" status=")?;
    let (n, _) = leading_number(&rest[status + b" status=".len()..])?;
    u32::try_from(n).ok()
}

/// Originator ids and the process each names (reference §2): 116 and 117 are verified by
/// Veritas; the others come from one secondary source (an nblog.conf dump). PBX's id is not
/// listed: the reference has it from memory only.
pub fn originator_name(oid: u32) -> Option<&'static str> {
    Some(match oid {
        116 => "nbpem",
        117 => "nbjm",
        18 => "nbatd",
        111 => "nbemm",
        118 => "nbrb",
        119 => "bmrd",
        132 => "nbsl",
        143 => "mds",
        151 => "ndmp",
        163 => "nbsvcmon",
        166 => "nbvault",
        199 => "nbftsrvr",
        200 => "nbftclnt",
        202 => "stssvc",
        222 => "nbrmms",
        226 => "nbstserv",
        230 => "rdsm",
        231 => "nbevtmgr",
        271 => "nbecmsg",
        286 => "nbkms",
        293 => "nbaudit",
        294 => "nbauditmsgs",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::time::Date;

    /// The reference's verbatim lines (§2, §9).
    #[test]
    fn the_three_message_types() {
        let app = parse_line(b"12/04/2015 15:48:54.101 [Application] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [reqid=-1446587750] [Info] V-117-40 BPBRM pid = 17446").unwrap();
        let month_first = app.date.and_then(|d| d.0.resolve(crate::parse::date::DateOrder::MonthFirst, 0));
        assert_eq!(month_first, Date::new(2015, 12, 4), "12/04 is ambiguous: read month first by the file's order");
        assert_eq!(app.ms_of_day, 15 * 3_600_000 + 48 * 60_000 + 54_101);
        assert_eq!(app.kind, MessageType::Application);
        assert_eq!((app.originator, app.oid, app.pid, app.tid), (Some(&b"nbjm"[..]), Some(117), 5483, Some(14)));
        assert_eq!(app.severity, Some(&b"Info"[..]));
        assert_eq!(app.body, b"V-117-40 BPBRM pid = 17446");

        let diag = parse_line(b"12/04/2015 15:48:54.608 [Diagnostic] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [No context] 3 V-117-298 [JobInst_i::requestResourcesWithTimeout] callback object timeout=600").unwrap();
        assert_eq!(diag.kind, MessageType::Diagnostic);
        assert_eq!(diag.job_id, None);
        assert!(diag.body.starts_with(b"3 V-117-298 [JobInst_i"));

        let debug = parse_line(b"12/04/2015 15:48:56.982 [Debug] NB 51216 nbjm 117 PID:5483 TID:14 File ID:117 [jobid=2 parentid=1] 1 [BackupJob::start()] no pending proxy requests, start the job").unwrap();
        assert_eq!((debug.job_id, debug.parent_job_id), (Some(2), Some(1)));
        assert_eq!(debug.body, b"1 [BackupJob::start()] no pending proxy requests, start the job");
    }

    #[test]
    fn squashed_spaces_and_unpadded_dates() {
        let line = parse_line(b"1/19/2010 12:44:07.771 [Application] NB 51216nbjm 117 PID:880 TID:3876 File ID:117 [reqid=-1263919625] [Info] V-117-49received WRITE DONE message").unwrap();
        assert_eq!(line.date.map(|d| d.0), Some(LineDate::Known(Date::new(2010, 1, 19).unwrap())));
        assert_eq!((line.originator, line.oid, line.pid, line.tid), (Some(&b"nbjm"[..]), Some(117), 880, Some(3876)));
        let line = parse_line(b"1/19/2010 14:44:07.949 [Debug] NB 51216 nbjm 117 PID:880 TID:2712 File ID:117[reqid=-1263919625] 4 [BRMComm: :terminateAllJobs] (0000000002C906F0) jobid=13510 (BRMComm.cpp:2014)").unwrap();
        assert_eq!(line.tid, Some(2712));
        assert!(line.body.starts_with(b"4 [BRMComm"));
        let line =
            parse_line(b"1/19/2010 12:44:07.771 [Debug] NB 51216 nbjm 117 PID:880TID:3876 File ID:117 [No context] x")
                .unwrap();
        assert_eq!(line.tid, Some(3876));
    }

    #[test]
    fn the_short_form() {
        let line = parse_line(b"12:43:08.415 [Debug] [CallbackQueue::queueRequest] queueing JL updateJobStatus : jobid=249061, birthtime=1221446343, status=40 -- retry count=-1(CallbackQueue.cpp:1212)").unwrap();
        assert_eq!(line.date, None);
        assert_eq!(line.kind, MessageType::Debug);
        assert!(line.body.starts_with(b"[CallbackQueue::queueRequest]"));
        assert_eq!(job_status(line.body), Some(40));
        assert_eq!(job_status(b"[x] status=40"), None, "only nbjm's job status update");
    }

    #[test]
    fn not_vxul() {
        for line in [
            &b"17:49:54.006 [5592.5372] <2> vnet_async_connect: connect in progress: 1"[..],
            b"05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed",
            b"12/04/2015 15:48:54.101 [Other] NB 51216 nbjm 117",
            b"13/13/2015 15:48:54.101 [Debug] x",
            b"",
            b"1/",
        ] {
            assert_eq!(parse_line(line), None, "{}", String::from_utf8_lossy(line));
        }
        assert_eq!(originator_name(117), Some("nbjm"));
        assert_eq!(originator_name(103), None, "PBX's id is uncertain");
    }
}
