//! Checks one signature file: its fields, its patterns, the names its templates use and its
//! samples, every problem reported with what to do.

use super::pattern::{anchor, parse_pattern, template_names, Segment};
use super::schema::SignatureToml;
use super::sources::has_internal_tag;
use super::{lookup, Signature, AREAS, BUILT_INS, MIN_ANCHOR, OWNERS, ROLES, SEVERITIES};
use std::collections::{BTreeMap, BTreeSet};

/// Holes by name and type.
type Holes = BTreeMap<String, String>;

pub(super) fn check_signature(sig: SignatureToml, file: &str, problems: &mut Vec<String>) -> Option<Signature> {
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file).trim_end_matches(".toml");
    check_fields(&sig, stem, problems);
    let area = lookup(AREAS, &sig.area, "area", problems);
    let severity = lookup(SEVERITIES, &sig.severity, "severity", problems);
    let role = lookup(ROLES, &sig.role, "role", problems);
    let owner = lookup(OWNERS, &sig.owner, "owner", problems);
    let (patterns, holes_everywhere, holes_anywhere) = check_patterns(&sig, problems);
    let mut used = check_templates(&sig, &holes_everywhere, &holes_anywhere, problems);
    used.extend(check_samples(&sig, &holes_anywhere, problems));
    for name in holes_anywhere.keys() {
        if !used.contains(name) {
            problems.push(format!(
                "hole `{name}` is used by no template and no sample's `expect`: use it, or write `{{_}}` to skip that text"
            ));
        }
    }
    Some(Signature { toml: sig, area, severity, role, owner, patterns, fix: Vec::new(), source: String::new() })
}

/// The fields every signature needs, and their forms.
fn check_fields(sig: &SignatureToml, stem: &str, problems: &mut Vec<String>) {
    if !sig.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') || sig.id.is_empty() {
        problems.push(format!("id `{}` must be kebab-case", sig.id));
    }
    if sig.id != stem {
        problems.push(format!("id `{}` must match the file name `{stem}.toml`", sig.id));
    }
    for (field, text) in
        [("name", &sig.name), ("title", &sig.title), ("summary", &sig.summary), ("meaning", &sig.meaning)]
    {
        if text.trim().is_empty() {
            problems.push(format!("`{field}` is missing"));
        }
    }
    if sig.fix.is_empty() {
        problems.push("`fix` needs at least one step".into());
    }
    let mut words: Vec<(&str, &str)> = vec![
        ("name", &sig.name),
        ("title", &sig.title),
        ("summary", &sig.summary),
        ("meaning", &sig.meaning),
        ("caveats", &sig.caveats),
    ];
    words.extend(sig.fix.iter().map(|s| ("fix", s.text.as_str())));
    words.extend(sig.collect.iter().map(|s| ("collect", s.as_str())));
    words.extend(sig.request.iter().map(|s| ("request", s.as_str())));
    for (field, text) in words {
        if has_internal_tag(text) {
            problems.push(format!(
                "`{field}` carries an internal reference tag ([Sn], §): cite the public document by its short name, and list it in `source`"
            ));
        }
    }
    if sig.positive.is_empty() || sig.negative.is_empty() {
        problems.push("needs fixture bundles both ways: `positive` and `negative`".into());
    }
    if sig.samples.is_empty() {
        problems.push("needs at least one `[[sample]]` line".into());
    }
    for p in &sig.processes {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            problems.push(format!("process `{p}` must be a lower-case process name"));
        }
    }
    if sig.patterns.is_empty() {
        problems.push("`match` needs at least one pattern".into());
    }
}

/// Parses each pattern; returns them with the holes every pattern has (what templates may use)
/// and the holes any pattern has.
fn check_patterns(sig: &SignatureToml, problems: &mut Vec<String>) -> (Vec<Vec<Segment>>, Holes, Holes) {
    let mut patterns = Vec::new();
    let mut holes_everywhere: Option<Holes> = None;
    let mut holes_anywhere = Holes::new();
    for text in &sig.patterns {
        let segments = match parse_pattern(text) {
            Err(e) => {
                problems.push(format!("pattern `{text}`: {e}"));
                continue;
            }
            Ok(segments) => segments,
        };
        let anchor = anchor(&segments);
        if anchor.len() < MIN_ANCHOR {
            problems.push(format!(
                "pattern `{text}`: its anchor `{anchor}` is shorter than {MIN_ANCHOR} bytes: start it with more literal text"
            ));
        }
        let mut holes = Holes::new();
        for s in &segments {
            let Segment::Hole { name, kind } = s else { continue };
            if name == "_" {
                continue;
            }
            if holes.insert(name.clone(), kind.clone()).is_some() {
                problems.push(format!("pattern `{text}`: hole `{name}` appears twice"));
            }
            if let Some(other) = holes_anywhere.insert(name.clone(), kind.clone()) {
                if &other != kind {
                    problems.push(format!("hole `{name}` has type `{kind}` in one pattern and `{other}` in another"));
                }
            }
        }
        holes_everywhere = Some(match holes_everywhere {
            None => holes,
            Some(all) => all.into_iter().filter(|(n, _)| holes.contains_key(n)).collect(),
        });
        patterns.push(segments);
    }
    (patterns, holes_everywhere.unwrap_or_default(), holes_anywhere)
}

/// Every name a template uses is a hole all patterns have, a part of one, or a built-in;
/// returns the holes used.
fn check_templates(
    sig: &SignatureToml,
    holes_everywhere: &Holes,
    holes_anywhere: &Holes,
    problems: &mut Vec<String>,
) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut templates: Vec<(String, &str)> =
        vec![("title".into(), sig.title.as_str()), ("summary".into(), sig.summary.as_str())];
    templates.extend(sig.fix.iter().enumerate().map(|(i, t)| (format!("fix[{i}]"), t.text.as_str())));
    templates.extend(sig.request.iter().map(|t| ("request".into(), t.as_str())));
    templates.extend(sig.collect.iter().enumerate().map(|(i, t)| (format!("collect[{i}]"), t.as_str())));
    for (i, f) in sig.figures.iter().enumerate() {
        templates.push((format!("figures[{i}].label"), f.label.as_str()));
        templates.push((format!("figures[{i}].value"), f.value.as_str()));
    }
    for (field, template) in &templates {
        let names = match template_names(template) {
            Err(e) => {
                problems.push(format!("`{field}`: {e}"));
                continue;
            }
            Ok(names) => names,
        };
        for name in names {
            match template_name_problem(field, &name, holes_everywhere, holes_anywhere) {
                Ok(Some(hole)) => {
                    used.insert(hole);
                }
                Ok(None) => {}
                Err(problem) => problems.push(problem),
            }
        }
    }
    used
}

/// What a template's `{name}` refers to: a hole (its name), a built-in (none), or a problem.
fn template_name_problem(
    field: &str,
    name: &str,
    holes_everywhere: &Holes,
    holes_anywhere: &Holes,
) -> Result<Option<String>, String> {
    let (base, part) = match name.split_once('.') {
        Some((b, p)) => (b, Some(p)),
        None => (name, None),
    };
    if BUILT_INS.contains(&base) && part.is_none() {
        return Ok(None);
    }
    match (holes_everywhere.get(base), part) {
        (Some(_), None) => Ok(Some(base.to_string())),
        (Some(kind), Some("message")) if kind == "status" => Ok(Some(base.to_string())),
        (Some(kind), Some("meaning")) if kind == "errno" => Ok(Some(base.to_string())),
        (Some(kind), Some(part)) => Err(format!(
            "`{field}` uses `{{{name}}}`, but a `{kind}` hole has no part `{part}` (a status has `.message`, an errno `.meaning`)"
        )),
        (None, _) if holes_anywhere.contains_key(base) => Err(format!(
            "`{field}` uses `{{{base}}}`, which not every `match` pattern has: a finding from the others could not fill it"
        )),
        (None, _) => Err(format!(
            "`{field}` uses `{{{name}}}`, which is no hole of this rule and no built-in ({})",
            BUILT_INS.join(", ")
        )),
    }
}

/// Samples: one line each, with an origin; expected values name holes. Returns the holes named.
fn check_samples(sig: &SignatureToml, holes_anywhere: &Holes, problems: &mut Vec<String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (i, sample) in sig.samples.iter().enumerate() {
        if !(sample.origin.starts_with("http") || sample.origin == "constructed") {
            problems.push(format!("sample {}: `origin` must be the public page's URL, or `constructed`", i + 1));
        }
        if sample.line.contains('\n') {
            problems.push(format!("sample {}: a sample is one line", i + 1));
        }
        for key in sample.expect.keys() {
            if holes_anywhere.contains_key(key) {
                used.insert(key.clone());
            } else {
                problems.push(format!("sample {}: `expect` names `{key}`, which is no hole of this rule", i + 1));
            }
        }
    }
    used
}
