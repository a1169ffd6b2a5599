//! Bytes in: line splitting, text-or-binary sniffing, and what a path says about a file.
//! Knows nothing of NetBackup's messages, hosts' relations or rules.

mod line_source;
pub mod lines;
pub mod path_meta;
pub mod process;
pub mod sniff;
pub mod utf16;

pub use line_source::LineSource;
