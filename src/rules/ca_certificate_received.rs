//! `ca-certificate-received`: `nbcertcmd` received the primary server's CA certificate.

use super::command_lines::{finding, runs, Words};
use super::{Rule, RuleDoc};
use crate::catalogue::SignatureId;
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
        source: "Security and Encryption Guide, \"Setting up trust with the master server (Certificate \
Authority)\" (https://docs.cohesity.com/docs/netbackup/10.1.1/21733320-158332701-0/v120739729-158332701) and \
\"Finding and communicating the fingerprint of the certificate authority\" \
(https://docs.cohesity.com/docs/netbackup/11.1/21733320-170163306-0/v122419496-170163306); the token \
when a request is rejected: \"Automatic host ID-based certificate deployment\" \
(https://docs.cohesity.com/docs/netbackup/11.1/21733320-170163306-0/v120739735-170163306); sample output: \
Veritas 100039650 (\"How to manually obtain a host ID Certificate\", https://www.veritas.com/content/support/en_US/article.100039650).",
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
            fix: vec![RULE.doc.fix.to_string()],
            source: RULE.doc.source.to_string(),
            caveats: RULE.doc.caveats,
        };
        let mut f = finding(model, &run, &[at], true, words);
        f.facts.insert("server".into(), json!(server));
        out.push(f);
    }
    out
}
