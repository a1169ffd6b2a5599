//! `storage-server-up`: `nbdevquery -liststs -U` lists storage servers whose `State` is `UP`.

use super::command_lines::{finding, runs, Words};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::parse::commands::{Command, CommandFact};
use crate::report::{Area, Finding, Owner, Role, Severity};
use serde_json::json;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "storage-server-up",
        title: "nbdevquery lists storage servers UP",
        meaning: "`nbdevquery -liststs -U` prints one block per storage server (`Storage Server`, \
`Storage Server Type`, `State`). A `State` of `UP` is NetBackup's own record that the storage server \
is up when the command ran: evidence of health for the storage it names. A server in another state is \
quoted as it stands. Information.",
        evidence: "A file that runs `nbdevquery -liststs` (its prompt line) or starts with `Storage Server   : \
<name>`, and the `State : UP` lines of its blocks.",
        fix: "Nothing to fix for a storage server that is UP. For one in another state, the storage \
server's own logs and its connection from the media servers are the place to look.",
        sources: &[SourceId::CommandsNbdevquery, SourceId::Blog100visionNbu],
        caveats: "What a state other than UP means is not in the sources found: such a state is quoted, \
and the fix for it is nbtriage's practice.",
    },
    area: Area::MediaAndStorage,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-nbdevquery-liststs", "command-several-in-one-paste"],
    negative: &["command-bptestbpcd", "command-nbcertcmd-exit", "healthy"],
};

/// One storage server's block: name, type, state, and the lines that say them.
struct Server<'m> {
    name: &'m str,
    stype: Option<&'m str>,
    state: Option<&'m str>,
    lines: Vec<EvRef>,
}

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model).into_iter().filter(|r| r.command == Command::Nbdevquery) {
        let mut servers: Vec<Server<'_>> = Vec::new();
        for (r, fact) in &run.lines {
            match (fact, servers.last_mut()) {
                (CommandFact::StorageServer { name }, _) => {
                    servers.push(Server { name, stype: None, state: None, lines: vec![*r] })
                }
                (CommandFact::StorageServerType { stype }, Some(s)) => s.stype = Some(stype),
                (CommandFact::StorageServerState { state }, Some(s)) if s.state.is_none() => {
                    s.state = Some(state);
                    s.lines.push(*r);
                }
                _ => {}
            }
        }
        let up: Vec<&Server<'_>> = servers.iter().filter(|s| s.state == Some("UP")).collect();
        if up.is_empty() {
            continue;
        }
        let others: Vec<String> = servers
            .iter()
            .filter(|s| s.state.is_some_and(|state| state != "UP"))
            .map(|s| format!("{} (`State : {}`)", s.name, s.state.unwrap_or("")))
            .collect();
        let label = |s: &Server<'_>| match s.stype {
            Some(t) => format!("{} ({t})", s.name),
            None => s.name.to_string(),
        };
        let names: Vec<String> = up.iter().map(|s| label(s)).collect();
        let mut summary = format!(
            "`{}` lists {} UP: {}. NetBackup recorded {} up when the command ran.",
            run.typed(),
            crate::numbers::count(up.len() as u64, "storage server", "storage servers"),
            crate::numbers::and_list(&names),
            if up.len() == 1 { "it" } else { "them" }
        );
        if !others.is_empty() {
            summary.push_str(&format!(" In another state: {}.", crate::numbers::and_list(&others)));
        }
        let lines: Vec<EvRef> = servers.iter().flat_map(|s| s.lines.iter().copied()).collect();
        let words = Words {
            rule: RULE.doc.id,
            severity: Severity::Info,
            area: RULE.area,
            owner: Owner::StorageAdmin,
            title: format!(
                "nbdevquery lists {} UP",
                crate::numbers::count(up.len() as u64, "storage server", "storage servers")
            ),
            summary,
            fix: vec![step(RULE.doc.fix, Basis::Practice)],
            source: catalogue::cite(RULE.doc.sources),
            caveats: RULE.doc.caveats,
        };
        let mut f = finding(model, &run, &lines, others.is_empty(), words);
        f.facts.insert("up".into(), json!(up.iter().map(|s| s.name).collect::<Vec<_>>()));
        out.push(f);
    }
    out
}
