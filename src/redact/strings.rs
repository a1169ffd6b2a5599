//! Every string of a [`Report`] that can hold a name, field by field, and what kind of text it
//! is. Left out: nbtriage's own words (the rule id, a file's format and how its process, date
//! and host name were decided, its encoding, a host's role, a mark's kind, the version), the
//! keys of `facts` and `forms`, and the enumerations. `tests/reports.rs` fills every string of a
//! report and checks that each one is reached.

use crate::report::{Evidence, Report};
use serde_json::Value;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Names a host: `media01`, `media01 (2.2.2.2)`.
    Host,
    /// A file's path.
    Path,
    /// A log line, which may have been cut in the middle of a name.
    Line,
    Text,
    /// A job's policy, schedule or storage unit, as a job list names it.
    Policy,
    Schedule,
    StorageUnit,
}

pub fn each(report: &mut Report, f: &mut dyn FnMut(Field, &mut String)) {
    use Field::{Host, Path, Text};
    f(Text, &mut report.headline.text);
    report.headline.send.iter_mut().for_each(|s| f(Text, s));
    report.first_errors.iter_mut().for_each(|e| evidence(e, f));
    for file in &mut report.files {
        f(Path, &mut file.path);
        file.process.iter_mut().for_each(|s| f(Text, s));
        file.host.iter_mut().for_each(|s| f(Host, s));
        for s in file.date.iter_mut().chain(&mut file.first).chain(&mut file.last).chain(&mut file.notes) {
            f(Text, s);
        }
        if let Some(settings) = &mut file.settings {
            settings.host.iter_mut().for_each(|s| f(Host, s));
            // Server lists and the client's name are host names; connect options start with one.
            let entries =
                settings.servers.iter_mut().chain(&mut settings.media_servers).chain(&mut settings.client_name);
            entries.for_each(|e| f(Host, &mut e.value));
            let options = settings.connect_options.iter_mut().chain(&mut settings.default_connect_options);
            options.for_each(|e| f(Text, &mut e.value));
        }
    }
    for host in &mut report.hosts {
        f(Host, &mut host.label);
        host.name.iter_mut().for_each(|s| f(Host, s));
        host.ips.iter_mut().chain(&mut host.processes).for_each(|s| f(Text, s));
    }
    for finding in &mut report.findings {
        for s in [
            &mut finding.title,
            &mut finding.summary,
            &mut finding.source,
            &mut finding.caveats,
            &mut finding.owner_note,
        ] {
            f(Text, s);
        }
        finding.fix.iter_mut().chain(&mut finding.collect).for_each(|s| f(Text, s));
        finding.evidence.iter_mut().for_each(|e| evidence(e, f));
        finding.facts.values_mut().for_each(|v| value(v, f));
        for mark in &mut finding.marks {
            f(Host, &mut mark.host);
            mark.process.iter_mut().for_each(|s| f(Text, s));
            f(Text, &mut mark.label);
            f(Path, &mut mark.file);
        }
        for figure in &mut finding.figures {
            for s in [&mut figure.label, &mut figure.value, &mut figure.unit] {
                f(Text, s);
            }
        }
        finding.request.iter_mut().for_each(|r| f(Text, &mut r.text));
    }
    report.notes.iter_mut().chain(&mut report.first).chain(&mut report.last).for_each(|s| f(Text, s));
    let coverage = &mut report.coverage;
    coverage.hosts.iter_mut().for_each(|s| f(Host, s));
    coverage.processes.iter_mut().chain(&mut coverage.first).chain(&mut coverage.last).for_each(|s| f(Text, s));
    for m in &mut coverage.missing {
        m.host.iter_mut().for_each(|s| f(Host, s));
        for s in [&mut m.process, &mut m.role, &mut m.why] {
            f(Text, s);
        }
    }
    if let Some(jobs) = &mut report.jobs {
        jobs_strings(jobs, f);
    }
}

/// The jobs summary: clients and media servers are hosts; policies, schedules and storage units
/// their own kinds.
fn jobs_strings(jobs: &mut crate::report::jobs::Jobs, f: &mut dyn FnMut(Field, &mut String)) {
    use Field::{Host, Path, Policy, Schedule, StorageUnit, Text};
    for g in &mut jobs.groups {
        g.clients.iter_mut().chain(&mut g.media_servers).for_each(|s| f(Host, s));
        g.policies.iter_mut().for_each(|s| f(Policy, s));
        g.storage_units.iter_mut().for_each(|s| f(StorageUnit, s));
        for s in [&mut g.title, &mut g.shares, &mut g.explanation] {
            f(Text, s);
        }
        g.fix.iter_mut().for_each(|s| f(Text, s));
    }
    for r in &mut jobs.rows {
        f(Host, &mut r.client);
        f(Host, &mut r.media_server);
        f(Policy, &mut r.policy);
        f(Schedule, &mut r.schedule);
        f(StorageUnit, &mut r.storage_unit);
        f(Path, &mut r.file);
    }
    for c in &mut jobs.clock {
        f(Host, &mut c.host);
        f(Text, &mut c.basis);
    }
}

fn evidence(e: &mut Evidence, f: &mut dyn FnMut(Field, &mut String)) {
    f(Field::Path, &mut e.file);
    f(Field::Text, &mut e.time);
    f(Field::Host, &mut e.host);
    e.process.iter_mut().for_each(|s| f(Field::Text, s));
    f(Field::Line, &mut e.text);
}

/// The strings in a fact's value, at any depth.
fn value(v: &mut Value, f: &mut dyn FnMut(Field, &mut String)) {
    match v {
        Value::String(s) => f(Field::Text, s),
        Value::Array(items) => items.iter_mut().for_each(|v| value(v, f)),
        Value::Object(fields) => fields.values_mut().for_each(|v| value(v, f)),
        _ => {}
    }
}
