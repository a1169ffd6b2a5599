//! NetBackup facts the rules and reports quote, each from `reference/netbackup-logs.md`.

/// Official short messages of the status codes this tool names (reference §5; the wording is
/// Veritas's, via [S27] and [S28]).
pub fn status_message(status: u32) -> Option<&'static str> {
    Some(match status {
        1 => "the requested operation was partially successful",
        13 => "file read failed",
        14 => "file write failed",
        23 => "socket read failed",
        24 => "socket write failed",
        25 => "cannot connect on socket",
        40 => "network connection broken",
        41 => "network connection timed out",
        42 => "network read failed",
        44 => "network write failed",
        46 => "server not allowed access",
        48 => "client hostname could not be found",
        49 => "client did not start",
        54 => "timed out connecting to client",
        57 => "client connection refused",
        58 => "can't connect to client",
        59 => "access to the client was not allowed",
        83 => "media open error",
        84 => "media write error",
        85 => "media read error",
        86 => "media position error",
        87 => "media close error",
        150 => "termination requested by administrator",
        636 => "read from input socket failed",
        637 => "write on output socket failed",
        _ => return None,
    })
}

/// What the sources say a status usually means on the network side, for the codes where they
/// say something (reference §5, with its source tags).
pub fn status_notes(status: u32) -> Option<&'static str> {
    Some(match status {
        13 => "Often a network read timeout rather than a disk problem: bpbrm logs `socket read failed: errno = 62 - Timer expired` when the client was silent longer than CLIENT_READ_TIMEOUT (reference §5 [S36]).",
        14 => "A write to a file or socket failed; raised when an established socket drops (reference §5 [S12, S17]).",
        24 => "The client wrote into a dead data socket (`Errno = 32: Broken pipe`); also seen with TCP keepalive set too short (reference §5 [S21, S17]).",
        25 => "Cumulative 10 s delays falling back from PBX (port 1556) are a known cause (reference §5 [S9]).",
        40 => "nbjm marks a job 40 typically just over 2 hours after a silent drop (the Windows and RHEL keepalive default is 2 hours); on the client, `bpbkar FATAL exit status = 40` follows bpbrm's end (reference §5 [S17, S13, S36]).",
        41 => "The server heard nothing from the client for too long: CLIENT_READ_TIMEOUT / CLIENT_CONNECT_TIMEOUT, 300 s by default (reference §5 [S7]).",
        42 | 44 | 636 => "Listed as a symptom of TCP keepalive set too short (reference §5 [S17]).",
        46 => "The server is missing from the client's server list, or an encryption or certificate mismatch (reference §5 [S28]).",
        54 => "A connection to the client timed out after 60 s by default; bpcd, bprd, bpbrm and vnetd are involved (reference §5 [S15], secondary).",
        57 => "Nothing listening on bpcd's port 13782, or the client is not set to accept this server; also name resolution (reference §5 [S6b], secondary).",
        83..=87 => "A media failure code (reference §5 [S25]); 87 also shows up on long client-side-dedup jobs over WAN links and firewalls, with 40 and 636 (§5 [S14]).",
        _ => return None,
    })
}

/// `status 25 (cannot connect on socket)`, or `status N` for codes not in the table.
pub fn status_phrase(status: u32) -> String {
    match status_message(status) {
        Some(message) => format!("status {status} ({message})"),
        None => format!("status {status}"),
    }
}

/// PBX, the port NetBackup tries first (reference §4.1, [S10]).
pub const PBX_PORT: u16 = 1556;
/// vnetd, the fallback (reference §4.1, [S16]).
pub const VNETD_PORT: u16 = 13724;

/// The Veritas article behind the PBX and forward-socket rules (reference [S5]/[S9]).
pub const KB_PBX_DELAY: &str = "Veritas KB 100024894 (TECH162303), \"Ten second connection delays cause status 25\"";
