//! A small JSON reader, for the one JSON input nbtriage reads (the REST API's jobs page). It is
//! hand-written rather than serde_json's deserializer because that deserializer (with the derive
//! and `untagged` buffering it needs) weighed about 20 KB gzipped in the page's worker, for a page
//! read once: this reads the whole text into a small tree, RFC 8259's grammar, numbers kept as
//! their text. Nesting deeper than [`MAX_DEPTH`] is an error, not a stack overflow.

/// One JSON value. Numbers keep their text (a job id needs all 64 bits, not an f64's 53).
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(String),
    Array(Vec<Json<'a>>),
    Object(Vec<(String, Json<'a>)>),
}

/// serde_json's limit too: deeper nesting is refused.
pub const MAX_DEPTH: u32 = 128;

impl<'a> Json<'a> {
    /// The member `key` of an object (its first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A whole non-negative number (`5`, not `5.0` or `-5`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }
}

/// Reads one JSON text (a UTF-8 byte order mark allowed before it). The error says what was
/// expected and at which byte.
pub fn parse(bytes: &[u8]) -> Result<Json<'_>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value(0)?;
    reader.space();
    match reader.at < bytes.len() {
        true => Err(reader.error("the end of the text")),
        false => Ok(value),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, expected: &str) -> String {
        match self.at < self.bytes.len() {
            true => format!("expected {expected} at byte {}", self.at),
            false => format!("expected {expected}, but the text ends at byte {}", self.at),
        }
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        let found = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    fn value(&mut self, depth: u32) -> Result<Json<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH} at byte {}", self.at));
        }
        self.space();
        match self.bytes.get(self.at) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => Ok(Json::Number(self.number())),
            _ => self.literal(),
        }
    }

    fn literal(&mut self) -> Result<Json<'a>, String> {
        let rest = &self.bytes[self.at..];
        let (value, len) = match () {
            _ if rest.starts_with(b"true") => (Json::Bool(true), 4),
            _ if rest.starts_with(b"false") => (Json::Bool(false), 5),
            _ if rest.starts_with(b"null") => (Json::Null, 4),
            _ => return Err(self.error("a value")),
        };
        self.at += len;
        Ok(value)
    }

    /// A number's text as written (checked when it is read as one: `as_u64`).
    fn number(&mut self) -> &'a str {
        let start = self.at;
        while matches!(self.bytes.get(self.at), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
            self.at += 1;
        }
        std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or("")
    }

    fn array(&mut self, depth: u32) -> Result<Json<'a>, String> {
        self.at += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            if self.eat(b']') {
                return Ok(Json::Array(items));
            }
            if !self.eat(b',') {
                return Err(self.error("',' or ']'"));
            }
        }
    }

    fn object(&mut self, depth: u32) -> Result<Json<'a>, String> {
        self.at += 1;
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Ok(Json::Object(members));
        }
        loop {
            self.space();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.error("a member's name"));
            }
            let key = self.string()?;
            if !self.eat(b':') {
                return Err(self.error("':'"));
            }
            members.push((key, self.value(depth + 1)?));
            if self.eat(b'}') {
                return Ok(Json::Object(members));
            }
            if !self.eat(b',') {
                return Err(self.error("',' or '}'"));
            }
        }
    }

    /// A string from its opening quote; escapes decoded, bad bytes and lone surrogates as U+FFFD.
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(&byte) = self.bytes.get(self.at) else { return Err(self.error("'\"'")) };
            self.at += 1;
            match byte {
                b'"' => return Ok(String::from_utf8_lossy(&out).into_owned()),
                b'\\' => {
                    let decoded = self.escape()?;
                    out.extend_from_slice(decoded.encode_utf8(&mut [0; 4]).as_bytes());
                }
                _ => out.push(byte),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        let Some(&byte) = self.bytes.get(self.at) else { return Err(self.error("an escape")) };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode(),
            _ => return Err(self.error("an escape")),
        })
    }

    /// `\uXXXX`, with a following `\uXXXX` when the first is a high surrogate.
    fn unicode(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u") {
            let back = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.at = back;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or_else(|| self.error("four hex digits"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("four hex digits"))?;
        let code = u32::from_str_radix(text, 16).map_err(|_| self.error("four hex digits"))?;
        self.at += 4;
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_values_a_jobs_page_holds() {
        let page = parse(br#"{"data":[{"type":"job","id":"5","attributes":{"jobId":18446744073709551615,"state":"DONE","x":[true,false,null,-1.5e3],"s":"a\"\\\/\u00e9\ud83d\ude00"}}]}"#).unwrap();
        let attributes = match page.get("data") {
            Some(Json::Array(items)) => items[0].get("attributes").unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(attributes.get("jobId").and_then(Json::as_u64), Some(u64::MAX));
        assert_eq!(attributes.get("state").and_then(Json::as_str), Some("DONE"));
        assert_eq!(attributes.get("s").and_then(Json::as_str), Some("a\"\\/é😀"));
        assert_eq!(
            attributes.get("x"),
            Some(&Json::Array(vec![Json::Bool(true), Json::Bool(false), Json::Null, Json::Number("-1.5e3")]))
        );
    }

    #[test]
    fn damage_is_an_error_that_says_where() {
        assert_eq!(parse(b"{\"data\": [").unwrap_err(), "expected a value, but the text ends at byte 10");
        assert_eq!(parse(b"{\"a\" 1}").unwrap_err(), "expected ':' at byte 5");
        assert_eq!(parse(b"[1] x").unwrap_err(), "expected the end of the text at byte 4");
        assert!(parse(b"\"\\ud800").is_err());
        assert!(parse(&[b'['; 200]).unwrap_err().starts_with("nesting deeper than 128"));
        assert_eq!(parse(b"\"\\ud800x\"").unwrap(), Json::String("\u{FFFD}x".into()));
    }
}
