//! Reading dropped files in slices and feeding them to the core, inside a worker.

use crate::item::{ArchiveLines, ItemScanner, Scanned};
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

/// Reads `file` in slices, calling `each` with every slice and `on_bytes(done)` with the bytes
/// read so far after it. An error ends the reading and is returned as a note for the file.
fn read_slices(file: &File, mut each: impl FnMut(&[u8]), mut on_bytes: impl FnMut(f64)) -> Result<(), String> {
    let mut buffer = Vec::new();
    let size = file.size();
    let mut at = 0.0;
    while at < size {
        let end = (at + SLICE).min(size);
        if let Err(e) = read_into(file, at, end, &mut buffer) {
            return Err(format!("Reading stopped with an error: {}. The part read so far is analyzed.", describe(&e)));
        }
        each(&buffer);
        at = end;
        on_bytes(at);
    }
    Ok(())
}

/// Scans one dropped file (an archive: each file in it), calling `on_bytes(done)` with the
/// bytes read so far after each slice.
pub fn scan_file(path: &str, file: &File, on_bytes: impl FnMut(f64)) -> Scanned {
    let mut scanner = ItemScanner::new(path.to_string(), true);
    if let Err(note) = read_slices(file, |slice| scanner.feed(slice), on_bytes) {
        scanner.note(note);
    }
    scanner.finish()
}

/// Reads evidence lines back from the dropped files; lines inside archives are caught by
/// streaming each archive once more.
pub struct FileSource<'a> {
    pub files: &'a [(String, File)],
    pub archives: ArchiveLines,
}

impl crate::LineSource for FileSource<'_> {
    fn prepare(&mut self, wanted: &[(String, u64)]) {
        let names: Vec<&str> = self.files.iter().map(|(path, _)| path.as_str()).collect();
        let files = self.files;
        self.archives.gather(wanted, &names, |i, each| {
            let _ = read_slices(&files[i].1, each, |_| {});
        });
    }

    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        let Some((_, file)) = self.files.iter().find(|(p, _)| p == path) else {
            return self.archives.read_at(path, offset, len);
        };
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
