//! Scanning files in parallel: the coordinator worker starts up to one helper worker per core
//! (`navigator.hardwareConcurrency`), hands each the next file (largest first) as it becomes
//! free, adds up their progress, and collects each scanned file in a compact binary form
//! (postcard). Files are independent until `analyze`, which sorts them, so the report is the
//! same however the work was split.

use super::protocol::FromWorker;
use super::scan::{describe, scan_file};
use super::worker_scope::{post, scope, wasm_memory_bytes};
use crate::facts::line_index::TimeDetail;
use crate::item::Scanned;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

/// Progress is posted at most this often.
const PROGRESS_EVERY_MS: f64 = 100.0;

/// Where a helper worker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Helper {
    /// Started, not yet ready.
    Loading,
    /// Reading the file at this index.
    Scanning(usize),
    /// Let go: no file was left for it.
    Released,
    /// Failed to load or stopped.
    Failed,
}

/// What to do with the scanned files once all are done: the analysis worker's `finish` (files,
/// their scans, the scan's milliseconds, the helpers' WebAssembly memory).
pub type Finish = fn(Vec<(String, File)>, Vec<Scanned>, f64, f64);

struct Job {
    files: Vec<(String, File)>,
    finish: Finish,
    results: Vec<Option<Scanned>>,
    done_bytes: Vec<f64>,
    total_bytes: f64,
    queue: Vec<usize>,
    helpers: Vec<Worker>,
    helper_states: Vec<Helper>,
    /// The largest WebAssembly memory each helper reported.
    helper_memory: Vec<f64>,
    /// Per file, the time detail of the viewer's line index, and for an archive the bytes of
    /// its files whose lines keep every time.
    details: Vec<TimeDetail>,
    budgets: Vec<f64>,
    started: f64,
    last_post: f64,
}

thread_local! {
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
}

/// Starts scanning `files` with up to `workers` helpers (0: one per core). With one worker, or
/// one file, the coordinator scans them itself. `per_block_times` asks for per-block line times in
/// the viewer's index for every file, whatever its size (see `TimeDetail::for_files`).
/// `finish` takes the scanned files when all are done.
pub fn start(files: Vec<(String, File)>, workers: usize, per_block_times: bool, finish: Finish) {
    let cores = scope().navigator().hardware_concurrency().max(1.0) as usize;
    let workers = if workers == 0 { cores } else { workers }.min(files.len()).max(1);
    let started = js_sys::Date::now();
    let sizes: Vec<f64> = files.iter().map(|(_, f)| f.size()).collect();
    let total_bytes: f64 = sizes.iter().sum();
    let details = if per_block_times { vec![TimeDetail::PerBlock; files.len()] } else { TimeDetail::for_files(&sizes) };
    let budgets = every_line_budgets(&sizes, &details);
    if workers == 1 {
        wasm_bindgen_futures::spawn_local(async move {
            let mut done_before = 0.0;
            let mut last_post = f64::MIN;
            let count = files.len();
            let mut scanned = Vec::with_capacity(count);
            for (i, (path, file)) in files.iter().enumerate() {
                scanned.push(
                    scan_file(path, file, details[i], budgets[i], |done| {
                        let now = js_sys::Date::now();
                        if now - last_post >= PROGRESS_EVERY_MS {
                            last_post = now;
                            let file_done = (done, file.size());
                            progress(done_before + done, total_bytes, path, file_done, (i, count), now - started);
                        }
                    })
                    .await,
                );
                done_before += file.size();
            }
            finish(files, scanned, js_sys::Date::now() - started, 0.0);
        });
        return;
    }
    // Largest first, so that no big file starts last.
    let mut queue: Vec<usize> = (0..files.len()).collect();
    crate::order::sort_by(&mut queue, |&a, &b| files[a].1.size().total_cmp(&files[b].1.size()).then(b.cmp(&a)));
    let mut helpers = Vec::new();
    for h in 0..workers {
        let worker = match super::spawn::worker() {
            Ok(w) => w,
            Err(e) => {
                return post(&FromWorker::Error {
                    message: format!("A scanning worker could not start: {}", describe(&e)),
                })
            }
        };
        let on_message =
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| on_helper_message(h, event.data()));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default(); // handled here, not passed on to the page as a bare error
            let detail = event.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
            helper_failed(h, detail);
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        helpers.push(worker);
    }
    let count = files.len();
    JOB.with(|job| {
        *job.borrow_mut() = Some(Job {
            results: (0..count).map(|_| None).collect(),
            done_bytes: vec![0.0; count],
            files,
            finish,
            total_bytes,
            queue,
            helper_memory: vec![0.0; helpers.len()],
            helper_states: vec![Helper::Loading; helpers.len()],
            helpers,
            details,
            budgets,
            started,
            last_post: f64::MIN,
        })
    });
}

/// Per file, what an archive among them may give every line's time in its files' indexes: the
/// bundle's budget ([`TimeDetail::EVERY_LINE_UP_TO_BYTES`]) less the other files that keep
/// every time. (An archive's size is its compressed size, so it is judged by its files'.)
fn every_line_budgets(sizes: &[f64], details: &[TimeDetail]) -> Vec<f64> {
    let every_line: f64 = sizes.iter().zip(details).filter(|(_, d)| **d == TimeDetail::EveryLine).map(|(s, _)| s).sum();
    sizes
        .iter()
        .zip(details)
        .map(|(size, detail)| match detail {
            TimeDetail::EveryLine => (TimeDetail::EVERY_LINE_UP_TO_BYTES - (every_line - size)).max(0.0),
            TimeDetail::PerBlock => 0.0,
        })
        .collect()
}

/// Posts progress: `done` of `total` bytes overall, `file_done` (done, size) of the file at
/// `path`, and `files` (finished, all).
fn progress(done: f64, total: f64, path: &str, file_done: (f64, f64), files: (usize, usize), elapsed_ms: f64) {
    post(&FromWorker::Progress {
        done_bytes: done,
        total_bytes: total,
        file: path.to_string(),
        file_done_bytes: file_done.0,
        file_bytes: file_done.1,
        files_done: files.0 as u32,
        files_total: files.1 as u32,
        elapsed_ms,
    });
}

fn on_helper_message(helper: usize, data: JsValue) {
    let get = |key: &str| Reflect::get(&data, &key.into()).unwrap_or_default();
    // What a helper says as a worker (`FromWorker`, externally tagged) is its start, the string
    // "ready", or `{"error": {"message": ...}}` from its panic hook or its loader; what it sends
    // of its work is built by hand with a `type`.
    if data.as_string().as_deref() == Some("ready") {
        return send_next(helper);
    }
    if let Some(error) = Some(get("error")).filter(JsValue::is_object) {
        let message = Reflect::get(&error, &"message".into()).ok().and_then(|m| m.as_string());
        return helper_failed(helper, message.unwrap_or_default());
    }
    let kind = get("type").as_string().unwrap_or_default();
    match kind.as_str() {
        "progress" => {
            let (index, done) = (get("index").as_f64().unwrap_or(0.0) as usize, get("done").as_f64().unwrap_or(0.0));
            JOB.with(|job| {
                let mut job = job.borrow_mut();
                let Some(job) = job.as_mut() else { return };
                if let Some(slot) = job.done_bytes.get_mut(index) {
                    *slot = done;
                }
                let now = js_sys::Date::now();
                if now - job.last_post >= PROGRESS_EVERY_MS {
                    job.last_post = now;
                    let finished = job.results.iter().filter(|r| r.is_some()).count();
                    let all_done: f64 = job.done_bytes.iter().sum();
                    let (path, file) = &job.files[index];
                    let files = (finished, job.files.len());
                    progress(all_done, job.total_bytes, path, (done, file.size()), files, now - job.started);
                }
            });
        }
        "scanned" => {
            let index = get("index").as_f64().unwrap_or(0.0) as usize;
            let bytes = Uint8Array::new(&get("payload")).to_vec();
            match postcard::from_bytes::<Scanned>(&bytes) {
                Ok(scanned) => {
                    let complete = JOB.with(|job| {
                        let mut job = job.borrow_mut();
                        let job = job.as_mut()?;
                        job.done_bytes[index] = job.files[index].1.size();
                        let memory = get("wasm_bytes").as_f64().unwrap_or(0.0);
                        job.helper_memory[helper] = job.helper_memory[helper].max(memory);
                        job.results[index] = Some(scanned);
                        job.results.iter().all(Option::is_some).then_some(())
                    });
                    if complete.is_some() {
                        complete_job();
                    } else {
                        send_next(helper);
                    }
                }
                Err(e) => post(&FromWorker::Error { message: format!("A scanned file could not be read back: {e}") }),
            }
        }
        _ => {}
    }
}

/// A helper failed to load or stopped. One that was let go (or already failed) is ignored: a
/// helper still loading when another has scanned every file is terminated, and may say so. The
/// file a failed helper was reading goes back to the queue; only when no helper is left to
/// read it is the failure the page's.
fn helper_failed(helper: usize, detail: String) {
    let fatal = JOB.with(|job| {
        let mut job = job.borrow_mut();
        let job = job.as_mut()?;
        match job.helper_states[helper] {
            Helper::Released | Helper::Failed => return None,
            Helper::Scanning(index) => {
                job.queue.push(index);
                job.done_bytes[index] = 0.0;
            }
            Helper::Loading => {}
        }
        job.helper_states[helper] = Helper::Failed;
        job.helpers[helper].terminate();
        let working = job.helper_states.iter().any(|s| matches!(s, Helper::Loading | Helper::Scanning(_)));
        (!working).then_some(detail)
    });
    if let Some(detail) = fatal {
        post(&FromWorker::Error { message: format!("No scanning worker could finish: {detail}") });
    }
}

/// Hands `helper` the next file, or lets it go when none is left.
fn send_next(helper: usize) {
    JOB.with(|job| {
        let mut job = job.borrow_mut();
        let Some(job) = job.as_mut() else { return };
        if job.helper_states[helper] == Helper::Failed {
            return;
        }
        let worker = &job.helpers[helper];
        match job.queue.pop() {
            Some(index) => {
                job.helper_states[helper] = Helper::Scanning(index);
                let (path, file) = &job.files[index];
                let message = Object::new();
                let _ = Reflect::set(&message, &"type".into(), &"scan".into());
                let _ = Reflect::set(&message, &"index".into(), &(index as f64).into());
                let _ = Reflect::set(&message, &"path".into(), &path.into());
                let _ = Reflect::set(&message, &"file".into(), file);
                let per_block_times = job.details[index] == TimeDetail::PerBlock;
                let _ = Reflect::set(&message, &"per_block_times".into(), &per_block_times.into());
                let _ = Reflect::set(&message, &"every_line_bytes".into(), &job.budgets[index].into());
                let _ = worker.post_message(&message);
            }
            None => {
                job.helper_states[helper] = Helper::Released;
                worker.terminate();
            }
        }
    });
}

fn complete_job() {
    let Some(job) = JOB.with(|job| job.borrow_mut().take()) else { return };
    for helper in &job.helpers {
        helper.terminate();
    }
    let scan_ms = js_sys::Date::now() - job.started;
    let scanned = job.results.into_iter().map(|r| r.expect("all scanned")).collect();
    (job.finish)(job.files, scanned, scan_ms, job.helper_memory.iter().sum());
}

/// In a helper: scans the file of a `scan` message and posts it back in binary.
pub fn scan_as_helper(data: &JsValue) {
    let get = |key: &str| Reflect::get(data, &key.into()).unwrap_or_default();
    let index = get("index").as_f64().unwrap_or(0.0);
    let path = get("path").as_string().unwrap_or_default();
    let detail = if get("per_block_times").is_truthy() { TimeDetail::PerBlock } else { TimeDetail::EveryLine };
    let budget = get("every_line_bytes").as_f64().unwrap_or(0.0);
    let Ok(file) = get("file").dyn_into::<File>() else { return };
    wasm_bindgen_futures::spawn_local(async move { scan_and_post(index, &path, &file, detail, budget).await });
}

async fn scan_and_post(index: f64, path: &str, file: &File, detail: TimeDetail, budget: f64) {
    let mut last_post = f64::MIN;
    let scanned = scan_file(path, file, detail, budget, |done| {
        let now = js_sys::Date::now();
        if now - last_post >= PROGRESS_EVERY_MS {
            last_post = now;
            let message = Object::new();
            let _ = Reflect::set(&message, &"type".into(), &"progress".into());
            let _ = Reflect::set(&message, &"index".into(), &index.into());
            let _ = Reflect::set(&message, &"done".into(), &done.into());
            let _ = scope().post_message(&message);
        }
    })
    .await;
    let bytes = match postcard::to_allocvec(&scanned) {
        Ok(b) => b,
        Err(e) => return post(&FromWorker::Error { message: format!("A scanned file could not be packed: {e}") }),
    };
    drop(scanned);
    let payload = Uint8Array::from(bytes.as_slice());
    drop(bytes);
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &"scanned".into());
    let _ = Reflect::set(&message, &"index".into(), &index.into());
    let _ = Reflect::set(&message, &"payload".into(), &payload);
    let _ = Reflect::set(&message, &"wasm_bytes".into(), &wasm_memory_bytes().into());
    let transfer = js_sys::Array::of1(&payload.buffer());
    let _ = scope().post_message_with_transfer(&message, &transfer);
}
