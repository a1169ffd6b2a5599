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
const KEPT_COMMAND_LINES: u32 = 64;

/// Where a file's command output stands: the command whose lines come now, and how many lines
/// were kept.
#[derive(Debug, Default)]
pub(super) struct CommandScan {
    current: Option<commands::Command>,
    kept: u32,
}

impl ScanState {
    /// A line no log form reads, read as the file's command output when it is one; true when it
    /// was (an `EXIT STATUS` line there is the command's, not a process's). Once a file is a
    /// command's output, a later prompt line starts the next command's output (a ticket pastes
    /// several).
    pub(super) fn on_command_line(&mut self, line: &RawLine<'_>, text: &[u8]) -> bool {
        let read = match self.commands.current {
            Some(current) => commands::prompt(text).or_else(|| Some(current).zip(commands::read(current, text))),
            None if self.counts.other_lines < FIRST_OTHER_LINES => {
                let found = commands::prompt(text).or_else(|| commands::first_output(text));
                if let Some((command, _)) = found {
                    self.facts.command = Some(command);
                    self.vote(command.name());
                }
                found
            }
            None => None,
        };
        let Some((command, fact)) = read else { return false };
        self.commands.current = Some(command);
        if self.commands.kept < KEPT_COMMAND_LINES {
            self.commands.kept += 1;
            let mut item = LineItem::other(line);
            item.facts.push(Fact::Command { command, fact });
            self.push_item(item, When::Continuation, OrderHint::Either);
        } else {
            self.push_item(LineItem::other(line), When::Other, OrderHint::Either);
        }
        true
    }
}
