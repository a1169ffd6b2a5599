//! NetBackup constants the correlation rules quote, each from `reference/netbackup-logs.md`.
//! Tables (statuses, errors, signatures) are data: see `src/catalogue/`.

/// PBX, the port NetBackup tries first (reference §4.1, [S10]).
pub const PBX_PORT: u16 = 1556;
/// vnetd, the fallback (reference §4.1, [S16]).
pub const VNETD_PORT: u16 = 13724;

/// The Veritas article behind the PBX and forward-socket rules (reference [S5]/[S9]).
pub const KB_PBX_DELAY: &str = "Veritas KB 100024894 (TECH162303), \"Ten second connection delays cause status 25\"";

/// A wait shorter than this is an answer, not silence: TCP retransmits an unanswered SYN after
/// about a second (RFC 6298's initial timeout), so a refusal or an accept comes well before.
pub const MIN_SILENT_WAIT_MS: i64 = 1000;
