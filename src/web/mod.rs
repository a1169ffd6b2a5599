//! The web page: a thin layer over the core. `app` runs on the main thread and only renders;
//! `worker` runs in a Web Worker, owns the dropped `File`s, feeds them to the core in slices and
//! answers the viewer's requests for windows of lines. Log text reaches the DOM only through
//! `dom::text` (text nodes and `textContent`), never as HTML.

// A shell, not the core: an element of its own page that is missing is a programming error the
// e2e tests catch, so the page may stop there (src/lib.rs denies these for the core).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod app;
mod clipboard;
mod dom;
mod input;
mod parallel;
pub mod protocol;
mod redaction;
mod render;
mod scan;
mod spawn;
mod state;
pub mod worker;
mod worker_scope;
