//! The bounded-memory invariant (ARCHITECTURE.md, invariant 3) tested, not only benchmarked: the
//! scanner's caps are one `Limits` value, and at `Limits::TINY` every cap is reached by some
//! fixture bundle while every bundle still gives the same report at every chunk size and file
//! order.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use common::{bundle_names, check_equivalent_within, load_bundle};
use nbtriage::facts::limits::{Cap, CapsReached, Limits};
use nbtriage::item::ItemScanner;

/// The caps each file of a bundle reached, scanned within `limits`.
fn caps_of(files: &[(String, Vec<u8>)], limits: Limits) -> CapsReached {
    let mut reached = CapsReached::default();
    for (path, bytes) in files {
        let mut scanner = ItemScanner::new(path.clone(), None).with_limits(limits);
        scanner.feed(bytes);
        for (facts, _) in scanner.finish() {
            reached = reached.union(facts.caps_reached);
        }
    }
    reached
}

/// Two threads of a media server's bpbrm each starting a connect before either gets through (the
/// lines of the seed technote's bpbrm log, two threads interleaved): the fixtures' connects come
/// one thread at a time, so this is what follows more than one open connect at once.
const INTERLEAVED_CONNECTS: &str = "\
17:50:14.939 [2172.4736] <2> is_pbxable_server: ... 0: service: 57287
17:50:14.940 [2172.4737] <2> is_pbxable_server: ... 0: service: 57276
17:50:14.941 [2172.4736] <2> vnet_async_connect: ... 0: connect in progress: 1 0x00000001
17:50:14.942 [2172.4737] <2> vnet_async_connect: ... 0: connect in progress: 1 0x00000001
17:50:24.943 [2172.4736] <2> vnet_async_connect: ... 0: connect: async CONNECT FROM 127.0.0.1.57288 TO 127.0.0.1.57287 fd = 396
17:50:24.944 [2172.4737] <2> vnet_async_connect: ... 0: connect: async CONNECT FROM 127.0.0.1.57289 TO 127.0.0.1.57276 fd = 397
";

#[test]
fn every_cap_is_reached_by_some_bundle_at_tiny_limits() {
    let interleaved = [("media01/bpbrm/log.060311".to_string(), INTERLEAVED_CONNECTS.as_bytes().to_vec())];
    let mut reached = caps_of(&interleaved, Limits { queued_events: 8, ..Limits::TINY });
    assert!(reached.contains(Cap::OpenConnects), "the interleaved connects follow two threads");
    for name in bundle_names() {
        reached = reached.union(caps_of(&load_bundle(&name), Limits::TINY));
    }
    let missed: Vec<Cap> = Cap::ALL.into_iter().filter(|&cap| !reached.contains(cap)).collect();
    assert!(missed.is_empty(), "no fixture bundle reaches {missed:?} at Limits::TINY: add one, or lower the limit");
}

#[test]
fn the_fixtures_stay_within_the_default_limits() {
    // At the default limits the fixtures are small: a cap reached here would mean a bundle's
    // report depends on a limit, which the bundle tests do not mean to test.
    for name in bundle_names() {
        let reached = caps_of(&load_bundle(&name), Limits::DEFAULT);
        let hit: Vec<Cap> = Cap::ALL.into_iter().filter(|&cap| reached.contains(cap)).collect();
        // A long line is cut and two threads may share a slot of the silence table whatever the
        // file's size: those two are allowed.
        let allowed = [Cap::LineBytes, Cap::ThreadSlots];
        assert!(hit.iter().all(|c| allowed.contains(c)), "{name} reaches {hit:?} at the default limits");
    }
}

#[test]
fn every_bundle_is_chunk_and_order_equivalent_at_tiny_limits() {
    let names = bundle_names();
    assert!(names.len() > 20, "{names:?}");
    for name in names {
        let report = check_equivalent_within(&load_bundle(&name), Limits::TINY);
        assert!(!report.files.is_empty(), "{name}");
    }
}
