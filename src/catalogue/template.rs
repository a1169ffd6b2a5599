//! Fills a signature's words: `{hole}` takes the hole's value, `{status.message}` the status's
//! official message, `{errno.meaning}` what the error means, and the built-ins `{count}`,
//! `{times}` ("once", "3 times"), `{lines}` ("1 line"), `{where}` ("bptm on media01"), `{when}`,
//! `{hosts}` and `{process}` what the lines say. `{{` and `}}` are braces.
//! The build checks every name a template uses (`compile/check.rs`), so none is ever left unfilled.

/// Fills `template`, asking `value` for each `{name}`. A name it cannot fill is left as written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(at) = rest.find(['{', '}']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if let (true, Some(close)) = (tail.starts_with('{'), tail.find('}')) {
            let name = &tail[1..close];
            match value(name) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&tail[..=close]),
            }
            rest = &tail[close + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fills_names_and_keeps_braces() {
        let value = |name: &str| match name {
            "errno" => Some("62".to_string()),
            "errno.meaning" => Some("timer expired".to_string()),
            _ => None,
        };
        assert_eq!(fill("errno {errno} ({errno.meaning}) {{x}}", value), "errno 62 (timer expired) {x}");
        assert_eq!(fill("{unknown} and }", value), "{unknown} and }");
        assert_eq!(fill("no holes", value), "no holes");
    }
}
