//! Every signature rule's sample lines through the production path (line grammar, needle pass,
//! matcher): each sample matches its own rule with the values it states and no other rule; no
//! counter-sample matches its rule. A failure says where the match stopped.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

use nbtriage::catalogue::{matcher, PATTERNS, SIGNATURES};
use nbtriage::facts::{extract, Fact};

/// The signatures a line matches, as (rule id, hole name, value) per hole, by the scanner's path.
fn hits(line: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    // A line in no log form (a wrapped message's continuation) is matched whole, as the scanner does.
    let body = match nbtriage::parse::log_line(line.as_bytes()) {
        Some(log) => log.body.to_vec(),
        None => line.as_bytes().to_vec(),
    };
    let mut facts = Vec::new();
    extract::signatures(&body, &mut facts);
    facts
        .into_iter()
        .filter_map(|f| match f {
            Fact::Signature { pattern, values, .. } => {
                let p = &PATTERNS[pattern as usize];
                let names = p.segments.iter().filter_map(|s| match s {
                    nbtriage::catalogue::Segment::Hole { name, kind }
                        if *kind != nbtriage::catalogue::HoleKind::Skip =>
                    {
                        Some(*name)
                    }
                    _ => None,
                });
                Some((SIGNATURES[p.rule].id, names.zip(values.iter().map(ToString::to_string)).collect()))
            }
            _ => None,
        })
        .collect()
}

fn why_not(rule: usize, line: &str) -> String {
    let body = nbtriage::parse::log_line(line.as_bytes()).map_or(line.as_bytes().to_vec(), |l| l.body.to_vec());
    SIGNATURES[rule]
        .patterns()
        .iter()
        .map(|p| format!("  `{}`: {}", p.text, matcher::explain(p, &body)))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_sample_matches_its_rule_only_with_its_values() {
    let mut problems = Vec::new();
    for (rule, sig) in SIGNATURES.iter().enumerate() {
        for sample in sig.samples {
            let found = hits(sample.line);
            let mine: Vec<_> = found.iter().filter(|(id, _)| *id == sig.id).collect();
            if mine.is_empty() {
                problems.push(format!(
                    "{}: sample not matched (Missing): {:?}\n{}",
                    sig.id,
                    sample.line,
                    why_not(rule, sample.line)
                ));
                continue;
            }
            for (name, want) in sample.expect {
                let got = mine.iter().find_map(|(_, values)| values.iter().find(|(n, _)| n == name).map(|(_, v)| v));
                if got.map(String::as_str) != Some(*want) {
                    problems
                        .push(format!("{}: sample {:?}: `{name}` is {got:?}, expected {want:?}", sig.id, sample.line));
                }
            }
            let others: Vec<_> = found.iter().filter(|(id, _)| *id != sig.id).map(|(id, _)| *id).collect();
            if !others.is_empty() {
                problems.push(format!("{}: sample also matches {others:?} (Noisy): {:?}", sig.id, sample.line));
            }
        }
        for (line, why) in sig.counter_samples {
            if hits(line).iter().any(|(id, _)| *id == sig.id) {
                problems.push(format!("{}: counter-sample matches ({why}): {line:?}", sig.id));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_catalogue_is_not_empty() {
    assert!(!SIGNATURES.is_empty());
    assert!(SIGNATURES.iter().all(|s| !s.samples.is_empty()));
}
