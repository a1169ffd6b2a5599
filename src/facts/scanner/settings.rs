//! Settings: a file named `bp.conf`, or one whose first lines outside any log form hold a
//! `SERVER = ` line before any other line but comments, is read as a host's settings ([`crate::parse::settings`]). Only lines no log
//! form reads come here, and a file is judged by its name or its first few of them: the
//! debug-log scanner's hot path does no work for it.

use super::{LineItem, ScanState};
use crate::facts::limits::MAX_SETTINGS;
use crate::facts::timing::When;
use crate::input::lines::RawLine;
use crate::parse::date::OrderHint;
use crate::parse::settings::{self, Setting};

/// A settings file is recognized among a file's first lines outside any log form, no later.
const FIRST_OTHER_LINES: u64 = 4;

impl ScanState {
    /// A line no log form reads, read as a setting when the file is a settings file; true when
    /// it was (a comment or a blank line there belongs to the settings too).
    pub(super) fn on_settings_line(&mut self, line: &RawLine<'_>, text: &[u8]) -> bool {
        if self.facts.command.is_some() || self.facts.log_lines > 0 {
            return false;
        }
        let is_settings = self.settings_by_name
            || !self.facts.settings.is_empty()
            || (!self.settings_ruled_out
                && self.counts.other_lines < FIRST_OTHER_LINES
                && settings::starts_settings(text));
        if !is_settings {
            // A bp.conf starts with its SERVER lines (installation writes them; comments may come
            // first): a file whose first setting is another key (an install answer file's
            // CLIENT_NAME, say) is not taken for one by its lines.
            self.settings_ruled_out |= !settings::is_comment_or_blank(text);
            return false;
        }
        if !settings::is_comment_or_blank(text) {
            let Some((key, value)) = settings::read(text) else { return false };
            if self.facts.settings.len() < MAX_SETTINGS {
                self.facts.settings.push(Setting { key, value, line: line.number, offset: line.offset });
            }
        }
        self.push_item(LineItem::other(line), When::Other, OrderHint::Either);
        true
    }
}
