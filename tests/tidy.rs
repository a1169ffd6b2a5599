//! The lines between the core and its shells, checked in the source (as rust-analyzer's tidy
//! tests do): the build's lints catch calls (src/lib.rs, clippy.toml); these catch names.
//! - only the web layer (`src/web`, `src/bin`) names the browser (`web_sys`, `js_sys`,
//!   `wasm_bindgen`, `gloo`);
//! - only the CLI (`src/main.rs`) touches files, standard streams or the process;
//! - the crate sorts through `nbtriage::order` (one copy of the sort in the WebAssembly);
//! - no code puts text into the page as HTML (`inner_html`, `innerHTML`, `insertAdjacentHTML`,
//!   `outerHTML`): log text reaches the DOM as text only.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

use std::path::{Path, PathBuf};

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, exts, out);
        } else if path.extension().is_some_and(|e| exts.iter().any(|x| e == *x)) {
            out.push(path);
        }
    }
}

/// The lines of `path` outside `#[cfg(test)]` modules (a test module runs to the file's end by
/// this project's layout).
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).expect("source file");
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect()
}

fn offenders(root: &str, allowed: &[&str], words: &[&str], exts: &[&str]) -> Vec<String> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&base.join(root), exts, &mut paths);
    let mut found = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
        if allowed.iter().any(|a| rel.starts_with(a)) {
            continue;
        }
        for (n, line) in code_lines(&path) {
            for word in words {
                if line.contains(word) {
                    found.push(format!("{rel}:{n}: {word}"));
                }
            }
        }
    }
    found
}

#[test]
fn only_the_web_layer_names_the_browser() {
    let found = offenders("src", &["src/web/", "src/bin/"], &["web_sys", "js_sys", "wasm_bindgen", "gloo::"], &["rs"]);
    assert!(found.is_empty(), "browser APIs outside src/web:\n{}", found.join("\n"));
}

#[test]
fn only_the_cli_does_io() {
    let words = ["std::fs", "println!", "eprintln!", "print!(", "std::io::stdout", "std::process::", "std::env::"];
    let found = offenders("src", &["src/main.rs", "src/web/", "src/bin/", "src/catalogue/compile"], &words, &["rs"]);
    assert!(found.is_empty(), "I/O outside the CLI:\n{}", found.join("\n"));
}

#[test]
fn no_text_reaches_the_page_as_html() {
    let words = ["inner_html", "innerHTML", "insertAdjacentHTML", "outerHTML", "document.write"];
    let mut found = offenders("src", &[], &words, &["rs"]);
    found.extend(offenders("www", &[], &words, &["js", "mjs", "html"]));
    assert!(found.is_empty(), "HTML from text:\n{}", found.join("\n"));
}

#[test]
fn the_crate_sorts_through_one_sort() {
    // Each `sort_by` with its own closure compiles its own copy of the sort into the page's
    // WebAssembly; `nbtriage::order` compiles one (see its doc). The CLI and the build script
    // are native and may sort as they like.
    let words = [".sort_by(", ".sort_by_key(", ".sort()", ".sort_by_cached_key(", ".sort_unstable_by"];
    let found = offenders("src", &["src/order.rs", "src/main.rs", "src/catalogue/compile"], &words, &["rs"]);
    assert!(found.is_empty(), "sorts outside nbtriage::order:\n{}", found.join("\n"));
}
