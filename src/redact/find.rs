//! Finding the names in one string: addresses, dotted host names, backup ids, names after the
//! words and flags that introduce them, user names in paths and mail addresses, and (in file
//! paths) every word that is not NetBackup's or common English. Each finder adds what it sees to
//! [`Found`]; nothing is replaced here.

use super::words::{is_protected, is_vocabulary};
use super::Kind;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;

/// Every name seen, by its lower-case spelling: the kind that wins (the lowest) and each
/// spelling seen.
#[derive(Debug, Default)]
pub struct Found {
    pub names: BTreeMap<String, (Kind, BTreeSet<String>)>,
}

impl Found {
    pub fn add(&mut self, kind: Kind, original: &str) {
        let original = original.trim();
        if original.len() < 2 || is_protected(original) {
            return;
        }
        let entry = self.names.entry(original.to_ascii_lowercase()).or_insert((kind, BTreeSet::new()));
        entry.0 = entry.0.min(kind);
        entry.1.insert(original.to_string());
    }
}

/// Names in any text of the report.
pub fn in_text(text: &str, found: &mut Found) {
    ipv4(text, found);
    ipv6(text, found);
    mail(text, found);
    user_paths(text, found);
    windows_accounts(text, found);
    url_and_unc_hosts(text, found);
    keywords(text, found);
    for (start, word) in name_words(text) {
        // The part after `@` is a mail domain, read by `mail`.
        if text[..start].ends_with('@') {
            continue;
        }
        if !backup_id(word, found) {
            dotted_host(word, found, false);
        }
    }
}

/// A host as the report names it: `media01`, `media01 (2.2.2.2)`, `appserver.domain.com`.
pub fn in_host_label(label: &str, found: &mut Found) {
    let name = label.split(" (").next().unwrap_or(label).trim();
    if name.is_empty() || name.eq_ignore_ascii_case("unknown host") || is_ip(name) {
        return;
    }
    if !dotted_host(name, found, true) {
        found.add(Kind::Host, name);
    }
}

/// A file's path: every word of every folder and of the file name that is not NetBackup's,
/// common English, a number or a file type; and the user in `<user>.<mmddyy>_<nnnnn>.log`.
pub fn in_path(path: &str, found: &mut Found) {
    let segments: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    if let Some(file) = segments.last() {
        if let Some((user, rest)) = file.split_once('.') {
            let date = rest.split('_').next().unwrap_or("");
            if date.len() == 6 && date.bytes().all(|b| b.is_ascii_digit()) && rest.contains('_') {
                found.add(Kind::User, user);
            }
        }
    }
    for segment in segments {
        if segment.len() == 2 && segment.ends_with(':') {
            continue; // a drive letter
        }
        for word in segment.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() < 2
                || word.chars().all(|c| c.is_ascii_digit())
                || is_vocabulary(word)
                || EXTENSIONS.contains(&word.to_ascii_lowercase().as_str())
            {
                continue;
            }
            found.add(Kind::Name, word);
        }
    }
}

/// Whether `text` is an IPv4 or IPv6 address.
fn is_ip(text: &str) -> bool {
    text.parse::<std::net::IpAddr>().is_ok()
}

/// `a.b.c.d`, alone or as `a.b.c.d.port` and `a.b.c.d:port`; not loopback, `0.0.0.0` or masks.
fn ipv4(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            bytes[i].is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let mut at = i;
        let mut octets = [0u32; 4];
        let mut ok = true;
        for (n, octet) in octets.iter_mut().enumerate() {
            let digits = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 || digits > 3 {
                ok = false;
                break;
            }
            *octet = text[at..at + digits].parse().unwrap_or(999);
            at += digits;
            if n < 3 {
                if bytes.get(at) != Some(&b'.') {
                    ok = false;
                    break;
                }
                at += 1;
            }
        }
        let ends = bytes.get(at).is_none_or(|b| !b.is_ascii_alphanumeric());
        if ok && ends && octets.iter().all(|&o| o <= 255) {
            let keep = octets[0] == 127 || octets == [0, 0, 0, 0] || octets[0] == 255;
            if !keep {
                found.add(Kind::Ip, &text[i..at]);
            }
            i = at;
        } else {
            i += 1;
        }
    }
}

/// IPv6 addresses (`fe80::1%eth0`, `[2001:db8::5]:1556`, `::ffff:10.1.2.3`), not `::1` or `::`.
fn ipv6(text: &str, found: &mut Found) {
    for token in text.split(|c: char| c.is_whitespace() || ",;()<>\"'=/\\|{}[]".contains(c)) {
        let token = token.trim_end_matches(['.', ':']);
        if token.matches(':').count() < 2 {
            continue;
        }
        let address = token.split('%').next().unwrap_or(token);
        if let Ok(ip) = address.parse::<Ipv6Addr>() {
            if !ip.is_loopback() && !ip.is_unspecified() {
                found.add(Kind::Ip, address);
            }
        }
    }
}

/// `user@example.com`: the user and the domain.
fn mail(text: &str, found: &mut Found) {
    for (at, _) in text.match_indices('@') {
        let local_start =
            text[..at].rfind(|c: char| !(c.is_ascii_alphanumeric() || "._%+-".contains(c))).map_or(0, |i| i + 1);
        let domain_end = text[at + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || ".-".contains(c)))
            .map_or(text.len(), |i| at + 1 + i);
        let (local, domain) = (&text[local_start..at], text[at + 1..domain_end].trim_end_matches('.'));
        if local.is_empty() || domain.is_empty() {
            continue;
        }
        found.add(Kind::User, local);
        if domain.contains('.') {
            found.add(Kind::Domain, domain);
        } else {
            found.add(Kind::Host, domain);
        }
    }
}

/// The user in `/home/<user>`, `/export/home/<user>`, `/Users/<user>`, `C:\Users\<user>`,
/// `C:\Documents and Settings\<user>`.
fn user_paths(text: &str, found: &mut Found) {
    let lower = text.to_ascii_lowercase();
    for marker in
        ["/home/", "\\home\\", "/users/", "\\users\\", "\\documents and settings\\", "/documents and settings/"]
    {
        for (at, _) in lower.match_indices(marker) {
            let start = at + marker.len();
            let end = text[start..]
                .find(|c: char| c == '/' || c == '\\' || c.is_whitespace() || "\"'<>:;,|)]".contains(c))
                .map_or(text.len(), |i| start + i);
            found.add(Kind::User, &text[start..end]);
        }
    }
}

/// `CORP\jsmith`: a Windows account, the domain in capitals (NetBIOS names), not a folder of
/// a path (`C:\Program Files`, `D:\NETBACKUP\LOGS`).
fn windows_accounts(text: &str, found: &mut Found) {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('\\') {
        let start = text[..at]
            .rfind(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'))
            .map_or(0, |i| i + 1);
        let domain = &text[start..at];
        let before = start.checked_sub(1).map(|i| bytes[i]);
        let in_path = matches!(before, Some(b'\\' | b'/' | b':')) || bytes.get(at + 1) == Some(&b'\\');
        if domain.len() < 2 || domain.len() > 15 || !domain.bytes().any(|b| b.is_ascii_uppercase()) || in_path {
            continue;
        }
        if before.is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "._$-".contains(c))).unwrap_or(rest.len());
        let user = rest[..end].trim_end_matches('.');
        if user.is_empty() || rest[end..].starts_with('\\') {
            continue; // `DOMAIN\folder\...` is a path
        }
        found.add(Kind::User, user);
        found.add(Kind::Domain, domain);
    }
}

/// The host in `scheme://host...` and `\\host\share`.
fn url_and_unc_hosts(text: &str, found: &mut Found) {
    let starts = text.match_indices("://").map(|(i, _)| i + 3).chain(
        text.match_indices("\\\\")
            .filter(|&(i, _)| i == 0 || text[..i].ends_with(|c: char| c.is_whitespace() || "\"'=(".contains(c)))
            .map(|(i, _)| i + 2),
    );
    for start in starts.collect::<Vec<_>>() {
        let rest = &text[start..];
        let rest = rest.split_once('@').filter(|(user, _)| !user.contains(['/', '\\'])).map_or(rest, |(_, host)| host);
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || ".-_".contains(c))).unwrap_or(rest.len());
        let host = rest[..end].trim_end_matches('.');
        if !host.is_empty() && !is_ip(host) && !public(host) && !dotted_host(host, found, true) {
            found.add(Kind::Host, host);
        }
    }
}

/// What a word or flag introduces.
const KEYWORDS: &[(&str, Kind, Form)] = &[
    ("-c", Kind::Host, Form::Flag),
    ("-client", Kind::Host, Form::Flag),
    ("-clnt", Kind::Host, Form::Flag),
    ("-S", Kind::Host, Form::Flag),
    ("-server", Kind::Host, Form::Flag),
    ("-M", Kind::Host, Form::Flag),
    ("-h", Kind::Host, Form::Flag),
    ("-hn", Kind::Host, Form::Flag),
    ("-host", Kind::Host, Form::Flag),
    ("-hostname", Kind::Host, Form::Flag),
    ("-mediasvr", Kind::Host, Form::Flag),
    ("-media_server", Kind::Host, Form::Flag),
    ("-cl", Kind::Policy, Form::Flag),
    ("-class", Kind::Policy, Form::Flag),
    ("-policy", Kind::Policy, Form::Flag),
    ("-sched", Kind::Schedule, Form::Flag),
    ("-stunit", Kind::StorageUnit, Form::Flag),
    ("-stu", Kind::StorageUnit, Form::Flag),
    ("-b", Kind::BackupId, Form::Flag),
    ("-backupid", Kind::BackupId, Form::Flag),
    ("-ru", Kind::User, Form::Flag),
    ("-user", Kind::User, Form::Flag),
    ("client", Kind::Host, Form::Word),
    ("client name", Kind::Host, Form::Word),
    ("client_name", Kind::Host, Form::Word),
    ("clientname", Kind::Host, Form::Word),
    ("server", Kind::Host, Form::Word),
    ("media server", Kind::Host, Form::Word),
    ("master server", Kind::Host, Form::Word),
    ("primary server", Kind::Host, Form::Word),
    ("mediaserver", Kind::Host, Form::Word),
    ("media_server", Kind::Host, Form::Word),
    ("masterserver", Kind::Host, Form::Word),
    ("master_server", Kind::Host, Form::Word),
    ("emmserver", Kind::Host, Form::Word),
    ("host", Kind::Host, Form::Word),
    ("host name", Kind::Host, Form::Word),
    ("hostname", Kind::Host, Form::Word),
    ("policy", Kind::Policy, Form::Word),
    ("policy name", Kind::Policy, Form::Word),
    ("policy_name", Kind::Policy, Form::Word),
    ("policyname", Kind::Policy, Form::Word),
    ("class", Kind::Policy, Form::Word),
    ("schedule", Kind::Schedule, Form::Word),
    ("schedule name", Kind::Schedule, Form::Word),
    ("schedule_name", Kind::Schedule, Form::Word),
    ("sched", Kind::Schedule, Form::Word),
    ("storage unit", Kind::StorageUnit, Form::Word),
    ("storage_unit", Kind::StorageUnit, Form::Word),
    ("storageunit", Kind::StorageUnit, Form::Word),
    ("stunit", Kind::StorageUnit, Form::Word),
    ("stu", Kind::StorageUnit, Form::Word),
    ("backupid", Kind::BackupId, Form::Word),
    ("backup_id", Kind::BackupId, Form::Word),
    ("backup id", Kind::BackupId, Form::Word),
    ("user", Kind::User, Form::Word),
    ("user name", Kind::User, Form::Word),
    ("username", Kind::User, Form::Word),
    ("user_name", Kind::User, Form::Word),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `-c myclient`: a command-line flag, then spaces.
    Flag,
    /// `client myclient`, `client: myclient`, `CLIENT_NAME = myclient`, `client=myclient`.
    Word,
}

/// The name after each word or flag that introduces one. After a word and a space or `:` the
/// name must not be a word of [`is_vocabulary`] ("client was", "host: an assumption"); after a
/// flag or `=` it is taken unless it is a NetBackup word.
fn keywords(text: &str, found: &mut Found) {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    for &(keyword, kind, form) in KEYWORDS {
        let needle = keyword.to_ascii_lowercase();
        for (at, _) in lower.match_indices(&needle) {
            // Flags are case-sensitive (`-S` is a server, `-s` a start date).
            if form == Form::Flag && &text[at..at + keyword.len()] != keyword {
                continue;
            }
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let starts = match form {
                Form::Flag => before.is_none_or(|b| b.is_ascii_whitespace() || b == b'"' || b == b'\''),
                Form::Word => before.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-')),
            };
            if !starts {
                continue;
            }
            let mut i = at + keyword.len();
            let spaces = bytes[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            i += spaces;
            let mut marked = false;
            let assigned = bytes.get(i) == Some(&b'=');
            if form == Form::Word && matches!(bytes.get(i), Some(b':' | b'=')) {
                marked = true;
                i += 1;
                i += bytes[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            }
            if spaces == 0 && !marked {
                continue;
            }
            if matches!(bytes.get(i), Some(b'"' | b'\'')) {
                i += 1;
            }
            let len = bytes[i..].iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"._-$".contains(&b)).count();
            let value = text[i..i + len].trim_end_matches(['.', '-']);
            // `client=x` and flags name a name; after `client ` or `host: ` prose may follow.
            let strict = form == Form::Word && !assigned;
            if value.len() < 2
                || value.starts_with('-')
                || value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                || is_ip(value)
                || (strict && is_vocabulary(value))
            {
                continue;
            }
            match kind {
                Kind::Host => {
                    if !dotted_host(value, found, true) {
                        found.add(Kind::Host, value);
                    }
                }
                Kind::BackupId => {
                    if !backup_id(value, found) {
                        found.add(Kind::BackupId, value);
                    }
                }
                _ => found.add(kind, value),
            }
        }
    }
}

/// Words that can be names or dotted names: letters, digits, `.`, `-`, `_`, ends trimmed.
fn name_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let inside = c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = &text[s..i];
                let trimmed = word.trim_start_matches(['.', '-', '_']);
                let offset = s + (word.len() - trimmed.len());
                let trimmed = trimmed.trim_end_matches(['.', '-', '_']);
                if !trimmed.is_empty() {
                    words.push((offset, trimmed));
                }
                start = None;
            }
            _ => {}
        }
    }
    words.into_iter()
}

/// `<client>_<10-digit time>`: the backup id, and its client as a host. Whether it was one.
fn backup_id(word: &str, found: &mut Found) -> bool {
    let Some((client, time)) = word.rsplit_once('_') else { return false };
    let client_ok = !client.is_empty() && client.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if time.len() != 10 || !time.bytes().all(|b| b.is_ascii_digit()) || !client_ok {
        return false;
    }
    found.add(Kind::BackupId, word);
    if !dotted_host(client, found, true) {
        found.add(Kind::Host, client);
    }
    true
}

/// A dotted host name (`appserver.domain.com`): its first label as a host and the rest as a
/// domain (or the whole as a host when its first label is a common word). Unless `certain`
/// (the text names a host there), the last label must look like a top-level domain, not a file
/// type (`bpbrm.exe`) or a number (`10.5`). Whether it was one.
fn dotted_host(word: &str, found: &mut Found, certain: bool) -> bool {
    let labels: Vec<&str> = word.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        || is_ip(word)
    {
        return false;
    }
    let tld = labels[labels.len() - 1].to_ascii_lowercase();
    let looks_like_domain = tld.len() >= 2
        && tld.len() <= 24
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !EXTENSIONS.contains(&tld.as_str())
        && (labels.len() > 2 || TLDS.contains(&tld.as_str()) || tld.len() == 2);
    // `com.veritas.nbu` is a Java package, not a host.
    let reversed = !certain && ["com", "org", "net"].contains(&labels[0].to_ascii_lowercase().as_str());
    if !(certain || looks_like_domain) || reversed || labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if public(word) {
        return true;
    }
    let (short, domain) = word.split_once('.').unwrap_or((word, ""));
    if is_protected(word) {
        return true;
    }
    if is_vocabulary(short) || short.bytes().all(|b| b.is_ascii_digit()) {
        found.add(Kind::Host, word);
    } else {
        found.add(Kind::Host, short);
    }
    if !domain.is_empty() && !is_protected(domain) {
        found.add(Kind::Domain, domain);
    }
    true
}

/// Domains that name no customer: the vendors whose articles the fixes cite, and the host of
/// every public source a finding cites (`catalogue::SOURCES`), so that its address stays readable.
fn public(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    ["veritas.com", "symantec.com", "broadcom.com", "cohesity.com", "microsoft.com"]
        .iter()
        .any(|d| lower == *d || lower.ends_with(&format!(".{d}")))
        || crate::catalogue::SOURCES
            .iter()
            .filter_map(|s| s.url)
            .any(|url| source_host(url).eq_ignore_ascii_case(&lower))
}

/// `www.rfc-editor.org` of `https://www.rfc-editor.org/rfc/rfc6298`.
fn source_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// File types: a dotted word ending in one is a file name, not a host.
const EXTENSIONS: &[&str] = &[
    "log", "txt", "exe", "dll", "so", "conf", "cfg", "ini", "xml", "json", "html", "htm", "js", "css", "gz", "tgz",
    "tar", "zip", "bz2", "xz", "rar", "cpp", "cc", "hpp", "java", "py", "pl", "sh", "bat", "cmd", "ps1", "md", "csv",
    "dat", "db", "bak", "tmp", "out", "err", "lock", "pid", "sys", "msi", "cab", "lst", "img", "iso", "vhd", "vhdx",
    "vmdk", "mdf", "ldf", "nsf", "pst", "edb", "dmp", "core", "jar", "class", "sql", "bin", "tir", "old", "new",
    "snap", "png", "jpg", "pdf", "doc", "docx", "xls", "xlsx", "evtx", "etl", "ntf", "ndf", "trn",
];

/// Top-level domains a two-label name may end in (`appserver.local`); longer names may end
/// in any word that is not a file type.
const TLDS: &[&str] = &[
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "local", "lan", "corp", "internal", "intra",
    "intranet", "home", "localnet", "ad", "priv", "private", "site", "cloud", "online", "global", "group",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Kind)> {
        let mut found = Found::default();
        in_text(text, &mut found);
        found.names.into_iter().map(|(k, (kind, _))| (k, kind)).collect()
    }

    fn has(text: &str, name: &str, kind: Kind) {
        let all = names(text);
        assert!(all.contains(&(name.to_string(), kind)), "{name} ({kind:?}) in {text:?}: {all:?}");
    }

    fn none(text: &str) {
        assert_eq!(names(text), vec![], "{text:?}");
    }

    #[test]
    fn addresses() {
        has("2.2.2.2.1556: CONNECT FROM 3.3.3.3.57276", "2.2.2.2", Kind::Ip);
        has("2.2.2.2.1556: CONNECT FROM 3.3.3.3.57276", "3.3.3.3", Kind::Ip);
        has("to 10.20.30.40:13724", "10.20.30.40", Kind::Ip);
        has("peer [2001:db8::5]:1556 closed", "2001:db8::5", Kind::Ip);
        has("from fe80::1%eth0 and ::ffff:10.1.2.3", "fe80::1", Kind::Ip);
        has("from ::ffff:10.1.2.3.", "::ffff:10.1.2.3", Kind::Ip);
        none("127.0.0.1 0.0.0.0 ::1 :: 255.255.255.0 localhost");
        none("17:46:36.299 [5592.5372] <2> JobScheduler::run 10.5 s v1.2.3.4 1.2.3.4567");
    }

    #[test]
    fn dotted_names_backup_ids_mail_and_paths() {
        has("from client appserver.domain.com: TRV", "appserver", Kind::Host);
        has("from client appserver.domain.com: TRV", "domain.com", Kind::Domain);
        has("connect to nbu01.acme.local failed", "nbu01", Kind::Host);
        has("backupid=tnaspr04_1263920501, Kbytes", "tnaspr04_1263920501", Kind::BackupId);
        has("backupid=tnaspr04_1263920501, Kbytes", "tnaspr04", Kind::Host);
        has("mail jsmith@corp.example.com now", "jsmith", Kind::User);
        has("TRV - /home/alice/data and C:\\Users\\Bob Smith\\x", "alice", Kind::User);
        has("TRV - /home/alice/data and C:\\Users\\Bob\\x", "bob", Kind::User);
        has("open \\\\fileserv9\\share", "fileserv9", Kind::Host);
        has("logon as CORP\\svc_nbu failed", "svc_nbu", Kind::User);
        has("logon as CORP\\svc_nbu failed", "corp", Kind::Domain);
        none("C:\\Program Files\\Veritas\\NetBackup\\logs and D:\\NETBACKUP\\LOGS\\BPBRM and NT AUTHORITY\\SYSTEM");
        has("see https://nbu-primary:1556/x", "nbu-primary", Kind::Host);
        none("bpbrm.exe nbjm.txt root.060311_00001.log e.g. the end. Next: bp.conf 3787.86");
        none("Source: https://www.veritas.com/support/en_US/article.100024894");
        none("Source: RFC 6298 (https://www.rfc-editor.org/rfc/rfc6298)");
    }

    #[test]
    fn names_after_words_and_flags() {
        let line = "bptm: INITIATING -w -jobid 12 -stunit stu_disk1 -mediasvr media01 -b myclient_1307115858 -cl Policy-A -c myclient -sched Full_Weekly -ru jdoe";
        has(line, "stu_disk1", Kind::StorageUnit);
        has(line, "media01", Kind::Host);
        has(line, "policy-a", Kind::Policy);
        has(line, "myclient", Kind::Host);
        has(line, "full_weekly", Kind::Schedule);
        has(line, "jdoe", Kind::User);
        has(line, "myclient_1307115858", Kind::BackupId);
        has("starting backup for client zeta9, policy NightlyFS on storage unit dd-stu2", "nightlyfs", Kind::Policy);
        has("starting backup for client zeta9, policy NightlyFS on storage unit dd-stu2", "dd-stu2", Kind::StorageUnit);
        has("CLIENT_NAME = winbox", "winbox", Kind::Host);
        // Prose is not a name.
        none("the client was slow; the host of it; on the media server (the one); client bpcd failed");
        none("-s 06/03/2011 -S 10 -c 3");
    }

    #[test]
    fn paths() {
        let mut found = Found::default();
        in_path("C:/cases/ACME Corp/media01.zip/bpbrm/jsmith.060311_00001.log", &mut found);
        let names: Vec<&str> = found.names.keys().map(String::as_str).collect();
        assert_eq!(names, ["acme", "corp", "jsmith", "media01"]);
        assert_eq!(found.names["jsmith"].0, Kind::User);
        let mut found = Found::default();
        in_path("usr/openv/netbackup/logs/bpcd/root.060311_00001.log", &mut found);
        in_path("media01/nbjm.txt", &mut found);
        assert_eq!(found.names.keys().collect::<Vec<_>>(), ["media01"]);
    }
}
