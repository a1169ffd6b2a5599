//! Small DOM helpers. Untrusted text (anything from a log or a file name) is only ever set
//! with [`text`] or [`set_text`], which create text nodes; there is no HTML path.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

pub fn document() -> Document {
    gloo::utils::document()
}

pub fn by_id(id: &str) -> HtmlElement {
    document().get_element_by_id(id).and_then(|e| e.dyn_into().ok()).unwrap_or_else(|| panic!("#{id} is in index.html"))
}

/// `<tag class="class">`.
pub fn el(tag: &str, class: &str) -> HtmlElement {
    let e: HtmlElement = document().create_element(tag).expect("create element").unchecked_into();
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// An SVG element.
pub fn svg(tag: &str) -> Element {
    document().create_element_ns(Some("http://www.w3.org/2000/svg"), tag).expect("create svg element")
}

/// Appends `content` as a text node.
pub fn text(parent: &Element, content: &str) {
    let node = document().create_text_node(content);
    let _ = parent.append_child(&node);
}

/// Replaces the children of `element` with `content` as text.
pub fn set_text(element: &Element, content: &str) {
    element.set_text_content(Some(content));
}

/// `<tag class>text</tag>` appended to `parent`.
pub fn add(parent: &Element, tag: &str, class: &str, content: &str) -> HtmlElement {
    let e = el(tag, class);
    if !content.is_empty() {
        text(&e, content);
    }
    let _ = parent.append_child(&e);
    e
}

pub fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

pub fn clear(e: &Element) {
    e.set_text_content(None);
}

pub fn show(e: &HtmlElement, visible: bool) {
    e.set_hidden(!visible);
}

/// Hands `text` to the browser as a file to save.
pub fn download(name: &str, mime: &str, text: &str) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let link: web_sys::HtmlAnchorElement = el("a", "").unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
}
