//! nbtriage: reads NetBackup debug logs from several hosts and explains why a job failed.
//!
//! The core does no I/O. Callers feed each file's bytes in chunks of any size and get a
//! [`Report`] back; see `ARCHITECTURE.md` for the pipeline and its invariants.
//!
//! ```
//! let line = b"17:49:54.006 [5592.5372] <2> vnet_async_connect: ... 0: connect in progress: 1\n";
//! let mut analysis = nbtriage::Analysis::new();
//! let file = analysis.add_file("media01/bpbrm/060311.log");
//! analysis.feed(file, line);
//! // Evidence lines are read back from the files; here they are in memory.
//! let mut files = nbtriage::MemorySource::default();
//! files.insert("media01/bpbrm/060311.log", line.to_vec());
//! let report = analysis.finish(&mut files);
//! assert_eq!(report.files[0].process.as_deref(), Some("bpbrm"));
//! ```

// The core's promises, checked by the build (ARCHITECTURE.md, invariants 1 and 4): outside
// tests it prints nothing, reads and writes no files, and does not panic on purpose. The shells
// (`src/main.rs`, `src/web`) are where I/O lives; `tests/tidy.rs` checks the lines between them.
#![cfg_attr(
    not(test),
    deny(
        clippy::print_stdout,
        clippy::print_stderr,
        clippy::dbg_macro,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::disallowed_methods,
        clippy::disallowed_types
    )
)]

pub mod analysis;
pub mod archive;
pub mod catalogue;
pub mod correlate;
pub mod facts;
pub mod generate;
pub mod input;
pub mod item;
pub mod knowledge;
pub mod numbers;
pub mod order;
pub mod parse;
pub mod redact;
pub mod report;
pub mod rules;
pub mod viewer;
pub mod vocab;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use analysis::MemorySource;
pub use analysis::{analyze, Analysis, FileId};
pub use facts::scanner::FileScanner;
pub use facts::FileFacts;
pub use input::LineSource;
pub use report::{Evidence, Finding, Report, Severity};
