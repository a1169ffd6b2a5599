//! What one file's scan may hold, whatever the file's size (ARCHITECTURE.md, invariant 3), as
//! one value. The scanner is built with it, and records each cap it reaches
//! (`FileFacts::caps_reached`): the tests run it at [`Limits::TINY`] and see every cap reached
//! by some fixture, the way rust-analyzer's coverage marks show that a branch ran.

use serde::{Deserialize, Serialize};

/// The caps of one file's scan.
/// `KEY = value` lines kept from one settings file: a bp.conf holds tens, and a file that holds
/// more is not read further (its first entries, the server list among them, are kept).
pub const MAX_SETTINGS: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A line's bytes kept for analysis; the rest of a longer line is cut (`input::lines`).
    pub line_bytes: usize,
    /// Lines waiting for a later line's time (`timing::LineClock`).
    pub pending_lines: usize,
    /// Threads whose latest line is remembered, in a direct-mapped table by pid and tid (rounded
    /// up to a power of two): two threads that share a slot forget each other, and the silence
    /// between their lines is then missing, never wrong.
    pub thread_slots: usize,
    /// Error lines kept: this many of the first, and as many of the latest.
    pub error_lines: usize,
    /// CONNECT and ACCEPT lines kept before sampling by address hash starts (`retention`).
    pub sampled_connections: usize,
    /// Events waiting for a decision in `retention`.
    pub queued_events: usize,
    /// Lines kept per catalogue signature (the others are counted), and lines that state a
    /// status on their own (`Fact::StatedStatus`).
    pub signature_lines: u64,
    /// Threads with an open connect being followed; beyond it new ones are kept as they come.
    pub open_connects: usize,
    /// Job ids and pids kept (the ascending first ones).
    pub kept_ids: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        line_bytes: crate::input::lines::MAX_LINE,
        pending_lines: super::timing::PENDING_CAP,
        thread_slots: 64,
        error_lines: 16,
        sampled_connections: 1024,
        queued_events: 4096,
        signature_lines: 32,
        open_connects: 4096,
        kept_ids: 256,
    };

    /// Small enough that the fixture bundles (and `tests/limits.rs`'s interleaved connects)
    /// reach every cap.
    pub const TINY: Limits = Limits {
        line_bytes: 120,
        pending_lines: 2,
        thread_slots: 1,
        error_lines: 1,
        sampled_connections: 2,
        queued_events: 2,
        signature_lines: 1,
        open_connects: 1,
        kept_ids: 1,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// One of the caps of [`Limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    LineBytes,
    PendingLines,
    ThreadSlots,
    ErrorLines,
    SampledConnections,
    QueuedEvents,
    SignatureLines,
    OpenConnects,
    KeptIds,
}

impl Cap {
    pub const ALL: [Cap; 9] = [
        Cap::LineBytes,
        Cap::PendingLines,
        Cap::ThreadSlots,
        Cap::ErrorLines,
        Cap::SampledConnections,
        Cap::QueuedEvents,
        Cap::SignatureLines,
        Cap::OpenConnects,
        Cap::KeptIds,
    ];
}

/// The caps a scan reached, a bit each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapsReached(u16);

impl CapsReached {
    pub fn mark(&mut self, cap: Cap) {
        self.0 |= 1 << cap as u16;
    }

    pub fn contains(self, cap: Cap) -> bool {
        self.0 & (1 << cap as u16) != 0
    }

    pub fn union(self, other: CapsReached) -> CapsReached {
        CapsReached(self.0 | other.0)
    }
}
