//! Turns the model and the rules' findings into a [`Report`].

use crate::correlate::{FileView, Model};
use crate::report::{FileReport, Finding, HostReport, Report};
use crate::vocab::time;
use crate::vocab::FileFormat;

/// Findings come most severe first; among equals, causes before symptoms, then in rule order
/// (`rules::all`), then by time.
pub fn build(model: &Model<'_>, mut findings: Vec<Finding>) -> Report {
    let rule_rank = crate::rules::rank;
    crate::order::sort_by(&mut findings, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.role.cmp(&b.role))
            .then_with(|| rule_rank(&a.rule).cmp(&rule_rank(&b.rule)))
            .then_with(|| a.evidence.first().map(|e| &e.time).cmp(&b.evidence.first().map(|e| &e.time)))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.title.cmp(&b.title))
    });

    let files: Vec<FileReport> = model.files.iter().map(|view| file_report(model, view)).collect();
    let hosts = host_reports(model);

    let span = |pick: fn(&crate::facts::FileFacts) -> Option<i64>, latest: bool| {
        let times = model.files.iter().filter_map(|v| pick(v.facts).map(|ms| (v.base_ms + ms, v.date_known)));
        let best = if latest { times.max() } else { times.min() };
        best.map(|(ms, dated)| time::iso(ms, dated))
    };
    let mut notes = model.notes.clone();
    let unread = model
        .files
        .iter()
        .filter(|v| {
            !v.facts.format.is_log()
                && !matches!(
                    v.facts.format,
                    FileFormat::Archive | FileFormat::Capture | FileFormat::JobList | FileFormat::Netstat
                )
        })
        .count();
    if unread > 0 {
        notes.push(format!(
            "{unread} of {} could not be read as NetBackup logs: see each file's note.",
            crate::numbers::counted(files.len() as u64, "file")
        ));
    }
    let (first, last) = (span(|f| f.first_ms, false), span(|f| f.last_ms, true));
    let (verdict, mut headline, first_errors) = super::verdict::judge(model, &findings);
    let coverage = super::coverage::coverage(model, &findings, verdict, (first.clone(), last.clone()));
    super::verdict::ask_for_missing(&mut headline, verdict, &coverage);
    super::verdict::note_other_owners(&mut findings, &headline);
    Report {
        verdict,
        headline,
        first_errors,
        files,
        hosts,
        findings,
        notes,
        first,
        last,
        coverage,
        version: env!("CARGO_PKG_VERSION").to_string(),
        redacted: false,
        jobs: None,
    }
}

/// One file, as the files panel shows it.
fn file_report(model: &Model<'_>, view: &FileView<'_>) -> FileReport {
    let f = view.facts;
    let legacy = f.format.is_log();
    let host = model.host(view.host);
    let date = (view.date_known && legacy)
        .then(|| time::Date::from_days_since_epoch(view.base_ms.div_euclid(time::MS_PER_DAY)).iso());
    let date_source = date.as_ref().map(|_| {
        match (f.meta.date, f.date_from_lines) {
            (Some(_), _) => "file name",
            (None, Some(_)) => "lines",
            (None, None) if f.year_less.is_some() => "year from other files",
            (None, None) => "other files",
        }
        .to_string()
    });
    let stamp = |ms: Option<i64>| ms.map(|ms| time::iso(view.base_ms + ms, view.date_known));
    let mut notes = f.notes.clone();
    notes.extend(view.notes.iter().cloned());
    let settings = (f.format == crate::vocab::FileFormat::Settings)
        .then(|| crate::vocab::settings::HostSettings::of(&f.settings, f.meta.host.as_deref()));
    FileReport {
        path: f.path.clone(),
        process: view.process.clone(),
        process_source: view.process_source.map(|s| s.label().to_string()),
        host: match &settings {
            Some(s) => s.host.clone(),
            None => (legacy && (host.name.is_some() || !host.ips.is_empty())).then(|| host.short()),
        },
        format: f.format,
        bytes: f.bytes,
        lines: f.lines,
        log_lines: f.log_lines,
        forms: f.forms.iter().map(|(form, n)| (form.name().to_string(), *n)).collect(),
        encoding: f.encoding.map(|e| e.name().to_string()),
        date,
        date_source,
        first: stamp(f.first_ms),
        last: stamp(f.last_ms),
        errors: f.levels.error,
        warnings: f.levels.warning,
        notes,
        time_base_ms: view.base_ms,
        clock_offset_ms: model.clock_offset_ms(view.host),
        settings,
    }
}

/// The hosts that wrote a log, with their clocks.
fn host_reports(model: &Model<'_>) -> Vec<HostReport> {
    let reference = model.clock_reference();
    model
        .hosts
        .iter()
        .enumerate()
        .filter(|(i, _)| model.files.iter().any(|v| v.host.0 == *i && v.facts.format.is_log()))
        .map(|(i, h)| {
            let clock = model.clocks.get(i).copied().flatten();
            HostReport {
                label: h.label(),
                name: h.name.clone(),
                name_source: h.name_source.map(str::to_string),
                ips: h.ips.iter().map(ToString::to_string).collect(),
                role: h.role.label().to_string(),
                processes: h.processes.clone(),
                clock_offset_ms: clock.map(|c| c.offset_ms),
                clock_reference: reference.is_some_and(|r| r.0 == i),
                clock_pairs: clock.map_or(0, |c| c.pairs),
            }
        })
        .collect()
}
