//! How the core reads evidence lines back from the caller's files: it keeps only a line's
//! file, number and byte offset, and the caller, which owns the files, reads them.

/// Reads back the bytes of a file from a byte offset: at least up to the end of the line there,
/// or `report::EVIDENCE_TEXT_MAX` bytes (more is fine). The core never opens files itself.
pub trait LineSource {
    /// Called once with every (path, offset) that will be read, before the reads: a source
    /// that must stream to get there (a file inside an archive) gets them all in one pass.
    fn prepare(&mut self, _wanted: &[(String, u64)]) {}
    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>>;
}
