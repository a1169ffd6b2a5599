//! A host's NetBackup settings as `bp.conf` holds them (UNIX: `/usr/openv/netbackup/bp.conf`):
//! one `KEY = value` a line, `#` comment lines, keys such as SERVER and MEDIA_SERVER repeated,
//! one entry a line, in order. A file is taken for one by its name (`bp.conf`) or, whatever its
//! name, by a `SERVER = ` line among its first lines (the one entry every UNIX client's bp.conf
//! holds: "the SERVER option must be in the /usr/openv/netbackup/bp.conf file on all NetBackup
//! UNIX clients", NetBackup UNIX client guide, copied at backupzone.blogspot.com/2007/05/bpconf-file.html).
//!
//! Written from the posted files in `tests/bundles/README.md` (`SERVER = fgedu99`,
//! `CLIENT_NAME = fgedu80`, Ansible's `# BEGIN ANSIBLE MANAGED ...` markers). Only shapes are
//! read here; what a key means is the rules' business.

/// The bytes of a value kept: host names and numbers, not prose.
pub const MAX_VALUE: usize = 255;
/// The bytes of a key kept: NetBackup's keys are short words (`CLIENT_CONNECT_TIMEOUT`).
const MAX_KEY: usize = 64;

pub use crate::vocab::settings::{same_host, Entry, HostSettings, Setting};

/// Whether a file's name is `bp.conf` (any case, any folder).
pub fn is_settings_name(path: &str) -> bool {
    path.rsplit(['/', '\\']).next().is_some_and(|file| file.eq_ignore_ascii_case("bp.conf"))
}

/// A `SERVER = ` line: the first lines' mark of a bp.conf whatever the file's name.
pub fn starts_settings(text: &[u8]) -> bool {
    matches!(read(text), Some((key, _)) if key == "SERVER")
}

/// Whether the line is a comment (`# ...`) or blank: part of a settings file, with no setting.
pub fn is_comment_or_blank(text: &[u8]) -> bool {
    let text = text.trim_ascii();
    text.is_empty() || text[0] == b'#'
}

/// `KEY = value` (spaces around `=` optional, a trailing `\r` dropped): the key (upper-case
/// letters, digits and `_`, a letter first) and the trimmed value. `None` for any other line.
pub fn read(text: &[u8]) -> Option<(String, String)> {
    let text = text.trim_ascii();
    let eq = memchr::memchr(b'=', text)?;
    let key = text[..eq].trim_ascii_end();
    let well_formed = !key.is_empty()
        && key.len() <= MAX_KEY
        && key[0].is_ascii_uppercase()
        && key.iter().all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return None;
    }
    // Cut after decoding: a bad byte becomes U+FFFD, three bytes, so cutting the bytes first
    // could leave a value past its cap (found by the fuzz `line` target).
    let value = String::from_utf8_lossy(text[eq + 1..].trim_ascii());
    let value = value.trim_end();
    let value = &value[..floor_char(value, MAX_VALUE)];
    Some((String::from_utf8_lossy(key).into_owned(), value.to_string()))
}

/// The largest index at most `max` that does not split a character of `text`.
fn floor_char(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    (0..=max).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Option<(String, String)> {
        read(text.as_bytes())
    }

    #[test]
    fn a_value_of_bad_bytes_stays_within_its_cap() {
        let mut line = b"SERVER = ".to_vec();
        line.extend(std::iter::repeat_n(0x94u8, 200));
        let (_, value) = read(&line).unwrap();
        assert!(value.len() <= MAX_VALUE && value.chars().all(|c| c == '\u{FFFD}'));
    }

    #[test]
    fn reads_the_posted_lines() {
        // Verbatim from the posted file (tests/bundles/README.md, settings-read-timeout).
        assert_eq!(kv("SERVER = fgedu99"), Some(("SERVER".into(), "fgedu99".into())));
        assert_eq!(kv("CLIENT_NAME = fgedu80\r"), Some(("CLIENT_NAME".into(), "fgedu80".into())));
        assert_eq!(kv("CLIENT_READ_TIMEOUT=900"), Some(("CLIENT_READ_TIMEOUT".into(), "900".into())));
        assert_eq!(kv("  MEDIA_SERVER   =   m1  "), Some(("MEDIA_SERVER".into(), "m1".into())));
        assert!(starts_settings(b"SERVER = vxnbucfs"));
        assert!(!starts_settings(b"CLIENT_NAME = x"));
    }

    #[test]
    fn leaves_other_lines() {
        for line in ["# BEGIN ANSIBLE MANAGED CFS SERVERS", "", "vi bp.conf", "a = b", "=x", "17:49:54 x = y"] {
            assert_eq!(kv(line), None, "{line}");
        }
        assert!(is_comment_or_blank(b"  # x"));
        assert!(is_settings_name("client01/usr/openv/netbackup/BP.CONF"));
        assert!(!is_settings_name("bp.conf.bak"));
    }

    #[test]
    fn long_values_are_cut_on_a_character() {
        let line = format!("SERVER = {}", "é".repeat(200));
        let (_, value) = kv(&line).unwrap();
        assert!(value.len() <= MAX_VALUE && value.chars().all(|c| c == 'é'));
    }

    #[test]
    fn host_facts_from_the_posted_file() {
        let lines = ["SERVER = fgedu99", "SERVER = fgedu81", "CLIENT_NAME = fgedu80", "EMMSERVER = fgedu99"];
        let settings: Vec<Setting> = lines
            .iter()
            .zip(1..)
            .map(|(l, n)| {
                let (key, value) = kv(l).unwrap();
                Setting { key, value, line: n, offset: 0 }
            })
            .collect();
        let h = HostSettings::of(&settings, Some("folder01"));
        assert_eq!((h.host.as_deref(), h.host_source.as_deref()), (Some("fgedu80"), Some("client-name")));
        assert_eq!(h.servers.iter().map(|e| e.value.as_str()).collect::<Vec<_>>(), ["fgedu99", "fgedu81"]);
        assert_eq!(h.allows("FGEDU81.example.com").map(|(k, e)| (k, e.line)), Some(("SERVER", 2)));
        assert_eq!(h.allows("media01"), None);
        assert_eq!(h.client_read_timeout_s, None);
        let h = HostSettings::of(&settings[..2], Some("folder01"));
        assert_eq!(h.host_source.as_deref(), Some("folder"));
    }

    #[test]
    fn names_compare_short_and_long() {
        assert!(same_host("media01", "MEDIA01.example.com"));
        assert!(!same_host("media01", "media02"));
        assert!(!same_host("", ".x"));
    }
}
