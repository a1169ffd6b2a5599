//! Tells text from binary by looking at a file's first bytes, the way a person would: known
//! signatures (an image, a PDF, an archive) and the share of control bytes.

/// How many leading bytes are looked at.
pub const SNIFF_BYTES: u64 = 64 * 1024;

/// A control-byte share above this, with no log line in the window, means "not text".
const BINARY_SHARE: f64 = 0.10;

#[derive(Debug, Default, Clone)]
pub struct Sniffer {
    head: [u8; 16],
    head_len: usize,
    seen: u64,
    control: u64,
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Text,
    /// Text in an encoding this version does not read.
    Utf16,
    /// A known binary format, by its signature.
    Known(&'static str),
    /// Not text, by its share of control bytes.
    Binary,
}

impl Sniffer {
    /// Counts the part of `chunk` that falls within the first [`SNIFF_BYTES`].
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.seen >= SNIFF_BYTES {
            return;
        }
        let take = chunk.len().min((SNIFF_BYTES - self.seen) as usize);
        let part = &chunk[..take];
        let head_room = self.head.len() - self.head_len;
        let copy = head_room.min(part.len());
        self.head[self.head_len..self.head_len + copy].copy_from_slice(&part[..copy]);
        self.head_len += copy;
        self.control += part.iter().filter(|&&b| is_control(b)).count() as u64;
        self.seen += take as u64;
    }

    /// The verdict on what has been seen. `has_log_lines` says whether any line in the window
    /// was a log line: real logs with a few stray control bytes stay text.
    pub fn verdict(&self, has_log_lines: bool) -> Verdict {
        let head = &self.head[..self.head_len];
        if let Some(name) = signature(head) {
            return Verdict::Known(name);
        }
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            return Verdict::Utf16;
        }
        if !has_log_lines && self.seen > 0 && self.control as f64 / self.seen as f64 > BINARY_SHARE {
            return Verdict::Binary;
        }
        Verdict::Text
    }
}

fn is_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)
}

/// A Windows event log as Event Viewer keeps it: binary, exported as text by `wevtutil`.
pub const EVTX: &str = "a Windows event log (.evtx, binary)";

/// File signatures of what people attach by mistake, or archives this version does not open.
fn signature(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive"),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"\x1f\x8b", "a gzip-compressed file"),
        (b"BZh", "a bzip2-compressed file"),
        (b"\xfd7zXZ\x00", "an xz-compressed file"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"MZ", "a Windows program or library"),
        (b"\x7fELF", "a Linux/UNIX program or library"),
        (b"\xd0\xcf\x11\xe0", "an Office document"),
        (b"\x1a\x45\xdf\xa3", "a video file"),
        // The file header's signature (libyal's "Windows XML Event Log (EVTX)" format notes).
        (b"ElfFile\x00", EVTX),
    ];
    SIGNATURES.iter().find(|(magic, _)| head.starts_with(magic)).map(|&(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(bytes: &[u8], has_log_lines: bool) -> Verdict {
        let mut s = Sniffer::default();
        for c in bytes.chunks(3) {
            s.feed(c);
        }
        s.verdict(has_log_lines)
    }

    #[test]
    fn signatures_and_shares() {
        assert_eq!(verdict(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", false), Verdict::Known("a PNG image"));
        assert_eq!(verdict(b"%PDF-1.7\n", false), Verdict::Known("a PDF document"));
        assert_eq!(verdict(&[0xFF, 0xFE, b'1', 0], false), Verdict::Utf16);
        assert_eq!(verdict(b"ElfFile\0\0\0\0\0\0\0\0\0", false), Verdict::Known(EVTX));
        assert_eq!(verdict(b"ElfFiles are not event logs", false), Verdict::Text);
        assert_eq!(verdict(&[0u8; 100], false), Verdict::Binary);
        assert_eq!(verdict(&[0u8; 100], true), Verdict::Text);
        assert_eq!(verdict(b"plain words\r\n\tand tabs\n", false), Verdict::Text);
    }
}
