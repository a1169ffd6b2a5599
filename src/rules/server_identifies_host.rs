//! `server-identifies-host`: `bpclntcmd -pn` got the server's answer: how the primary server
//! identifies the host that asked (its name and address).

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
        id: "server-identifies-host",
        title: "The server answered bpclntcmd -pn: it reaches this host's inquiry and names it",
        meaning: "`bpclntcmd -pn`, run on a client or media server, asks the primary server how it \
identifies the host that asks: the host prints `expecting response from server <server>`, then the \
server's answer, with a name and an address. An answer shows the host reaches the server; the name \
and address are how the server identifies it. Information.",
        evidence: "A file that runs `bpclntcmd -pn` or starts with `expecting response from server`, and the \
answer line after it (`client_01.example.com *NULL* 192.168.0.30 3815`).",
        fix: "Compare the name and address in the answer with the client name the policy uses and the \
address the host has: a different name or address means the server resolves this host otherwise \
than expected, and host name resolution (DNS or hosts files) on the server is the place to look.",
        sources: &[SourceId::CommandsReference, SourceId::Blog100visionNbu, SourceId::AdminGuideHostNameRules],
        caveats: "Which of the answer's words is the policy's client name is not documented in the \
sources found, and no public copy of the Commands Reference's description of `-pn` could be read: the reading \
rests on a published example. The finding quotes the first word and the address and leaves the comparison to the reader.",
    },
    area: Area::NamesAndTrust,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-bpclntcmd-pn", "command-several-in-one-paste"],
    negative: &["command-bptestbpcd", "command-nbcertcmd-exit", "healthy"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model).into_iter().filter(|r| r.command == Command::Bpclntcmd) {
        let mut server = None;
        let mut answer = None;
        let mut lines: Vec<EvRef> = Vec::new();
        for (r, fact) in &run.lines {
            match fact {
                CommandFact::ServerAsked { server: s } if server.is_none() => {
                    server = Some(s.as_str());
                    lines.push(*r);
                }
                CommandFact::ServerAnswered { name, address } if answer.is_none() => {
                    answer = Some((name.as_str(), address.as_str()));
                    lines.push(*r);
                }
                _ => {}
            }
        }
        let Some((name, address)) = answer else { continue };
        let server = server.unwrap_or("the primary server");
        let words = Words {
            rule: RULE.doc.id,
            severity: Severity::Info,
            area: RULE.area,
            owner: Owner::BackupAdmin,
            title: format!("{server} identifies this host as {name} ({address})"),
            summary: format!(
                "`{}` reached {server}, and the server answered with the name `{name}` and the address {address} for the host that asked: the host reaches the server, and, as nbtriage reads the answer, this is how the server identifies it.",
                run.typed()
            ),
            fix: vec![step(RULE.doc.fix, Basis::Source(SourceId::AdminGuideHostNameRules))],
            source: catalogue::cite(RULE.doc.sources),
            caveats: RULE.doc.caveats,
        };
        let mut f = finding(model, &run, &lines, true, words);
        f.facts.insert("server".into(), json!(server));
        f.facts.insert("name".into(), json!(name));
        f.facts.insert("address".into(), json!(address));
        out.push(f);
    }
    out
}
