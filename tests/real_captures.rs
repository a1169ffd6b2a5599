//! Real packet captures: loopback traffic that `tests/captures/record.py` records with tcpdump (a
//! refused port over IPv4 and IPv6, a silent drop by a full accept queue, a SYN dropped by an
//! nftables rule, a stalled reader, an idle connection reset, a bulk transfer), read by the release
//! CLI (its findings) and by the library (each connection's facts, the same at every chunking),
//! checked against what each scenario did and, when tshark was there, against Wireshark's own
//! counts. Runs when `NBTRIAGE_REAL_CAPTURES` names the folder the script wrote
//! (`tests/captures/run`, a step of `tests/run-all`); otherwise it says so. Nothing captured is
//! committed.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

use nbtriage::facts::capture::{CaptureFacts, TcpConnection};
use nbtriage::facts::scanner::FileScanner;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One recorded scenario: its folder (one capture), what the script says it did, the kernel's.
struct Scenario {
    dir: PathBuf,
    did: Value,
    kernel: Value,
}

fn scenario(name: &str) -> Option<Scenario> {
    let Ok(root) = std::env::var("NBTRIAGE_REAL_CAPTURES") else {
        eprintln!("NBTRIAGE_REAL_CAPTURES is not set: no real capture to check (tests/captures/run records them)");
        return None;
    };
    let root = PathBuf::from(root);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).expect("manifest.json")).expect("JSON");
    Some(Scenario {
        dir: root.join(name),
        did: manifest["scenarios"][name].clone(),
        kernel: manifest["kernel"].clone(),
    })
}

impl Scenario {
    fn port(&self) -> u16 {
        self.did["port"].as_u64().expect("port") as u16
    }

    /// The capture's facts, the same whatever the chunk size.
    fn facts(&self) -> CaptureFacts {
        let path = std::fs::read_dir(&self.dir).expect("folder").next().expect("a capture").expect("entry").path();
        let bytes = std::fs::read(&path).expect("capture");
        let scan = |chunk: usize| {
            let mut s = FileScanner::new(path.to_string_lossy());
            for c in bytes.chunks(chunk.max(1)) {
                s.feed(c);
            }
            s.finish()
        };
        let whole = scan(bytes.len());
        for chunk in [1, 7, 100] {
            assert_eq!(scan(chunk), whole, "chunk {chunk}");
        }
        *whole.capture.expect("read as a capture")
    }

    /// The connection to the scenario's port from a client port not in `except`.
    fn connection<'a>(&self, facts: &'a CaptureFacts, except: Option<u16>) -> &'a TcpConnection {
        let mut to_port =
            facts.connections.iter().filter(|c| c.server.port == self.port() && Some(c.client.port) != except);
        let c = to_port.next().expect("the scenario's connection");
        assert!(to_port.next().is_none(), "one connection of the scenario");
        c
    }

    /// The report of the release CLI (`NBTRIAGE_BIN`, else the test build's) on the folder.
    fn report(&self) -> Value {
        let bin = std::env::var("NBTRIAGE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_nbtriage").into());
        let out =
            Command::new(bin).args(["analyze", "--format", "json"]).arg(&self.dir).output().expect("run nbtriage");
        serde_json::from_slice(&out.stdout).expect("one JSON report")
    }

    /// Wireshark's count of `what` in segments sent from `port`; None when tshark was not there.
    fn tshark(&self, what: &str, port: u16) -> Option<u64> {
        let counts = self.did["tshark"].as_object()?;
        Some(counts[what].get(port.to_string()).and_then(Value::as_u64).unwrap_or(0))
    }

    fn ttl(&self) -> u8 {
        self.kernel["ttl"].as_u64().expect("ttl") as u8
    }
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"].as_array().expect("findings").iter().filter(|f| f["rule"] == rule).collect()
}

fn secs(us: i64) -> f64 {
    us as f64 / 1e6
}

#[test]
fn a_refused_port_is_a_reset_from_the_peer() {
    let Some(s) = scenario("refused") else { return };
    let facts = s.facts();
    assert_eq!(facts.connections.len(), 1);
    let c = s.connection(&facts, None);
    assert_eq!((c.syns, c.syn_ack_us, c.resets), (1, None, [0, 1]), "one SYN, answered by the peer's reset");
    assert_eq!(c.reset_ttl, Some(s.ttl()));
    assert!(c.handshake_rtt_us.is_none());
    if let Some(resets) = s.tshark("reset", s.port()) {
        assert_eq!((resets, s.tshark("syn", c.client.port)), (1, Some(1)), "tshark: one SYN, one reset from the port");
    }
    let report = s.report();
    let found = findings(&report, "capture-handshake");
    assert_eq!(found.len(), 1, "{report:#}");
    let f = &found[0]["facts"];
    assert_eq!((f["seen"].as_str(), f["syns"].as_u64(), f["port"].as_u64()), (Some("reset"), Some(1), Some(1556)));
    assert_eq!((f["connections"].as_u64(), f["reset_ttl"].as_u64()), (Some(1), Some(u64::from(s.ttl()))));
    assert!(found[0]["summary"].as_str().unwrap().contains("refused (a TCP reset)"));
    assert_eq!(report["verdict"], "cause-found");
}

#[test]
fn a_refused_port_over_ipv6() {
    let Some(s) = scenario("refused6") else { return };
    if let Some(why) = s.did["skipped"].as_str() {
        eprintln!("The IPv6 refusal was not recorded: {why}.");
        return;
    }
    let facts = s.facts();
    let c = s.connection(&facts, None);
    assert_eq!((c.client.ip.to_string(), c.server.to_string()), ("::1".into(), "::1.1556".into()));
    assert_eq!((c.syns, c.syn_ack_us, c.resets), (1, None, [0, 1]));
    assert_eq!(c.reset_ttl.map(u64::from), s.did["hop_limit"].as_u64(), "the reset's hop limit");
    let report = s.report();
    let found = findings(&report, "capture-handshake");
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!((found[0]["facts"]["seen"].as_str(), found[0]["facts"]["syns"].as_u64()), (Some("reset"), Some(1)));
}

#[test]
fn a_full_accept_queue_drops_the_syn_in_silence() {
    let Some(s) = scenario("drop") else { return };
    let facts = s.facts();
    let filler = s.did["filler_port"].as_u64().expect("filler_port") as u16;
    silent_drop(&s, s.connection(&facts, Some(filler)));
    // The connection that filled the queue completed its handshake: it is no drop.
    let queued = facts.connections.iter().find(|c| c.client.port == filler).expect("the filler");
    assert!(queued.syn_ack_us.is_some());
}

#[test]
fn a_firewall_rule_drops_the_syn_in_silence() {
    let Some(s) = scenario("firewall") else { return };
    if let Some(why) = s.did["skipped"].as_str() {
        eprintln!("The firewall scenario was not recorded: {why}.");
        return;
    }
    let facts = s.facts();
    assert_eq!(facts.connections.len(), 1);
    silent_drop(&s, s.connection(&facts, None));
    assert!(matches!(s.tshark("syn", s.port()), Some(0) | None), "tshark: nothing from the port");
}

/// SYNs sent on the kernel's schedule until the client's timeout, nothing back; the report's
/// `capture-handshake` says so.
fn silent_drop(s: &Scenario, c: &TcpConnection) {
    let schedule: Vec<f64> =
        s.kernel["syn_schedule_s"].as_array().expect("schedule").iter().filter_map(Value::as_f64).collect();
    assert_eq!(c.syns as usize, schedule.len(), "SYNs within the kernel's schedule {schedule:?}");
    assert_eq!((c.syn_ack_us, c.resets, c.segments), (None, [0, 0], u64::from(c.syns)), "no answer at all");
    let span = secs(c.last_syn_us.unwrap() - c.first_syn_us.unwrap());
    let expected = schedule.last().copied().unwrap_or(0.0);
    assert!((expected..expected + 0.4).contains(&span), "last SYN {span} s after the first, schedule {expected} s");
    if let Some(again) = s.tshark("retransmission", c.client.port) {
        assert_eq!(again, u64::from(c.syn_retransmissions()), "tshark's retransmissions are the SYNs sent again");
    }
    let report = s.report();
    let found = findings(&report, "capture-handshake");
    assert_eq!(found.len(), 1, "{report:#}");
    let f = &found[0]["facts"];
    assert_eq!((f["seen"].as_str(), f["connections"].as_u64()), (Some("no-answer"), Some(1)));
    assert_eq!((f["syns"].as_u64(), f["port"].as_u64()), (Some(schedule.len() as u64), Some(u64::from(s.port()))));
    assert!(found[0]["summary"].as_str().unwrap().contains("never answered (a silent drop)"));
}

#[test]
fn a_stalled_reader_holds_its_window_closed() {
    let Some(s) = scenario("stall") else { return };
    let facts = s.facts();
    let c = s.connection(&facts, None);
    assert!(c.syn_ack_us.is_some(), "the handshake completed");
    // The server (side 1) stopped reading: its window went to zero once and stayed closed
    // until its reset ended the connection.
    assert_eq!(c.zero_windows, [0, 1]);
    assert!(c.zero_since_us[1].is_some() && c.zero_since_us[0].is_none(), "still closed at the end");
    let stall = s.did["stall_s"].as_f64().expect("stall_s");
    let held = secs(c.longest_zero_us[1]);
    assert!((stall - 0.5..stall + 1.5).contains(&held), "held {held} s for a {stall} s stall");
    // The client's kernel probed the closed window (at least twice in 3 s: the probe timer
    // starts near 200 ms and doubles), never a keepalive, never a retransmission.
    assert!(c.window_probes[0] >= 2, "probes {:?}", c.window_probes);
    assert_eq!((c.keepalives, c.retransmissions, c.window_probes[1]), ([0, 0], [0, 0], 0));
    assert_eq!((c.resets, c.fins[1]), ([0, 1], 0), "the server reset the connection, data unread");
    if let Some(zero) = s.tshark("zero_window", s.port()) {
        assert!(zero >= 1);
        assert_eq!(s.tshark("zero_window", c.client.port), Some(0));
        // Linux's probe carries no byte: Wireshark calls it a keepalive, nbtriage a probe.
        assert_eq!(s.tshark("keep_alive", c.client.port), Some(u64::from(c.window_probes[0])));
        assert_eq!(s.tshark("retransmission", c.client.port), Some(0));
    }
    let report = s.report();
    // A stall of seconds is under capture-zero-window's 30 s: no finding, no verdict from it.
    assert!(findings(&report, "capture-zero-window").is_empty(), "{report:#}");
    assert!(findings(&report, "capture-handshake").is_empty());
    let notes = report["files"][0]["notes"].to_string();
    assert!(notes.contains("1 TCP connection followed") && notes.contains("cut by the snap length"), "{notes}");
}

#[test]
fn an_idle_connection_reset_by_the_server() {
    let Some(s) = scenario("idle") else { return };
    let facts = s.facts();
    let c = s.connection(&facts, None);
    assert!(c.syn_ack_us.is_some());
    assert_eq!((c.resets, c.fins), ([0, 1], [0, 0]), "SO_LINGER 0: a reset from the server, no FIN");
    assert_eq!(c.reset_ttl, Some(s.ttl()));
    let idle = s.did["idle_s"].as_f64().expect("idle_s");
    let longest = secs(c.longest_idle_us);
    assert!((idle..idle + 0.5).contains(&longest), "idle {longest} s for {idle} s");
    assert_eq!(Some(c.idle_end_us), c.first_reset_us, "the reset ended the idle gap");
    assert_eq!((c.keepalives, c.retransmissions, c.zero_windows), ([0, 0], [0, 0], [0, 0]));
    if let Some(resets) = s.tshark("reset", s.port()) {
        assert_eq!((resets, s.tshark("reset", c.client.port)), (1, Some(0)));
    }
    let report = s.report();
    // Seconds idle are under capture-idle-reset's 5 minutes.
    assert!(findings(&report, "capture-idle-reset").is_empty(), "{report:#}");
    assert!(findings(&report, "capture-handshake").is_empty());
}

#[test]
fn a_bulk_transfer_in_segments_larger_than_the_mtu_is_never_a_retransmission() {
    let Some(s) = scenario("bulk") else { return };
    let facts = s.facts();
    assert_eq!(facts.links, [276], "tcpdump -i any: Linux cooked capture v2");
    let c = s.connection(&facts, None);
    assert!(c.syn_ack_us.is_some());
    assert_eq!((c.keepalives, c.window_probes), ([0, 0], [0, 0]));
    // The offload segments must not count as retransmissions. A loss the recording really had
    // (once, in a clean-clone run on the busy machine, four) is not that: tshark flags those
    // segments too, and nbtriage may count no more than it does.
    let retransmitted = u64::from(c.retransmissions[0]) + u64::from(c.retransmissions[1]);
    match s.tshark("retransmission", c.client.port) {
        Some(flagged) if flagged > 0 => assert!(retransmitted <= flagged, "{retransmitted} against tshark's {flagged}"),
        _ => assert_eq!(c.retransmissions, [0, 0]),
    }
    assert_eq!((c.fins, c.resets), ([1, 1], [0, 0]), "each side closed with a FIN");
    // Nanosecond times read to the microsecond, in UTC: within seconds of the recording.
    let started = (s.did["started_unix"].as_f64().expect("started_unix") * 1e6) as i64;
    assert!((0..5_000_000).contains(&(c.first_us - started)), "first {} started {started}", c.first_us);
    assert!(facts.cut_frames > 0, "frames of up to 64 KiB cut at 128 bytes");
    if let Some(frames) = s.did["tshark"]["frames"].as_u64() {
        assert_eq!((facts.tcp_segments, c.segments), (frames, frames), "every frame a segment of it, as tshark");
        // tshark flags each segment with a zero window, nbtriage each time a window closed.
        let zero = s.tshark("zero_window", s.port()).unwrap_or(0);
        assert_eq!(zero > 0, c.zero_windows[1] > 0);
        assert!(u64::from(c.zero_windows[1]) <= zero);
    }
    assert!(s.report()["findings"].as_array().expect("findings").is_empty());
}

/// The folder holds what the script says: one capture per scenario, none of it committed.
#[test]
fn the_recording_is_complete() {
    let Some(s) = scenario("refused") else { return };
    let root = s.dir.parent().unwrap();
    let manifest: Value = serde_json::from_slice(&std::fs::read(root.join("manifest.json")).unwrap()).unwrap();
    for name in ["refused", "refused6", "drop", "firewall", "stall", "idle", "bulk"] {
        assert!(manifest["scenarios"].get(name).is_some(), "{name} in the manifest");
        if manifest["scenarios"][name].get("skipped").is_some() {
            continue;
        }
        let dir = root.join(name);
        let entries: Vec<_> = std::fs::read_dir(&dir).expect("folder").collect();
        assert_eq!(entries.len(), 1, "{}", dir.display());
        assert!(!Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures").join(name).exists());
    }
}
