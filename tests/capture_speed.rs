//! A benchmark, not a test (ignored): a 1 GiB packet capture generated here (nothing
//! committed), fed through `FileScanner` in 8 MiB chunks. 64 MiB of full-size frames
//! (1,514-byte Ethernet frames of 4,096 connections, with handshakes, data, ACKs) are generated
//! once and fed 16 times after one pcap header; frames seen again count as retransmissions, the
//! same work per frame. Prints `capture <bytes> bytes, median <ms> ms, <MB/s> MB/s`.
//! Run: `cargo test --release --locked --test capture_speed -- --ignored --nocapture`.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use common::capture::{self, Link, Seg, ACK, PSH, SYN};

fn records(bytes: usize) -> Vec<u8> {
    let mut segs = Vec::new();
    let server = ([10, 0, 0, 2], 13724);
    let conns = 4096u32;
    for i in 0..conns {
        let client = ([10, 1, (i >> 8) as u8, i as u8], 20000 + (i % 40000) as u16);
        segs.push(Seg::new(i64::from(i), client, server, SYN).seq(0, 0));
        segs.push(Seg::new(i64::from(i), server, client, SYN | ACK).seq(0, 1));
    }
    let mut seq = vec![1u32; conns as usize];
    let mut out =
        capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &segs), false, false, 65535)[24..].to_vec();
    let mut i = 0usize;
    while out.len() < bytes {
        let c = i % conns as usize;
        let client = ([10, 1, (c >> 8) as u8, c as u8], 20000 + (c % 40000) as u16);
        let us = 1_000_000 + i as i64;
        let data = Seg::new(us, client, server, ACK | PSH).seq(seq[c], 1).len(1460);
        let ack = Seg::new(us, server, client, ACK).seq(1, seq[c] + 1460);
        seq[c] += 1460;
        let frames = if i % 4 == 3 { vec![data, ack] } else { vec![data] };
        out.extend_from_slice(
            &capture::pcap(Link::Ethernet, &capture::frames(Link::Ethernet, &frames), false, false, 65535)[24..],
        );
        i += 1;
    }
    out
}

#[test]
#[ignore = "a benchmark"]
fn capture_speed() {
    let body = records(64 << 20);
    let header = capture::pcap(Link::Ethernet, &[], false, false, 65535);
    let total = header.len() + body.len() * 16;
    let mut runs = Vec::new();
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let mut s = nbtriage::facts::scanner::FileScanner::new("media01/capture/big.pcap");
        s.feed(&header);
        for _ in 0..16 {
            for chunk in body.chunks(8 << 20) {
                s.feed(chunk);
            }
        }
        let f = s.finish();
        runs.push(start.elapsed().as_secs_f64() * 1000.0);
        let c = f.capture.expect("a capture");
        assert_eq!(c.connections.len(), 4096);
        assert!(c.stop.is_none());
    }
    runs.sort_by(f64::total_cmp);
    let ms = runs[1];
    println!("capture {total} bytes, median {ms:.0} ms, {:.0} MB/s", total as f64 / 1e6 / (ms / 1000.0));
}
