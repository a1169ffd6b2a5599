//! The sources table (`sources.toml`): the public documents the catalogue cites, checked, and
//! the words a finding shows for a `source` list and for each fix step's source or basis.

use super::schema::{FixStepToml, SourceToml};
use super::write::pascal_case;
use std::collections::BTreeMap;
use std::fmt::Write;

const KINDS: &[&str] = &["official-guide", "kb-article", "forum-thread", "blog", "public-repository", "standard"];
/// A fix step with no source of its own says what it rests on, as the finding words it.
pub(super) const BASES: &[(&str, &str)] =
    &[("practice", "general practice"), ("inference", "nbtriage's reading"), ("threshold", "nbtriage's threshold")];

/// The checked table, by id.
pub(super) struct Sources {
    rows: Vec<SourceToml>,
    by_id: BTreeMap<String, usize>,
}

/// Whether `text` carries an internal reference tag (`[S36]`, `reference §5`, `§4.1`): those name
/// a document users do not have.
pub(super) fn has_internal_tag(text: &str) -> bool {
    text.contains('§') || text.as_bytes().windows(3).any(|w| w[0] == b'[' && w[1] == b'S' && w[2].is_ascii_digit())
}

impl Sources {
    pub(super) fn check(rows: Vec<SourceToml>, problems: &mut Vec<String>) -> Sources {
        let mut by_id = BTreeMap::new();
        for (i, r) in rows.iter().enumerate() {
            let mut local = Vec::new();
            if r.id.is_empty() || !r.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                local.push("id must be kebab-case".to_string());
            }
            if by_id.insert(r.id.clone(), i).is_some() {
                local.push("listed twice".into());
            }
            if r.title.trim().is_empty() || r.short.trim().is_empty() {
                local.push("needs a `title` and a `short` name".into());
            }
            if !KINDS.contains(&r.kind.as_str()) {
                local.push(format!("kind `{}` is not one of: {}", r.kind, KINDS.join(", ")));
            }
            if r.url.as_deref().is_some_and(|u| !u.starts_with("http")) {
                local.push("`url` must be an http(s) address (leave it out when there is none)".into());
            }
            if has_internal_tag(&r.title) || has_internal_tag(&r.short) {
                local.push("a title names the public document, never an internal reference tag".into());
            }
            problems.extend(local.into_iter().map(|p| format!("sources.toml: source `{}`: {p}", r.id)));
        }
        Sources { rows, by_id }
    }

    fn get(&self, id: &str) -> Option<&SourceToml> {
        self.by_id.get(id).map(|&i| &self.rows[i])
    }

    /// A finding's `source`: each document's title, with its address where it has one.
    pub(super) fn cite(&self, ids: &[String], problems: &mut Vec<String>) -> String {
        if ids.is_empty() {
            problems.push("`source` must list at least one source id from sources.toml".into());
        }
        let mut out = Vec::new();
        for id in ids {
            match self.get(id) {
                Some(s) => out.push(match &s.url {
                    Some(url) => format!("{} ({url})", s.title),
                    None => s.title.clone(),
                }),
                None => problems.push(format!("source `{id}` is not in sources.toml")),
            }
        }
        out.join("; ")
    }

    /// Each fix step as a finding shows it: its words, then what it rests on (a source's short
    /// name, "general practice", ...) unless the words already name it.
    pub(super) fn steps(&self, steps: &[FixStepToml], problems: &mut Vec<String>) -> Vec<String> {
        let mut out = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let label = match (&step.source, &step.basis) {
                (Some(id), None) => self.get(id).map(|s| s.short.clone()).or_else(|| {
                    problems.push(format!("fix step {}: source `{id}` is not in sources.toml", i + 1));
                    None
                }),
                (None, Some(basis)) => BASES.iter().find(|b| b.0 == basis).map(|b| b.1.to_string()).or_else(|| {
                    let names: Vec<&str> = BASES.iter().map(|b| b.0).collect();
                    problems.push(format!("fix step {}: basis `{basis}` is not one of: {}", i + 1, names.join(", ")));
                    None
                }),
                _ => {
                    problems.push(format!(
                        "fix step {} needs either a `source` (an id from sources.toml) or a `basis` (practice, inference, threshold), not both",
                        i + 1
                    ));
                    None
                }
            };
            out.push(labelled(&step.text, label.as_deref()));
        }
        out
    }

    /// The table as Rust: `SourceId` (what a Rust rule cites) and `SOURCES`.
    pub(super) fn write(&self, out: &mut String) {
        out.push_str("/// A public source, by its id in sources.toml (`SourceId::Veritas100028680`).\n");
        out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum SourceId {\n");
        for r in &self.rows {
            let _ = writeln!(out, "    {},", pascal_case(&r.id));
        }
        out.push_str("}\n\nimpl SourceId {\n    pub fn entry(self) -> &'static SourceEntry {\n        &SOURCES[self as usize]\n    }\n}\n\n");
        out.push_str("pub static SOURCES: &[SourceEntry] = &[\n");
        for r in &self.rows {
            let _ = writeln!(
                out,
                "    SourceEntry {{ id: {:?}, title: {:?}, short: {:?}, url: {:?}, kind: {:?} }},",
                r.id, r.title, r.short, r.url, r.kind
            );
        }
        out.push_str("];\n\n");
    }
}

/// `text` with `(label)` before its final full stop, unless it names the label already.
pub(super) fn labelled(text: &str, label: Option<&str>) -> String {
    let Some(label) = label else { return text.to_string() };
    if text.contains(label) {
        return text.to_string();
    }
    match text.strip_suffix('.') {
        Some(body) => format!("{body} ({label})."),
        None => format!("{text} ({label})"),
    }
}
