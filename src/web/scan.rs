//! Reading dropped files in slices and feeding them to the core, inside a worker.

use crate::facts::line_index::LineIndex;
use crate::facts::scanner::FileScanner;
use crate::facts::FileFacts;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, FileReaderSync};

/// Slice size: large enough for full speed, small enough for smooth progress and flat memory.
pub const SLICE: f64 = 8.0 * 1024.0 * 1024.0;

/// Reads `start..end` of `file` into `buffer` (reused between reads, so no allocation per slice).
pub fn read_into(file: &File, start: f64, end: f64, buffer: &mut Vec<u8>) -> Result<(), JsValue> {
    let blob = file.slice_with_f64_and_f64(start, end)?;
    let bytes: JsValue = FileReaderSync::new()?.read_as_array_buffer(&blob)?.into();
    let array = js_sys::Uint8Array::new(&bytes);
    buffer.resize(array.length() as usize, 0);
    array.copy_to(buffer);
    Ok(())
}

pub fn read(file: &File, start: f64, end: f64) -> Result<Vec<u8>, JsValue> {
    let mut buffer = Vec::new();
    read_into(file, start, end, &mut buffer)?;
    Ok(buffer)
}

/// Scans one file, calling `on_bytes(done)` with the bytes read so far after each slice.
pub fn scan_file(path: &str, file: &File, mut on_bytes: impl FnMut(f64)) -> (FileFacts, Option<LineIndex>) {
    let mut scanner = FileScanner::with_line_index(path.to_string());
    let mut buffer = Vec::new();
    let size = file.size();
    let mut at = 0.0;
    while at < size {
        let end = (at + SLICE).min(size);
        if let Err(e) = read_into(file, at, end, &mut buffer) {
            scanner.note(format!("Reading stopped with an error: {}. The part read so far is analyzed.", describe(&e)));
            break;
        }
        scanner.feed(&buffer);
        at = end;
        on_bytes(at);
    }
    scanner.finish_with_index()
}

/// Reads evidence lines back from the dropped files.
pub struct FileSource<'a>(pub &'a [(String, File)]);

impl crate::LineSource for FileSource<'_> {
    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        let (_, file) = self.0.iter().find(|(p, _)| p == path)?;
        let start = offset as f64;
        read(file, start, (start + len as f64).min(file.size())).ok()
    }
}

pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
