//! `ca-certificate-received`: `nbcertcmd` received the primary server's CA certificate.

use super::command_lines::{finding, runs, Words};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::Model;
use crate::parse::commands::{Command, CommandFact};
use crate::report::{Area, Finding, Owner, Role, Severity};
use serde_json::json;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "ca-certificate-received",
        title: "nbcertcmd received the primary server's CA certificate",
        meaning: "Each NetBackup host must first trust the primary (master) server, which acts as the \
Certificate Authority, before it can request a host ID-based certificate. `nbcertcmd` printed \
`CA Certificate received successfully from server <server>`: the host reached that server and got its \
CA certificate. Information.",
        evidence: "A file that runs `nbcertcmd` (`-displayCACertDetail`, `-getCACertificate`) and the line \
`CA Certificate received successfully from server <server>.`",
        fix: "Before the host trusts it, compare the fingerprint nbcertcmd shows with the one \
`nbcertcmd -listCACertDetails` gives on the primary server; then, if the host has no host ID-based \
certificate yet, get one with `nbcertcmd -getCertificate` (with a token when the server asks for one).",
        sources: &[
            SourceId::SecurityGuideTrustCa,
            SourceId::SecurityGuideCaFingerprint,
            SourceId::SecurityGuideAutoDeploy,
            SourceId::Veritas100039650,
        ],
        caveats: "Receiving the CA certificate is the first step of trust; it does not show that the host \
holds a host ID-based certificate.",
    },
    area: Area::NamesAndTrust,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-nbcertcmd-ca"],
    negative: &["command-nbcertcmd-exit", "command-bptestbpcd", "healthy"],
};

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for run in runs(model).into_iter().filter(|r| r.command == Command::Nbcertcmd) {
        let Some((at, server)) = run.lines.iter().find_map(|(r, f)| match f {
            CommandFact::CaCertificateReceived { server } => Some((*r, server.as_str())),
            _ => None,
        }) else {
            continue;
        };
        let words = Words {
            rule: RULE.doc.id,
            severity: Severity::Info,
            area: RULE.area,
            owner: Owner::BackupAdmin,
            title: format!("nbcertcmd received the CA certificate of {server}"),
            summary: format!(
                "`{}` reached {server} and received its CA certificate: the first step of the host's trust in the primary server, which acts as the Certificate Authority.",
                run.typed()
            ),
            fix: vec![step(RULE.doc.fix, Basis::Source(SourceId::SecurityGuideCaFingerprint))],
            source: catalogue::cite(RULE.doc.sources),
            caveats: RULE.doc.caveats,
        };
        let mut f = finding(model, &run, &[at], true, words);
        f.facts.insert("server".into(), json!(server));
        out.push(f);
    }
    out
}
