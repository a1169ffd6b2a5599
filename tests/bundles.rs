//! Every fixture bundle: the same report at every chunk size and file order, and a snapshot of
//! that report (JSON and text). `cargo insta review` accepts intended changes.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use nbtriage::report::{json, text};

#[test]
fn every_bundle_matches_its_snapshot_at_every_chunking() {
    let names = common::bundle_names();
    assert!(names.len() >= 6, "bundles: {names:?}");
    for name in names {
        let files = common::load_bundle(&name);
        let report = common::check_equivalent(&files);
        insta::assert_snapshot!(format!("{name}.json"), json::render(&report));
        insta::assert_snapshot!(format!("{name}.txt"), text::render(&report));
    }
}
