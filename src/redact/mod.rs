//! Redaction: a finished [`Report`] with every name in it replaced by a pseudonym (`host-1`,
//! `ip-1`, ...), and the [`Mapping`] back to the originals, which stays with the caller.
//!
//! Every string of the report is read, whatever its field (evidence lines, paths, titles,
//! facts, notes), except the few that hold nbtriage's own words (rule id, format, version, ...):
//! see [`strings`]. Names are found by [`find`]: host names from the report's hosts and files,
//! addresses, dotted names, backup ids, the names after `-c`, `client`, `policy`, `stunit`,
//! ..., user names in paths, and every word of a path that is not NetBackup's or common
//! English. When in doubt a word is redacted. Each kind's names are numbered in the sorted
//! order of their lower-case spelling, so the same input gives the same pseudonyms whatever the
//! order its files were read in; then every string is rewritten in one pass ([`replace`]).
//!
//! Pure: no I/O; the same report always gives the same result.

mod find;
mod replace;
mod strings;
mod words;

use crate::report::Report;
use serde::{Deserialize, Serialize};

/// What a pseudonym stands for. The order is the precedence when one word is found as two
/// kinds (an address before a host, a host before a path word).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Ip,
    BackupId,
    Host,
    Policy,
    Schedule,
    StorageUnit,
    User,
    Domain,
    /// A word of a path that is no known word: a folder or a file named after a customer,
    /// a case, a person.
    Name,
}

impl Kind {
    /// The pseudonym's stem: `host` in `host-1`.
    pub fn stem(self) -> &'static str {
        match self {
            Kind::Ip => "ip",
            Kind::BackupId => "backup",
            Kind::Host => "host",
            Kind::Policy => "policy",
            Kind::Schedule => "schedule",
            Kind::StorageUnit => "stu",
            Kind::User => "user",
            Kind::Domain => "domain",
            Kind::Name => "name",
        }
    }

    /// In words, for the page's table.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Ip => "address",
            Kind::BackupId => "backup id",
            Kind::Host => "host",
            Kind::Policy => "policy",
            Kind::Schedule => "schedule",
            Kind::StorageUnit => "storage unit",
            Kind::User => "user",
            Kind::Domain => "domain",
            Kind::Name => "name in a path",
        }
    }
}

/// One pseudonym and the originals it replaces (one name, in each spelling seen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pseudonym {
    pub pseudonym: String,
    pub kind: Kind,
    pub originals: Vec<String>,
}

/// Pseudonyms back to the originals: by kind, then number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub pseudonyms: Vec<Pseudonym>,
}

impl Mapping {
    /// The mapping as table rows: the pseudonym, its kind in words, the originals.
    pub fn rows(&self) -> Vec<[String; 3]> {
        self.pseudonyms.iter().map(|p| [p.pseudonym.clone(), p.kind.label().into(), p.originals.join(", ")]).collect()
    }

    /// `text` with each original this mapping holds replaced by its pseudonym, as the report's
    /// strings were: for text read from the files after the report was redacted (the page's
    /// job thread). A name the report did not hold is not known here and stays.
    pub fn apply(&self, text: &str) -> String {
        self.replacer().apply(text)
    }

    fn replacer(&self) -> replace::Replacer {
        replace::Replacer::new(
            self.pseudonyms
                .iter()
                .flat_map(|p| p.originals.iter().map(|o| (o.to_ascii_lowercase(), p.pseudonym.clone())))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        )
    }

    /// The mapping as a JSON document (what `--redact-map` writes and the page saves).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct File<'a> {
            nbtriage: &'a str,
            pseudonyms: &'a [Pseudonym],
        }
        let file = File { nbtriage: env!("CARGO_PKG_VERSION"), pseudonyms: &self.pseudonyms };
        let mut out = serde_json::to_string_pretty(&file).unwrap_or_default();
        out.push('\n');
        out
    }
}

/// The report with every name replaced, and the mapping back.
pub fn redact(report: &Report) -> (Report, Mapping) {
    let mut redacted = report.clone();
    let mut found = find::Found::default();
    strings::each(&mut redacted, &mut |field, text| {
        match field {
            strings::Field::Host => find::in_host_label(text, &mut found),
            strings::Field::Path => find::in_path(text, &mut found),
            strings::Field::Policy => found.add(Kind::Policy, text),
            strings::Field::Schedule => found.add(Kind::Schedule, text),
            strings::Field::StorageUnit => found.add(Kind::StorageUnit, text),
            strings::Field::Line | strings::Field::Text => {}
        }
        find::in_text(text, &mut found);
    });
    let mapping = number(found);
    let replacer = mapping.replacer();
    strings::each(&mut redacted, &mut |field, text| {
        *text = replacer.apply(text);
        // A line cut at the evidence limit may end in the first letters of a name.
        if field == strings::Field::Line && text.len() + 4 >= crate::report::EVIDENCE_TEXT_MAX {
            replacer.cut_name_at_end(text);
        }
    });
    redacted.redacted = true;
    redacted.notes.push(format!(
        "Redacted: host names, addresses, client, policy, schedule and storage-unit names, backup ids, user names and the words of file paths are replaced by pseudonyms ({} in all). The mapping back to the originals is not in this report.",
        mapping.pseudonyms.len()
    ));
    (redacted, mapping)
}

/// Numbers each kind's names in sorted order: `host-1`, `host-2`, ... ([`find::Found`] keeps
/// them sorted by their lower-case spelling; no sort here, which would cost the worker 20 KB).
fn number(found: find::Found) -> Mapping {
    let mut kinds: [Vec<Pseudonym>; 9] = Default::default();
    for (_, (kind, spellings)) in found.names {
        let same = &mut kinds[kind as usize];
        let pseudonym = format!("{}-{}", kind.stem(), same.len() + 1);
        same.push(Pseudonym { pseudonym, kind, originals: spellings.into_iter().collect() });
    }
    Mapping { pseudonyms: kinds.into_iter().flatten().collect() }
}
