//! The `nbtriage` command: reads files and folders from disk and prints the core's report.
//! All analysis lives in the library; this file only walks paths, reads bytes and prints.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

use nbtriage::item::{ArchiveLines, ItemScanner};
use nbtriage::report::{html, json, markdown, text};
use nbtriage::{FileFacts, LineSource};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Read size: large enough to keep syscalls rare, small enough to keep memory flat.
const CHUNK: usize = 1 << 20;

const USAGE: &str = "\
nbtriage: NetBackup log triage

Usage:
  nbtriage analyze [--format text|json|markdown|html] [--redact] [--redact-map FILE]
                   [--threads N] PATH...
      Reads NetBackup debug logs (files, or folders searched recursively) from one or more
      hosts and explains what went wrong. Keep each host's logs in a folder named after the
      host (media01/bpbrm/log.060311) so that hosts are named in the report. Files are read
      on one thread per core unless --threads says otherwise. `nbtriage PATH...` alone does the
      same with the text report (a pasted command output or message in a file, for instance).
      --format html writes one standalone HTML file (no script, nothing loaded).
      --redact replaces host names, addresses, client, policy and storage-unit names, backup
      ids and user names by pseudonyms (host-1, ip-1, ...), in every format. --redact-map FILE
      (implies --redact) also writes the pseudonyms and their originals to FILE, as JSON; the
      report itself never holds them.
  nbtriage rules
      Lists the rules, what each one means, and where its facts come from.
  nbtriage needles
      Prints the literals the scan looks for, one per line (tests/bench compares with them).
  nbtriage generate [--seed N] [--size SIZE] DIR
      Writes a realistic generated bundle of about SIZE (e.g. 100MiB, 1GiB; default 10MiB)
      into DIR, with failure scenarios at known places, and DIR/expected.json saying what an
      analysis must find. For benchmarks and scale tests.
  nbtriage generate --jobs N [--seed N] DIR
      Writes a generated job list of N jobs (bpdbjobs -report -all_columns records) as
      DIR/primary/bpdbjobs-all-columns.txt instead, and DIR/expected.json.
  nbtriage --help | --version

Exit status: 0 when the logs were analyzed (whatever was found), 2 on a usage error or when
no input could be read.";

#[derive(Clone, Copy)]
enum Format {
    Text,
    Json,
    Markdown,
    Html,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("analyze") => analyze(&args[1..]),
        Some("generate") => generate(&args[1..]),
        Some("rules") => {
            print!("{}", rules_text());
            ExitCode::SUCCESS
        }
        Some("needles") => {
            // The literals the scan's one pass per chunk looks for (benchmarks compare with them).
            for needle in nbtriage::facts::extract::needles() {
                println!("{needle}");
            }
            ExitCode::SUCCESS
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--version" | "-V") => {
            println!("nbtriage {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        // A path alone (`nbtriage ticket.txt`) is what a new user types first: analyze it.
        Some(path) if std::path::Path::new(path).exists() => analyze(&args),
        Some(other) => usage_error(&format!("unknown command '{other}'")),
        None => usage_error("no command given"),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("nbtriage: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn analyze(args: &[String]) -> ExitCode {
    let mut format = Format::Text;
    let mut threads = 0usize;
    let mut redact = false;
    let mut redact_map: Option<PathBuf> = None;
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--format" | "-f" => match args.next() {
                Some(v) => v.as_str(),
                None => return usage_error("--format needs a value: text, json, markdown or html"),
            },
            "--redact" => {
                redact = true;
                continue;
            }
            "--redact-map" => match args.next() {
                Some(file) if !file.is_empty() => {
                    redact_map = Some(PathBuf::from(file));
                    continue;
                }
                _ => return usage_error("--redact-map needs the file to write the mapping to"),
            },
            a if a.starts_with("--redact-map=") && a.len() > "--redact-map=".len() => {
                redact_map = Some(PathBuf::from(&a["--redact-map=".len()..]));
                continue;
            }
            a if a.starts_with("--format=") => &a["--format=".len()..],
            "--threads" => match args.next().and_then(|v| v.parse().ok()).filter(|&n: &usize| n > 0) {
                Some(n) => {
                    threads = n;
                    continue;
                }
                None => return usage_error("--threads needs a number of threads, 1 or more"),
            },
            a if a.starts_with('-') && a.len() > 1 => return usage_error(&format!("unknown option '{a}'")),
            path => {
                paths.push(PathBuf::from(path));
                continue;
            }
        };
        format = match value {
            "text" => Format::Text,
            "json" => Format::Json,
            "markdown" | "md" => Format::Markdown,
            "html" => Format::Html,
            other => return usage_error(&format!("unknown format '{other}': use text, json, markdown or html")),
        };
    }
    if paths.is_empty() {
        return usage_error("give at least one log file or folder, e.g. `nbtriage analyze ./logs`");
    }

    let mut files = Vec::new();
    for path in &paths {
        if let Err(e) = collect(path, &mut files) {
            eprintln!("nbtriage: cannot read {}: {e}", path.display());
        }
    }
    if files.is_empty() {
        eprintln!("nbtriage: no file to read in {}. Check the paths and try again.", display_list(&paths));
        return ExitCode::from(2);
    }

    let scanned = scan_in_parallel(&files, threads);
    if scanned.iter().all(|(_, opened)| !opened) {
        eprintln!("nbtriage: none of the {} files could be read.", files.len());
        return ExitCode::from(2);
    }
    let mut source = DiskSource {
        files: files.iter().map(|p| (display_path(p), p.clone())).collect(),
        archives: ArchiveLines::default(),
    };
    let mut report = nbtriage::analyze(scanned.into_iter().flat_map(|(facts, _)| facts).collect(), &mut source);
    if redact || redact_map.is_some() {
        let (redacted, mapping) = nbtriage::redact::redact(&report);
        // The mapping is written first: a report is never printed without the map that was asked for.
        if let Some(file) = &redact_map {
            if let Err(e) = std::fs::write(file, mapping.to_json()) {
                eprintln!("nbtriage: cannot write the redaction map to {}: {e}", file.display());
                return ExitCode::from(2);
            }
        }
        report = redacted;
    }
    let out = match format {
        Format::Text => text::render(&report),
        Format::Json => json::render(&report),
        Format::Markdown => markdown::render(&report),
        Format::Html => html::render(&report),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    ExitCode::SUCCESS
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Scans the files on as many threads as the machine has cores, each thread taking the next
/// file in turn. Returns each file's facts (several for an archive) and whether it could be opened.
fn scan_in_parallel(files: &[PathBuf], threads: usize) -> Vec<(Vec<FileFacts>, bool)> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(files.len()));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if threads == 0 { cores } else { threads }.min(files.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut buffer = vec![0u8; CHUNK];
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let scanned = scan_file(path, &mut buffer);
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(scanned);
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn scan_file(path: &Path, buffer: &mut [u8]) -> (Vec<FileFacts>, bool) {
    let mut scanner = ItemScanner::new(display_path(path), None);
    let result = read_chunks(path, buffer, |chunk| scanner.feed(chunk));
    let opened = !matches!(result, Err(ReadError::Open(_)));
    if let Err(ReadError::Open(note) | ReadError::Read(note)) = result {
        scanner.note(note);
    }
    (scanner.finish().into_iter().map(|(facts, _)| facts).collect(), opened)
}

/// Why reading a file stopped, as a note for the file.
enum ReadError {
    Open(String),
    Read(String),
}

/// Reads a file in chunks of `buffer`'s size.
fn read_chunks(path: &Path, buffer: &mut [u8], mut each: impl FnMut(&[u8])) -> Result<(), ReadError> {
    let mut file = std::fs::File::open(path).map_err(|e| ReadError::Open(format!("Could not be opened: {e}.")))?;
    loop {
        match file.read(buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => each(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(ReadError::Read(format!(
                    "Reading stopped with an error: {e}. The part read so far is analyzed."
                )))
            }
        }
    }
}

/// Reads evidence lines back from the files on disk; lines inside archives are caught by
/// streaming each archive once more.
struct DiskSource {
    files: BTreeMap<String, PathBuf>,
    archives: ArchiveLines,
}

impl LineSource for DiskSource {
    fn prepare(&mut self, wanted: &[(String, u64)]) {
        let (names, paths): (Vec<&str>, Vec<&PathBuf>) = self.files.iter().map(|(n, p)| (n.as_str(), p)).unzip();
        let mut buffer = vec![0u8; CHUNK];
        self.archives.gather(wanted, &names, |i, each| {
            let _ = read_chunks(paths[i], &mut buffer, each);
        });
    }

    fn read_at(&mut self, path: &str, offset: u64, len: usize) -> Option<Vec<u8>> {
        let Some(on_disk) = self.files.get(path) else { return self.archives.read_at(path, offset, len) };
        let mut file = std::fs::File::open(on_disk).ok()?;
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut bytes = Vec::with_capacity(len);
        file.take(len as u64).read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }
}

/// Files under `path` (itself, if a file), in a stable order. Folder links are not followed,
/// so a link loop cannot trap the walk.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        let is_link = std::fs::symlink_metadata(&entry).map(|m| m.file_type().is_symlink()).unwrap_or(false);
        if entry.is_dir() {
            if !is_link {
                if let Err(e) = collect(&entry, out) {
                    eprintln!("nbtriage: cannot read {}: {e}", entry.display());
                }
            }
        } else if entry.is_file() {
            out.push(entry);
        }
    }
    Ok(())
}

fn generate(args: &[String]) -> ExitCode {
    let (mut seed, mut size, mut dir, mut jobs) = (1u64, 10u64 << 20, None, None::<u64>);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => match args.next().and_then(|v| v.parse().ok()) {
                Some(v) => jobs = Some(v),
                None => return usage_error("--jobs needs a number"),
            },
            "--seed" => match args.next().and_then(|v| v.parse().ok()) {
                Some(v) => seed = v,
                None => return usage_error("--seed needs a number"),
            },
            "--size" => match args.next().and_then(|v| parse_size(v)) {
                Some(v) => size = v,
                None => return usage_error("--size needs a size such as 100MiB or 1GiB"),
            },
            a if a.starts_with('-') => return usage_error(&format!("unknown option '{a}'")),
            d => dir = Some(PathBuf::from(d)),
        }
    }
    let Some(dir) = dir else { return usage_error("give the folder to write the bundle into") };
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(jobs) = jobs {
        return generate_jobs(seed, jobs, &dir);
    }
    #[cfg(target_arch = "wasm32")]
    let _ = jobs;
    let mut current: Option<(String, std::io::BufWriter<std::fs::File>)> = None;
    let mut failed: Option<String> = None;
    let expected = nbtriage::generate::generate(seed, size, |path, bytes| {
        if failed.is_some() {
            return;
        }
        let result = (|| -> std::io::Result<()> {
            if current.as_ref().is_none_or(|(p, _)| p != path) {
                if let Some((_, mut w)) = current.take() {
                    w.flush()?;
                }
                let target = dir.join(path);
                std::fs::create_dir_all(target.parent().unwrap_or(&dir))?;
                current = Some((path.to_string(), std::io::BufWriter::new(std::fs::File::create(target)?)));
            }
            current.as_mut().map_or(Ok(()), |(_, w)| w.write_all(bytes))
        })();
        if let Err(e) = result {
            failed = Some(format!("{path}: {e}"));
        }
    });
    if let Some((_, mut w)) = current.take() {
        let _ = w.flush();
    }
    if let Some(e) = failed {
        eprintln!("nbtriage: cannot write {e}");
        return ExitCode::from(2);
    }
    let json = serde_json::to_string_pretty(&expected).unwrap_or_default();
    if let Err(e) = std::fs::write(dir.join("expected.json"), json + "\n") {
        eprintln!("nbtriage: cannot write expected.json: {e}");
        return ExitCode::from(2);
    }
    println!("{} files, {} bytes, {} lines in {}", expected.files, expected.bytes, expected.lines, dir.display());
    ExitCode::SUCCESS
}

/// `generate --jobs N`: a job list of N jobs, and what its analysis must find.
#[cfg(not(target_arch = "wasm32"))]
fn generate_jobs(seed: u64, jobs: u64, dir: &std::path::Path) -> ExitCode {
    let result = (|| -> std::io::Result<nbtriage::generate::jobs::JobsExpected> {
        std::fs::create_dir_all(dir.join("primary"))?;
        let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("primary/bpdbjobs-all-columns.txt"))?);
        let mut failed = None;
        let expected = nbtriage::generate::jobs::job_list(seed, jobs, |chunk| {
            if failed.is_none() {
                failed = w.write_all(chunk).err();
            }
        });
        failed.map_or(Ok(()), Err)?;
        w.flush()?;
        std::fs::write(dir.join("expected.json"), serde_json::to_string_pretty(&expected).unwrap_or_default() + "\n")?;
        Ok(expected)
    })();
    match result {
        Ok(e) => {
            println!("{} jobs, {} bytes in {}", e.total, e.bytes, dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("nbtriage: cannot write the job list: {e}");
            ExitCode::from(2)
        }
    }
}

/// `100MiB`, `1GiB`, `500MB`, `4096`.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let number: u64 = text[..digits].parse().ok()?;
    let unit = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(unit)
}

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn rules_text() -> String {
    let mut out = String::new();
    for r in nbtriage::rules::all() {
        let fix = match r.fix {
            nbtriage::rules::RuleFix::Text(text) => text.to_string(),
            nbtriage::rules::RuleFix::Steps(steps) => steps.join(" "),
        };
        out.push_str(&format!(
            "{}\n  {}\n  ({} rule; area: {}; {})\n\n  Meaning:  {}\n  Evidence: {}\n  Fix:      {}\n  Source:   {}\n",
            r.id,
            r.title,
            r.kind,
            r.area.label(),
            match r.role {
                nbtriage::report::Role::Cause => "names a cause",
                nbtriage::report::Role::Symptom => "states a symptom",
                nbtriage::report::Role::FirstError => "names the first error",
            },
            r.meaning,
            r.evidence,
            fix,
            r.source
        ));
        if !r.caveats.is_empty() {
            out.push_str(&format!("  Caveats:  {}\n", r.caveats));
        }
        out.push('\n');
    }
    out
}
