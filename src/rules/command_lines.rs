//! What the rules on admin commands' output share: each command run (one file) with its lines,
//! and the finding's common parts. A command's findings never state a job's status: their facts
//! name the command (`command`) and, for an exit, `command_status`, never `status`.

use super::cite;
use crate::correlate::{EvRef, Model};
use crate::facts::Fact;
use crate::parse::commands::{Command, CommandFact};
use crate::report::{Area, Finding, Owner, Role, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One file of a command's output: the command, its prompt's arguments, and its lines with facts.
pub struct Run<'m> {
    pub command: Command,
    pub args: Option<&'m str>,
    pub lines: Vec<(EvRef, &'m CommandFact)>,
}

impl Run<'_> {
    /// The command as typed, with its arguments: "bpclntcmd -pn".
    pub fn typed(&self) -> String {
        match self.args.filter(|a| !a.is_empty()) {
            Some(args) => format!("{} {args}", self.command.name()),
            None => self.command.name().to_string(),
        }
    }

    /// The status the command ended with, when its output says.
    pub fn exit(&self) -> Option<(EvRef, u32)> {
        self.lines.iter().find_map(|(r, f)| match f {
            CommandFact::Exit { status } => Some((*r, *status)),
            _ => None,
        })
    }
}

/// Every command run of the bundle, in file order: a file's lines of one command, each prompt
/// line starting a run of its own.
pub fn runs<'m>(model: &'m Model<'_>) -> Vec<Run<'m>> {
    let mut out: Vec<Run<'m>> = Vec::new();
    for (file, view) in model.files.iter().enumerate() {
        let mut run: Option<Run<'m>> = None;
        for (index, event) in view.facts.events.iter().enumerate() {
            let Fact::Command { command, fact } = &event.fact else { continue };
            let starts = matches!(fact, CommandFact::Ran { .. });
            if starts || run.as_ref().is_none_or(|r| r.command != *command) {
                out.extend(run.take());
                run = Some(Run { command: *command, args: None, lines: Vec::new() });
            }
            if let (Some(r), CommandFact::Ran { args }) = (run.as_mut(), fact) {
                r.args = Some(args.as_str());
            }
            if let Some(r) = run.as_mut() {
                r.lines.push((EvRef { file: file as u32, index: index as u32 }, fact));
            }
        }
        out.extend(run);
    }
    out
}

/// The parts of a finding on a command's output that every such rule fills the same way.
pub struct Words {
    pub rule: &'static str,
    pub severity: Severity,
    pub area: Area,
    pub owner: Owner,
    pub title: String,
    pub summary: String,
    pub fix: Vec<String>,
    pub source: String,
    pub caveats: &'static str,
}

impl Words {
    /// The words of a storage listing (disk pools and volumes, tape drives): all UP is health,
    /// information; another status is a warning with the rule's caveats.
    pub fn storage_state(rule: &super::Rule, all_up: bool, title: String, summary: String, fix: Vec<String>) -> Words {
        Words {
            rule: rule.doc.id,
            severity: if all_up { Severity::Info } else { Severity::Warning },
            area: rule.area,
            owner: Owner::StorageAdmin,
            title,
            summary,
            fix,
            source: crate::catalogue::cite(rule.doc.sources),
            caveats: if all_up { "" } else { rule.doc.caveats },
        }
    }
}

/// A finding on `run`, citing `lines`; `health` says whether it records a check that passed.
pub fn finding(model: &Model<'_>, run: &Run<'_>, lines: &[EvRef], health: bool, words: Words) -> Finding {
    let mut facts: BTreeMap<String, Value> = BTreeMap::new();
    facts.insert("command".into(), json!(run.typed()));
    facts.insert("health".into(), json!(health));
    Finding {
        rule: words.rule.into(),
        severity: words.severity,
        title: words.title,
        summary: words.summary,
        fix: words.fix,
        evidence: lines.iter().map(|&r| cite::evidence(model, r)).collect(),
        facts,
        marks: Vec::new(),
        area: Some(words.area),
        role: Role::Symptom,
        owner: words.owner,
        figures: Vec::new(),
        request: None,
        collect: Vec::new(),
        source: words.source,
        caveats: words.caveats.to_string(),
        owner_note: String::new(),
    }
}
