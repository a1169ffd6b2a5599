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

/// The crate's layers, bottom first: each module of `src/` and the modules it may name. A module
/// may name only modules listed above it, so the layering has no cycle (checked below), and
/// ARCHITECTURE.md's picture is enforced rather than a convention. The shells (`src/main.rs`,
/// `src/web`, `src/bin`) may name any module.
const LAYERS: &[(&str, &[&str])] = &[
    // The vocabulary and the small utilities: they name nothing.
    ("vocab", &[]),
    ("order", &[]),
    ("numbers", &[]),
    ("knowledge", &[]),
    ("archive", &["order", "numbers"]),
    // Knowledge as data, then the grammars that read lines with it.
    ("catalogue", &["vocab"]),
    ("parse", &["vocab", "catalogue"]),
    ("input", &["vocab", "parse"]),
    // Per file: facts from lines; an item (a file or an archive of files) through the scanner.
    ("facts", &["vocab", "order", "numbers", "knowledge", "catalogue", "parse", "input"]),
    ("item", &["vocab", "numbers", "archive", "input", "facts"]),
    // Whole bundle: the model, the report's types, the rules that turn one into the other.
    ("correlate", &["vocab", "order", "knowledge", "catalogue", "parse", "input", "facts"]),
    ("report", &["vocab", "order", "numbers"]),
    ("rules", &["vocab", "order", "numbers", "knowledge", "catalogue", "parse", "facts", "correlate", "report"]),
    (
        "analysis",
        &[
            "vocab",
            "order",
            "numbers",
            "knowledge",
            "catalogue",
            "input",
            "facts",
            "item",
            "correlate",
            "report",
            "rules",
        ],
    ),
    // Over a finished report or the scanned files.
    ("redact", &["vocab", "order", "catalogue", "parse", "input", "report", "rules"]),
    ("viewer", &["vocab", "order", "archive", "parse", "input", "facts", "report"]),
    ("generate", &["vocab", "order", "parse"]),
];

/// The shells: they may name any module.
const SHELLS: &[&str] = &["web", "bin", "main", "lib"];

/// The crate modules a line of code names: `crate::x`, `crate::{x, y::z}`, and `super::` paths
/// that climb out of the file's own top module (`module_depth` is how deep the file's module
/// is: 1 for `src/facts/mod.rs` or `src/vocab.rs`... counted as the number of `super::` it takes
/// to reach the crate root). Names that are not modules (a re-export at the root) come back as
/// they are, so the check can ask for the module instead.
fn named_modules(line: &str, module_depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut push_path = |rest: &str| {
        let rest = rest.trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(item.trim().split("::").next().unwrap_or("").to_string());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && ch != '}' {
                    item.push(ch);
                }
            }
            out.push(item.trim().split("::").next().unwrap_or("").to_string());
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    };
    let mut at = 0;
    while let Some(found) = line[at..].find("crate::") {
        let start = at + found;
        let before_ok = start == 0 || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        if before_ok {
            push_path(&line[start + "crate::".len()..]);
        }
        at = start + "crate::".len();
    }
    if module_depth > 0 {
        let climb = "super::".repeat(module_depth);
        let mut at = 0;
        while let Some(found) = line[at..].find(&climb) {
            let start = at + found;
            let rest = &line[start + climb.len()..];
            if !rest.starts_with("super::") && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric()) {
                push_path(rest);
            }
            at = start + climb.len();
        }
    }
    out.retain(|n| !n.is_empty() && n != "self");
    out
}

#[test]
fn the_layer_table_has_no_cycle_and_lists_every_module() {
    for (i, (module, allowed)) in LAYERS.iter().enumerate() {
        for a in *allowed {
            let below = LAYERS[..i].iter().position(|(m, _)| m == a);
            assert!(below.is_some(), "{module} may name {a}, which is not listed above it (a cycle, or a typo)");
        }
    }
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&base).expect("src") {
        let name = entry.expect("entry").file_name().to_string_lossy().trim_end_matches(".rs").to_string();
        assert!(
            LAYERS.iter().any(|(m, _)| *m == name) || SHELLS.contains(&name.as_str()),
            "src/{name} is in no layer: add it to LAYERS in tests/tidy.rs"
        );
    }
}

#[test]
fn each_module_names_only_the_layers_below_it() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&base.join("src"), &["rs"], &mut paths);
    let mut found = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(base.join("src")).unwrap().to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel.split('/').collect();
        let top = parts[0].trim_end_matches(".rs");
        let file = *parts.last().unwrap();
        // Test-only files (`tests.rs`, `*_tests.rs`) may reach anything, as test modules do.
        if SHELLS.contains(&top) || file == "tests.rs" || file.ends_with("_tests.rs") {
            continue;
        }
        let Some((_, allowed)) = LAYERS.iter().find(|(m, _)| *m == top) else { continue };
        // How many `super::` reach the crate root from this file's module.
        let depth = parts.len() - usize::from(file == "mod.rs");
        for (n, line) in code_lines(&path) {
            for named in named_modules(&line, depth) {
                if named == top || allowed.contains(&named.as_str()) {
                    continue;
                }
                let why = if LAYERS.iter().any(|(m, _)| *m == named) {
                    format!("{top} may not name {named} (tests/tidy.rs LAYERS)")
                } else {
                    format!("`crate::{named}` is a re-export at the crate root: name its module")
                };
                found.push(format!("src/{rel}:{n}: {why}"));
            }
        }
    }
    assert!(found.is_empty(), "imports across the layers:\n{}", found.join("\n"));
}

#[test]
fn the_layer_check_sees_every_form_of_import() {
    assert_eq!(named_modules("use crate::facts::{Fact, FileFacts};", 1), ["facts"]);
    assert_eq!(
        named_modules("use crate::{order, report::{Mark, Report}, vocab::time};", 1),
        ["order", "report", "vocab"]
    );
    assert_eq!(named_modules("    let x = crate::order::sort(&mut v); nbcrate::x", 2), ["order"]);
    assert_eq!(named_modules("use super::super::rules::cite;", 2), ["rules"]);
    assert_eq!(named_modules("use super::Severity;", 1), ["Severity"]);
    assert!(named_modules("use super::scan;", 2).is_empty());
    assert_eq!(named_modules("impl crate::LineSource for X {", 1), ["LineSource"]);
}

/// The modules of `src/web` each file names (`crate::web::x`, or `super::` up to `src/web`), by
/// the web module the file belongs to (`render/cards.rs` is in `render`).
fn web_imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut paths = Vec::new();
    files(&base, &["rs"], &mut paths);
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for path in paths {
        let rel = path.strip_prefix(&base).unwrap().to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel.split('/').collect();
        let module = parts[0].trim_end_matches(".rs").to_string();
        if module == "mod" {
            continue;
        }
        // How many `super::` reach src/web from this file's module.
        let depth = parts.len() - usize::from(*parts.last().unwrap() == "mod.rs");
        let climb = "super::".repeat(depth);
        let names = graph.entry(module.clone()).or_default();
        for (_, line) in code_lines(&path) {
            for prefix in ["crate::web::", climb.as_str()] {
                let mut rest = line.as_str();
                while let Some(at) = rest.find(prefix) {
                    let after = &rest[at + prefix.len()..];
                    let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() && name != module && !after.starts_with("super::") {
                        names.insert(name);
                    }
                    rest = after;
                }
            }
        }
    }
    graph
}

/// A cycle in `graph`, if it has one, as the path that closes it.
fn find_cycle(graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = std::collections::BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_web_layer_has_no_import_cycle() {
    let graph = web_imports();
    assert!(graph.contains_key("app") && graph.contains_key("render"), "src/web was not read: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "src/web's modules name each other in a cycle");
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let edges = [("app", "render"), ("render", "state"), ("state", "app"), ("dom", "state")];
    let mut graph: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for (a, b) in edges {
        graph.entry(a.into()).or_default().insert(b.into());
    }
    assert_eq!(find_cycle(&graph), Some(vec!["app".into(), "render".into(), "state".into(), "app".into()]));
}

/// Every time threshold a correlation rule or `knowledge.rs` declares (`const NAME_MS`) says in its
/// doc comment where its number comes from: "Source: ..." or "nbtriage's threshold" (issue 28).
#[test]
fn every_rule_threshold_names_its_source_or_says_it_is_nbtriages() {
    let mut paths = Vec::new();
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    files(&base.join("src/rules"), &["rs"], &mut paths);
    paths.push(base.join("src/knowledge.rs"));
    let mut bad = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("source file");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let decl = line.trim_start().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            let Some(name) = decl.strip_prefix("const ").and_then(|d| d.split(':').next()) else { continue };
            if !name.ends_with("_MS") {
                continue;
            }
            let mut doc: Vec<&str> =
                lines[..i].iter().rev().map_while(|l| l.trim_start().strip_prefix("///")).map(str::trim).collect();
            doc.reverse();
            let doc = doc.join(" ");
            if !(doc.contains("Source:") || doc.contains("nbtriage's threshold")) {
                bad.push(format!("{}:{}: {name}", path.display(), i + 1));
            }
        }
    }
    assert!(bad.is_empty(), "thresholds with neither `Source:` nor \"nbtriage's threshold\" in their doc: {bad:#?}");
}
