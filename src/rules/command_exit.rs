//! `command-exit`: an admin command's output ends with `EXIT STATUS N`. That is the command's
//! own status, never a job's: "nbcertcmd ended with status 114 (unimplemented error code)".

use super::command_lines::{finding, runs, Run, Words};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::report::{Area, Finding, Owner, Role, Severity};
use serde_json::json;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "command-exit",
        title: "An admin command ended with a status",
        meaning: "The output of an admin command (`nbcertcmd`, `bptestbpcd`, `bpclntcmd`) ends with \
`EXIT STATUS N`: the command ended with status N. It is the command's status, not a job's: no \
backup or restore failed by it. A warning when N is not 0, but for status 227 (\"no entity was found\"): \
the query matched nothing, which is information, not a failure (a bplist that returns it while NetBackup \
works fine, for one).",
        evidence: "A file whose first lines run the command (its prompt line) or show its first output line, \
and the `EXIT STATUS N` line of its output (nbcertcmd prints `EXIT STATUS 114: unimplemented error code 114`).",
        fix: "The command's own lines before its exit say what it could not do; the status table gives the \
status's official message and, where the sources say, what it means for a job.",
        sources: &[SourceId::Veritas100041506, SourceId::StatusCodesReference, SourceId::UpgradeUxNbuCheck],
        caveats: "",
    },
    area: Area::NamesAndTrust,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-nbcertcmd-exit", "command-bplist-nothing"],
    negative: &["command-bptestbpcd", "quoted-exit-statuses", "healthy"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model) {
        let Some((at, status)) = run.exit() else { continue };
        if status == NOTHING_MATCHED {
            out.push(nothing_matched(model, &run, at));
            continue;
        }
        let entry = catalogue::status(status);
        let message = entry.map_or("a status nbtriage's table does not list", |e| e.message);
        let typed = run.typed();
        let mut summary = format!(
            "`{typed}` ended with status {status} ({message}). This is the command's own exit status, not a job's: no backup or restore failed by it."
        );
        if let Some(meaning) = entry.map(|e| e.meaning).filter(|m| !m.is_empty()) {
            summary.push_str(&format!(
                " What nbtriage's status table says of status {status} (written for a job): {meaning}"
            ));
        }
        let fix = if status == 0 {
            vec![step(
                "Nothing to fix: status 0 is 'the requested operation was successfully completed'.",
                Basis::Source(SourceId::StatusCodesReference),
            )]
        } else {
            command_fix(run.command.name(), status, entry)
        };
        let severity = if status == 0 { Severity::Info } else { Severity::Warning };
        let words = Words {
            rule: RULE.doc.id,
            severity,
            area: entry.and_then(|e| e.area).unwrap_or(RULE.area),
            owner: entry.map_or(Owner::BackupAdmin, |e| e.owner),
            title: format!("{} ended with status {status} ({message})", run.command.name()),
            summary,
            fix,
            source: match entry {
                Some(e) => format!("{}; status {status}: {}", catalogue::cite(&[SourceId::Veritas100041506]), e.source),
                None => catalogue::cite(RULE.doc.sources),
            },
            caveats: RULE.doc.caveats,
        };
        let mut f = finding(model, &run, &[at], status == 0, words);
        f.facts.insert("command_status".into(), json!(status));
        out.push(f);
    }
    out
}

/// Status 227, "no entity was found": what a query returns when nothing matches it.
pub(super) const NOTHING_MATCHED: u32 = 227;

/// A query that matched nothing: the command's status, information and no failure.
fn nothing_matched(model: &Model<'_>, run: &Run<'_>, at: EvRef) -> Finding {
    let typed = run.typed();
    let entry = catalogue::status(NOTHING_MATCHED);
    let message = entry.map_or("no entity was found", |e| e.message);
    let words = Words {
        rule: RULE.doc.id,
        severity: Severity::Info,
        area: entry.and_then(|e| e.area).unwrap_or(RULE.area),
        owner: Owner::BackupAdmin,
        title: format!("{} matched nothing (status {NOTHING_MATCHED}, {message})", run.command.name()),
        summary: format!(
            "`{typed}` ended with status {NOTHING_MATCHED} ({message}): the query matched nothing. This is the command's own exit status, not a job's, and not a failure: a public NetBackup check notes that bplist returns it while NetBackup is working fine."
        ),
        fix: vec![
            step(
                &format!("Nothing failed. If you expected `{typed}` to find something, check what it was asked for (the client, the dates, the names in its options) and run it again."),
                Basis::Practice,
            ),
        ],
        source: catalogue::cite(&[SourceId::StatusCodesReference, SourceId::UpgradeUxNbuCheck]),
        caveats: RULE.doc.caveats,
    };
    let mut f = finding(model, run, &[at], false, words);
    f.facts.insert("command_status".into(), json!(NOTHING_MATCHED));
    f.facts.insert("matched_nothing".into(), json!(true));
    f
}

/// What to do after a command failed: its own lines first, then what the status table says.
fn command_fix(name: &str, status: u32, entry: Option<&catalogue::StatusEntry>) -> Vec<String> {
    let mut fix = vec![step(
        &format!("Read the lines `{name}` printed before `EXIT STATUS {status}`: they say what it could not do."),
        Basis::Practice,
    )];
    match entry.map(|e| e.read_next).filter(|r| !r.is_empty()) {
        Some(next) => fix.push(format!("For status {status}: {next}")),
        None => fix.push(step(
            &format!("Look status {status} up in the NetBackup Status Codes Reference Guide for the command's case."),
            Basis::Practice,
        )),
    }
    fix
}
