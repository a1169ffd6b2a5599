//! The legacy ("debug") log line: `HH:MM:SS.mmm [pid(.tid)] <level> text`.
//!
//! Windows writes `[pid.tid]`, UNIX `[pid]` (reference §1.3). The usual header is fixed-format,
//! so [`parse_line`] reads it by hand first: this runs on every line of every file and must not
//! allocate. [`parse_variant`] reads the other headers people bring:
//! - the 12-hour clock of Windows clients, `8:51:14.569 AM: [1924.2304] <2> ...`, hour padded or
//!   not (Veritas TECH145578, 276739, 290900; the status 156 text);
//! - no milliseconds, `17:21:39 [1892.752] <...` (Veritas 100016299);
//! - no time at all, as lines are quoted in articles and tickets: `[17300.26824] <4> text`
//!   (a dbclient log in a forum post, cozumpark.com 423423) and `<2> logconnections: ...`
//!   (bpbrm and bpbkar in Veritas 100017773).
//!
//! The text after the level has many shapes (§1.3); [`split_body`] takes it apart for display
//! and process detection, but the facts are read from the whole text so that a changed shape
//! does not hide them.

/// One parsed header; `body` borrows the rest of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegacyLine<'a> {
    /// Milliseconds since midnight, local clock of the host that wrote the line; `None` for a
    /// line quoted without its time.
    pub ms_of_day: Option<u32>,
    /// Written on a 12-hour clock (`AM:`/`PM:`).
    pub twelve_hour: bool,
    /// 0 for a bare `<N> text` line.
    pub pid: u32,
    /// Thread id: present on Windows, absent on UNIX.
    pub tid: Option<u32>,
    /// The `<N>` number. Only `<16>` and above are known to mean "error" (§1.4).
    pub level: u16,
    pub body: &'a [u8],
}

/// Parses a legacy line, or `None` when the line is not in that form (continuation lines,
/// banners, other formats, garbage). Lenient about what follows the header, strict about the
/// header itself so that random text is not mistaken for a log line.
#[inline]
pub fn parse_line(line: &[u8]) -> Option<LegacyLine<'_>> {
    // Shortest valid line: "00:00:00.000 [1] <2>" = 20 bytes.
    if line.len() < 20 || line[2] != b':' || line[5] != b':' || line[8] != b'.' {
        return None;
    }
    let hh = two_digits(line, 0)?;
    let mm = two_digits(line, 3)?;
    let ss = two_digits(line, 6)?;
    let ms = three_digits(line, 9)?;
    if hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let ms_of_day = ((hh * 60 + mm) * 60 + ss.min(59)) * 1000 + ms;

    let mut pos = 12;
    pos = skip_spaces(line, pos);
    if line.get(pos) != Some(&b'[') {
        return None;
    }
    let (pid, next) = number(line, pos + 1)?;
    pos = next;
    let tid = if line.get(pos) == Some(&b'.') {
        let (tid, next) = number(line, pos + 1)?;
        pos = next;
        Some(tid)
    } else {
        None
    };
    if line.get(pos) != Some(&b']') {
        return None;
    }
    pos = skip_spaces(line, pos + 1);
    if line.get(pos) != Some(&b'<') {
        return None;
    }
    let (level, next) = number(line, pos + 1)?;
    if line.get(next) != Some(&b'>') || level > u32::from(u16::MAX) {
        return None;
    }
    pos = next + 1;
    if line.get(pos) == Some(&b' ') {
        pos += 1;
    }
    Some(LegacyLine {
        ms_of_day: Some(ms_of_day),
        twelve_hour: false,
        pid,
        tid,
        level: level as u16,
        body: &line[pos.min(line.len())..],
    })
}

/// The headers [`parse_line`] does not take: a 12-hour clock, no milliseconds, no time, a bare
/// `<N>`. A time (if any), then `[pid(.tid)]` (optional only when there is no time), then `<N>`.
pub fn parse_variant(line: &[u8]) -> Option<LegacyLine<'_>> {
    let (ms_of_day, twelve_hour, mut rest) = match super::clock::time_of_day(line) {
        Some(clock) => {
            let rest = &line[clock.len..];
            let blanks = super::scan::blanks(rest);
            if blanks == 0 || rest.get(blanks) != Some(&b'[') {
                return None;
            }
            (Some(clock.ms_of_day), clock.twelve_hour, &rest[blanks..])
        }
        None => (None, false, line),
    };
    let (mut pid, mut tid) = (0, None);
    if let Some(inner) = rest.strip_prefix(b"[") {
        let (p, n) = super::scan::number(inner)?;
        pid = p;
        let mut after = &inner[n..];
        if let Some(t) = after.strip_prefix(b".") {
            let (t, n) = super::scan::number(t)?;
            tid = Some(t);
            after = &after[1 + n..];
        }
        rest = super::scan::skip_blanks(after.strip_prefix(b"]")?);
    }
    let inner = rest.strip_prefix(b"<")?;
    let (level, n) = super::scan::number(inner)?;
    if inner.get(n) != Some(&b'>') || level > u32::from(u16::MAX) {
        return None;
    }
    let after = &inner[n + 1..];
    // A bare `<N>` must be followed by text, or it is not a log line.
    let body = match after.strip_prefix(b" ") {
        Some(body) => body,
        None if after.is_empty() && pid != 0 => after,
        None => return None,
    };
    Some(LegacyLine { ms_of_day, twelve_hour, pid, tid, level: level as u16, body })
}

#[inline(always)]
fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

#[inline(always)]
fn two_digits(line: &[u8], at: usize) -> Option<u32> {
    Some(digit(line[at])? * 10 + digit(line[at + 1])?)
}

#[inline(always)]
fn three_digits(line: &[u8], at: usize) -> Option<u32> {
    Some(digit(line[at])? * 100 + digit(line[at + 1])? * 10 + digit(line[at + 2])?)
}

fn skip_spaces(line: &[u8], mut pos: usize) -> usize {
    while line.get(pos) == Some(&b' ') {
        pos += 1;
    }
    pos
}

/// A run of 1–10 ASCII digits at `at`; returns the value and the index after it. Three of
/// these run on every line (pid, tid, level), so the loop is kept tight.
#[inline(always)]
fn number(line: &[u8], at: usize) -> Option<(u32, usize)> {
    let rest = line.get(at..)?;
    let mut value: u64 = 0;
    let mut n = 0;
    for &b in rest.iter().take(11) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        value = value * 10 + u64::from(d);
        n += 1;
    }
    if n == 0 || n > 10 || value > u64::from(u32::MAX) {
        return None;
    }
    Some((value as u32, at + n))
}

/// The severity a line carries, from its level number and its message tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// `<16>` and above, `ERR -`, `FTL -` and `FATAL` are errors; `WRN -` is a warning (§1.4: `<4>`
/// appears on INF lines, so it is not read as a warning). `FTL -` is bpbkar32's fatal tag
/// (the status 156 text: `FTL - Backup operation aborted!`).
pub fn severity(level: u16, body: &[u8]) -> Severity {
    if level >= 16 {
        return Severity::Error;
    }
    // One memchr2 pass over the head of the text: tags are `ERR - ` / `WRN - ` (a `-` with the
    // tag before it), and `FATAL` starts with an `F`. This runs on every line.
    let head = &body[..body.len().min(160)];
    let mut found = Severity::Info;
    for at in memchr::memchr2_iter(b'-', b'F', head) {
        if head[at] == b'F' {
            if head[at..].starts_with(b"FATAL") {
                return Severity::Error;
            }
        } else if at >= 4 && head.get(at + 1) == Some(&b' ') {
            match &head[at - 4..at] {
                b"ERR " | b"FTL " => return Severity::Error,
                b"WRN " => found = Severity::Warning,
                _ => {}
            }
        }
    }
    found
}

/// The text after the level, taken apart: `bpbrm read_media_msg: msg`, `vnet_async_connect:
/// ../../libvlibs/vnet.c.123: 0: msg`, `func: ... 0: msg`, `flush_archive(): ERR - msg`,
/// `bpbkar: ERR - msg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Body<'a> {
    /// A leading token that names a process (`bpbrm`, `bpbkar`), when `is_process` says so.
    pub process: Option<&'a [u8]>,
    /// The function name, without `()` and `:`.
    pub function: Option<&'a [u8]>,
    /// The message, after any source location (`file.c.123:`) and `0:` status prefix.
    pub message: &'a [u8],
}

pub fn split_body<'a>(body: &'a [u8], is_process: impl Fn(&[u8]) -> bool) -> Body<'a> {
    let mut rest = body;
    let mut process = None;
    let mut function = None;

    let (first, after_first) = token(rest);
    let first_bare = first.strip_suffix(b":").unwrap_or(first);
    if is_process(first_bare) {
        process = Some(first_bare);
        rest = after_first;
        if first.ends_with(b":") {
            return Body { process, function, message: rest };
        }
        let (second, after_second) = token(rest);
        if second.len() > 1 && second.ends_with(b":") {
            function = Some(bare_function(second));
            rest = after_second;
        }
    } else if first.len() > 1 && first.ends_with(b":") {
        function = Some(bare_function(first));
        rest = after_first;
    }

    // Source location (`../../libvlibs/vnet.c.123:` or `bpbrm.c.9562:`) or the technote's `...`.
    let (next, after_next) = token(rest);
    if next == b"..." || is_source_location(next) {
        rest = after_next;
        // The `0:` that follows in vnet lines.
        let (status, after_status) = token(rest);
        if status.len() >= 2 && status.ends_with(b":") && status[..status.len() - 1].iter().all(u8::is_ascii_digit) {
            rest = after_status;
        }
    }
    Body { process, function, message: rest }
}

fn token(s: &[u8]) -> (&[u8], &[u8]) {
    let end = memchr::memchr(b' ', s).unwrap_or(s.len());
    let rest = &s[end..];
    let skip = rest.iter().take_while(|&&b| b == b' ').count();
    (&s[..end], &rest[skip..])
}

fn bare_function(tok: &[u8]) -> &[u8] {
    let tok = tok.strip_suffix(b":").unwrap_or(tok);
    tok.strip_suffix(b"()").unwrap_or(tok)
}

/// `name.c.123:`, `name.cpp.45:`, `../../libvlibs/vnet_connect.c.1021:`.
fn is_source_location(tok: &[u8]) -> bool {
    let Some(tok) = tok.strip_suffix(b":") else { return false };
    let Some(dot) = memchr::memrchr(b'.', tok) else { return false };
    let (file, line) = (&tok[..dot], &tok[dot + 1..]);
    !line.is_empty()
        && line.iter().all(u8::is_ascii_digit)
        && [&b".c"[..], b".cpp", b".cxx", b".cc", b".h"].iter().any(|ext| file.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_proc(t: &[u8]) -> bool {
        matches!(t, b"bpbrm" | b"bpbkar" | b"bpcd")
    }

    #[test]
    fn windows_header() {
        let l = parse_line(b"17:46:37.262 [1660.4296] <2> bpbrm spawn_brm_child: bpbrm child pid = 5592.5372").unwrap();
        assert_eq!(l.ms_of_day, Some(((17 * 60 + 46) * 60 + 37) * 1000 + 262));
        assert_eq!((l.pid, l.tid, l.level), (1660, Some(4296), 2));
        assert_eq!(l.body, b"bpbrm spawn_brm_child: bpbrm child pid = 5592.5372");
    }

    #[test]
    fn unix_header() {
        let l = parse_line(
            b"05:23:26.211 [23506] <16> flush_archive(): ERR - Cannot write to STDOUT. Errno = 32: Broken pipe",
        )
        .unwrap();
        assert_eq!((l.pid, l.tid, l.level), (23506, None, 16));
        assert_eq!(severity(l.level, l.body), Severity::Error);
    }

    #[test]
    fn rejects_non_lines() {
        for bad in [
            &b""[..],
            b"...snip...",
            b"17:46:37 [1660] <2> no millis",
            b"25:00:00.000 [1] <2> bad hour",
            b"17:46:37.262 1660 <2> no brackets",
            b"17:46:37.262 [1660.] <2> empty tid",
            b"17:46:37.262 [1660] <2 missing close",
            b"17:46:37.262 [12345678901] <2> pid too long",
            b"12/04/2015 15:48:54.101 [Application] NB 51216 nbjm",
        ] {
            assert!(parse_line(bad).is_none(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn severities() {
        assert_eq!(severity(2, b"bpbkar: ERR - bpbkar killed by SIGPIPE"), Severity::Error);
        assert_eq!(severity(4, b"bpbkar: WRN - link not followed"), Severity::Warning);
        assert_eq!(severity(2, b"bpbkar FATAL exit status = 24"), Severity::Error);
        assert_eq!(severity(2, b"bpbkar: INF - EXIT STATUS 0 - all fine - F"), Severity::Info);
        assert_eq!(severity(2, b"x-y - z"), Severity::Info);
        assert_eq!(severity(16, b""), Severity::Error);
    }

    /// The variants, as real pages print them (sources in the module's doc).
    /// Time, 12-hour, pid, tid, level, body.
    type Expect = (Option<u32>, bool, u32, Option<u32>, u16, &'static str);

    #[test]
    fn variant_headers() {
        let cases: &[(&str, Option<Expect>)] = &[
            (
                "8:51:14.569 AM: [1924.2304] <2> tar_base::V_vTarMsgW: FTL - Backup operation aborted!",
                Some((Some(31_874_569), true, 1924, Some(2304), 2, "tar_base::V_vTarMsgW: FTL - Backup operation aborted!")),
            ),
            (
                "08:18:26.072 AM: [5416.6628] <4> BufferManagerLegacySharedMemory::~BufferManagerLegacySharedMemory(): INF - bpbkar waited 64737 times for empty buffer, delayed 66780 times.",
                Some((Some(29_906_072), true, 5416, Some(6628), 4, "BufferManagerLegacySharedMemory::~BufferManagerLegacySharedMemory(): INF - bpbkar waited 64737 times for empty buffer, delayed 66780 times.")),
            ),
            (
                "8:01:28.455 PM: [5716.6124] <2> ov_log::V_GlobalLog: ERR - Unknown Shadow Copy DBLK SubType",
                Some((Some(72_088_455), true, 5716, Some(6124), 2, "ov_log::V_GlobalLog: ERR - Unknown Shadow Copy DBLK SubType")),
            ),
            ("17:21:39 [1892.752] <16> x", Some((Some(62_499_000), false, 1892, Some(752), 16, "x"))),
            (
                "[17300.26824] <16> writeToServer: ERR - send() to server",
                Some((None, false, 17300, Some(26824), 16, "writeToServer: ERR - send() to server")),
            ),
            (
                "<2> logconnections: BPDBM CONNECT FROM xxxxxxxxxxxx TO yyyyyyy.13724",
                Some((None, false, 0, None, 2, "logconnections: BPDBM CONNECT FROM xxxxxxxxxxxx TO yyyyyyy.13724")),
            ),
            ("[1234567] <8> pid above a million", Some((None, false, 1_234_567, None, 8, "pid above a million"))),
            ("6:00:14.218 AM: [452.976]", None),
            ("<html>", None),
            ("<2>", None),
            ("13:00:00.000 PM: [1] <2> x", None),
            ("17:21:39 <2> no pid", None),
        ];
        for (line, want) in cases {
            let got = parse_variant(line.as_bytes())
                .map(|l| (l.ms_of_day, l.twelve_hour, l.pid, l.tid, l.level, std::str::from_utf8(l.body).unwrap()));
            assert_eq!(got, *want, "{line}");
        }
    }

    #[test]
    fn empty_body() {
        assert_eq!(parse_line(b"00:00:00.000 [1] <2>").unwrap().body, b"");
    }

    #[test]
    fn body_shapes() {
        let b = split_body(b"bpbrm read_media_msg: read from media manager: X", is_proc);
        assert_eq!(
            (b.process, b.function, b.message),
            (Some(&b"bpbrm"[..]), Some(&b"read_media_msg"[..]), &b"read from media manager: X"[..])
        );

        let b = split_body(b"vnet_async_connect: ... 0: connect in progress: 1 0x00000001", is_proc);
        assert_eq!(
            (b.process, b.function, b.message),
            (None, Some(&b"vnet_async_connect"[..]), &b"connect in progress: 1 0x00000001"[..])
        );

        let b =
            split_body(b"vnet_async_connect: ../../libvlibs/vnet_connect.c.1021: 0: connect in progress: 1", is_proc);
        assert_eq!(b.message, b"connect in progress: 1");

        let b = split_body(b"bpbrm multiplexed_backup: bpbrm.c.9563: mpx_ipc: 57276;c4;10;600", is_proc);
        assert_eq!((b.function, b.message), (Some(&b"multiplexed_backup"[..]), &b"mpx_ipc: 57276;c4;10;600"[..]));

        let b = split_body(b"flush_archive(): ERR - Cannot write", is_proc);
        assert_eq!((b.function, b.message), (Some(&b"flush_archive"[..]), &b"ERR - Cannot write"[..]));

        let b = split_body(b"bpbkar: ERR - bpbkar killed by SIGPIPE", is_proc);
        assert_eq!(
            (b.process, b.function, b.message),
            (Some(&b"bpbkar"[..]), None, &b"ERR - bpbkar killed by SIGPIPE"[..])
        );

        let b = split_body(b"bpbkar SelectFile: INF - Resolved_path = /export", is_proc);
        assert_eq!((b.process, b.function), (Some(&b"bpbkar"[..]), Some(&b"SelectFile"[..])));

        let b = split_body(b"no colon anywhere", is_proc);
        assert_eq!((b.process, b.function, b.message), (None, None, &b"no colon anywhere"[..]));
    }
}
