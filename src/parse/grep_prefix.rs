//! Lines quoted with the prefix `grep -r` (or `grep -rn`) puts before them: the file's path and
//! a colon, maybe a line number and another colon. Veritas 100052580 quotes MSDP's spad log so:
//! `bpdm/spad/020222.log:20:02:47 ERR [372116] [140611802953472]: 25128: deleteImage: ...`.

/// The longest prefix looked at.
const MAX_PREFIX: usize = 512;

/// The places where the line after a `path:` (and after a `path:lineno:`) prefix could start,
/// shortest prefix first. Empty when the line does not start with something path-like.
pub fn candidates(line: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let head = &line[..line.len().min(MAX_PREFIX)];
    // A Windows drive letter's colon is part of the path.
    let from = if head.len() > 2 && head[1] == b':' && matches!(head[2], b'\\' | b'/') { 2 } else { 0 };
    let colon = memchr::memchr(b':', &head[from..]).map(|p| from + p);
    let path_ok = colon.is_some_and(|c| {
        let path = &head[..c];
        // Windows paths (`C:\Program Files\...`) may hold spaces; others may not.
        !path.is_empty()
            && !path.iter().any(|b| (from == 0 && b.is_ascii_whitespace()) || matches!(b, b'[' | b'<' | b'(' | b'"'))
            && path.iter().any(|b| matches!(b, b'/' | b'\\' | b'.'))
    });
    let first = colon.filter(|_| path_ok).map(|c| c + 1);
    let second = first.and_then(|start| {
        let n = head[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        (n > 0 && head.get(start + n) == Some(&b':')).then_some(start + n + 1)
    });
    first.into_iter().chain(second).filter(move |&at| at < line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let line = b"bpdm/spad/020222.log:20:02:47 ERR [372116] [140611802953472]: 25128: x";
        assert_eq!(candidates(line).collect::<Vec<_>>(), vec![21, 24]);
        let line = b"C:\\Program Files\\Veritas\\NetBackup\\logs\\bpbrm\\111524.log:1:17:46:37.262 [1] <2> x";
        let after = line.windows(5).position(|w| w == b".log:").unwrap() + 5;
        assert_eq!(candidates(line).collect::<Vec<_>>(), vec![after, after + 2]);
        assert!(candidates(b"notes for you: a b/c").next().is_none(), "a path without spaces");
        let line = b"C:\\logs\\bpbrm\\111524.log:12:17:46:37.262 [1] <2> x";
        assert_eq!(candidates(line).collect::<Vec<_>>(), vec![25, 28]);
        assert!(candidates(b"Error bpbrm (pid=1): x").next().is_none());
        assert!(candidates(b"17:46:37.262 [1] <2> x").next().is_none());
    }
}
