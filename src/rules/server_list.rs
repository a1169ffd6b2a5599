//! `server-list`: a job that ended with status 46 (server not allowed access) or 59 (access to
//! the client was not allowed), checked against the client's server list when the client's
//! bp.conf is among the files: the server that ran the job is in the list or it is not, and the
//! finding says which, with the bp.conf lines.

use super::settings_of::{self, Found};
use super::{cite, Rule, RuleDoc};
use crate::catalogue::{self, step, Basis, SourceId};
use crate::correlate::{Failure, Model};
use crate::report::{Area, Evidence, Figure, Finding, Owner, Role, Severity};
use serde_json::json;
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    doc: RuleDoc {
        id: "server-list",
        title: "A server refused by a client (status 46 or 59), checked against the client's server list",
        meaning: "A client accepts requests only from the servers in its server list (the SERVER and MEDIA_SERVER \
lines of its bp.conf). When a job ends with status 46 or 59 and the client's bp.conf is among the files, \
the rule looks for the servers whose logs are here in that list: a server missing from it is the first \
documented cause of status 46; a server in it means the cause is elsewhere.",
        evidence: "The status line, and the client's bp.conf (its SERVER and MEDIA_SERVER lines; the client named \
by its CLIENT_NAME, else its folder); the servers are the hosts whose media or primary server logs are here.",
        fix: "Add the server to the client's server list, by the name it resolves to; when it is listed, \
follow the status's other documented causes.",
        sources: &[SourceId::StatusCode46, SourceId::StatusCodesReference, SourceId::AdminGuideReverseLookup],
        caveats: "The bp.conf sent may not be the one in force when the job ran. A server is matched by name, its \
short name matching its fully qualified one; a server listed under an alias the client resolves differently \
is not recognized. Status 59's cause (the client checks the server against its list) is nbtriage's reading \
of the message.",
    },
    area: Area::NamesAndTrust,
    role: Role::Cause,
    check,
    explains: &[],
    positive: &["settings-status-46", "settings-status-59-listed"],
    negative: &["trust-statuses", "settings-read-timeout", "healthy"],
};

const STATUSES: [u32; 2] = [46, 59];

fn check(model: &Model<'_>) -> Vec<Finding> {
    let Some(failure) = model.failures.iter().find(|f| f.status.is_some_and(|s| STATUSES.contains(&s))) else {
        return Vec::new();
    };
    let servers: Vec<String> = model.hosts.iter().filter(|h| h.is_server()).filter_map(|h| h.name.clone()).collect();
    let clients: Vec<Found<'_>> = settings_of::all(model)
        .into_iter()
        .filter(|f| {
            !servers.iter().any(|s| f.settings.host.as_deref().is_some_and(|h| crate::vocab::settings::same_host(h, s)))
        })
        .collect();
    let mut out = Vec::new();
    for client in &clients {
        for server in &servers {
            out.push(finding(model, failure, client, server));
        }
    }
    out
}

/// The client's list in words: "SERVER fgedu99 (line 1), fgedu81 (line 2); no MEDIA_SERVER".
fn list_words(client: &Found<'_>) -> String {
    let words = |list: &[crate::vocab::settings::Entry]| {
        list.iter().map(|e| format!("{} (line {})", e.value, e.line)).collect::<Vec<_>>().join(", ")
    };
    let s = &client.settings;
    match (s.servers.is_empty(), s.media_servers.is_empty()) {
        (true, true) => "no SERVER or MEDIA_SERVER line".to_string(),
        (false, true) => format!("SERVER {}; no MEDIA_SERVER", words(&s.servers)),
        (true, false) => format!("no SERVER; MEDIA_SERVER {}", words(&s.media_servers)),
        (false, false) => format!("SERVER {}; MEDIA_SERVER {}", words(&s.servers), words(&s.media_servers)),
    }
}

fn finding(model: &Model<'_>, failure: &Failure, client: &Found<'_>, server: &str) -> Finding {
    let status = failure.status.unwrap_or(46);
    let host = client.host();
    let listed = client.settings.allows(server);
    let list = list_words(client);
    let named_by = client.named_by();
    let message = if status == 46 { "server not allowed access" } else { "access to the client was not allowed" };
    let (title, summary) = match listed {
        None => (
            format!("{server} is not in {host}'s server list (status {status})"),
            format!(
                "The job ended with status {status} ({message}). {host}'s bp.conf ({named_by}) lists {list}: {server}, whose server logs are here, is not among them. {}",
                if status == 46 {
                    "A server missing from the client's server list is the first cause the Status Codes Reference Guide gives for status 46."
                } else {
                    "The client may have refused it for that: it checks a connecting server against its list."
                }
            ),
        ),
        Some((key, entry)) => (
            format!("{server} is in {host}'s server list: status {status} has another cause"),
            format!(
                "The job ended with status {status} ({message}), but {host}'s bp.conf ({named_by}) lists {server} ({key}, line {}), so the list is not the cause. {}",
                entry.line,
                if status == 46 {
                    "The other documented causes: the client requires encryption but the policy's encryption attribute is off; an expired Encryption evaluation licence; or the server that enrolled an external certificate is not in the remote host's SERVER list (Status Codes Reference Guide, status 46)."
                } else {
                    "NetBackup validates a connecting server by a reverse lookup of its address (Administrator's Guide, Reverse host name lookup): on the client, the server's address must resolve to a name in the list."
                }
            ),
        ),
    };
    Finding {
        rule: RULE.doc.id.into(),
        severity: if listed.is_none() { Severity::Critical } else { Severity::Warning },
        title,
        summary,
        fix: fix_steps(status, host, server, listed.is_some()),
        evidence: evidence(model, failure, client, listed.map(|(_, e)| e)),
        facts: facts(status, client, server, listed.map(|(k, e)| (k, e.line))),
        marks: Vec::new(),
        area: Some(Area::NamesAndTrust),
        role: if listed.is_none() { Role::Cause } else { Role::Symptom },
        owner: Owner::BackupAdmin,
        figures: vec![Figure::new(
            "Servers in the client's list",
            (client.settings.servers.len() + client.settings.media_servers.len()).to_string(),
            "",
        )],
        request: None,
        collect: Vec::new(),
        source: catalogue::cite(RULE.doc.sources),
        caveats: RULE.doc.caveats.to_string(),
        owner_note: String::new(),
    }
}

fn fix_steps(status: u32, host: &str, server: &str, listed: bool) -> Vec<String> {
    let source = if status == 46 { SourceId::StatusCode46 } else { SourceId::StatusCodesReference };
    match (listed, status) {
        (false, _) => vec![
            step(
                &format!("Add {server} to {host}'s server list (a SERVER or MEDIA_SERVER line in its bp.conf, or Host Properties > Servers), by the name it resolves to."),
                if status == 46 { Basis::Source(source) } else { Basis::Practice },
            ),
            step(&format!("Check that this bp.conf is the one in force on {host} (`nbgetconfig` there)."), Basis::Practice),
        ],
        (true, 46) => vec![
            step("If the client requires encryption, check the policy's encryption attribute and the Encryption licence on the server.", Basis::Source(source)),
            step("If a host uses an external certificate, check that the server that enrolled it is in the host's SERVER list.", Basis::Source(source)),
        ],
        (true, _) => vec![step(
            &format!("On {host}, check the reverse lookup of {server}'s address: it must give a name in the list."),
            Basis::Source(SourceId::AdminGuideReverseLookup),
        )],
    }
}

/// The status line, then the bp.conf line that lists the server (or its first SERVER line).
fn evidence(
    model: &Model<'_>,
    failure: &Failure,
    client: &Found<'_>,
    entry: Option<&crate::vocab::settings::Entry>,
) -> Vec<Evidence> {
    let mut out = vec![cite::evidence(model, failure.at)];
    let line = entry.or(client.settings.servers.first()).or(client.settings.media_servers.first());
    out.extend(line.map(|e| Evidence {
        file: client.path.to_string(),
        line: e.line,
        offset: e.offset,
        time: String::new(),
        host: client.host().to_string(),
        process: None,
        text: String::new(),
    }));
    out
}

fn facts(
    status: u32,
    client: &Found<'_>,
    server: &str,
    listed: Option<(&str, u64)>,
) -> BTreeMap<String, serde_json::Value> {
    let mut facts = BTreeMap::new();
    facts.insert("status".into(), json!(status));
    facts.insert("server".into(), json!(server));
    facts.insert("client".into(), json!(client.host()));
    facts.insert("client_named_by".into(), json!(client.settings.host_source));
    facts.insert("settings_file".into(), json!(client.path));
    facts.insert("in_list".into(), json!(listed.is_some()));
    if let Some((key, line)) = listed {
        facts.insert("list_key".into(), json!(key));
        facts.insert("settings_line".into(), json!(line));
    }
    let names = |l: &[crate::vocab::settings::Entry]| l.iter().map(|e| e.value.clone()).collect::<Vec<_>>();
    facts.insert("servers".into(), json!(names(&client.settings.servers)));
    facts.insert("media_servers".into(), json!(names(&client.settings.media_servers)));
    facts
}
