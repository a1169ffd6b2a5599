//! Where files come from: the file picker, the folder picker, drag and drop (files and whole
//! folders), and the built-in sample. Each source ends in a list of (path, File).

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

/// The seed technote's logs, as collected from the two hosts (the same bytes as
/// `tests/bundles/seed-technote`).
pub(crate) const SAMPLE: &[(&str, &[u8])] = &[
    ("media01/bpbrm/060311.log", include_bytes!("../../tests/bundles/seed-technote/media01/bpbrm/060311.log")),
    ("myclient/bpcd/060311.log", include_bytes!("../../tests/bundles/seed-technote/myclient/bpcd/060311.log")),
    ("myclient/vnetd/060311.log", include_bytes!("../../tests/bundles/seed-technote/myclient/vnetd/060311.log")),
];

pub fn sample() -> Vec<(String, File)> {
    SAMPLE
        .iter()
        .filter_map(|(path, bytes)| {
            let parts = Array::of1(&Uint8Array::from(*bytes));
            let name = path.rsplit('/').next().unwrap_or(path);
            File::new_with_u8_array_sequence(&parts, name).ok().map(|f| (path.to_string(), f))
        })
        .collect()
}

/// The name pasted text gets as a file.
pub const PASTED_NAME: &str = "pasted text.txt";

/// Pasted text, as a file: the core tells from the lines what it is.
pub fn pasted(text: &str) -> Option<(String, File)> {
    let parts = Array::of1(&wasm_bindgen::JsValue::from_str(text));
    File::new_with_str_sequence(&parts, PASTED_NAME).ok().map(|f| (PASTED_NAME.to_string(), f))
}

/// Files from an `<input type=file>`: with a folder picker they carry `webkitRelativePath`
/// (`case/media01/bpbrm/log.060311`), otherwise only their names.
pub fn from_file_list(list: &FileList) -> Vec<(String, File)> {
    let files: Vec<File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    let paths = files
        .iter()
        .map(|f| {
            let relative = Reflect::get(f, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string());
            relative.filter(|p| !p.is_empty()).unwrap_or_else(|| f.name())
        })
        .collect();
    unique(paths).into_iter().zip(files).collect()
}

/// Files and folders dropped on the page. Folder entries are walked (their paths kept); the
/// entries must be taken during the drop event, the walk happens after it.
pub async fn from_drop(transfer: DataTransfer) -> Vec<(String, File)> {
    let items = transfer.items();
    let entries: Vec<FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i))
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect();
    if entries.is_empty() {
        return transfer.files().map(|list| from_file_list(&list)).unwrap_or_default();
    }
    let mut found = Vec::new();
    for entry in entries {
        walk(entry, &mut found).await;
    }
    let (paths, files): (Vec<String>, Vec<File>) = found.into_iter().unzip();
    unique(paths).into_iter().zip(files).collect()
}

/// Walks a dropped entry; a folder's entries come in batches until an empty one.
async fn walk(root: FileSystemEntry, out: &mut Vec<(String, File)>) {
    let mut stack = vec![root];
    while let Some(entry) = stack.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_file() {
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            let promise = js_sys::Promise::new(&mut |resolve, reject| {
                file_entry.file_with_callback_and_callback(&resolve, &reject)
            });
            if let Ok(file) = JsFuture::from(promise).await {
                if let Ok(file) = file.dyn_into::<File>() {
                    out.push((path, file));
                }
            }
        } else if entry.is_directory() {
            let reader = entry.unchecked_into::<FileSystemDirectoryEntry>().create_reader();
            loop {
                let promise = js_sys::Promise::new(&mut |resolve, reject| {
                    reader.read_entries_with_callback_and_callback(&resolve, &reject).ok();
                });
                let Ok(batch) = JsFuture::from(promise).await else { break };
                let batch = Array::from(&batch);
                if batch.length() == 0 {
                    break;
                }
                stack.extend(batch.iter().filter_map(|e| e.dyn_into::<FileSystemEntry>().ok()));
            }
        }
    }
    crate::order::sort_by(out, |a, b| a.0.cmp(&b.0));
}

/// Makes paths unique: files of the same name from different folders must not collide. A
/// repeated name gets ` (2)`, ` (3)` before its extension, which the core ignores when reading
/// dates from names; process and host then come from the lines.
pub fn unique(paths: Vec<String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::with_capacity(paths.len());
    for path in paths {
        let mut candidate = path.clone();
        let mut n = 2;
        while seen.contains(&candidate) {
            candidate = match path.rsplit_once('.') {
                Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => format!("{stem} ({n}).{ext}"),
                _ => format!("{path} ({n})"),
            };
            n += 1;
        }
        seen.push(candidate);
    }
    seen
}

/// The `{type: "analyze", files, paths, workers, per_block_times}` message (File objects cannot go
/// through serde).
pub fn analyze_message(files: &[(String, File)], workers: usize, per_block_times: bool) -> JsValue {
    let message = js_sys::Object::new();
    let _ = Reflect::set(&message, &"workers".into(), &(workers as f64).into());
    let _ = Reflect::set(&message, &"per_block_times".into(), &per_block_times.into());
    let _ = Reflect::set(&message, &"type".into(), &"analyze".into());
    let _ = Reflect::set(&message, &"files".into(), &files.iter().map(|(_, f)| JsValue::from(f)).collect::<Array>());
    let _ = Reflect::set(&message, &"paths".into(), &files.iter().map(|(p, _)| JsValue::from(p)).collect::<Array>());
    message.into()
}
