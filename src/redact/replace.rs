//! Replacing every name in a string at once: the longest name that starts at a position wins,
//! ASCII case is ignored, and a name is replaced only where it stands as a whole word (no letter
//! or digit just before or after it), so `media01` is replaced in `media01-bpcd.log` and in
//! `media01_1307115858` but `media0` is not replaced inside `media01`.

use aho_corasick::{AhoCorasick, MatchKind};

pub struct Replacer {
    matcher: Option<AhoCorasick>,
    names: Vec<String>,
    pseudonyms: Vec<String>,
}

impl Replacer {
    /// `(original, pseudonym)` pairs.
    pub fn new(pairs: Vec<(String, String)>) -> Replacer {
        let (names, pseudonyms): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        let matcher = (!names.is_empty())
            .then(|| {
                AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::Standard).build(&names).ok()
            })
            .flatten();
        Replacer { matcher, names, pseudonyms }
    }

    pub fn apply(&self, text: &str) -> String {
        let Some(matcher) = &self.matcher else { return text.to_string() };
        let bytes = text.as_bytes();
        let mut found: Vec<(usize, usize, usize)> = matcher
            .find_overlapping_iter(text)
            .filter(|m| {
                let name = self.names[m.pattern().as_usize()].as_bytes();
                let whole_start =
                    !name[0].is_ascii_alphanumeric() || m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
                let whole_end = !name[name.len() - 1].is_ascii_alphanumeric()
                    || m.end() == bytes.len()
                    || !bytes[m.end()].is_ascii_alphanumeric();
                whole_start && whole_end
            })
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        if found.is_empty() {
            return text.to_string();
        }
        crate::order::sort_by(&mut found, |a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end, pattern) in found {
            if start < at {
                continue;
            }
            out.push_str(&text[at..start]);
            out.push_str(&self.pseudonyms[pattern]);
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

impl Replacer {
    /// Replaces the last word of `text` when it is the start of a name (a line cut inside
    /// `media01` ends in `medi`): by that name's pseudonym, the first in sorted order if several.
    pub fn cut_name_at_end(&self, text: &mut String) {
        let tail =
            text.len() - text.bytes().rev().take_while(|b| b.is_ascii_alphanumeric() || b".-_:".contains(b)).count();
        let partial = text[tail..].to_ascii_lowercase();
        if partial.is_empty() {
            return;
        }
        let whole = self
            .names
            .iter()
            .zip(&self.pseudonyms)
            .filter(|(name, _)| name.len() > partial.len() && name.to_ascii_lowercase().starts_with(&partial))
            .map(|(name, pseudonym)| (name.to_ascii_lowercase(), pseudonym))
            .min();
        if let Some((_, pseudonym)) = whole {
            text.truncate(tail);
            text.push_str(pseudonym);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replacer(pairs: &[(&str, &str)]) -> Replacer {
        Replacer::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
    }

    #[test]
    fn whole_words_longest_first_any_case() {
        let r = replacer(&[
            ("media01", "host-1"),
            ("media0", "host-2"),
            ("myclient", "host-3"),
            ("myclient_1307115858", "backup-1"),
            ("2.2.2.2", "ip-1"),
            ("corp.example.com", "domain-1"),
        ]);
        assert_eq!(r.apply("MEDIA01 (2.2.2.2) media0 media012"), "host-1 (ip-1) host-2 media012");
        assert_eq!(r.apply("-b myclient_1307115858 -c myclient"), "-b backup-1 -c host-3");
        assert_eq!(r.apply("2.2.2.2.1556 12.2.2.2.2x"), "ip-1.1556 12.2.2.2.2x");
        assert_eq!(r.apply("media01-bpcd.log myclient.corp.example.com"), "host-1-bpcd.log host-3.domain-1");
        assert_eq!(r.apply("nothing here, é media01é"), "nothing here, é host-1é");
        assert_eq!(replacer(&[]).apply("media01"), "media01");
    }

    #[test]
    fn a_name_cut_at_the_end_of_a_line() {
        let r = replacer(&[("media01", "host-1"), ("10.77.9.44", "ip-2")]);
        for (cut, expected) in [
            ("connect to MEDI", "connect to host-1"),
            ("from 10.77.9.", "from ip-2"),
            ("to media01", "to media01"),
            ("to nothing", "to nothing"),
            ("", ""),
        ] {
            let mut text = cut.to_string();
            r.cut_name_at_end(&mut text);
            assert_eq!(text, expected);
        }
    }
}
