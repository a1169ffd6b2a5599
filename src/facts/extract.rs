//! Reads typed [`Fact`]s out of one line's text: the fact a known line shape carries, and every
//! catalogue signature the line matches.
//!
//! One needle pass per chunk finds every literal that can start a fact or a signature (the
//! fact needles of `needles.rs` and the catalogue's anchors); only lines with a hit are looked
//! at further. Facts are read from the whole text, not from a fixed function name, because
//! "the log-entry format ... is subject to change without notice" (reference §S4).

use super::needles::{FactNeedle, FACT_NEEDLES, TAG_NEEDLES};
use super::Fact;
use crate::catalogue::{self, matcher};
use crate::vocab::addr;
use aho_corasick::{AhoCorasick, MatchKind};
use std::sync::OnceLock;

/// Every needle of the chunk pass: the fact needles, the severity tags, then the anchors of the
/// signatures public logs show at an information level (`info_lines`). The other catalogue
/// anchors are not among them: those signatures are looked for on the lines that can hold one
/// (errors and warnings, lines of the other forms, continuations; see the scanner), which keeps
/// this pass within the 32 needles of aho-corasick's fastest SIMD search (BENCHMARKS.md).
pub fn needles() -> &'static [&'static str] {
    static NEEDLES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NEEDLES.get_or_init(|| [FACT_NEEDLES, TAG_NEEDLES, catalogue::INFO_LINE_ANCHORS].concat())
}

// The automatons below are built from static literals: a failure to build is a programming error
// every test would show, not something input can cause.

/// The chunk pass's search (natively; WebAssembly uses `needle_simd`, tested against this).
#[cfg(any(test, not(all(target_arch = "wasm32", target_feature = "simd128"))))]
#[allow(clippy::expect_used)]
fn chunk_matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(needles()).expect("static needles build")
    })
}

/// The fact needles alone, leftmost first: a line's first needle that reads gives its fact.
#[allow(clippy::expect_used)]
fn fact_matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(FACT_NEEDLES).expect("static needles build")
    })
}

/// The catalogue's anchors, every occurrence (they may overlap each other).
#[allow(clippy::expect_used)]
fn anchor_matcher() -> &'static AhoCorasick {
    static MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    MATCHER.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(catalogue::ANCHORS.iter().map(|(anchor, _)| *anchor))
            .expect("catalogue anchors build")
    })
}

/// Appends to `hits` the offsets (`base` + position) where a needle starts in `bytes`: one
/// pass over a whole chunk instead of one per line, so that most lines, which carry no fact,
/// cost nothing here.
pub fn hits(bytes: &[u8], base: u64, hits: &mut Vec<u64>) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    super::needle_simd::hits(needles(), bytes, base, hits);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    hits.extend(chunk_matcher().find_iter(bytes).map(|m| base + m.start() as u64));
}

/// Where needles start by the Aho-Corasick search, non-overlapping (what `hits` does natively);
/// the WebAssembly search is tested against it.
#[cfg(all(test, target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) fn hits_by_automaton(bytes: &[u8]) -> Vec<usize> {
    chunk_matcher().find_iter(bytes).map(|m| m.start()).collect()
}

/// The fact a line's text (after its header) carries, if any.
pub fn fact(body: &[u8]) -> Option<Fact> {
    fact_matcher().find_iter(body).find_map(|m| read(m.pattern().as_usize(), body, m.start(), m.end()))
}

/// Whether a debug log's information line (one the chunk pass flagged) holds the anchor of a
/// signature that comes at that level: few lines are flagged and fewer hold one.
pub fn may_hold_info_line_signature(body: &[u8]) -> bool {
    // Built once: `memmem::find` sets its searcher up again on every call, which added 12% to
    // the whole analysis's instructions on the 64 MiB bench (BENCHMARKS.md).
    static FINDERS: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    FINDERS
        .get_or_init(|| catalogue::INFO_LINE_ANCHORS.iter().map(memchr::memmem::Finder::new).collect())
        .iter()
        .any(|finder| finder.find(body).is_some())
}

/// `EXIT STATUS N: <official message>` in a line quoted without its log header (`bpbrm Exit:
/// client backup EXIT STATUS 41: network connection timed out`, Veritas Status Codes Reference
/// 41; `Error bpbrm (PID=3899) client restore EXIT STATUS 40: network connection broken`, the
/// Cloud Object Store guide). Only beside the status's own message: prose saying "exit status 5"
/// is not a job's end.
pub fn quoted_exit_status(text: &[u8]) -> Option<Fact> {
    // Built once, as in `may_hold_info_line_signature`: every line outside a log form comes here.
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let at = FINDER.get_or_init(|| memchr::memmem::Finder::new(b"EXIT STATUS ")).find(text)?;
    // Status 0 beside its message is a success the quote records (the verdict's evidence).
    let status = crate::parse::status::leading(&text[at + b"EXIT STATUS ".len()..])?;
    Some(Fact::ExitStatus { status, process: None })
}

/// A status the line states as its whole text (a console's, the web UI's or an alert mail's
/// `Status: can't connect to client`, `Status Code: 58`): short lines only.
pub fn stated_status(text: &[u8]) -> Option<Fact> {
    if text.len() > crate::parse::stated::MAX_LINE + 8 {
        return None;
    }
    Some(match crate::parse::stated::stated(text)? {
        crate::parse::stated::Stated::One(status) => Fact::StatedStatus { status, shared_with: None },
        crate::parse::stated::Stated::Shared(status, other) => Fact::StatedStatus { status, shared_with: Some(other) },
    })
}

/// The process a quoted line names first: `bptm:4940:host: ...`, `bpbrm Exit: ...`, or after a
/// Job Details severity, `Error bpbrm (PID=3899) ...`.
pub fn quoted_process(text: &[u8]) -> Option<&'static str> {
    let mut words = text.trim_ascii_start().split(|&b| b == b' ' || b == b':' || b == b'(').filter(|w| !w.is_empty());
    let first = words.next()?;
    let name = if [&b"error"[..], b"critical", b"warning", b"info"].iter().any(|s| first.eq_ignore_ascii_case(s)) {
        words.next()?
    } else {
        first
    };
    crate::input::process::lookup(name).map(|(name, _)| name)
}

/// Appends every catalogue signature the text matches, once per pattern.
pub fn signatures(body: &[u8], out: &mut Vec<Fact>) {
    let mut tried: u64 = 0; // anchors already tried, by index (a line rarely holds more than a few)
    for m in anchor_matcher().find_overlapping_iter(body) {
        let anchor = m.pattern().as_usize();
        if anchor < 64 {
            if tried & (1 << anchor) != 0 {
                continue;
            }
            tried |= 1 << anchor;
        }
        for &pattern in catalogue::ANCHORS[anchor].1 {
            if let Some(values) = matcher::match_line(&catalogue::PATTERNS[pattern], body) {
                out.push(Fact::Signature { pattern: pattern as u16, values, process: None });
            }
        }
    }
}

fn read(needle: usize, body: &[u8], start: usize, end: usize) -> Option<Fact> {
    use FactNeedle as N;
    let after = &body[end..];
    Some(match *FactNeedle::ALL.get(needle)? {
        N::ConnectInProgress => Fact::ConnectInProgress { round: number(after)? },
        N::SoError => Fact::SocketError { code: number(after)? },
        N::PbxSupportQuery => Fact::PbxSupportQuery,
        N::PbxNotRunning => Fact::PbxNotRunning,
        N::Connect => {
            let (from, to) = addr::from_to(&body[start + " CONNECT".len()..])?;
            Fact::Connect { from, to }
        }
        N::Accept => {
            let (from, to) = addr::from_to(&body[start + " ACCEPT".len()..])?;
            Fact::Accept { from, to }
        }
        N::ForwardSocketRequest => {
            let served = body[..start].ends_with(b"Request ") || after.first() == Some(&b'(');
            Fact::ForwardSocketRequest { served }
        }
        N::IpcString => Fact::IpcString { port: port(after)? },
        N::HashStr1 => Fact::HashStr1 { hash: hex_hash(after)? },
        N::MaxTime => Fact::MaxTime { seconds: number(after)? },
        N::FunctionFailed => Fact::SockReadyFailed { code: number(after)? },
        N::ProcessConnectForwardSocket => {
            let at = memchr::memmem::find(after, b"status:")?;
            Fact::ForwardSocketStatus { code: number(&after[at + "status:".len()..])? }
        }
        N::PeerPort => Fact::LocalPeerAccepted { port: port(after)? },
        N::MpxIpc => {
            let (port, hash) = ipc_spec(trim_start(after))?;
            Fact::MpxIpc { port, hash, backup_id: None }
        }
        N::NcbDataSocket => {
            let (backup_id, rest) = split_word(after);
            let (port, hash) = ipc_spec(trim_start(rest))?;
            Fact::MpxIpc { port, hash, backup_id: Some(String::from_utf8_lossy(backup_id).into_owned()) }
        }
        N::IsPbxableServer => {
            let at = memchr::memmem::find(after, b"service:")?;
            let (service, _) = split_word(trim_start(&after[at + "service:".len()..]));
            if service.is_empty() {
                return None;
            }
            Fact::ServiceConnect { service: String::from_utf8_lossy(service).into_owned() }
        }
        N::ReturnedFailure => {
            let peer = last_word(&body[..start]);
            Fact::PeerReturnedFailure { peer: String::from_utf8_lossy(peer).into_owned(), status: number(after)? }
        }
        N::GetVnetdForwardSocketFailed => Fact::ForwardSocketFailed { status: number(after)? },
        N::CannotCreateDataSocket => Fact::CannotCreateDataSocket,
        // Status 0 is a success (`<4> bpbrm Exit: INF - EXIT STATUS 0: the requested operation was
        // successfully completed`: the `INF - EXIT STATUS` form of reference §1.4, [S21, S36], with
        // status 0's official message, [S27]): retention keeps the first and counts the rest.
        N::ExitStatusCaps | N::ExitingWithStatus => Fact::ExitStatus { status: number(after)?, process: None },
        // `exit status = 40: ...` (bpbkar, [S36]), or `exit status 249 the file list is incomplete`
        // (bpdbm, Veritas 100017773), which counts only beside its official message.
        N::ExitStatusLower => {
            let status = match after.strip_prefix(b"= ") {
                Some(rest) => number(rest)?,
                None => crate::parse::status::leading(after)?,
            };
            Fact::ExitStatus { status, process: None }
        }
        N::ChildPid => {
            let (pid_tid, _) = split_word(after);
            let (pid, tid) = match pid_tid.iter().position(|&b| b == b'.') {
                Some(dot) => (whole_number(&pid_tid[..dot])?, Some(whole_number(&pid_tid[dot + 1..])?)),
                None => (whole_number(pid_tid)?, None),
            };
            Fact::ChildPid { pid, tid }
        }
    })
}

fn trim_start(s: &[u8]) -> &[u8] {
    let skip = s.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    &s[skip..]
}

fn split_word(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(s.len());
    (&s[..end], &s[end..])
}

fn last_word(s: &[u8]) -> &[u8] {
    let s = s.strip_suffix(b" ").unwrap_or(s);
    let start = s.iter().rposition(|&b| b == b' ' || b == b':').map_or(0, |p| p + 1);
    &s[start..]
}

/// The decimal number at the start of `s` (after spaces), up to 9 digits.
fn number(s: &[u8]) -> Option<u32> {
    let s = trim_start(s);
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    whole_number(&s[..digits])
}

fn whole_number(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u32, |n, &b| n * 10 + u32::from(b - b'0')))
}

fn port(s: &[u8]) -> Option<u16> {
    u16::try_from(number(s)?).ok()
}

/// 32 hexadecimal digits, lower-cased.
fn hex_hash(s: &[u8]) -> Option<String> {
    let (word, _) = split_word(trim_start(s));
    let word = word.strip_suffix(b";").unwrap_or(word);
    (word.len() == 32 && word.iter().all(u8::is_ascii_hexdigit))
        .then(|| String::from_utf8_lossy(word).to_ascii_lowercase())
}

/// `57276;c432cfc40d6d02d80f592f6c03015c49;10;600`
fn ipc_spec(s: &[u8]) -> Option<(u16, String)> {
    let semi = s.iter().position(|&b| b == b';')?;
    let port = u16::try_from(whole_number(&s[..semi])?).ok()?;
    let hash_field = &s[semi + 1..];
    let hash_end = hash_field.iter().position(|&b| b == b';' || b == b' ').unwrap_or(hash_field.len());
    Some((port, hex_hash(&hash_field[..hash_end])?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::addr::SockAddr;

    fn sock(text: &str) -> Option<SockAddr> {
        SockAddr::parse(text.as_bytes())
    }

    /// Sample lines double as the grammar's documentation (lnav keeps samples in its formats).
    #[test]
    fn seed_technote_lines() {
        let cases: &[(&str, Option<Fact>)] = &[
            ("vnet_async_connect: ... 0: connect in progress: 2 0x00000002", Some(Fact::ConnectInProgress { round: 2 })),
            ("vnet_async_connect: ... 0: getsockopt SO_ERROR returned: 10061 0x0000274d", Some(Fact::SocketError { code: 10061 })),
            ("vnet_vnetd_pbx_c_supported: ... 0: VN_REQUEST_PBX_C_SUPPORTED: 13 0x0000000d", Some(Fact::PbxSupportQuery)),
            ("do_vnetd_service: ... 0: remote host supports PBX, but PBX is not running: 0 0x00000000", Some(Fact::PbxNotRunning)),
            (
                "do_vnetd_service: ... 0: via VNETD: bpcd CONNECT FROM 2.2.2.2.3583 TO 3.3.3.3.13724 fd = 1240",
                Some(Fact::Connect { from: sock("2.2.2.2.3583").unwrap(), to: sock("3.3.3.3.13724").unwrap() }),
            ),
            (
                "ProcessRequests: ... 0: msg: VNETD ACCEPT FROM 2.2.2.2.3583 TO 3.3.3.3.13724 fd = 392",
                Some(Fact::Accept { from: sock("2.2.2.2.3583").unwrap(), to: sock("3.3.3.3.13724").unwrap() }),
            ),
            ("ProcessRequests: ... 0: msg: Request VN_REQUEST_CONNECT_FORWARD_SOCKET(10)", Some(Fact::ForwardSocketRequest { served: true })),
            (
                "vnet_vnetd_connect_forward_socket_begin: ... 0: VN_REQUEST_CONNECT_FORWARD_SOCKET: 10 0x0000000a",
                Some(Fact::ForwardSocketRequest { served: false }),
            ),
            ("process_connect_forward_socket: ... 0: ipc_string: 57287", Some(Fact::IpcString { port: 57287 })),
            (
                "vnet_generate_hashes: ... 0: hash_str1: f017547cf7f80e43f64be3005adbfebd",
                Some(Fact::HashStr1 { hash: "f017547cf7f80e43f64be3005adbfebd".into() }),
            ),
            ("vnet_sock_ready: ... 0: max_time: 120 0x00000078", Some(Fact::MaxTime { seconds: 120 })),
            ("vnet_sock_ready: ... 0: Function failed: 11 0x0000000b", Some(Fact::SockReadyFailed { code: 11 })),
            ("process_connect_forward_socket: ... 0: status: 11 0x0000000b", Some(Fact::ForwardSocketStatus { code: 11 })),
            ("vnet_verify_local_accept: ... 0: localhost IPv4 peer port: 57288 0x0000dfc8", Some(Fact::LocalPeerAccepted { port: 57288 })),
            (
                "bpbrm handle_backup: bpbrm.c.14899: mpx_ipc: 57276;c432cfc40d6d02d80f592f6c03015c49;10;600",
                Some(Fact::MpxIpc { port: 57276, hash: "c432cfc40d6d02d80f592f6c03015c49".into(), backup_id: None }),
            ),
            (
                "bpbrm read_media_msg: read from media manager: NCB_DATASOCKET myclient_1307115858 57276;c432cfc40d6d02d80f592f6c03015c49;10;600",
                Some(Fact::MpxIpc {
                    port: 57276,
                    hash: "c432cfc40d6d02d80f592f6c03015c49".into(),
                    backup_id: Some("myclient_1307115858".into()),
                }),
            ),
            ("is_pbxable_server: ... 0: service: 57276", Some(Fact::ServiceConnect { service: "57276".into() })),
            (
                "bpcr_put_vnetd_forward_socket: bpcd returned failure: 25",
                Some(Fact::PeerReturnedFailure { peer: "bpcd".into(), status: 25 }),
            ),
            ("process_requests: get_vnetd_forward_socket failed: 25", Some(Fact::ForwardSocketFailed { status: 25 })),
            (
                "bpbrm handle_backup: cannot create data socket, The operation completed successfully. (0)",
                Some(Fact::CannotCreateDataSocket),
            ),
            ("bpbrm spawn_brm_child: bpbrm child pid = 5592.5372", Some(Fact::ChildPid { pid: 5592, tid: Some(5372) })),
            ("bpbkar Exit: INF - EXIT STATUS 24: socket write failed", Some(Fact::ExitStatus { status: 24, process: None })),
            ("bpbkar: ERR - bpbkar FATAL exit status = 40: network connection broken", Some(Fact::ExitStatus { status: 40, process: None })),
            // Status 0 is read too: a success the verdict counts (retention keeps the first).
            ("bptm: EXITING with status 0 <----------", Some(Fact::ExitStatus { status: 0, process: None })),
            (
                "process_request: request complete: exit status 249 the file list is incomplete; query type: 60",
                Some(Fact::ExitStatus { status: 249, process: None }),
            ),
            ("process_request: exit status 12 bytes", None),
            // Lines without facts.
            ("vnet_cached_getaddrinfo_and_update: ... 0: found in cache name: ::1", None),
            ("process_requests: BPCD_HOSTNAME_RQST", None),
            ("vnet_async_connect: ... 0: connect in progress: x", None),
            ("hash_str1: nothex", None),
        ];
        for (line, expected) in cases {
            assert_eq!(&fact(line.as_bytes()), expected, "{line}");
        }
    }

    #[test]
    fn later_needle_used_when_first_does_not_parse() {
        // `process_connect_forward_socket:` without `status:` falls through to `ipc_string:`.
        assert_eq!(
            fact(b"process_connect_forward_socket: ... 0: hash_str1: f017547cf7f80e43f64be3005adbfebd").unwrap(),
            Fact::HashStr1 { hash: "f017547cf7f80e43f64be3005adbfebd".into() }
        );
    }

    #[test]
    fn quoted_lines_name_their_status_and_process() {
        let restore = b"Error bpbrm (PID=3899) client restore EXIT STATUS 40: network connection broken";
        assert_eq!(quoted_exit_status(restore), Some(Fact::ExitStatus { status: 40, process: None }));
        assert_eq!(quoted_process(restore), Some("bpbrm"));
        let backup = b"bpbrm Exit: client backup EXIT STATUS 41: network connection timed out";
        assert_eq!(quoted_exit_status(backup), Some(Fact::ExitStatus { status: 41, process: None }));
        assert_eq!(quoted_process(backup), Some("bpbrm"));
        assert_eq!(quoted_process(b"bptm:4940:<media_server_name>: AmzResiliency: ..."), Some("bptm"));
        // A number without the status's message, or a sentence, is not a job's end.
        assert_eq!(quoted_exit_status(b"the job ended with EXIT STATUS 41 again"), None);
        // Status 0 beside its message is a success the quote records.
        assert_eq!(
            quoted_exit_status(b"EXIT STATUS 0: the requested operation was successfully completed"),
            Some(Fact::ExitStatus { status: 0, process: None })
        );
        assert_eq!(quoted_exit_status(b"EXIT STATUS 0 again"), None);
        assert_eq!(quoted_process(b"Image warming failed 503"), None);
        assert_eq!(quoted_process(b"Error: something"), None);
    }
}
