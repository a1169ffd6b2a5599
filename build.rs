//! Compiles the catalogue (`src/catalogue/`: signature rules, the status and errno tables) into
//! Rust tables, so that no TOML parser ships in the WebAssembly and bad data fails the build.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

#[path = "src/catalogue/compile/mod.rs"]
mod compile;
#[path = "src/facts/needles.rs"]
#[allow(dead_code)] // The build reads the texts only; the names are for the scanner.
mod needles;
#[path = "src/input/process.rs"]
#[allow(dead_code)] // The build checks signatures' `processes` against the table; the rest is the scanner's.
mod process;

use std::path::Path;

fn main() {
    let root = Path::new("src/catalogue");
    println!("cargo:rerun-if-changed=src/catalogue");
    println!("cargo:rerun-if-changed=src/facts/needles.rs");
    println!("cargo:rerun-if-changed=src/input/process.rs");
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));

    let mut signature_files: Vec<(String, String)> = std::fs::read_dir(root.join("signatures"))
        .expect("src/catalogue/signatures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| (p.display().to_string(), read(&p)))
        .collect();
    signature_files.sort();
    let statuses = read(&root.join("statuses.toml"));
    let errnos = read(&root.join("errno.toml"));
    let sources = read(&root.join("sources.toml"));

    let inputs: Vec<compile::Input<'_>> =
        signature_files.iter().map(|(name, text)| compile::Input { name, text }).collect();
    let result = compile::compile(
        &compile::Input { name: "src/catalogue/sources.toml", text: &sources },
        &inputs,
        &compile::Input { name: "src/catalogue/statuses.toml", text: &statuses },
        &compile::Input { name: "src/catalogue/errno.toml", text: &errnos },
        &[needles::FACT_NEEDLES, needles::TAG_NEEDLES].concat(),
        process::is_process,
    );
    match result {
        Ok(code) => {
            let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogue.rs");
            std::fs::write(&out, code).expect("write the generated catalogue");
        }
        Err(problems) => {
            for p in &problems {
                println!("cargo:warning={p}");
            }
            panic!("the catalogue has {} problem(s):\n{}", problems.len(), problems.join("\n"));
        }
    }
}
