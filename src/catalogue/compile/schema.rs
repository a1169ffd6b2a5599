//! The catalogue files' shape, as serde reads them: one signature per file
//! (`signatures/*.toml`), the status table and the errno table.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignatureToml {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) area: String,
    pub(super) severity: String,
    pub(super) role: String,
    pub(super) owner: String,
    #[serde(default)]
    pub(super) processes: Vec<String>,
    /// Public debug logs show the line at an information level (`<2>`, `<4>`, no `ERR -`): its
    /// anchor joins the chunk pass, and the line is matched whatever its level.
    #[serde(default)]
    pub(super) info_lines: bool,
    #[serde(rename = "match")]
    pub(super) patterns: Vec<String>,
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) fix: Vec<FixStepToml>,
    #[serde(default)]
    pub(super) request: Option<String>,
    #[serde(default)]
    pub(super) collect: Vec<String>,
    #[serde(default)]
    pub(super) figures: Vec<FigureToml>,
    /// Statuses this rule explains: a bare status finding for one of them gives way to it.
    #[serde(default)]
    pub(super) explains_status: Vec<u32>,
    pub(super) meaning: String,
    #[serde(default)]
    pub(super) caveats: String,
    /// Ids from sources.toml.
    pub(super) source: Vec<String>,
    #[serde(default)]
    pub(super) positive: Vec<String>,
    #[serde(default)]
    pub(super) negative: Vec<String>,
    #[serde(default, rename = "sample")]
    pub(super) samples: Vec<SampleToml>,
    #[serde(default, rename = "counter_sample")]
    pub(super) counter_samples: Vec<CounterToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FigureToml {
    pub(super) label: String,
    pub(super) value: String,
    #[serde(default)]
    pub(super) unit: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SampleToml {
    pub(super) line: String,
    /// The public page's URL, or `constructed`.
    pub(super) origin: String,
    #[serde(default)]
    pub(super) expect: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CounterToml {
    pub(super) line: String,
    #[serde(default)]
    pub(super) why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusesToml {
    pub(super) status: Vec<StatusToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusToml {
    pub(super) code: u32,
    pub(super) message: String,
    #[serde(default)]
    pub(super) area: Option<String>,
    pub(super) owner: String,
    /// What the network team can check when the cause may lie in the network (a port, a path,
    /// a device's idle timeout): never a NetBackup log to read.
    #[serde(default)]
    pub(super) network_check: String,
    #[serde(default)]
    pub(super) meaning: String,
    #[serde(default)]
    pub(super) read_next: String,
    /// Ids from sources.toml.
    pub(super) source: Vec<String>,
    /// A rule of its own for this status: the checks a source names for it.
    #[serde(default)]
    pub(super) rule: Option<StatusRuleToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusRuleToml {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) severity: String,
    /// Steps, most telling first: the checks and fixes the sources name.
    pub(super) fix: Vec<FixStepToml>,
    pub(super) meaning: String,
    #[serde(default)]
    pub(super) caveats: String,
    /// Ids from sources.toml.
    pub(super) source: Vec<String>,
    pub(super) positive: Vec<String>,
    pub(super) negative: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ErrnosToml {
    pub(super) errno: Vec<ErrnoToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ErrnoToml {
    pub(super) name: String,
    pub(super) kind: String,
    pub(super) meaning: String,
    #[serde(default)]
    pub(super) windows: Vec<u32>,
    #[serde(default)]
    pub(super) linux: Vec<u32>,
    #[serde(default)]
    pub(super) solaris: Vec<u32>,
    #[serde(default)]
    pub(super) texts: Vec<String>,
    pub(super) source: String,
}

/// One fix step: its words, and what it rests on: a `source` (an id from sources.toml) or a
/// `basis` (`practice`, `inference`, `threshold`: nbtriage's own), never neither.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FixStepToml {
    pub(super) text: String,
    #[serde(default)]
    pub(super) source: Option<String>,
    #[serde(default)]
    pub(super) basis: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourcesToml {
    pub(super) source: Vec<SourceToml>,
}

/// A public document the catalogue cites.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceToml {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) short: String,
    #[serde(default)]
    pub(super) url: Option<String>,
    pub(super) kind: String,
}
