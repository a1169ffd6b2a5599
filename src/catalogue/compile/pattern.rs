//! Patterns (`connect to {peer:host} failed`) and templates (`{process} failed`): their grammar.

use super::{HOLE_KINDS, SELF_TYPED};

/// A pattern, split: literal text and typed holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Lit(String),
    Hole { name: String, kind: String },
}

/// Splits `socket read failed: errno = {errno} - {reason:rest}` into segments. `{{` and `}}`
/// are literal braces.
pub fn parse_pattern(text: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return Err("a lone `}`: write `}}` for a literal brace".into()),
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err(format!("`{{{inner}` is not closed")),
                    }
                }
                let (name, kind) = match inner.split_once(':') {
                    Some((name, kind)) => (name.trim().to_string(), kind.trim().to_string()),
                    None if inner.trim() == "_" => ("_".to_string(), "skip".to_string()),
                    None if SELF_TYPED.contains(&inner.trim()) => (inner.trim().to_string(), inner.trim().to_string()),
                    None => {
                        return Err(format!(
                            "hole `{{{inner}}}` has no type: write `{{{inner}:word}}` (types: {})",
                            HOLE_KINDS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
                        ))
                    }
                };
                let name = if kind == "skip" { "_".to_string() } else { name };
                if name != "_" && !is_identifier(&name) {
                    return Err(format!("hole name `{name}` must be lower-case letters, digits and `_`"));
                }
                if !HOLE_KINDS.iter().any(|k| k.0 == kind) {
                    return Err(format!(
                        "unknown hole type `{kind}` in `{{{inner}}}` (types: {})",
                        HOLE_KINDS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
                    ));
                }
                if !lit.is_empty() {
                    out.push(Segment::Lit(std::mem::take(&mut lit)));
                } else if matches!(out.last(), Some(Segment::Hole { .. })) {
                    return Err(format!("two holes side by side before `{{{inner}}}`: put literal text between them"));
                }
                out.push(Segment::Hole { name, kind });
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Segment::Lit(lit));
    }
    match out.first_mut() {
        Some(Segment::Lit(first)) => {
            let trimmed = first.trim_start().to_string();
            *first = trimmed;
        }
        _ => return Err("a pattern starts with literal text (its anchor), not a hole".into()),
    }
    Ok(out)
}

/// The literal every match starts with: the first segment up to its first space before a
/// punctuation mark (pasted lines gain and lose spaces there: `error  (87)`, `errno =62`), without
/// trailing spaces. The needle pass finds the anchor exactly; the rest of the pattern is matched
/// with loose spaces.
pub fn anchor(segments: &[Segment]) -> &str {
    let Some(Segment::Lit(text)) = segments.first() else { return "" };
    let bytes = text.as_bytes();
    let cut = (0..bytes.len())
        .find(|&i| bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|b| !b.is_ascii_alphanumeric() && *b != b' '))
        .unwrap_or(bytes.len());
    text[..cut].trim_end()
}

pub(super) fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit()
}

/// The `{word}` and `{word.part}` names a template uses (`{{` is a literal brace).
pub(super) fn template_names(template: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let Some(close) = template[i..].find('}') else { return Err("a `{` is not closed".into()) };
                names.push(template[i + 1..i + close].to_string());
                i += close + 1;
            }
            b'}' => return Err("a lone `}`: write `}}` for a literal brace".into()),
            _ => i += 1,
        }
    }
    Ok(names)
}
