//! Reports to hand on: the standalone HTML report (snapshots, its policy, escaping of every
//! field) and redaction (no planted name survives in any format; the same pseudonyms whatever
//! the file order).
#![allow(clippy::disallowed_methods, clippy::disallowed_types)] // A shell, not the core: it may do I/O (clippy.toml).

mod common;

use nbtriage::redact::{redact, Kind};
use nbtriage::report::{html, json, markdown, text, Report};
use serde_json::Value;

#[test]
fn html_report_snapshots() {
    for name in ["seed-technote", "job-details-status-13", "job-list-night"] {
        let report = common::check_equivalent(&common::load_bundle(name));
        insta::assert_snapshot!(format!("{name}.html"), html::render(&report));
    }
}

#[test]
fn html_report_policy_allows_no_script_and_only_its_own_style() {
    let report = common::check_equivalent(&common::load_bundle("seed-technote"));
    let page = html::render(&report);
    let policy =
        page.split("http-equiv=\"Content-Security-Policy\" content=\"").nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; style-src {}; img-src data:; base-uri 'none'; form-action 'none'",
            html::STYLE_HASH
        )
    );
    assert!(!page.to_ascii_lowercase().contains("<script"), "no script at all");
    // The policy's hash is the style's: computed here by Python's hashlib, not by nbtriage.
    let out = std::process::Command::new("python3")
        .args(["-c", "import base64,hashlib,sys;print(base64.b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).decode())"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(html::STYLE.as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 runs");
    let hash = String::from_utf8(out.stdout).unwrap();
    assert_eq!(html::STYLE_HASH, format!("'sha256-{}'", hash.trim()), "update STYLE_HASH in src/report/html.rs");
    assert!(page.contains(&format!("<style>{}</style>", html::STYLE)));
}

/// Fields whose values are nbtriage's enumerations (a report with anything else there does not
/// read back).
const ENUM_FIELDS: &[&[&str]] = &[
    &["verdict"],
    &["headline", "owner"],
    &["findings", "severity"],
    &["findings", "role"],
    &["findings", "owner"],
    &["findings", "area"],
    &["findings", "request", "to"],
    &["files", "format"],
    &["findings", "marks", "kind"],
    &["jobs", "groups", "owner"],
];

/// Fields nbtriage fills with its own words, which redaction leaves alone (`src/redact/strings.rs`).
const OWN_FIELDS: &[&[&str]] = &[
    &["version"],
    &["files", "process_source"],
    &["files", "date_source"],
    &["files", "encoding"],
    &["hosts", "name_source"],
    &["hosts", "role"],
    &["findings", "rule"],
    &["jobs", "groups", "rule"],
    &["jobs", "rows", "job_type"],
    &["jobs", "rows", "state"],
];

/// Calls `f` with every string of `value` and the object keys that lead to it.
fn each_string(value: &mut Value, path: &mut Vec<String>, f: &mut dyn FnMut(&[&str], &mut String)) {
    match value {
        Value::String(s) => {
            let keys: Vec<&str> = path.iter().map(String::as_str).collect();
            f(&keys, s)
        }
        Value::Array(items) => items.iter_mut().for_each(|v| each_string(v, path, f)),
        Value::Object(fields) => {
            for (k, v) in fields.iter_mut() {
                path.push(k.clone());
                each_string(v, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Every string of `report` but the enumerations set to `text(n)`, n counting from 1.
fn fill(report: &Report, text: impl Fn(usize) -> String) -> Report {
    let mut value = serde_json::to_value(report).unwrap();
    let mut n = 0;
    each_string(&mut value, &mut Vec::new(), &mut |keys, s| {
        if !ENUM_FIELDS.contains(&keys) {
            n += 1;
            *s = text(n);
        }
    });
    assert!(n > 100, "strings replaced: {n}");
    serde_json::from_value(value).expect("the report reads back")
}

/// Every string of `report` set to a hostile payload carrying its number.
fn hostile(report: &Report) -> Report {
    fill(report, |n| {
        format!(
            "<script>alert({n})</script><img src=x onerror=alert({n})>\"'><svg onload=alert({n})></style></title><!--&amp;{n}\u{202E}\u{0}"
        )
    })
}

#[test]
fn redaction_reaches_every_string_that_can_hold_a_name() {
    let report = common::check_equivalent(&common::load_bundle("seed-technote"));
    let planted = fill(&report, |n| format!("sent to client plantzz9 at 10.9.8.{} for /home/plantuser", n % 250));
    let (redacted, _) = redact(&planted);
    let mut value = serde_json::to_value(&redacted).unwrap();
    let mut reached = 0;
    each_string(&mut value, &mut Vec::new(), &mut |keys, s| {
        if ENUM_FIELDS.contains(&keys) || OWN_FIELDS.contains(&keys) {
            return;
        }
        reached += 1;
        for name in ["plantzz9", "10.9.8.", "plantuser"] {
            assert!(!s.contains(name), "{} keeps {name}: {s}", keys.join("."));
        }
    });
    assert!(reached > 100);
}

/// The tags of an HTML text: (name, attribute names).
fn tags(page: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let end = after.find('>').expect("every tag is closed");
        let inside = &after[..end];
        let name: String = inside.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!').collect();
        let attributes = inside[name.len()..]
            .split('"')
            .step_by(2)
            .flat_map(|part| part.split_whitespace().map(|a| a.trim_end_matches('=').to_string()))
            .filter(|a| !a.is_empty() && a != "/")
            .collect();
        out.push((name.trim_start_matches('/').to_ascii_lowercase(), attributes));
        rest = &after[end + 1..];
    }
    out
}

#[test]
fn html_report_escapes_every_field() {
    const TAGS: &[&str] = &[
        "!doctype", "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "article",
        "h1", "h2", "h3", "h4", "p", "pre", "code", "span", "div", "ul", "ol", "li", "dl", "dt", "dd", "table",
        "thead", "tbody", "tr", "th", "td", "svg", "g", "line", "rect", "path", "text",
    ];
    const ATTRIBUTES: &[&str] = &[
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "class",
        "id",
        "data-rule",
        "data-format",
        "aria-labelledby",
        "aria-label",
        "role",
        "scope",
        "viewbox",
        "xmlns",
        "x",
        "y",
        "x1",
        "x2",
        "y1",
        "y2",
        "width",
        "height",
        "rx",
        "d",
        "text-anchor",
        "html",
    ];
    for bundle in ["seed-technote", "job-details-status-13", "forms-job-details", "job-list-night"] {
        let report = hostile(&common::check_equivalent(&common::load_bundle(bundle)));
        let page = html::render(&report);
        for (name, attributes) in tags(&page) {
            assert!(TAGS.contains(&name.as_str()), "{bundle}: a <{name}> tag");
            for a in attributes {
                assert!(ATTRIBUTES.contains(&a.to_ascii_lowercase().as_str()), "{bundle}: <{name} {a}>");
            }
        }
        assert_eq!(page.matches("<style>").count(), 1);
        assert_eq!(page.matches("</style>").count(), 1);
        assert!(!page.contains("<!--"), "{bundle}: a comment opened");
        assert!(!page.contains('\u{202E}') && !page.contains('\u{0}'));
        assert!(page.contains("&lt;script&gt;alert("), "{bundle}: payloads are shown as text");
    }
}

/// A bundle with names planted where customers' names are: host folders, a case folder, file
/// names, log lines, Job Details, vxlogview text; and the names, for the check.
fn planted() -> (Vec<(String, Vec<u8>)>, Vec<&'static str>) {
    let names = vec![
        "zmedia07",
        "qclient3",
        "corp.quokka.net",
        "quokka",
        "10.77.3.21",
        "10.77.9.44",
        "fd00:77::9",
        "prim-x9",
        "QuokkaFS_Daily",
        "Nightly_Q",
        "qstu-dd01",
        "qclient3_1307115858",
        "wkowalski",
        "jnakamura",
        "opsbob",
        "qadmin",
    ];
    let seed = common::load_bundle("seed-technote");
    let mut files: Vec<(String, Vec<u8>)> = seed
        .into_iter()
        .map(|(path, bytes)| {
            let path = format!("Case QUOKKA-7731/{}", path.replace("media01", "zmedia07").replace("myclient", "qclient3"));
            let text = String::from_utf8_lossy(&bytes)
                .replace("myclient", "qclient3")
                .replace("media01", "zmedia07")
                .replace("2.2.2.2", "10.77.3.21")
                .replace("3.3.3.3", "10.77.9.44")
                .replace(
                    "fd = 1240",
                    "fd = 1240 -c qclient3.corp.quokka.net -cl QuokkaFS_Daily -sched Nightly_Q -stunit qstu-dd01 -M prim-x9 -ru qadmin",
                )
                .replace("fd = 1208", "fd = 1208 peer [fd00:77::9]:1556 file /home/wkowalski/run.sh C:\\Users\\jnakamura\\AppData");
            (path, text.into_bytes())
        })
        .collect();
    // Job Details, vxlogview text and a log of a non-root user, each with errors on the list.
    files.push((
        "Case QUOKKA-7731/job details.txt".into(),
        b"09:06:20 Error bpbrm (pid=7249) from client QCLIENT3: ERR - policy QuokkaFS_Daily schedule Nightly_Q on storage unit qstu-dd01 failed\n09:06:20 end writing file read failed (13)\n".to_vec(),
    ));
    files.push((
        "Case QUOKKA-7731/prim-x9/nbjm.txt".into(),
        b"12:43:08.415 [Debug] [CallbackQueue::queueRequest] queueing JL updateJobStatus : jobid=249061, backupid=qclient3_1307115858, client=qclient3, policy=QuokkaFS_Daily, master=prim-x9.corp.quokka.net, status=40 -- retry count=-1(CallbackQueue.cpp:1212)\n".to_vec(),
    ));
    files.push((
        "Case QUOKKA-7731/zmedia07/bpbrm/opsbob/opsbob.060311_00001.log".into(),
        b"17:50:30.000 [5592.5372] <16> bpbrm main: cannot reach 10.77.9.44 for qclient3.corp.quokka.net (user opsbob)\n".to_vec(),
    ));
    (files, names)
}

fn every_format(report: &Report) -> [(&'static str, String); 4] {
    [
        ("text", text::render(report)),
        ("markdown", markdown::render(report)),
        ("json", json::render(report)),
        ("html", html::render(report)),
    ]
}

#[test]
fn no_planted_name_survives_redaction_in_any_format() {
    let (files, names) = planted();
    let report = common::check_equivalent(&files);
    // The plants are in the report: the check below means something.
    let plain = every_format(&report).map(|(_, out)| out.to_ascii_lowercase()).join("\n");
    for name in &names {
        assert!(plain.contains(&name.to_ascii_lowercase()), "{name} is not in the report: plant it elsewhere");
    }
    let (redacted, mapping) = redact(&report);
    assert!(redacted.redacted);
    for (format, out) in every_format(&redacted) {
        let lower = out.to_ascii_lowercase();
        for name in &names {
            assert!(!lower.contains(&name.to_ascii_lowercase()), "{name} survives in the redacted {format}:\n{out}");
        }
        assert!(out.contains("host-1") && out.contains("ip-1"), "{format}");
    }
    // Every original is in the mapping, under the kind it is.
    let kind_of = |name: &str| {
        mapping.pseudonyms.iter().find(|p| p.originals.iter().any(|o| o.eq_ignore_ascii_case(name))).map(|p| p.kind)
    };
    assert_eq!(kind_of("zmedia07"), Some(Kind::Host));
    assert_eq!(kind_of("qclient3"), Some(Kind::Host));
    assert_eq!(kind_of("prim-x9"), Some(Kind::Host));
    assert_eq!(kind_of("10.77.3.21"), Some(Kind::Ip));
    assert_eq!(kind_of("fd00:77::9"), Some(Kind::Ip));
    assert_eq!(kind_of("corp.quokka.net"), Some(Kind::Domain));
    assert_eq!(kind_of("QuokkaFS_Daily"), Some(Kind::Policy));
    assert_eq!(kind_of("Nightly_Q"), Some(Kind::Schedule));
    assert_eq!(kind_of("qstu-dd01"), Some(Kind::StorageUnit));
    assert_eq!(kind_of("qclient3_1307115858"), Some(Kind::BackupId));
    assert_eq!(kind_of("wkowalski"), Some(Kind::User));
    assert_eq!(kind_of("opsbob"), Some(Kind::User));
    // NetBackup's own words are kept.
    let text = text::render(&redacted);
    for kept in ["bpbrm", "bpcd", "vnetd", "port 1556", "status 25", "VN_REQUEST_PBX_C_SUPPORTED"] {
        assert!(text.contains(kept), "{kept}");
    }
    // Numbered from the sorted originals: 10.77.3.21 < 10.77.9.44.
    assert_eq!(mapping.pseudonyms.iter().find(|p| p.originals == ["10.77.3.21"]).unwrap().pseudonym, "ip-1");
    assert_eq!(mapping.pseudonyms.iter().find(|p| p.originals == ["10.77.9.44"]).unwrap().pseudonym, "ip-2");
}

#[test]
fn redaction_is_the_same_whatever_the_file_order() {
    let (mut files, _) = planted();
    let forward = redact(&common::analyze_chunked(&files, 4096));
    files.reverse();
    let backward = redact(&common::analyze_chunked(&files, 977));
    assert_eq!(forward, backward);
    // And it reads back: the redacted JSON is a report.
    let json = json::render(&forward.0);
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), forward.0);
}

#[test]
fn every_bundle_redacts_its_hosts_and_addresses() {
    for name in common::bundle_names() {
        let report = common::analyze_chunked(&common::load_bundle(&name), usize::MAX / 2);
        let (redacted, mapping) = redact(&report);
        let out = json::render(&redacted).to_ascii_lowercase();
        for p in &mapping.pseudonyms {
            for original in &p.originals {
                assert!(!contains_word(&out, original), "{name}: {original}");
            }
        }
        for host in &report.hosts {
            if let Some(h) = &host.name {
                assert!(!contains_word(&out, h), "{name}: host {h}");
            }
            for ip in &host.ips {
                assert!(!contains_word(&out, ip), "{name}: address {ip}");
            }
        }
        assert_eq!(redacted.findings.len(), report.findings.len(), "{name}");
        assert_eq!(redacted.verdict, report.verdict, "{name}");
    }
}

/// Whether `word` is in `out` (lower case) with no letter or digit just before or after it.
fn contains_word(out: &str, word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    let bytes = out.as_bytes();
    out.match_indices(&word).any(|(at, _)| {
        let end = at + word.len();
        (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
            && (end == bytes.len() || !bytes[end].is_ascii_alphanumeric())
    })
}

#[test]
fn redacted_seed_snapshot() {
    let report = common::check_equivalent(&common::load_bundle("seed-technote"));
    let (redacted, mapping) = redact(&report);
    insta::assert_snapshot!("seed-technote.redacted.md", markdown::render(&redacted));
    insta::assert_snapshot!("seed-technote.redaction-map.json", mapping.to_json());
}

#[test]
fn a_name_cut_where_an_evidence_line_was_cut_is_replaced() {
    let mut report = common::check_equivalent(&common::load_bundle("seed-technote"));
    let line = format!("{} to MEDI", "x".repeat(nbtriage::report::EVIDENCE_TEXT_MAX - 8));
    assert_eq!(line.len(), nbtriage::report::EVIDENCE_TEXT_MAX);
    report.findings[0].evidence[0].text = line;
    let (redacted, _) = redact(&report);
    assert!(redacted.findings[0].evidence[0].text.ends_with(" to host-1"));
}

/// An internal reference tag (`[S36]`, `reference §5`, `§4.1`): it names a document users do not
/// have, so no report, rule listing or status text may carry one (issue 28).
fn internal_tags(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices("[S") {
        if text[i + 2..].starts_with(|c: char| c.is_ascii_digit()) {
            found.push(text[i..].chars().take(12).collect());
        }
    }
    for (i, _) in text.match_indices('§') {
        found.push(text[i.saturating_sub(12)..].chars().take(24).collect());
    }
    found
}

#[test]
fn no_report_of_any_bundle_carries_an_internal_reference_tag() {
    assert_eq!(internal_tags("x (reference §5 [S36]) y").len(), 2);
    for name in common::bundle_names() {
        let report = common::analyze_chunked(&common::load_bundle(&name), 1 << 20);
        for (format, rendered) in every_format(&report) {
            let tags = internal_tags(&rendered);
            assert!(tags.is_empty(), "{name}, {format}: internal reference tags {tags:?}");
        }
        for finding in &report.findings {
            assert!(!finding.source.trim().is_empty(), "{name}: {} cites no source", finding.rule);
        }
    }
}

#[test]
fn no_rule_or_status_text_carries_an_internal_reference_tag() {
    for rule in nbtriage::rules::all() {
        let fix = match rule.fix {
            nbtriage::rules::RuleFix::Text(t) => t.to_string(),
            nbtriage::rules::RuleFix::Steps(s) => s.join(" "),
        };
        for text in [rule.title, rule.meaning, rule.evidence, &fix, &rule.source, rule.caveats] {
            assert!(internal_tags(text).is_empty(), "rule {}: {text}", rule.id);
        }
    }
    for status in nbtriage::catalogue::STATUSES {
        for text in [status.meaning, status.read_next, status.source] {
            assert!(internal_tags(text).is_empty(), "status {}: {text}", status.code);
        }
    }
}

#[test]
fn every_source_names_a_public_document() {
    for s in nbtriage::catalogue::SOURCES {
        assert!(internal_tags(s.title).is_empty() && !s.title.is_empty(), "{}", s.id);
        assert!(s.url.is_none_or(|u| u.starts_with("http")), "{}", s.id);
    }
}

#[test]
fn redaction_keeps_nbtriage_own_words_for_hosts_not_named() {
    // A host the logs do not name is "the media server" in nbtriage's words: never a pseudonym.
    let report = common::analyze_chunked(&common::load_bundle("broken-pipe-24"), usize::MAX / 2);
    let (redacted, _) = redact(&report);
    let sentence = redacted.coverage_sentence().unwrap_or_default();
    assert!(sentence.contains("bpbrm and bptm from the media server"), "{sentence}");
    let send = redacted.headline.send.unwrap_or_default();
    assert!(send.contains("bpdm on the media server"), "{send}");
}

/// Issue 23: with Redact on, the jobs summary names no original client, policy, schedule,
/// server or storage unit, in the groups, the rows, the shares sentence or the reports.
#[test]
fn redaction_hides_the_job_lists_names() {
    let report = common::check_equivalent(&common::load_bundle("job-list-night"));
    let jobs = report.jobs.as_ref().expect("jobs");
    let mut names: Vec<String> = Vec::new();
    for r in &jobs.rows {
        names.extend([&r.client, &r.policy, &r.schedule, &r.media_server, &r.storage_unit].into_iter().cloned());
    }
    names.retain(|n| n.len() > 2);
    names.sort();
    names.dedup();
    assert!(names.len() > 10, "{names:?}");
    let (redacted, _) = redact(&report);
    let out = [
        json::render(&redacted),
        nbtriage::report::text::render(&redacted),
        nbtriage::report::markdown::render(&redacted),
        nbtriage::report::html::render(&redacted),
    ]
    .join("\n")
    .to_ascii_lowercase();
    for name in &names {
        assert!(!contains_word(&out, &name.to_ascii_lowercase()), "the redacted jobs keep {name}");
    }
}
