//! The `nbtriage` command: reads files and folders from disk and prints the core's report.
//! All analysis lives in the library; this file only walks paths, reads bytes and prints.

use nbtriage::report::{json, markdown, text};
use nbtriage::Analysis;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Read size: large enough to keep syscalls rare, small enough to keep memory flat.
const CHUNK: usize = 1 << 20;

const USAGE: &str = "\
nbtriage: NetBackup log triage

Usage:
  nbtriage analyze [--format text|json|markdown] PATH...
      Reads NetBackup debug logs (files, or folders searched recursively) from one or more
      hosts and explains what went wrong. Keep each host's logs in a folder named after the
      host (media01/bpbrm/log.060311) so that hosts are named in the report.
  nbtriage rules
      Lists the rules, what each one means, and where its facts come from.
  nbtriage --help | --version

Exit status: 0 when the logs were analyzed (whatever was found), 2 on a usage error or when
no input could be read.";

#[derive(Clone, Copy)]
enum Format {
    Text,
    Json,
    Markdown,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("analyze") => analyze(&args[1..]),
        Some("rules") => {
            print!("{}", rules_text());
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
    let mut paths = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--format" | "-f" => match args.next() {
                Some(v) => v.as_str(),
                None => return usage_error("--format needs a value: text, json or markdown"),
            },
            a if a.starts_with("--format=") => &a["--format=".len()..],
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
            other => return usage_error(&format!("unknown format '{other}': use text, json or markdown")),
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

    let mut analysis = Analysis::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut read_any = false;
    for path in &files {
        let id = analysis.add_file(path.to_string_lossy().replace('\\', "/"));
        match std::fs::File::open(path) {
            Ok(mut file) => loop {
                match file.read(&mut buffer) {
                    Ok(0) => {
                        read_any = true;
                        break;
                    }
                    Ok(n) => analysis.feed(id, &buffer[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        analysis
                            .note(id, format!("Reading stopped with an error: {e}. The part read so far is analyzed."));
                        break;
                    }
                }
            },
            Err(e) => analysis.note(id, format!("Could not be opened: {e}.")),
        }
        analysis.finish_file(id);
    }
    if !read_any {
        eprintln!("nbtriage: none of the {} files could be read.", files.len());
        return ExitCode::from(2);
    }
    let report = analysis.finish();
    let out = match format {
        Format::Text => text::render(&report),
        Format::Json => json::render(&report),
        Format::Markdown => markdown::render(&report),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    ExitCode::SUCCESS
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

fn display_list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn rules_text() -> String {
    let mut out = String::new();
    for rule in nbtriage::rules::ALL {
        let d = &rule.doc;
        out.push_str(&format!(
            "{}\n  {}\n\n  Meaning:  {}\n  Evidence: {}\n  Fix:      {}\n  Source:   {}\n  Caveats:  {}\n\n",
            d.id, d.title, d.meaning, d.evidence, d.fix, d.source, d.caveats
        ));
    }
    out
}
