//! `tape-drives-state`: `tpconfig -l` lists tape drives and their status: all `UP` is evidence
//! of health; a drive `DOWN`, `DISABLED` or in another status is a warning on the device.

use super::command_lines::{finding, runs, Words};
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
        id: "tape-drives-state",
        title: "tpconfig lists tape drives and their status",
        meaning: "`tpconfig -l` prints one line per robot and per tape drive a media server has \
configured, the drive's status among its columns. A drive's status is `UP`, `DOWN` or `DISABLED` (the \
values `tpconfig -drstatus` sets). All drives `UP` is evidence of health for the devices (information). \
A drive in another status is quoted as it stands: monitoring checks built on this output raise any drive \
not UP as critical (a warning here, on the device, not a job's failure).",
        evidence: "A file that runs `tpconfig -l` (its prompt line) or starts with one of its robot or drive \
lines (`drive - 0 hcart2 2 UP - IBM.ULT3580-HH5.000 {3,0,1,0}`), and the drives' lines.",
        fix: "Nothing to fix for drives that are UP. For a drive DOWN or DISABLED, find out why before \
bringing it up (the media server's system log and its device logs for the drive), then set its status \
back to UP: `tpconfig -update -drive <index> -drstatus UP`.",
        sources: &[SourceId::CommandsTpconfig, SourceId::CentreonNetbackupDrivestatus],
        caveats: "No public sample of a drive in a status other than UP was found: such a status is \
quoted as it stands, and the checks to make before bringing a drive up are nbtriage's practice.",
    },
    area: Area::MediaAndStorage,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-tpconfig-l"],
    negative: &["command-nbdevquery-listdv", "command-bptestbpcd", "healthy"],
};

/// One drive: "IBM.ULT3580-HH5.000 (drive 0)", its status, its line.
struct Drive<'m> {
    label: String,
    status: &'m str,
    line: EvRef,
}

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model).into_iter().filter(|r| r.command == Command::Tpconfig) {
        let drives: Vec<Drive<'_>> = run
            .lines
            .iter()
            .filter_map(|(r, fact)| match fact {
                CommandFact::Drive { index, status, name, .. } => {
                    Some(Drive { label: format!("{name} (drive {index})"), status, line: *r })
                }
                _ => None,
            })
            .collect();
        if drives.is_empty() {
            continue;
        }
        let (up, other): (Vec<&Drive<'_>>, Vec<&Drive<'_>>) = drives.iter().partition(|d| d.status == "UP");
        let drives_of = |n: usize| count(n as u64, "tape drive", "tape drives");
        let up_names: Vec<String> = up.iter().map(|d| d.label.clone()).collect();
        let all_up = other.is_empty();
        let (title, mut summary) = if all_up {
            (
                format!("tpconfig lists {} UP", drives_of(up.len())),
                format!("`{}` lists {} UP: {}.", run.typed(), drives_of(up.len()), and_list(&up_names)),
            )
        } else {
            let quoted: Vec<String> = other.iter().map(|d| format!("{} (`{}`)", d.label, d.status)).collect();
            (
                format!("tpconfig lists {} not UP", drives_of(other.len())),
                format!(
                    "`{}` lists {} not UP: {}. This is the device's state as the command showed it, not a job's failure.",
                    run.typed(),
                    drives_of(other.len()),
                    and_list(&quoted)
                ),
            )
        };
        if !all_up && !up.is_empty() {
            summary.push_str(&format!(" UP: {}.", and_list(&up_names)));
        }
        let fix = if all_up {
            vec![step("Nothing to fix for drives that are UP.", Basis::Practice)]
        } else {
            vec![
                step("Find out why the drive is not up before bringing it up: the media server's system log and its device logs for the drive.", Basis::Practice),
                step("Once the cause is fixed, set the drive's status back to UP: `tpconfig -update -drive <index> -drstatus UP`.", Basis::Source(SourceId::CommandsTpconfig)),
            ]
        };
        let words = Words::storage_state(&RULE, all_up, title, summary, fix);
        let lines: Vec<EvRef> = drives.iter().map(|d| d.line).collect();
        let mut f = finding(model, &run, &lines, all_up, words);
        let status: serde_json::Map<String, serde_json::Value> =
            drives.iter().map(|d| (d.label.clone(), json!(d.status))).collect();
        f.facts.insert("drive_status".into(), json!(status));
        out.push(f);
    }
    out
}
