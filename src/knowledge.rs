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
        150 => "termination requested by administrator",
        636 => "read from input socket failed",
        637 => "write on output socket failed",
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
