//! A benchmark, not a test (ignored; `tests/bench` runs it): the core alone, over a generated
//! bundle held in memory, fed in 8 MiB chunks as the page feeds it, natively and in
//! WebAssembly (node), so that the two speeds compare the same work without file reading.
//! Prints one line: `core <target> <bytes> bytes, median <ms> ms, <MB/s> MB/s; needle search alone <MB/s> MB/s;
//! with the viewer's index <MB/s> MB/s every line, <MB/s> MB/s per block` (the page's scan keeps
//! the log viewer's line index too: every line's time for its smallest files, every 16th line's
//! for the rest, `TimeDetail::for_files`).

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

use nbtriage::facts::line_index::TimeDetail;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[ignore = "a benchmark: tests/bench runs it"]
fn core_speed() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    nbtriage::generate::generate(1, 64 << 20, |path, bytes| match files.iter_mut().find(|f| f.0 == path) {
        Some(file) => file.1.extend_from_slice(bytes),
        None => files.push((path.to_string(), bytes.to_vec())),
    });
    let bytes: usize = files.iter().map(|f| f.1.len()).sum();
    let (mut scan, mut search, mut every_line, mut per_block) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut hits = Vec::new();
    for _ in 0..5 {
        let start = now_ms();
        for (path, data) in &files {
            let mut scanner = nbtriage::FileScanner::new(path.clone());
            data.chunks(8 << 20).for_each(|chunk| scanner.feed(chunk));
            std::hint::black_box(scanner.finish());
        }
        scan.push(now_ms() - start);
        let start = now_ms();
        for (_, data) in &files {
            for chunk in data.chunks(8 << 20) {
                hits.clear();
                nbtriage::facts::extract::hits(chunk, 0, &mut hits);
            }
        }
        search.push(now_ms() - start);
        for (detail, times) in [(TimeDetail::EveryLine, &mut every_line), (TimeDetail::PerBlock, &mut per_block)] {
            let start = now_ms();
            for (path, data) in &files {
                let mut scanner = nbtriage::FileScanner::with_line_index(path.clone(), detail);
                data.chunks(8 << 20).for_each(|chunk| scanner.feed(chunk));
                std::hint::black_box(scanner.finish_with_index());
            }
            times.push(now_ms() - start);
        }
    }
    let (scan, search) = (median(scan), median(search));
    let speed = |ms: f64| bytes as f64 / 1e3 / ms;
    let line = format!(
        "core {} {bytes} bytes, median {scan:.0} ms, {:.0} MB/s; needle search alone {:.0} MB/s; \
         with the viewer's index {:.0} MB/s every line, {:.0} MB/s per block",
        if cfg!(target_arch = "wasm32") { "wasm32" } else { "native" },
        speed(scan),
        speed(search),
        speed(median(every_line)),
        speed(median(per_block)),
    );
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("{line}");
}
