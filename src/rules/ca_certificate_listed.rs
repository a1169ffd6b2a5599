//! `ca-certificate-listed`: `nbcertcmd -listCACertDetails` lists the CA certificates a host
//! trusts, with their subject and validity dates.

use super::command_lines::{finding, runs, Words};
use super::{Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SignatureId, SourceId};
use crate::correlate::{EvRef, Model};
use crate::numbers::and_list;
use crate::parse::commands::{Command, CommandFact};
use crate::report::{Area, Finding, Owner, Role, Severity};
use serde_json::json;

const EXPLAINS: &[SignatureId] = &[];

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "ca-certificate-listed",
        title: "nbcertcmd lists the CA certificates a host trusts",
        meaning: "`nbcertcmd -listCACertDetails` prints each CA certificate the host trusts: its \
`Subject Name`, `Start Date` and `Expiry Date` (and its fingerprint). It shows which primary server \
(Certificate Authority) the host trusts, and until when. A host that trusts another CA than its \
primary server's (a primary server redeployed, for one) cannot talk to it securely: the fingerprints \
printed on the host and on the primary server must match. Information.",
        evidence: "A file that runs `nbcertcmd -listCACertDetails` (its prompt line) or starts with its \
`Subject Name : <subject>` line, and the detail lines that follow.",
        fix: "Compare the CA certificate's fingerprint with the one `nbcertcmd -listCACertDetails` prints \
on the primary server. If they differ, remove the old CA certificate on the host \
(`nbcertcmd -removeCACertificate -fingerPrint <old fingerprint>`), get the primary server's \
(`nbcertcmd -getCACertificate`), then the host's certificate (`nbcertcmd -getCertificate`, with a \
reissue token when the primary server asks for one).",
        sources: &[SourceId::SecurityGuideCaFingerprint, SourceId::BlogKillinsunCaCert],
        caveats: "The dates are quoted as printed: nbtriage does not know today's date, so it does not \
say whether a certificate has expired.",
    },
    area: Area::NamesAndTrust,
    role: Role::Symptom,
    check,
    explains: EXPLAINS,
    positive: &["command-nbcertcmd-listcacert"],
    negative: &["command-nbcertcmd-ca", "command-nbcertcmd-exit", "healthy"],
};

/// One CA certificate's details: its subject, its dates, the lines that say them.
struct CaCert<'m> {
    subject: &'m str,
    start: Option<&'m str>,
    expiry: Option<&'m str>,
    lines: Vec<EvRef>,
}

fn check(model: &Model<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // `-displayCACertDetail` prints the same lines for a CA certificate not yet trusted: only
    // `-listCACertDetails`, or a paste of its lines with no prompt, lists the trusted ones.
    let lists = |args: Option<&str>| args.is_none_or(|a| a.is_empty() || a.starts_with("-listCACertDetails"));
    for run in runs(model).into_iter().filter(|r| r.command == Command::Nbcertcmd && lists(r.args)) {
        let mut certs: Vec<CaCert<'_>> = Vec::new();
        for (r, fact) in &run.lines {
            match (fact, certs.last_mut()) {
                (CommandFact::CaCertSubject { subject }, _) => {
                    certs.push(CaCert { subject, start: None, expiry: None, lines: vec![*r] })
                }
                (CommandFact::CaCertStart { date }, Some(c)) if c.start.is_none() => {
                    c.start = Some(date);
                    c.lines.push(*r);
                }
                (CommandFact::CaCertExpiry { date }, Some(c)) if c.expiry.is_none() => {
                    c.expiry = Some(date);
                    c.lines.push(*r);
                }
                _ => {}
            }
        }
        if certs.is_empty() {
            continue;
        }
        let described: Vec<String> = certs
            .iter()
            .map(|c| match (c.start, c.expiry) {
                (Some(s), Some(e)) => format!("{} (valid from {s} to {e})", c.subject),
                (None, Some(e)) => format!("{} (expires {e})", c.subject),
                _ => c.subject.to_string(),
            })
            .collect();
        let title = match certs.as_slice() {
            [one] => format!("nbcertcmd lists the CA certificate {}", one.subject),
            _ => format!("nbcertcmd lists {} CA certificates", certs.len()),
        };
        let summary = format!(
            "`{}` lists the CA certificates this host trusts: {}. Its primary server must be that Certificate Authority: compare the fingerprint with the one the primary server prints.",
            run.typed(),
            and_list(&described)
        );
        let words = Words {
            rule: RULE.doc.id,
            severity: Severity::Info,
            area: RULE.area,
            owner: Owner::BackupAdmin,
            title,
            summary,
            fix: vec![
                step(
                    "Compare the CA certificate's fingerprint with the one `nbcertcmd -listCACertDetails` prints on the primary server.",
                    Basis::Source(SourceId::SecurityGuideCaFingerprint),
                ),
                step(
                    "If they differ, remove the old CA certificate on the host (`nbcertcmd -removeCACertificate -fingerPrint <old fingerprint>`), get the primary server's (`nbcertcmd -getCACertificate`), then the host's certificate (`nbcertcmd -getCertificate`, with a reissue token when the primary server asks for one).",
                    Basis::Source(SourceId::BlogKillinsunCaCert),
                ),
            ],
            source: catalogue::cite(RULE.doc.sources),
            caveats: RULE.doc.caveats,
        };
        let lines: Vec<EvRef> = certs.iter().flat_map(|c| c.lines.iter().copied()).collect();
        let mut f = finding(model, &run, &lines, false, words);
        f.facts.insert("ca_subjects".into(), json!(certs.iter().map(|c| c.subject).collect::<Vec<_>>()));
        out.push(f);
    }
    out
}
