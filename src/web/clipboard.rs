//! Copying text, and saying so only when it was copied.
//!
//! The asynchronous clipboard (`navigator.clipboard.writeText`) exists only in a secure context
//! (https, or http on localhost): an intranet page on plain http has none. There the text is
//! selected and `document.execCommand('copy')` is tried; its answer is checked. When neither
//! works the text is left selected and the button says so: "Selected — press Ctrl+C".

use super::dom;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement};

pub const COPIED: &str = "Copied";
pub const SELECTED: &str = "Selected — press Ctrl+C";

/// Copies `text`, which `shown` displays (a `<pre>`), and says how it went on `button`.
pub fn copy(text: String, shown: Element, button: HtmlElement) {
    wasm_bindgen_futures::spawn_local(async move {
        let copied = write_text(&text).await || select_and_copy(&shown);
        if !copied {
            // Whatever the attempts did to the selection, leave the text selected for Ctrl+C.
            select(&shown);
        }
        dom::set_text(&button, if copied { COPIED } else { SELECTED });
        dom::attr(&button, "data-copied", if copied { "true" } else { "false" });
    });
}

/// The asynchronous clipboard, when the page may use it; whether it took the text.
async fn write_text(text: &str) -> bool {
    let window = gloo::utils::window();
    if !window.is_secure_context() {
        return false;
    }
    let navigator = window.navigator();
    // `navigator.clipboard` is undefined where the browser does not offer it.
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else { return false };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Selects what `shown` displays and asks the browser to copy the selection.
fn select_and_copy(shown: &Element) -> bool {
    if !select(shown) {
        return false;
    }
    let Ok(document) = dom::document().dyn_into::<web_sys::HtmlDocument>() else { return false };
    document.exec_command("copy").unwrap_or(false)
}

/// Selects the text of `shown`; whether it could.
fn select(shown: &Element) -> bool {
    let document = dom::document();
    let (Ok(range), Ok(Some(selection))) = (document.create_range(), gloo::utils::window().get_selection()) else {
        return false;
    };
    if range.select_node_contents(shown).is_err() {
        return false;
    }
    let _ = selection.remove_all_ranges();
    selection.add_range(&range).is_ok()
}
