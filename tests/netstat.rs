//! netstat/ss output: each form's rows, the loop's snapshots and their times, the same facts at
//! every chunking; truncated and damaged output; the cap on connections; the PBX finding says
//! "confirmed by netstat".

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use nbtriage::facts::netstat::{NetstatFacts, MAX_CONNECTIONS};
use nbtriage::facts::scanner::FileScanner;
use nbtriage::parse::netstat::TcpState;
use nbtriage::vocab::FileFormat;

fn scan(path: &str, bytes: &[u8], chunk: usize) -> nbtriage::facts::FileFacts {
    let mut s = FileScanner::new(path);
    for c in bytes.chunks(chunk.max(1)) {
        s.feed(c);
    }
    s.finish()
}

/// The file's netstat facts, the same at every chunking.
fn facts(path: &str, bytes: &[u8]) -> NetstatFacts {
    let whole = scan(path, bytes, bytes.len());
    for chunk in [1, 2, 3, 7, 64, 1500, 4096] {
        assert_eq!(scan(path, bytes, chunk), whole, "chunk {chunk}");
    }
    assert_eq!(whole.format, FileFormat::Netstat, "{path}");
    *whole.netstat.expect("netstat facts")
}

fn bundle_file(bundle: &str, suffix: &str) -> (String, Vec<u8>) {
    common::load_bundle(bundle).into_iter().find(|(p, _)| p.ends_with(suffix)).expect("the bundle's netstat file")
}

#[test]
fn the_windows_loop_times_each_snapshot() {
    let (path, bytes) = bundle_file("netstat-silent-drop", "netstat-loop.txt");
    let f = facts(&path, &bytes);
    assert_eq!((f.snapshots, f.timed_snapshots, f.zone.as_deref()), (25, 25, None));
    assert_eq!(f.connections.len(), 2);
    let first = &f.connections[0];
    assert_eq!((first.local.to_string(), first.remote.to_string()), ("2.2.2.2.3582".into(), "3.3.3.3.1556".into()));
    assert_eq!(first.service.as_deref(), Some("PBX"));
    let span = first.spans[0];
    assert_eq!(
        (span.state, span.first_snapshot, span.last_snapshot, span.seen_ms()),
        (TcpState::SynSent, 3, 12, Some(9_000))
    );
    assert_eq!(f.local_addresses, vec!["2.2.2.2".parse::<std::net::IpAddr>().unwrap()]);
}

#[test]
fn the_linux_loop_says_its_zone_and_reads_past_a_cut_line() {
    let (path, bytes) = bundle_file("netstat-linux-loop", "netstat.txt");
    let f = facts(&path, &bytes);
    assert_eq!((f.snapshots, f.timed_snapshots, f.zone.as_deref()), (10, 10, Some("CEST")));
    let syn = &f.connections[0];
    assert_eq!((syn.spans.len(), syn.spans[0].seen_ms()), (1, Some(7_000)));
    assert_eq!(f.connections[1].service.as_deref(), Some("vnetd"));
    assert_eq!(f.connections[1].spans[0].state, TcpState::Established);
}

#[test]
fn a_single_untimed_snapshot_is_counted_not_timed() {
    let (path, bytes) = bundle_file("netstat-windows-snapshot", "netstat-ano.txt");
    let whole = scan(&path, &bytes, bytes.len());
    let f = facts(&path, &bytes);
    assert_eq!((f.snapshots, f.timed_snapshots, f.rows, f.connections.len()), (1, 0, 9, 3));
    assert!(whole.notes.iter().any(|n| n.contains("counted, not timed")), "{:?}", whole.notes);
}

#[test]
fn repeated_snapshots_without_times_and_every_form() {
    // Rows verbatim from the sources in tests/bundles/README.md and src/parse/netstat.rs; the
    // repetition is constructed.
    let snapshot = "Active Internet connections (w/o servers)\n\
Proto Recv-Q Send-Q Local Address Foreign Address State\n\
tcp 0 0 192.168.0.9:8181 98.175.199.140:50877 ESTABLISHED\n\
    tcp4       0      0  172.29.149.95.50093    209.41.78.13.4505      ESTABLISHED\n\
    State      Recv-Q Send-Q Local Address:Port               Peer Address:Port              \n\
    SYN-SENT   0      1      172.27.233.198:46460              10.1.1.1:8080               \n\
tcp6 0 1 [::1]:40000 [::1]:1556 SYN_SENT\n";
    let text = snapshot.repeat(3);
    let f = facts("media02/netstat.txt", text.as_bytes());
    // Each header after rows starts a snapshot: the ss header inside the paste counts as one.
    assert_eq!((f.snapshots, f.timed_snapshots), (6, 0));
    assert_eq!(f.connections.len(), 4);
    let v6 = f.connections.iter().find(|c| c.remote.port == 1556).unwrap();
    assert_eq!((v6.spans.len(), v6.spans[0].seen_ms()), (3, None));
}

#[test]
fn damaged_output_keeps_what_it_can() {
    let mut bytes =
        b"Active Connections\r\n\r\n  Proto  Local Address          Foreign Address        State\r\n".to_vec();
    bytes.extend_from_slice(b"  TCP    10.0.0.1:5000    10.0.0.2:1556    SYN_SENT\r\n");
    bytes.extend_from_slice(&[0xFF, 0x00, 0xC3, b'\n']);
    bytes.extend(std::iter::repeat_n(b'x', 5000));
    bytes.extend_from_slice(b"\n  TCP    10.0.0.1:5001    10.0.0.2:13782    SYN_SENT\r\n  TCP    10.0.0.1:50");
    let f = facts("media03/netstat.txt", &bytes);
    assert_eq!(f.connections.len(), 2);
    assert_eq!(f.connections[1].service.as_deref(), Some("bpcd"));
}

#[test]
fn connections_past_the_cap_are_counted_and_said() {
    let mut text = String::from("Active Connections\n");
    for i in 0..MAX_CONNECTIONS + 10 {
        text += &format!("  TCP    10.0.{}.{}:40000    10.9.9.9:1556    ESTABLISHED\n", i / 250, i % 250);
    }
    let whole = scan("m/netstat.txt", text.as_bytes(), 4096);
    let f = whole.netstat.as_deref().unwrap();
    assert_eq!((f.connections.len(), f.untracked_rows), (MAX_CONNECTIONS, 10));
    assert!(whole.notes.iter().any(|n| n.contains("not followed")), "{:?}", whole.notes);
}

#[test]
fn the_pbx_finding_says_netstat_confirms_it() {
    let report = common::check_equivalent(&common::load_bundle("netstat-silent-drop"));
    let pbx = common::finding(&report, "pbx-connect-timeout").expect("pbx-connect-timeout");
    assert_eq!(pbx.facts.get("netstat"), Some(&serde_json::json!("confirmed")));
    assert!(pbx.summary.contains("Confirmed by netstat") && pbx.summary.contains("media01"), "{}", pbx.summary);
    let syn = common::finding(&report, "netstat-syn-sent").expect("netstat-syn-sent");
    assert!(syn.summary.contains("Netstat ran on media01: its addresses"), "{}", syn.summary);
    let redacted = nbtriage::report::json::render(&nbtriage::redact::redact(&report).0);
    for original in ["2.2.2.2", "3.3.3.3", "media01", "myclient"] {
        assert!(!redacted.contains(original), "{original} in the redacted report");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..proptest::prelude::ProptestConfig::default() })]

    /// Any bytes after a netstat header: no panic, and the same facts at any chunking.
    #[test]
    fn any_bytes_after_a_netstat_header(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), chunk in 1usize..50) {
        let mut bytes = b"Active Connections\n".to_vec();
        bytes.extend_from_slice(&tail);
        let whole = scan("h/netstat.txt", &bytes, bytes.len());
        proptest::prop_assert_eq!(scan("h/netstat.txt", &bytes, chunk), whole);
    }
}
