//! Packet captures: every container, byte order, time unit and link type gives the same
//! connections at every chunking; the TCP facts by Wireshark's definitions; damaged and
//! truncated files; the cap on connections; the capture bundles are the ones this file writes.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use common::capture::{self, Link, Seg, ACK, FIN, PSH, RST, SYN};
use nbtriage::facts::capture::{CaptureFacts, CaptureStop, TcpConnection, MAX_CONNECTIONS};
use nbtriage::facts::scanner::FileScanner;
use nbtriage::vocab::FileFormat;

fn scan(bytes: &[u8], chunk: usize) -> nbtriage::facts::FileFacts {
    let mut s = FileScanner::new("media01/capture/trace.pcap");
    for c in bytes.chunks(chunk.max(1)) {
        s.feed(c);
    }
    s.finish()
}

/// The capture's facts, the same at every chunking.
fn facts(bytes: &[u8]) -> CaptureFacts {
    let whole = scan(bytes, bytes.len());
    for chunk in [1, 3, 7, 64, 1500, 65536] {
        assert_eq!(scan(bytes, chunk), whole, "chunk {chunk}");
    }
    assert_eq!(whole.format, FileFormat::Capture);
    *whole.capture.expect("capture facts")
}

const C: ([u8; 4], u16) = ([10, 0, 0, 1], 40000);
const S: ([u8; 4], u16) = ([10, 0, 0, 2], 13724);
const T0: i64 = 1_307_115_000_000_000;

/// A session with one of each thing the facts count.
fn session() -> Vec<Seg> {
    let s = |ms: i64, from, to, flags| Seg::new(T0 + ms * 1000, from, to, flags);
    vec![
        s(0, C, S, SYN).seq(1000, 0),
        s(1, S, C, SYN | ACK).seq(5000, 1001).ttl(64),
        s(2, C, S, ACK).seq(1001, 5001),
        s(3, C, S, ACK | PSH).seq(1001, 5001).len(1000),
        // The same bytes again: a retransmission.
        s(300, C, S, ACK | PSH).seq(1001, 5001).len(1000),
        // Offloaded: larger than the MTU, new bytes, no retransmission.
        s(301, C, S, ACK | PSH).seq(2001, 5001).len(60000),
        // The server's window closes; a probe; Linux's form of a probe (no byte, the sequence
        // number one below the next); it stays closed 20 s.
        s(302, S, C, ACK).seq(5001, 62001).win(0).ttl(64),
        s(5302, C, S, ACK).seq(62001, 5001).len(1),
        s(5303, S, C, ACK).seq(5001, 62001).win(0).ttl(64),
        s(10303, C, S, ACK).seq(62001, 5001),
        s(20302, S, C, ACK).seq(5001, 62002).win(65000).ttl(64),
        s(20303, C, S, FIN | ACK).seq(62002, 5001),
    ]
}

fn check_session(c: &TcpConnection) {
    assert_eq!(c.client.to_string(), "10.0.0.1.40000");
    assert_eq!(c.server.port, 13724);
    assert_eq!((c.syns, c.syn_retransmissions()), (1, 0));
    assert_eq!(c.handshake_rtt_us, Some(1000));
    assert_eq!(c.retransmissions, [1, 0], "the offloaded segment is not one");
    assert_eq!(c.window_probes, [2, 0]);
    assert_eq!(c.keepalives, [0, 0]);
    assert_eq!(c.zero_windows, [0, 1]);
    assert_eq!(c.longest_zero_us, [0, 20_000_000]);
    assert_eq!(c.zero_since_us, [None, None]);
    assert_eq!(c.fins, [1, 0]);
    assert_eq!(c.server_ttl, Some(64));
    assert_eq!(c.longest_idle_us, 10_000_000 - 1000);
}

#[test]
fn every_container_byte_order_and_link_gives_the_same_connection() {
    let segs = session();
    let mut forms = Vec::new();
    for link in [Link::Ethernet, Link::EthernetVlan, Link::Sll, Link::Sll2, Link::Raw] {
        let frames = capture::frames(link, &segs);
        for (big, nanos) in [(false, false), (true, false), (false, true), (true, true)] {
            forms.push(capture::pcap(link, &frames, big, nanos, 262_144));
            let ng: Vec<_> = frames.iter().map(|(us, f)| (0, *us, f.clone())).collect();
            forms.push(capture::pcapng(&[link], &ng, big, nanos));
        }
    }
    let v6: Vec<_> = segs.iter().map(|s| (s.us, Link::Ethernet.frame(&s.ipv6()))).collect();
    forms.push(capture::pcap(Link::Ethernet, &v6, false, false, 262_144));
    for (i, bytes) in forms.iter().enumerate() {
        let f = facts(bytes);
        assert_eq!(f.connections.len(), 1, "form {i}");
        assert_eq!((f.frames, f.tcp_segments), (12, 12), "form {i}");
        let c = &f.connections[0];
        if i == forms.len() - 1 {
            assert_eq!(c.client.to_string(), "2001:db8::a00:1.40000");
            assert_eq!(c.retransmissions, [1, 0]);
        } else {
            check_session(c);
        }
        assert_eq!(f.first_us, Some(T0), "form {i}");
    }
}

/// Linux probes a closed window with a segment of no byte one below the next sequence number
/// (as a real loopback capture of a stalled reader shows, `tests/captures/record.py`); the same
/// segment with the window open is a keepalive (Wireshark's definition).
#[test]
fn linux_window_probes_carry_no_byte_and_keepalives_need_an_open_window() {
    let s = |ms: i64, from, to, flags| Seg::new(T0 + ms * 1000, from, to, flags);
    let segs = vec![
        s(0, C, S, SYN).seq(1000, 0),
        s(1, S, C, SYN | ACK).seq(5000, 1001),
        s(2, C, S, ACK).seq(1001, 5001),
        s(3, C, S, ACK | PSH).seq(1001, 5001).len(2048),
        s(50, S, C, ACK).seq(5001, 3049).win(0),
        s(250, C, S, ACK).seq(3048, 5001),
        s(251, S, C, ACK).seq(5001, 3049).win(0),
        s(700, C, S, ACK).seq(3048, 5001),
        s(2000, S, C, ACK).seq(5001, 3049).win(4096),
        s(9000, C, S, ACK).seq(3048, 5001),
    ];
    let f = facts(&capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &segs), false, false, 128));
    let c = &f.connections[0];
    assert_eq!((c.window_probes, c.keepalives, c.retransmissions), ([2, 0], [1, 0], [0, 0]));
    assert_eq!((c.zero_windows, c.longest_zero_us, c.zero_since_us), ([0, 1], [0, 1_950_000], [None, None]));
}

#[test]
fn several_interfaces_and_snap_lengths() {
    let segs = session();
    let frames: Vec<_> = segs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if i % 2 == 0 {
                (0, s.us, Link::Ethernet.frame(&s.ipv4()))
            } else {
                (1, s.us, Link::Sll2.frame(&s.ipv4()))
            }
        })
        .collect();
    let f = facts(&capture::pcapng(&[Link::Ethernet, Link::Sll2], &frames, false, false));
    check_session(&f.connections[0]);
    // Cut to 68 bytes (tcpdump's old default): the headers are there, the lengths from IP.
    let cut = facts(&capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &segs), false, false, 68));
    check_session(&cut.connections[0]);
    assert_eq!(cut.cut_frames, 3);
    assert!(scan(&capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &segs), false, false, 68), 5).notes
        [1]
    .contains("3 frames were cut by the snap length"));
}

#[test]
fn a_silent_drop_a_refusal_and_a_reset_from_elsewhere() {
    let p = |ms: i64, from, to, flags| Seg::new(T0 + ms * 1000, from, to, flags);
    let pbx = ([10, 0, 0, 2], 1556);
    let (c1, c2) = (([10, 0, 0, 1], 40001), ([10, 0, 0, 1], 40002));
    let segs = vec![
        p(0, c1, pbx, SYN),
        p(3000, c1, pbx, SYN),
        p(9000, c1, pbx, SYN),
        p(10000, c2, pbx, SYN),
        p(10001, pbx, c2, RST | ACK).ttl(250),
    ];
    let f = facts(&capture::pcap(Link::Raw, &capture::frames(Link::Raw, &segs), false, false, 65535));
    let drop = &f.connections[0];
    assert_eq!((drop.syns, drop.syn_retransmissions(), drop.syn_ack_us, drop.resets), (3, 2, None, [0, 0]));
    let refused = &f.connections[1];
    assert_eq!((refused.resets, refused.reset_ttl, refused.server_ttl), ([0, 1], Some(250), None));
}

#[test]
fn damaged_and_truncated_captures_keep_what_came_before() {
    let bytes = capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &session()), false, false, 262_144);
    let cut = &bytes[..bytes.len() - 10];
    let f = facts(cut);
    assert_eq!(f.frames, 11);
    assert!(matches!(f.stop, Some(CaptureStop::Truncated { .. })));
    let notes = scan(cut, 9).notes;
    assert!(notes.iter().any(|n| n.contains("ends inside a record")), "{notes:?}");
    let mut damaged = bytes.clone();
    // The third record's captured length: impossible.
    let third =
        24 + 2 * 16 + capture::frames(Link::Ethernet, &session())[..2].iter().map(|(_, f)| f.len()).sum::<usize>();
    damaged[third + 8..third + 12].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let f = facts(&damaged);
    assert_eq!(f.frames, 2);
    assert!(matches!(f.stop, Some(CaptureStop::Damaged { .. })));
    assert!(scan(&damaged, 4).notes.iter().any(|n| n.contains("damaged at byte")));
    let ng = capture::pcapng(&[Link::Raw], &[(0, T0, Link::Raw.frame(&session()[0].ipv4()))], true, false);
    for end in 0..ng.len() {
        let _ = scan(&ng[..end], 3);
    }
}

#[test]
fn connections_past_the_cap_are_counted_and_said() {
    let segs: Vec<Seg> = (0..=MAX_CONNECTIONS as u32)
        .map(|i| Seg::new(T0 + i64::from(i), ([10, 1, (i >> 8) as u8, i as u8], 30000), S, SYN))
        .collect();
    let bytes = capture::pcap(Link::Raw, &capture::frames(Link::Raw, &segs), false, false, 65535);
    let f = scan(&bytes, 65536);
    let c = f.capture.as_ref().unwrap();
    assert_eq!((c.connections.len(), c.untracked_segments), (MAX_CONNECTIONS, 1));
    assert!(f.notes.iter().any(|n| n.contains("nbtriage's limit")), "{:?}", f.notes);
}

/// Microseconds (UTC) of a time on media01's clock on 2011-06-03 (the seed technote's date):
/// the constructed captures put media01 at UTC+02:00 with its clock 0.4 s ahead.
fn media01(h: i64, m: i64, s: i64, ms: i64) -> i64 {
    const DAY: i64 = 1_307_059_200; // 2011-06-03T00:00:00Z
    (DAY + h * 3600 + m * 60 + s - 2 * 3600) * 1_000_000 + ms * 1000 - 400_000
}

/// The packets media01 captured around the seed technote's connects: a connection to the
/// primary (so that only media01's address is in every connection), the two PBX attempts
/// (answered as `pbx` says, or not at all), and the two vnetd connections the logs record.
fn seed_capture(pbx_answer: Option<u8>) -> Vec<Seg> {
    let (media, client, primary) = ([2, 2, 2, 2], [3, 3, 3, 3], [1, 1, 1, 1]);
    let mut segs = Vec::new();
    let handshake = |segs: &mut Vec<Seg>, port: u16, us: i64, to: ([u8; 4], u16)| {
        segs.push(Seg::new(us, (media, port), to, SYN).seq(7000, 0));
        segs.push(Seg::new(us + 1000, to, (media, port), SYN | ACK).seq(9000, 7001));
        segs.push(Seg::new(us + 2000, (media, port), to, ACK).seq(7001, 9001));
    };
    handshake(&mut segs, 3400, media01(17, 46, 30, 0), (primary, 1556));
    for (port, start) in [(3582, media01(17, 49, 54, 4)), (3585, media01(17, 50, 4, 600))] {
        match pbx_answer {
            None => {
                for retry in [0, 3000, 9000] {
                    segs.push(Seg::new(start + retry * 1000, (media, port), (client, 1556), SYN).seq(5000, 0));
                }
            }
            Some(ttl) => {
                segs.push(Seg::new(start, (media, port), (client, 1556), SYN).seq(5000, 0));
                segs.push(Seg::new(start + 300, (client, 1556), (media, port), RST | ACK).seq(0, 5001).ttl(ttl));
            }
        }
    }
    handshake(&mut segs, 3583, media01(17, 50, 4, 380), (client, 13724));
    handshake(&mut segs, 3586, media01(17, 50, 14, 900), (client, 13724));
    sort_by_time(&mut segs);
    segs
}

fn sort_by_time(segs: &mut [Seg]) {
    segs.sort_by_key(|s| s.us);
}

/// A client sending a backup to its media server whose window closes for 8 min 50 s (probes
/// once a minute), then the media server resets the connection: `broken-pipe-24`'s case as a
/// capture on the client (constructed; times in UTC for a client at UTC-05:00).
fn zero_window_capture() -> Vec<Seg> {
    let (client, media) = (([10, 20, 0, 9], 40500), ([10, 20, 0, 5], 13724));
    let t = |m: i64, s: i64| (1_288_692_600 + m * 60 + s) * 1_000_000; // 2010-11-02T10:10:00Z
    let mut segs = vec![
        Seg::new(t(0, 0), client, media, SYN).seq(100, 0),
        Seg::new(t(0, 0) + 500, media, client, SYN | ACK).seq(900, 101).ttl(64),
        Seg::new(t(0, 0) + 900, client, media, ACK).seq(101, 901),
    ];
    let mut seq = 101u32;
    for i in 0..40 {
        segs.push(Seg::new(t(4, 36) - 40_000 + i * 1000, client, media, ACK | PSH).seq(seq, 901).len(1448));
        seq += 1448;
    }
    segs.push(Seg::new(t(4, 36), media, client, ACK).seq(901, seq).win(0).ttl(64));
    for minute in 1..=8 {
        segs.push(Seg::new(t(4 + minute, 36), client, media, ACK).seq(seq, 901).len(1));
        segs.push(Seg::new(t(4 + minute, 36) + 400, media, client, ACK).seq(901, seq).win(0).ttl(64));
    }
    segs.push(Seg::new(t(13, 26), media, client, RST | ACK).seq(901, seq).ttl(64));
    segs
}

/// Two connections from a media server to a client's vnetd, idle for about an hour after their
/// last data, then each reset by the client's side (constructed).
fn idle_reset_capture() -> Vec<Seg> {
    let (media, client) = ([10, 30, 0, 5], ([10, 30, 0, 7], 13724));
    let t0 = 1_307_100_000_000_000;
    let mut segs = Vec::new();
    for (i, idle_s) in [(0i64, 3600i64), (1, 3630)] {
        let port = 50000 + i as u16;
        let start = t0 + i * 20_000_000;
        segs.push(Seg::new(start, (media, port), client, SYN).seq(10, 0));
        segs.push(Seg::new(start + 400, client, (media, port), SYN | ACK).seq(20, 11).ttl(64));
        segs.push(Seg::new(start + 800, (media, port), client, ACK | PSH).seq(11, 21).len(200));
        segs.push(Seg::new(start + 1200, client, (media, port), ACK).seq(21, 211).ttl(64));
        segs.push(Seg::new(start + 1200 + idle_s * 1_000_000, client, (media, port), RST | ACK).seq(21, 211).ttl(64));
    }
    sort_by_time(&mut segs);
    segs
}

/// The capture files of the capture bundles, as this file writes them.
fn capture_files() -> Vec<(String, Vec<u8>)> {
    let drop = seed_capture(None);
    let refused = seed_capture(Some(250));
    let drop_frames = capture::frames(Link::Ethernet, &drop);
    let ng: Vec<_> = capture::frames(Link::Sll2, &refused).into_iter().map(|(us, f)| (0, us, f)).collect();
    let whole = capture::pcap(Link::Ethernet, &drop_frames, false, false, 262_144);
    let mut damaged = whole.clone();
    damaged[24 + 8..24 + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    vec![
        ("capture-silent-drop/media01/capture/media01.pcap".into(), whole.clone()),
        ("capture-refused/media01/capture/media01.pcapng".into(), capture::pcapng(&[Link::Sll2], &ng, false, true)),
        ("capture-damaged/media01/capture/truncated.pcap".into(), whole[..whole.len() - 30].to_vec()),
        ("capture-damaged/media01/capture/damaged.pcap".into(), damaged),
        (
            "capture-idle-reset/media05/capture/media05.pcapng".into(),
            capture::pcapng(
                &[Link::EthernetVlan],
                &capture::frames(Link::EthernetVlan, &idle_reset_capture())
                    .into_iter()
                    .map(|(us, f)| (0, us, f))
                    .collect::<Vec<_>>(),
                true,
                false,
            ),
        ),
        (
            "capture-zero-window/client9/capture/client9.pcap".into(),
            capture::pcap(Link::Sll, &capture::frames(Link::Sll, &zero_window_capture()), true, false, 96),
        ),
    ]
}

/// The committed capture files are the ones [`capture_files`] writes (`NBTRIAGE_WRITE_CAPTURES=1`
/// writes them again).
#[test]
fn capture_bundles_are_the_ones_this_file_writes() {
    let write = std::env::var_os("NBTRIAGE_WRITE_CAPTURES").is_some();
    for (path, bytes) in capture_files() {
        let on_disk = common::bundle_dir("").join(&path);
        if write {
            std::fs::create_dir_all(on_disk.parent().unwrap()).unwrap();
            std::fs::write(&on_disk, &bytes).unwrap();
        }
        assert_eq!(std::fs::read(&on_disk).ok().as_ref(), Some(&bytes), "{path}: run with NBTRIAGE_WRITE_CAPTURES=1");
    }
}

/// The PBX finding says what the capture shows: confirmed, contradicted, or not paired when the
/// capture's times cannot be placed on the host's clock; nothing of it survives redaction.
#[test]
fn the_pbx_finding_says_what_the_capture_shows() {
    let says = |bundle: &str| {
        let report = common::check_equivalent(&common::load_bundle(bundle));
        let pbx = common::finding(&report, "pbx-connect-timeout").expect("pbx-connect-timeout").clone();
        (pbx.facts.get("capture").cloned(), pbx.summary, report)
    };
    let (agrees, summary, _) = says("capture-silent-drop");
    assert_eq!(agrees, Some(serde_json::json!("confirmed")));
    assert!(summary.contains("Confirmed by the capture") && summary.contains("UTC+02:00"), "{summary}");
    let (agrees, summary, report) = says("capture-refused");
    assert_eq!(agrees, Some(serde_json::json!("contradicted")));
    assert!(summary.contains("The capture contradicts it"), "{summary}");
    let redacted = nbtriage::report::json::render(&nbtriage::redact::redact(&report).0);
    for original in ["2.2.2.2", "3.3.3.3", "media01", "myclient"] {
        assert!(!redacted.contains(original), "{original} in the redacted report");
    }
    // The seed logs beside a capture none of whose connections they record: not paired.
    let mut files = common::load_bundle("seed-technote");
    files.extend(common::load_bundle("capture-zero-window").into_iter().filter(|(p, _)| p.ends_with(".pcap")));
    let report = common::check_equivalent(&files);
    let pbx = common::finding(&report, "pbx-connect-timeout").unwrap();
    assert_eq!(pbx.facts.get("capture"), Some(&serde_json::json!("unpaired")));
    assert!(pbx.summary.contains("cannot be placed on media01's log clock"), "{}", pbx.summary);
}

#[test]
fn many_pairs_of_hosts_share_a_finding_past_the_first_few() {
    // Nine clients whose SYNs to one server's port 1556 get no answer (each sent three times),
    // and one refused: six findings, the largest pairs first, then one for the other four.
    let p = |ms: i64, from, to, flags| Seg::new(T0 + ms * 1000, from, to, flags);
    let server = ([10, 1, 0, 9], 1556);
    let mut segs = Vec::new();
    for client in 1..=9u8 {
        let from = ([10, 0, 0, client], 40000 + u16::from(client));
        // Client 1's pair has three connections, the others one: it must come first.
        for attempt in 0..if client == 1 { 3 } else { 1 } {
            let from = (from.0, from.1 + 100 * attempt);
            let start = i64::from(client) * 10 + i64::from(attempt);
            segs.extend([
                p(start, from, server, SYN),
                p(start + 1000, from, server, SYN),
                p(start + 3000, from, server, SYN),
            ]);
        }
    }
    let refused = ([10, 0, 0, 50], 41000);
    segs.extend([p(500, refused, server, SYN), p(501, server, refused, RST | ACK)]);
    sort_by_time(&mut segs);
    let files = vec![(
        "media01/trace.pcap".to_string(),
        capture::pcap(Link::Raw, &capture::frames(Link::Raw, &segs), false, false, 65535),
    )];
    let report = common::check_equivalent(&files);
    let found: Vec<_> = report.findings.iter().filter(|f| f.rule == "capture-handshake").collect();
    assert_eq!(found.len(), 6, "{:#?}", found.iter().map(|f| &f.title).collect::<Vec<_>>());
    assert!(found
        .iter()
        .any(|f| f.title.contains("from 10.0.0.1 to 10.1.0.9 port 1556") && f.facts["connections"] == 3));
    let rest = found.iter().find(|f| f.facts.contains_key("pairs")).expect("one finding for the rest");
    assert_eq!((rest.facts["pairs"].as_u64(), rest.facts["connections"].as_u64()), (Some(5), Some(5)));
    assert!(
        rest.title.contains("5 connections to NetBackup's ports refused or never answered between 5 more pairs"),
        "{}",
        rest.title
    );
    assert_eq!(rest.summary.matches(" to 10.1.0.9 port 1556 (1 ").count(), 5, "{}", rest.summary);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..proptest::prelude::ProptestConfig::default() })]

    /// Any bytes after a capture's magic number: no panic, and the same facts at any chunking.
    #[test]
    fn any_bytes_after_a_capture_header(
        kind in 0usize..4,
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4000),
        chunk in 1usize..300,
    ) {
        let valid = capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &session()[..4]), kind == 1, false, 65535);
        let mut bytes = match kind {
            0 | 1 => valid[..24].to_vec(),
            2 => capture::pcapng(&[Link::Sll2], &[], false, true),
            _ => valid,
        };
        bytes.extend_from_slice(&body);
        proptest::prop_assert_eq!(scan(&bytes, chunk), scan(&bytes, bytes.len()));
    }
}
