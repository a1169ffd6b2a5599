//! The core's sentences as the page shows them, from `report::prose`'s pieces (the reports show
//! the same): text quoted from a log becomes a `<code>` element, and a command line a copyable
//! block. Counts agree with their numbers (`numbers::count`). Presentation only.

use crate::report::prose::{pieces, plain, Piece};
use crate::web::dom::{self, add, attr};
use web_sys::Element;

pub use crate::numbers::{count, counted};

/// Appends `text` to `parent` as plain prose: tags left out, quotes as code, commands as
/// copyable blocks.
pub fn prose(parent: &Element, text: &str) {
    let cleaned = plain(text);
    for piece in pieces(&cleaned) {
        match piece {
            Piece::Words(w) => dom::text(parent, &w),
            Piece::Quote(q) => {
                add(parent, "code", "", &q);
            }
            Piece::Command(c) => command(parent, &c),
        }
    }
}

/// Appends `text` inside a block that is copied whole (a request, the headline's message):
/// quotes and commands alike as code, with no button of their own.
pub fn block_prose(parent: &Element, text: &str) {
    for piece in pieces(&plain(text)) {
        match piece {
            Piece::Words(w) => dom::text(parent, &w),
            Piece::Quote(q) | Piece::Command(q) => {
                add(parent, "code", "", &q);
            }
        }
    }
}

/// A command in a copyable block: the command as code and a Copy button.
pub fn command(parent: &Element, command: &str) {
    let block = add(parent, "span", "command", "");
    add(&block, "code", "", command);
    copy_button(&block, "Copy command", command);
}

/// A Copy button that copies `text` (through the page's one delegated click listener).
pub fn copy_button(parent: &Element, label: &str, text: &str) -> web_sys::HtmlElement {
    let button = add(parent, "button", "copy", label);
    attr(&button, "type", "button");
    attr(&button, "data-copy", text);
    button
}

/// `<tag class>` with `text` as prose, appended to `parent`.
pub fn add_prose(parent: &Element, tag: &str, class: &str, text: &str) -> web_sys::HtmlElement {
    let e = add(parent, tag, class, "");
    prose(&e, text);
    e
}
