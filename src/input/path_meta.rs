//! What a file's path says: which process wrote it, on which host, for which day.
//!
//! Legacy logs carry no date in their lines; the date is in the file name (reference §1.2):
//! `log.mmddyy` (older UNIX), `mmddyy.log` (older Windows), `mmddyy_nnnnn.log` (7.x/8.x,
//! uncertain) and `<user>.mmddyy_nnnnn.log` (9.0 and later, `nnnnn` a rotation counter).
//! Collected bundles keep the `<host>/<process>/<file>` layout, or the install layout
//! `.../netbackup/logs/<process>/<file>`, whose generic folders name no host.

use super::process;
use crate::vocab::time::{year_from_two_digits, Date};
use serde::{Deserialize, Serialize};

/// The file-name shapes NetBackup has used, as a reader would name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameForm {
    /// `log.mmddyy`
    LogDotDate,
    /// `mmddyy.log`
    DateDotLog,
    /// `mmddyy_nnnnn.log`
    DateRotation,
    /// `<user>.mmddyy_nnnnn.log`
    UserDateRotation,
    /// `51216-<originator id>-<host id>-<yymmdd>-<10 digits>.log`: a raw unified (VxUL) log
    /// (reference §2).
    Vxul { originator: u32 },
    /// No date in the name.
    Undated,
}

/// Where a name was read from, so the files panel can say how it decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Folder,
    FileName,
    Lines,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Folder => "folder",
            Source::FileName => "file name",
            Source::Lines => "lines",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathMeta {
    /// Process named by a folder or by the file name.
    pub process: Option<String>,
    pub process_source: Option<Source>,
    /// Host named by a folder above the process folder.
    pub host: Option<String>,
    pub date: Option<Date>,
    /// The rotation counter (`_nnnnn`), ordering one day's files.
    pub rotation: Option<u32>,
    pub form: NameForm,
}

/// Folder names that belong to NetBackup's install layout or to a collection and name no host.
const GENERIC_FOLDERS: &[&str] = &[
    "",
    ".",
    "..",
    "logs",
    "log",
    "netbackup",
    "openv",
    "usr",
    "veritas",
    "program files",
    "program files (x86)",
    "volmgr",
    "debug",
    "install_path",
    "legacy",
    "legacy_logs",
    "tmp",
    "var",
];

pub fn from_path(path: &str) -> PathMeta {
    let parts: Vec<&str> = path.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let Some((&file, mut folders)) = parts.split_last() else {
        return PathMeta {
            process: None,
            process_source: None,
            host: None,
            date: None,
            rotation: None,
            form: NameForm::Undated,
        };
    };
    let (form, date, rotation, user) = parse_file_name(file);
    // A compressed single file is read as `<name>.gz/<name>` (see `crate::item`): the `.gz`
    // is the file, not a folder.
    if let Some((&last, rest)) = folders.split_last() {
        if last.strip_suffix(".gz") == Some(file) {
            folders = rest;
        }
    }

    // The process folder is the parent, or the grandparent for non-root users
    // (`bpbrm/usr1/usr1.031020_00001.log`).
    let mut process = None;
    let mut host_search_from = None;
    for (depth, folder) in folders.iter().rev().enumerate().take(2) {
        if depth == 1 && user.as_deref() != Some(folders[folders.len() - 1]) {
            break;
        }
        if let Some((name, _)) = process::lookup(folder.as_bytes()) {
            process = Some(name.to_string());
            host_search_from = Some(folders.len() - 1 - depth);
            break;
        }
    }
    // A host's settings (`client01/usr/openv/netbackup/bp.conf`): the nearest folder that is not
    // part of the install layout names the host.
    if process.is_none() && file.eq_ignore_ascii_case("bp.conf") {
        host_search_from = Some(folders.len());
    }
    // A host's system log (`media01/var/log/messages`, `client01/journal.txt`): the same.
    if process.is_none() && is_system_log_name(file) {
        host_search_from = Some(folders.len());
    }
    // Loose files named after their process: `bpbrm.log`, `media01-bpcd-060311.log`. Their
    // folder may be anything (`incoming`, `Downloads`), so it does not name the host.
    if process.is_none() && host_search_from.is_none() {
        process = file
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .flat_map(|t| std::iter::once(t).chain(t.split(['-', '_'])))
            .find_map(|t| process::lookup(t.as_bytes()))
            .map(|(name, _)| name.to_string());
    }
    if let (None, NameForm::Vxul { originator }) = (&process, form) {
        process = crate::parse::vxul::originator_name(originator).map(str::to_string);
    }
    let process_source =
        process.as_ref().map(|_| if host_search_from.is_some() { Source::Folder } else { Source::FileName });
    let host = host_search_from.and_then(|end| {
        folders[..end].iter().map(|f| without_archive_suffix(f)).rev().take(6).find(|f| !is_generic_folder(f))
    });
    PathMeta { process, process_source, host, date, rotation, form }
}

/// The names the system log is kept or saved under: `messages` (`messages.1`, `messages-20240101`),
/// `syslog`, `kern.log`, `daemon.log`, `journal...` for `journalctl`'s output saved to a file, and
/// `eventlog...` for Windows' event log saved as text.
fn is_system_log_name(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    ["messages", "syslog", "kern.log", "daemon.log", "journal", "eventlog"]
        .iter()
        .any(|name| lower.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '-', '_'])))
}

/// `media01.zip` → `media01`: an archive named after a host names the host.
fn without_archive_suffix(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    for suffix in [".tar.gz", ".tgz", ".zip", ".tar", ".gz"] {
        if lower.ends_with(suffix) {
            return name[..name.len() - suffix.len()].to_string();
        }
    }
    name.to_string()
}

fn is_generic_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    GENERIC_FOLDERS.contains(&lower.as_str())
        || process::is_process(name.as_bytes())
        || (lower.len() == 2 && lower.ends_with(':')) // a drive letter
}

/// Returns the name form, date, rotation and user prefix of a file name.
fn parse_file_name(file: &str) -> (NameForm, Option<Date>, Option<u32>, Option<String>) {
    // Copies saved twice get ` (1)` in their name; people add `.txt` to open logs in an editor.
    let name = without_copy_marks(file);
    let name = name.strip_suffix(".txt").unwrap_or(&name);
    if let Some(d) = name.strip_prefix("log.").and_then(mmddyy) {
        return (NameForm::LogDotDate, Some(d), None, None);
    }
    if let Some(stem) = name.strip_suffix(".log") {
        if let Some((originator, date)) = vxul_name(stem) {
            return (NameForm::Vxul { originator }, date, None, None);
        }
        if let Some(d) = mmddyy(stem) {
            return (NameForm::DateDotLog, Some(d), None, None);
        }
        let (user, dated) = match stem.rsplit_once('.') {
            Some((user, dated)) => (Some(user.to_string()), dated),
            None => (None, stem),
        };
        if let Some((date, rotation)) = dated.split_once('_') {
            if let (Some(d), Ok(r)) = (mmddyy(date), rotation.parse::<u32>()) {
                if rotation.bytes().all(|b| b.is_ascii_digit()) {
                    let form = if user.is_some() { NameForm::UserDateRotation } else { NameForm::DateRotation };
                    return (form, Some(d), Some(r), user);
                }
            }
        }
    }
    (NameForm::Undated, None, None, None)
}

/// `060311 (2).log` → `060311.log`: removes every ` (N)` a browser or a copy added.
pub fn without_copy_marks(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find(" (") {
        let after = &rest[at + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after.as_bytes().get(digits) == Some(&b')') {
            out.push_str(&rest[..at]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..at + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `51216-116-2201360136-041029-0000000000`: the originator id and the date (YYMMDD).
fn vxul_name(stem: &str) -> Option<(u32, Option<Date>)> {
    let parts: Vec<&str> = stem.split('-').collect();
    let [product, originator, host, date, rollover] = parts[..] else { return None };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if product != "51216" || !digits(originator) || !digits(host) || !digits(date) || !digits(rollover) {
        return None;
    }
    let date = mmddyy(&format!("{}{}", date.get(2..6)?, date.get(..2)?));
    Some((originator.parse().ok()?, date))
}

fn mmddyy(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    Date::new(year_from_two_digits(n(4)), n(0), n(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str) -> (Option<String>, Option<String>, Option<String>, Option<u32>, NameForm) {
        let m = from_path(path);
        (m.process, m.host, m.date.map(Date::iso), m.rotation, m.form)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn name_forms() {
        assert_eq!(meta("bpbrm/log.060311"), (s("bpbrm"), None, s("2011-06-03"), None, NameForm::LogDotDate));
        assert_eq!(meta("bpbrm\\060311.log"), (s("bpbrm"), None, s("2011-06-03"), None, NameForm::DateDotLog));
        assert_eq!(meta("bptm/060311_00002.log"), (s("bptm"), None, s("2011-06-03"), Some(2), NameForm::DateRotation));
        assert_eq!(
            meta("/usr/openv/netbackup/logs/tar/root.031020_00001.log"),
            (s("tar"), None, s("2020-03-10"), Some(1), NameForm::UserDateRotation)
        );
        assert_eq!(
            meta("/usr/openv/netbackup/log/tar/usr1/usr1.031020_00001.log"),
            (s("tar"), None, s("2020-03-10"), Some(1), NameForm::UserDateRotation)
        );
        assert_eq!(
            meta("bpcd/ALL_ADMINS.060311_00001.log.txt"),
            (s("bpcd"), None, s("2011-06-03"), Some(1), NameForm::UserDateRotation)
        );
    }

    #[test]
    fn copy_marks_are_ignored() {
        assert_eq!(meta("bpbrm/060311 (2).log").2, s("2011-06-03"));
        assert_eq!(meta("bpbrm/log (1).060311").2, s("2011-06-03"));
        assert_eq!(without_copy_marks("a (x).log (3)"), "a (x).log");
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(meta("bpbrm/log.133111").2, None);
        assert_eq!(meta("bpbrm/022911.log").2, None);
        assert_eq!(meta("bpbrm/log.06031").2, None);
    }

    #[test]
    fn hosts_from_folders() {
        assert_eq!(meta("case/media01/bpbrm/060311.log").1, s("media01"));
        assert_eq!(
            meta("bundle/client-7/NetBackup/logs/bpcd/060311.log").1,
            s("client-7"),
            "install folders are skipped"
        );
        assert_eq!(meta("C:\\Program Files\\Veritas\\NetBackup\\logs\\bpcd\\060311.log").1, None);
        assert_eq!(meta("/usr/openv/netbackup/logs/bpbrm/log.060311").1, None);
        assert_eq!(meta("060311.log"), (None, None, s("2011-06-03"), None, NameForm::DateDotLog));
    }

    #[test]
    fn raw_unified_log_names() {
        let m = from_path("/usr/openv/logs/nbpem/51216-116-2201360136-041029-0000000000.log");
        assert_eq!(m.form, NameForm::Vxul { originator: 116 });
        assert_eq!(m.date.map(|d| d.iso()), s("2004-10-29"));
        assert_eq!(m.process, s("nbpem"));
        let loose = from_path("51216-117-1-101203-0000000001.log");
        assert_eq!((loose.process, loose.process_source), (s("nbjm"), Some(Source::FileName)));
    }

    #[test]
    fn paths_inside_archives() {
        assert_eq!(meta("media01.zip/bpbrm/log.060311").1, s("media01"), "an archive named after its host");
        assert_eq!(meta("media01/var/log/messages").1, s("media01"), "a host's system log");
        assert_eq!(meta("client01/messages-20240101").1, s("client01"), "a rotated system log");
        assert_eq!(meta("aragorn/journal.txt").1, s("aragorn"), "journalctl's output saved");
        assert_eq!(meta("win01/eventlog-application.txt").1, s("win01"), "an event log saved as text");
        assert_eq!(meta("incoming/messagesfromsupport.txt").1, None, "not a system log's name");
        assert_eq!(meta("cases/case9.tar.gz/client-7/bpcd/060311.log").1, s("client-7"));
        let gz = meta("media01/bpbrm/log.060311.gz/log.060311");
        assert_eq!((gz.0, gz.1, gz.2), (s("bpbrm"), s("media01"), s("2011-06-03")), "a single .gz is the file");
    }

    #[test]
    fn loose_files_named_after_their_process() {
        assert_eq!(meta("media01/bpbrm.log").0, s("bpbrm"));
        assert_eq!(meta("media01/bpbrm.log").1, None);
        assert_eq!(meta("incoming/client7-bpcd-060311.txt").0, s("bpcd"));
        assert_eq!(meta("notes.txt").0, None);
    }
}
