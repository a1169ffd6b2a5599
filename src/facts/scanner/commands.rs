//! Command output: a file whose first lines run an admin command (`bptestbpcd`, `bpclntcmd`,
//! `nbcertcmd`) or show its first output line is read as that command's output
//! ([`crate::parse::commands`]). Only lines no log form reads come here, and a file is judged by
//! its first few of them: the debug-log scanner's hot path does no work for it.

use super::{LineItem, ScanState};
use crate::facts::timing::When;
use crate::facts::Fact;
use crate::input::lines::RawLine;
use crate::parse::commands;
use crate::parse::date::OrderHint;

/// A command is recognized among a file's first lines outside any log form, no later.
const FIRST_OTHER_LINES: u64 = 4;
/// Command lines kept as events per file: the command's verdict is in its first lines and its
/// exit, and a long listing must not grow the facts.
pub(super) const KEPT_COMMAND_LINES: u32 = 64;

impl ScanState {
    /// A line no log form reads, read as the file's command output when it is one; true when it
    /// was (an `EXIT STATUS` line there is the command's, not a process's).
    pub(super) fn on_command_line(&mut self, line: &RawLine<'_>, text: &[u8]) -> bool {
        let fact = match self.facts.command {
            Some(command) => commands::read(command, text),
            None if self.counts.other_lines < FIRST_OTHER_LINES => {
                let Some((command, fact)) = commands::prompt(text).or_else(|| commands::first_output(text)) else {
                    return false;
                };
                self.facts.command = Some(command);
                self.vote(command.name());
                Some(fact)
            }
            None => None,
        };
        let Some(fact) = fact else { return false };
        if self.command_lines < KEPT_COMMAND_LINES {
            self.command_lines += 1;
            let mut item = LineItem::other(line);
            item.facts.push(Fact::Command(fact));
            self.push_item(item, When::Continuation, OrderHint::Either);
        } else {
            self.push_item(LineItem::other(line), When::Other, OrderHint::Either);
        }
        true
    }
}
