//! The core's sentences as every renderer shows them (the page, the HTML, Markdown and text
//! reports): rule-id pointers ("(see pbx-connect-timeout)") are left out of prose, since a
//! finding's source stands at its foot, and so would be an internal reference tag ("(reference §5
//! [S36])"), though the catalogue build and `tests/reports.rs` keep those out of every report;
//! text quoted from a log between backticks is a quote, and a command line a command, which each
//! renderer marks its own way (`<code>`, a copyable block, quotation marks). The JSON keeps the
//! sentences as the rules wrote them: backticks mark the quotes there.

/// `text` without reference tags and rule-id pointers, with spaces tidied after them.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = matching_paren(&rest[open..]).map(|c| open + c) else { break };
        let inner = rest[open + 1..close].trim();
        let drop = inner.starts_with("reference §")
            || inner.starts_with('§')
            || inner.strip_prefix("see ").is_some_and(|id| is_rule_id(id.trim()));
        out.push_str(&rest[..open]);
        if drop {
            // Also the space before it: "code (§5 [S25]);" → "code;".
            while out.ends_with(' ') {
                out.pop();
            }
        } else {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A rule's id: kebab-case words, at least two (`pbx-connect-timeout`); "a manual" is not.
fn is_rule_id(text: &str) -> bool {
    text.contains('-')
        && text.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The index of the `)` that closes the `(` at the start of `s`.
fn matching_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A piece of prose: plain words, or text quoted between backticks.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    Words(String),
    /// Quoted from a log (or a setting, a file name): shown as code.
    Quote(String),
    /// A command line: shown in a copyable block.
    Command(String),
}

/// Splits `text` at its backticks. An unpaired backtick is dropped.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut words = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        words.push_str(&rest[..open]);
        let Some(len) = rest[open + 1..].find('`') else {
            rest = &rest[open + 1..];
            break;
        };
        let quoted = &rest[open + 1..open + 1 + len];
        if !quoted.is_empty() {
            if !words.is_empty() {
                out.push(Piece::Words(std::mem::take(&mut words)));
            }
            let quoted = quoted.to_string();
            out.push(if is_command(&quoted) { Piece::Command(quoted) } else { Piece::Quote(quoted) });
        }
        rest = &rest[open + 2 + len..];
    }
    words.push_str(&rest.replace('`', ""));
    if !words.is_empty() {
        out.push(Piece::Words(words));
    }
    out
}

/// A command line rather than a quoted line: a lower-case program name, then an option or a
/// path (`vxlogview -d all -i 117 > nbjm.txt`, `bpclntcmd -pn`).
fn is_command(quoted: &str) -> bool {
    let mut words = quoted.split_whitespace();
    let (Some(program), Some(next)) = (words.next(), words.next()) else { return false };
    program.starts_with(|c: char| c.is_ascii_lowercase())
        && program.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && (next.starts_with('-') || next.starts_with('/'))
}

/// `text` as plain words for a terminal or a log: tags left out, quotes and commands between
/// quotation marks.
pub fn text(text: &str) -> String {
    pieces(&plain(text))
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(w) => w,
            Piece::Quote(q) | Piece::Command(q) => format!("\"{q}\""),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_rule_ids_leave_the_prose() {
        assert_eq!(
            plain("A media failure code (reference §5 [S25]); 87 also shows up with 40 and 636 (§5 [S14])."),
            "A media failure code; 87 also shows up with 40 and 636."
        );
        assert_eq!(
            plain("waited 20.0 s in all for port 1556 (see pbx-connect-timeout): that is what delayed the job."),
            "waited 20.0 s in all for port 1556: that is what delayed the job."
        );
        // Other brackets stay.
        assert_eq!(
            plain("status 25 (cannot connect on socket) (see a manual)"),
            "status 25 (cannot connect on socket) (see a manual)"
        );
        assert_eq!(plain("unclosed (reference §5"), "unclosed (reference §5");
    }

    fn w(s: &str) -> Piece {
        Piece::Words(s.into())
    }

    #[test]
    fn backticks_become_quotes_and_commands() {
        assert_eq!(
            pieces("bpbrm logs `socket read failed: errno = 62` when"),
            vec![w("bpbrm logs "), Piece::Quote("socket read failed: errno = 62".into()), w(" when")]
        );
        assert_eq!(
            pieces("convert it with `vxlogview -d all -i 117 > nbjm.txt` and add it"),
            vec![w("convert it with "), Piece::Command("vxlogview -d all -i 117 > nbjm.txt".into()), w(" and add it")]
        );
        assert_eq!(pieces("tools (`vmoprcmd`, `robtest`)")[1], Piece::Quote("vmoprcmd".into()));
        assert_eq!(
            pieces("`bpbkar FATAL exit status = 40`"),
            vec![Piece::Quote("bpbkar FATAL exit status = 40".into())]
        );
        assert_eq!(pieces("a stray ` backtick"), vec![w("a stray  backtick")]);
        assert_eq!(pieces("no quotes"), vec![w("no quotes")]);
        assert_eq!(pieces("`bpclntcmd -pn`"), vec![Piece::Command("bpclntcmd -pn".into())]);
    }

    #[test]
    fn text_marks_quotes_with_quotation_marks() {
        assert_eq!(
            text("Run `bptestbpcd -client c -verbose` (see pbx-connect-timeout) (reference §5 [S15])."),
            "Run \"bptestbpcd -client c -verbose\"."
        );
    }
}
