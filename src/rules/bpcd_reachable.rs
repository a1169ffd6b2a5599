//! `bpcd-reachable`: `bptestbpcd` connected to bpcd on the host it tested: the connect options
//! and the sockets it prints only when the connection is made.

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
        id: "bpcd-reachable",
        title: "bptestbpcd reached bpcd: the connection from this server works",
        meaning: "`bptestbpcd` tries to connect from a NetBackup server to bpcd on a host; \"if successful, \
it reports information about the sockets that are established\": the three connect-option digits \
(`1 1 1`), then each socket (the server's address and port, `->`, bpcd's address and port, and the \
secure proxy's connection after `PROXY`). Their presence is evidence that the connection works, \
from this server, at the time it ran. Information.",
        evidence: "A file that runs `bptestbpcd` (its prompt line) or starts with its connect-option line, \
and the socket lines after it; no `EXIT STATUS` other than 0.",
        fix: "Nothing to fix in the connection it tested. A job that fails to reach the same host from \
another server, or at another time, is not ruled out: run the command from the server the job used.",
        sources: &[SourceId::CommandsBptestbpcd, SourceId::Blog100visionNbu],
        caveats: "That a job from another server would connect too is not shown by this output: the \
fix's advice to compare is nbtriage's practice. The Commands Reference says the connect-option digits are \
relevant only for a connection to bpcd on the local host.",
    },
    area: Area::Network,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-bptestbpcd", "command-several-in-one-paste"],
    negative: &["command-bpclntcmd-pn", "command-nbcertcmd-exit", "healthy"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model).into_iter().filter(|r| r.command == Command::Bptestbpcd) {
        if run.exit().is_some_and(|(_, status)| status != 0) {
            continue;
        }
        let mut options = None;
        let mut sockets: Vec<String> = Vec::new();
        let mut lines: Vec<EvRef> = Vec::new();
        for (r, fact) in &run.lines {
            match fact {
                CommandFact::BpcdOptions { options: o } => {
                    options.get_or_insert(o.as_str());
                    lines.push(*r);
                }
                CommandFact::BpcdSocket { from, to } => {
                    sockets.push(format!("{from} -> {to}"));
                    lines.push(*r);
                }
                _ => {}
            }
        }
        let (Some(options), false) = (options, sockets.is_empty()) else { continue };
        let target = run.lines.iter().find_map(|(_, f)| match f {
            CommandFact::BpcdSocket { to, .. } => Some(to.as_str()),
            _ => None,
        });
        let words = Words {
            rule: RULE.doc.id,
            severity: Severity::Info,
            area: RULE.area,
            owner: Owner::BackupAdmin,
            title: format!("bptestbpcd connected to bpcd at {}", target.unwrap_or("the host tested")),
            summary: format!(
                "`{}` connected to bpcd (connect options {options}) and printed {}: {}. bptestbpcd prints these only when the connection succeeds, so the connection from this server to bpcd worked when it ran.",
                run.typed(),
                crate::numbers::count(sockets.len() as u64, "socket", "sockets"),
                sockets.join(", ")
            ),
            fix: vec![step(RULE.doc.fix, Basis::Practice)],
            source: catalogue::cite(RULE.doc.sources),
            caveats: RULE.doc.caveats,
        };
        let mut f = finding(model, &run, &lines, true, words);
        f.facts.insert("connect_options".into(), json!(options));
        f.facts.insert("sockets".into(), json!(sockets));
        out.push(f);
    }
    out
}
