//! The system log's lines, where NetBackup's Media Manager daemons write their errors (the facility
//! is `daemon`, Logging Reference Guide) and where the kernel says what it did to a process, a
//! disk or a network link:
//!
//! - `/var/log/messages` and `journalctl`'s default output (RFC 3164: no year, no zone, the day
//!   padded with a space or a zero, or not at all):
//!   `May 15 23:09:30 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  518.050606] Out of memory: Killed process 15784 (python3) ...`
//!   (docker/for-linux issue 1001), `May 06 22:22:51 aragorn kernel: blk_update_request: I/O error, dev sda, sector 106553248`
//!   (borgbackup/borg issue 2494, from `journalctl`), `Dec 4 08:54:36 host01 tldd[260]: TLD(0) unavailable: initialization failed:`
//!   (a Veritas article on robotic drives in AVR mode, as a public copy wraps it);
//! - rsyslog's ISO form and `journalctl -o short-iso`: `2020-09-15T08:37:12.000000+02:00 wlpro-sns11n2 rsyslogd[17247]: [ID 702911 syslog.error] omrelp[...]: ...`
//!   (rsyslog/librelp issue 216). The zone is dropped: the time is read as the clock on the wall,
//!   as every other local-time log is.
//!
//! After the time: the host, then the program with its pid in brackets (or none, `kernel:`),
//! a colon and the message. The program is the line's own process; the host is not kept (a
//! line has no place for it yet: the file's host comes from its path).

use super::clock::time_of_day;
use super::date::{date, LineDate, OrderHint};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyslogLine<'a> {
    pub date: LineDate,
    pub ms_of_day: u32,
    pub host: &'a [u8],
    pub program: &'a [u8],
    pub pid: u32,
    pub body: &'a [u8],
}

/// The longest host and program names read; longer ones are not a system log's.
const MAX_NAME: usize = 64;

/// Reads a system-log line, or `None`. Cheap to reject: a month name or a four-digit year first.
pub fn parse_line(line: &[u8]) -> Option<SyslogLine<'_>> {
    let (date, hint, n) = date(line)?;
    let iso = matches!(date, LineDate::Known(_));
    if hint != OrderHint::Either || (iso && line.get(n) != Some(&b'T')) || (!iso && line.get(n) != Some(&b' ')) {
        return None;
    }
    let mut rest = &line[n + 1..];
    if !iso {
        rest = rest.strip_prefix(b" ").unwrap_or(rest);
    }
    // rsyslog writes microseconds: the clock cuts them to milliseconds.
    let clock = time_of_day(rest)?;
    if clock.twelve_hour {
        return None;
    }
    rest = &rest[clock.len..];
    if iso {
        rest = &rest[zone_len(rest)?..];
    }
    let rest = rest.strip_prefix(b" ")?;
    let (host, rest) = name(rest, |b| b != b' ')?;
    let rest = rest.strip_prefix(b" ")?;
    let (program, pid, body) = tag(rest)?;
    Some(SyslogLine { date, ms_of_day: clock.ms_of_day, host, program, pid, body })
}

/// `Z`, `+02:00`, `-0500`, or nothing: the bytes the zone takes.
fn zone_len(text: &[u8]) -> Option<usize> {
    match text.first() {
        Some(b'Z') => Some(1),
        Some(b'+' | b'-') => {
            let digits = text[1..].iter().take(5).filter(|b| b.is_ascii_digit()).count();
            let len = if text.get(3) == Some(&b':') { 6 } else { 5 };
            (digits == 4 && text.len() >= len).then_some(len)
        }
        _ => Some(0),
    }
}

/// A run of bytes `keep` accepts, not empty and at most [`MAX_NAME`] long, and what follows it.
fn name(text: &[u8], keep: impl Fn(u8) -> bool) -> Option<(&[u8], &[u8])> {
    let n = text.iter().take(MAX_NAME + 1).take_while(|&&b| keep(b)).count();
    (n > 0 && n <= MAX_NAME).then(|| text.split_at(n))
}

/// `tldd[260]: message` or `kernel: message`: the program, its pid (0 when none) and the message.
fn tag(text: &[u8]) -> Option<(&[u8], u32, &[u8])> {
    let (program, rest) = name(text, |b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'@'))?;
    let (pid, rest) = match rest.strip_prefix(b"[") {
        Some(inner) => {
            let (pid, n) = super::scan::number(inner)?;
            (pid, inner[n..].strip_prefix(b"]")?)
        }
        None => (0, rest),
    };
    let rest = rest.strip_prefix(b":")?;
    if !(rest.is_empty() || rest[0] == b' ') {
        return None;
    }
    Some((program, pid, super::scan::skip_blanks(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::time::Date;

    /// Real lines (sources in the module's doc), each as its source prints it.
    #[test]
    fn real_lines_of_each_form() {
        let oom = b"May 15 23:09:30 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  518.050606] Out of memory: Killed process 15784 (python3) total-vm:11964kB, anon-rss:4288kB, file-rss:3028kB, shmem-rss:0kB";
        let l = parse_line(oom).unwrap();
        assert_eq!(l.date, LineDate::NoYear { month: 5, day: 15 });
        assert_eq!(
            (l.ms_of_day, l.host, l.program, l.pid),
            (83_370_000, &b"ubuntu-s-1vcpu-2gb-ams3-01"[..], &b"kernel"[..], 0)
        );
        assert!(l.body.starts_with(b"[  518.050606] Out of memory"));

        let tldd = parse_line(b"Dec 4 08:54:36 host01 tldd[260]: TLD(0) unavailable: initialization failed:").unwrap();
        assert_eq!(
            (tldd.program, tldd.pid, tldd.body),
            (&b"tldd"[..], 260, &b"TLD(0) unavailable: initialization failed:"[..])
        );

        let padded = parse_line(b"Mar  2 17:35:10 server1 kernel: [2858609.598568] Killed process 11726, UID 498, (mysqld) total-vm:7823732kB, anon-rss:2539268kB, file-rss:768kB").unwrap();
        assert_eq!(padded.date, LineDate::NoYear { month: 3, day: 2 });

        let journal =
            parse_line(b"May 06 22:22:51 aragorn kernel: blk_update_request: I/O error, dev sda, sector 106553248")
                .unwrap();
        assert_eq!((journal.host, journal.date), (&b"aragorn"[..], LineDate::NoYear { month: 5, day: 6 }));

        let iso = b"2020-09-15T08:37:12.000000+02:00 wlpro-sns11n2 rsyslogd[17247]: [ID 702911 syslog.error] omrelp[10.15.247.47:20514]: error 'error connecting: 'Interrupted system call'', object  'conn to srvr 10.15.247.47:20514' - action may not work as intended [v8.2008.0 try https://www.rsyslog.com/e/2353 ]";
        let l = parse_line(iso).unwrap();
        assert_eq!(l.date, LineDate::Known(Date::new(2020, 9, 15).unwrap()));
        assert_eq!((l.ms_of_day, l.program, l.pid), (31_032_000, &b"rsyslogd"[..], 17247));
        assert!(l.body.starts_with(b"[ID 702911"));

        let redacted_host =
            parse_line(b"Feb 23 20:53:32 <IP> kernel: EXT4-fs (xvda9): Remounting filesystem read-only").unwrap();
        assert_eq!(redacted_host.body, b"EXT4-fs (xvda9): Remounting filesystem read-only");
    }

    /// Look-alikes of other forms are not system-log lines.
    #[test]
    fn other_forms_are_not_syslog() {
        for line in [
            "Dec 17, 2021 12:00:20 PM - Info bpdm (pid=154836) started",
            "February 08 11:22:54 INF storaged started",
            "2008-09-22 11:28:27 - beginreading",
            "05/02/2013 22:21:52 - Critical bptm (pid=5186) sts_close_handle failed",
            "12/04/2015 15:48:54.101 [Application] NB 51216 nbjm 117 PID:5483",
            "17:46:37.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372",
            "May 15 23:09:30 host",
            "May 15 23:09:30 host kernel",
            "May 15 23:09:30 host prog[12: x",
            "2020-09-15T08:37:12+0 host prog: x",
        ] {
            assert!(parse_line(line.as_bytes()).is_none(), "{line}");
        }
    }
}
