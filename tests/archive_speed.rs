//! A benchmark, not a test (ignored; `tests/bench` runs it on a .tar.gz of each generated
//! bundle): what an archive's map costs natively, when scanning and when reading back.
//!   ARCHIVE=/tmp/nbtriage-bench/1GiB.tar.gz cargo test --release --test archive_speed -- --ignored --nocapture
//! Prints Markdown table rows, one per measure (see BENCHMARKS.md).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

use nbtriage::archive::{kind_of, ArchiveBytes, EntrySink, Limits, ReadCache, Unpacker};
use nbtriage::facts::line_index::TimeDetail;
use nbtriage::item::ItemScanner;
use nbtriage::viewer::{EntrySearches, LineSearch};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::time::Instant;

const CHUNK: usize = 8 << 20;

/// The archive on disk, read by offset (as the page reads a `File`).
struct OnDisk(File);

impl ArchiveBytes for OnDisk {
    fn read(&mut self, start: u64, end: u64) -> Option<Vec<u8>> {
        self.0.seek(SeekFrom::Start(start)).ok()?;
        let mut out = Vec::new();
        (&mut self.0).take(end - start).read_to_end(&mut out).ok()?;
        Some(out)
    }
}

/// Feeds the file at `path` to `each` in 8 MiB chunks.
fn stream(path: &str, mut each: impl FnMut(&[u8])) {
    let mut file = File::open(path).unwrap();
    let mut buffer = vec![0; CHUNK];
    loop {
        let n = file.read(&mut buffer).unwrap();
        if n == 0 {
            break;
        }
        each(&buffer[..n]);
    }
}

struct Nothing;

impl EntrySink for Nothing {
    fn start_entry(&mut self, _: &str) {}
    fn entry_data(&mut self, _: &[u8]) {}
    fn end_entry(&mut self) {}
    fn note(&mut self, _: Option<&str>, _: String) {}
}

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// A small random number generator (xorshift), for reproducible read positions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

#[test]
#[ignore = "a benchmark: tests/bench runs it"]
#[allow(clippy::too_many_lines)] // One benchmark's script, each measure printed as it is taken, read top to bottom.
fn archive_speed() {
    let Ok(path) = std::env::var("ARCHIVE") else {
        println!("ARCHIVE is not set: nothing to measure");
        return;
    };
    let name = path.rsplit('/').next().unwrap().to_string();
    let size = std::fs::metadata(&path).unwrap().len();
    let mut head = vec![0; 512];
    let n = File::open(&path).unwrap().read(&mut head).unwrap();
    let kind = kind_of(&name, &head[..n]).expect("an archive");

    // Unpacking alone, without and with restart points; then the scans the CLI and the page do.
    let unpack = |map: bool| {
        let start = Instant::now();
        let mut unpacker = Unpacker::new(kind, &name, Limits::default());
        if map {
            unpacker.keep_map();
        }
        stream(&path, |chunk| unpacker.feed(chunk, &mut Nothing));
        let out = unpacker.bytes_out();
        (secs(start), out, unpacker.finish(&mut Nothing))
    };
    let (plain_s, unpacked, _) = unpack(false);
    let (marked_s, _, map) = unpack(true);
    let map = map.unwrap();
    let scan = |index: Option<TimeDetail>| {
        let start = Instant::now();
        let mut scanner = ItemScanner::new(name.clone(), index);
        stream(&path, |chunk| scanner.feed(chunk));
        let scanned = scanner.finish();
        (secs(start), scanned)
    };
    let (cli_s, _) = scan(None);
    let (page_s, scanned) = scan(Some(TimeDetail::EveryLine));
    let index_bytes: usize = scanned.files.iter().filter_map(|(_, i)| i.as_ref()).map(|i| i.heap_bytes()).sum();
    let lines: u64 = scanned.files.iter().filter_map(|(_, i)| i.as_ref()).map(|i| i.len() as u64).sum();
    let mb = |s: f64| unpacked as f64 / 1e6 / s;
    println!(
        "| archive | {name}: {:.1} MB, {:.1} MB unpacked, {} files, {} lines |",
        size as f64 / 1e6,
        unpacked as f64 / 1e6,
        map.entries.len(),
        lines
    );
    println!("| unpack alone | {plain_s:.2} s ({:.0} MB/s) |", mb(plain_s));
    println!(
        "| unpack keeping restart points | {marked_s:.2} s ({:.0} MB/s), {:+.1}% |",
        mb(marked_s),
        (marked_s / plain_s - 1.0) * 100.0
    );
    println!("| scan as the CLI does (no index, no map) | {cli_s:.2} s ({:.0} MB/s) |", mb(cli_s));
    println!(
        "| scan as the page does (line indexes and map) | {page_s:.2} s ({:.0} MB/s), {:+.1}% |",
        mb(page_s),
        (page_s / cli_s - 1.0) * 100.0
    );
    println!(
        "| map | {} restart points every {:.0} MiB: {:.2} MiB; line indexes {:.1} MiB ({:.2} bytes a line) |",
        map.marks.len(),
        map.every() as f64 / (1 << 20) as f64,
        map.heap_bytes() as f64 / (1 << 20) as f64,
        index_bytes as f64 / (1 << 20) as f64,
        index_bytes as f64 / lines.max(1) as f64
    );

    // Reads of 16 KiB (a window of the viewer's rows) at random places, cold: nothing cached.
    let mut file = OnDisk(File::open(&path).unwrap());
    let total: u64 = map.entries.iter().map(|e| e.len).sum();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut times = Vec::new();
    let mut inflated = 0;
    for _ in 0..200 {
        let mut at = rng.next() % total.max(1);
        let entry = map.entries.iter().position(|e| {
            let inside = at < e.len;
            if !inside {
                at -= e.len;
            }
            inside
        });
        let Some(entry) = entry else { continue };
        let mut cache = ReadCache::default();
        let start = Instant::now();
        let bytes = map.read(entry, at, at + 16 * 1024, &mut file, &mut cache).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        inflated += cache.inflated;
        assert!(!bytes.is_empty());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "| a 16 KiB read at a random place, cold (200) | median {:.1} ms, 95th {:.1} ms, max {:.1} ms; {:.1} MiB inflated a read on average |",
        quantile(&times, 0.5),
        quantile(&times, 0.95),
        quantile(&times, 1.0),
        inflated as f64 / times.len() as f64 / (1 << 20) as f64
    );
    // Scrolling: 200 windows one after the other in the largest file, through one cache.
    let (largest, entry) = map.entries.iter().enumerate().max_by_key(|(_, e)| e.len).unwrap();
    let mut cache = ReadCache::default();
    let mut times = Vec::new();
    let mut at = entry.len / 3;
    for _ in 0..200 {
        let start = Instant::now();
        map.read(largest, at, at + 16 * 1024, &mut file, &mut cache).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        at += 16 * 1024;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "| 200 windows of 16 KiB one after the other (scrolling), through the cache | median {:.2} ms, 95th {:.1} ms, max {:.1} ms |",
        quantile(&times, 0.5),
        quantile(&times, 0.95),
        quantile(&times, 1.0)
    );

    // A text search: the archive unpacked once for all its files.
    let start = Instant::now();
    let wanted = scanned.files[1..]
        .iter()
        .enumerate()
        .filter_map(|(i, (_, index))| index.as_ref().map(|x| (i, i, LineSearch::new("SO_ERROR", x.len(), x.encoding))))
        .collect();
    let mut sink = EntrySearches::new(wanted);
    let mut unpacker = Unpacker::new(kind, &name, Limits::default());
    stream(&path, |chunk| unpacker.feed(chunk, &mut sink));
    unpacker.finish(&mut sink);
    let hits: u32 = sink.finish().iter().map(|(_, bits)| bits.iter().map(|w| w.count_ones()).sum::<u32>()).sum();
    let search_s = secs(start);
    println!("| a text search (SO_ERROR: {hits} lines) | {search_s:.2} s ({:.0} MB/s) |", mb(search_s));
}
