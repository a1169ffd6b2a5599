//! NetBackup constants the correlation rules quote, each with its public source.
//! Tables (statuses, errors, signatures) are data: see `src/catalogue/`.

/// PBX, the port NetBackup tries first (Veritas 100021789, "PBX port registration and usage").
pub const PBX_PORT: u16 = 1556;
/// vnetd, the fallback (Veritas 100025745 / TECH167276, whose firewall log shows `faddr .../13724`).
pub const VNETD_PORT: u16 = 13724;

/// A wait shorter than this is an answer, not silence: nbtriage's threshold, based on TCP
/// retransmitting an unanswered SYN after about a second (Source: RFC 6298's initial timeout), so
/// a refusal or an accept comes well before.
pub const MIN_SILENT_WAIT_MS: i64 = 1000;
