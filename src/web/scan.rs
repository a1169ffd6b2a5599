//! Reading dropped files in slices and feeding them to the core, inside a worker.
//!
//! A whole file is read through its byte stream with a BYOB ("bring your own buffer") reader
//! into one buffer that goes back and forth between the stream and us: no new `ArrayBuffer` per
//! slice. With `FileReaderSync`, each 8 MiB slice was a new buffer that the garbage collector
//! freed late, and Chromium's resident memory grew by 330-540 MiB over a 1 GiB bundle (80-90
//! MiB this way, and faster; measured in BENCHMARKS.md). `FileReaderSync` is still used where
//! the caller cannot wait: small reads (a window of lines for the viewer, an evidence line),
//! gathering evidence lines inside archives, and as a fallback where a file's stream has no
//! BYOB reader.
//!
//! An archive's files are read back by seeking in the archive ([`FileBytes`]) through the map
//! the scan made of it ([`crate::archive::ArchiveMap`]): in place, or inflated from the restart
//! point before the range.

use crate::archive::{ArchiveBytes, ArchiveMap, ReadCache};
use crate::facts::line_index::TimeDetail;
use crate::item::{ArchiveLines, ItemScanner, Scanned};
use js_sys::{ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileReaderSync, ReadableStreamByobReader};

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

/// Reads `file` from start to end in slices of [`SLICE`] bytes through one reused buffer,
/// calling `each` with every slice and `on_bytes(done)` with the bytes read so far after it.
/// An error ends the reading and is returned as a note for the file.
pub async fn stream_slices(
    file: &File,
    mut each: impl FnMut(&[u8]),
    mut on_bytes: impl FnMut(f64),
) -> Result<(), String> {
    let Ok(reader) = ReadableStreamByobReader::new(&file.stream()) else {
        return read_slices(file, each, on_bytes);
    };
    let size = SLICE as u32;
    let mut buffer = ArrayBuffer::new(size);
    let mut slice = Vec::new();
    let mut done_bytes = 0.0;
    loop {
        // Fill the buffer: each read hands it to the stream and gives it back, filled further.
        let (mut filled, mut ended) = (0u32, false);
        while filled < size && !ended {
            let view = Uint8Array::new_with_byte_offset_and_length(&buffer, filled, size - filled);
            let result = JsFuture::from(reader.read_with_array_buffer_view(&view)).await.map_err(|e| failed(&e))?;
            ended = Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
            if let Some(value) =
                Reflect::get(&result, &"value".into()).ok().and_then(|v| v.dyn_into::<Uint8Array>().ok())
            {
                buffer = value.buffer();
                filled += value.byte_length();
            }
        }
        if filled > 0 {
            slice.resize(filled as usize, 0);
            Uint8Array::new_with_byte_offset_and_length(&buffer, 0, filled).copy_to(&mut slice);
            each(&slice);
            done_bytes += f64::from(filled);
            on_bytes(done_bytes);
        }
        if ended {
            return Ok(());
        }
    }
}

/// Like [`stream_slices`], with `FileReaderSync`: for callers that cannot wait (evidence
/// lines inside archives), and where a stream has no BYOB reader.
pub fn read_slices(file: &File, mut each: impl FnMut(&[u8]), mut on_bytes: impl FnMut(f64)) -> Result<(), String> {
    let mut buffer = Vec::new();
    let size = file.size();
    let mut at = 0.0;
    while at < size {
        let end = (at + SLICE).min(size);
        read_into(file, at, end, &mut buffer).map_err(|e| failed(&e))?;
        each(&buffer);
        at = end;
        on_bytes(at);
    }
    Ok(())
}

/// The note for a file whose reading stopped with `error`.
fn failed(error: &JsValue) -> String {
    format!("Reading stopped with an error: {}. The part read so far is analyzed.", describe(error))
}

/// Scans one dropped file (an archive: each file in it), calling `on_bytes(done)` with the
/// bytes read so far after each slice; `detail` is the viewer's line index's, and an archive's
/// files keep every line's time for `every_line_bytes` unpacked (see `ItemScanner::with_budget`).
pub async fn scan_file(
    path: &str,
    file: &File,
    detail: TimeDetail,
    every_line_bytes: f64,
    on_bytes: impl FnMut(f64),
) -> Scanned {
    let mut scanner =
        ItemScanner::new(path.to_string(), Some(detail)).with_budget(every_line_bytes as u64, file.size() as u64);
    if let Err(note) = stream_slices(file, |slice| scanner.feed(slice), on_bytes).await {
        scanner.note(note);
    }
    scanner.finish()
}

/// An archive as stored in a `File`, read by offset.
pub struct FileBytes<'a>(pub &'a File);

impl ArchiveBytes for FileBytes<'_> {
    fn read(&mut self, start: u64, end: u64) -> Option<Vec<u8>> {
        let size = self.0.size();
        let (start, end) = ((start as f64).min(size), (end as f64).min(size));
        read(self.0, start, end).ok()
    }
}

/// A dropped archive whose files are read back through its map.
pub struct OpenArchive {
    /// The archive's path, as its files' paths start (`<path>/<path inside>`).
    pub path: String,
    pub file: File,
    pub map: ArchiveMap,
    pub cache: ReadCache,
}

impl OpenArchive {
    /// Bytes `start..end` of entry `entry`.
    pub fn read(&mut self, entry: usize, start: u64, end: u64) -> Option<Vec<u8>> {
        self.map.read(entry, start, end, &mut FileBytes(&self.file), &mut self.cache)
    }

    /// The entry at `path` (`<archive path>/<path inside>`), the first if several share it.
    pub fn entry(&self, path: &str) -> Option<usize> {
        let inside = path.strip_prefix(self.path.as_str())?.strip_prefix('/')?;
        self.map.entries.iter().position(|e| e.path == inside)
    }
}

/// Reads evidence lines back from the dropped files; lines inside archives are read through
/// their maps, or caught by streaming an archive once more when it has none.
pub struct FileSource<'a> {
    pub files: &'a [(String, File)],
    pub archives: ArchiveLines,
    pub opened: &'a mut [OpenArchive],
    /// Plain files' evidence, read a cluster at a time in `prepare`.
    pub ahead: crate::analysis::ReadAhead,
}

impl FileSource<'_> {
    fn opened(&mut self, path: &str) -> Option<(&mut OpenArchive, usize)> {
        let archive = self.opened.iter_mut().find(|a| a.entry(path).is_some())?;
        let entry = archive.entry(path)?;
        Some((archive, entry))
    }
}

impl crate::LineSource for FileSource<'_> {
    fn prepare(&mut self, wanted: &[(String, u64)]) {
        let wanted: Vec<(String, u64)> =
            wanted.iter().filter(|(path, _)| self.opened(path).is_none()).cloned().collect();
        for (path, file) in self.files {
            let offsets = wanted.iter().filter(|(p, _)| p == path).map(|&(_, offset)| offset);
            for (start, end) in crate::analysis::ReadAhead::plan(offsets) {
                let (from, to) = ((start as f64).min(file.size()), (end as f64).min(file.size()));
                if let Ok(bytes) = read(file, from, to) {
                    self.ahead.keep(path, (start, end), bytes);
                }
            }
        }
        let names: Vec<&str> = self.files.iter().map(|(path, _)| path.as_str()).collect();
        let files = self.files;
        self.archives.gather(&wanted, &names, |i, each| {
            let _ = read_slices(&files[i].1, each, |_| {});
        });
    }

    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        if let Some(bytes) = self.ahead.read_at(path, offset, len) {
            return Some(bytes);
        }
        if let Some((_, file)) = self.files.iter().find(|(p, _)| p == path) {
            let start = offset as f64;
            return read(file, start, (start + len as f64).min(file.size())).ok();
        }
        if let Some((archive, entry)) = self.opened(path) {
            return archive.read(entry, offset, offset + len as u64);
        }
        self.archives.read_at(path, offset, len)
    }
}

pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
