//! `disk-storage-state`: `nbdevquery -listdp -U` or `-listdv -U` lists disk pools or volumes and
//! their `Status`: all `UP` is evidence of health; any other status is a warning on the storage,
//! quoted as it stands.

use super::command_lines::{finding, runs, Run, Words};
use super::{Rule, RuleDoc};
use crate::catalogue::{step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::numbers::{and_list, count};
use crate::parse::commands::{Command, CommandFact};
use crate::report::{Area, Finding, Role};
use serde_json::json;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "disk-storage-state",
        title: "nbdevquery lists disk pools or volumes and their status",
        meaning: "`nbdevquery -listdp -U` prints one block per disk pool and `nbdevquery -listdv -U` one \
per disk volume (`Disk Pool Name`, `Disk Volume Name`, `Status`). A `Status` of `UP` is NetBackup's own \
record that the pool or volume was up when the command ran: evidence of health for the disk storage it \
names (information). Any other status means NetBackup did not record it up: monitoring checks built on this output raise any status that is not UP as critical (a \
warning here, on the storage, not a job's failure).",
        evidence: "A file that runs `nbdevquery -listdp` or `-listdv` (its prompt line) or starts with \
`Disk Pool Name : <name>`, and the `Status` lines of its blocks.",
        fix: "Nothing to fix for a disk pool or volume that is UP. For one in another status, look at its \
storage server's state (`nbdevquery -liststs -U`) and the storage server's own logs, then at the \
volume's `Flag` lines in the same output.",
        sources: &[SourceId::CommandsNbdevquery, SourceId::CentreonNetbackupDedupstatus],
        caveats: "No public sample of a status other than UP was found, nor what each such status means: \
one is quoted as it stands, and the checks for it are nbtriage's practice.",
    },
    area: Area::MediaAndStorage,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-nbdevquery-listdv"],
    negative: &["command-nbdevquery-liststs", "command-bplist-nothing", "healthy"],
};

/// One disk pool's or volume's block: its pool, its volume (a -listdv block), its status, and
/// the lines that say them.
struct DiskBlock<'m> {
    pool: &'m str,
    volume: Option<&'m str>,
    status: Option<&'m str>,
    lines: Vec<EvRef>,
}

impl DiskBlock<'_> {
    /// "NBU-MASTER-DP" for a pool, "PureDiskVolume (pool NBU-MASTER-DP)" for a volume.
    fn label(&self) -> String {
        match self.volume {
            Some(volume) => format!("{volume} (pool {})", self.pool),
            None => self.pool.to_string(),
        }
    }
}

/// The disk pools' and volumes' blocks of an nbdevquery run that have a status, in order.
fn disk_blocks<'m>(run: &Run<'m>) -> Vec<DiskBlock<'m>> {
    let mut blocks: Vec<DiskBlock<'m>> = Vec::new();
    for (r, fact) in &run.lines {
        match (fact, blocks.last_mut()) {
            (CommandFact::DiskPool { name }, _) => {
                blocks.push(DiskBlock { pool: name, volume: None, status: None, lines: vec![*r] })
            }
            (CommandFact::DiskVolume { name }, Some(b)) if b.volume.is_none() => b.volume = Some(name),
            (CommandFact::DiskStatus { status }, Some(b)) if b.status.is_none() => {
                b.status = Some(status);
                b.lines.push(*r);
            }
            _ => {}
        }
    }
    blocks.retain(|b| b.status.is_some());
    blocks
}

/// "disk volume(s)" when any block is a volume's, else "disk pool(s)".
fn counted(blocks: &[&DiskBlock<'_>]) -> String {
    let volumes = blocks.iter().any(|b| b.volume.is_some());
    let (one, many) = if volumes { ("disk volume", "disk volumes") } else { ("disk pool", "disk pools") };
    count(blocks.len() as u64, one, many)
}

/// The title and summary: all UP, or the ones in another status first.
fn words_for(typed: &str, blocks: &[DiskBlock<'_>]) -> (String, String) {
    let (up, other): (Vec<&DiskBlock<'_>>, Vec<&DiskBlock<'_>>) = blocks.iter().partition(|b| b.status == Some("UP"));
    let them = |n: usize| if n == 1 { "it" } else { "them" };
    let up_names: Vec<String> = up.iter().map(|b| b.label()).collect();
    if other.is_empty() {
        let summary = format!(
            "`{typed}` lists {} UP: {}. NetBackup recorded {} up when the command ran.",
            counted(&up),
            and_list(&up_names),
            them(up.len())
        );
        return (format!("nbdevquery lists {} UP", counted(&up)), summary);
    }
    let quoted: Vec<String> =
        other.iter().map(|b| format!("{} (`Status : {}`)", b.label(), b.status.unwrap_or(""))).collect();
    let mut summary = format!(
        "`{typed}` lists {} not UP: {}. NetBackup did not record {} up when the command ran. This is the storage's state as the command showed it, not a job's failure.",
        counted(&other),
        and_list(&quoted),
        them(other.len())
    );
    if !up.is_empty() {
        summary.push_str(&format!(" UP: {}.", and_list(&up_names)));
    }
    (format!("nbdevquery lists {} not UP", counted(&other)), summary)
}

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model).into_iter().filter(|r| r.command == Command::Nbdevquery) {
        let blocks = disk_blocks(&run);
        if blocks.is_empty() {
            continue;
        }
        let all_up = blocks.iter().all(|b| b.status == Some("UP"));
        let (title, summary) = words_for(&run.typed(), &blocks);
        let lines: Vec<EvRef> = blocks.iter().flat_map(|b| b.lines.iter().copied()).collect();
        let fix = if all_up {
            step("Nothing to fix for a disk pool or volume that is UP.", Basis::Practice)
        } else {
            step(RULE.doc.fix, Basis::Practice)
        };
        let words = Words::storage_state(&RULE, all_up, title, summary, vec![fix]);
        let mut f = finding(model, &run, &lines, all_up, words);
        let status: serde_json::Map<String, serde_json::Value> =
            blocks.iter().map(|b| (b.label(), json!(b.status.unwrap_or("")))).collect();
        f.facts.insert("disk_status".into(), json!(status));
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<'m>(pool: &'m str, volume: Option<&'m str>, status: &'m str) -> DiskBlock<'m> {
        DiskBlock { pool, volume, status: Some(status), lines: Vec::new() }
    }

    #[test]
    fn a_status_other_than_up_is_quoted_first() {
        // The status word is a placeholder: no public sample of one other than UP was found.
        let blocks = [block("NBU-MASTER-DP", Some("PureDiskVolume"), "UP"), block("P2", Some("V2"), "OTHER")];
        let (title, summary) = words_for("nbdevquery -listdv -U", &blocks);
        assert_eq!(title, "nbdevquery lists 1 disk volume not UP");
        assert!(summary.contains("V2 (pool P2) (`Status : OTHER`)"), "{summary}");
        assert!(summary.ends_with(" UP: PureDiskVolume (pool NBU-MASTER-DP)."), "{summary}");
        let (title, _) = words_for("nbdevquery -listdp -U", &[block("NBU-MASTER-DP", None, "UP")]);
        assert_eq!(title, "nbdevquery lists 1 disk pool UP");
    }
}
