//! Follows each thread's outgoing connections.
//!
//! NetBackup connects without blocking and logs `connect in progress: N` while it waits
//! (seed technote). An attempt then ends in one of four ways:
//! - a `CONNECT FROM a TO b` line: connected;
//! - `getsockopt SO_ERROR returned: N`: the OS reported an error (refused, timed out, ...);
//! - `VN_REQUEST_PBX_C_SUPPORTED` / `PBX is not running`: the caller gave up on PBX (1556)
//!   and fell back to vnetd (13724); the next `CONNECT` line shows where it went;
//! - nothing: the log ends or another attempt starts.

use super::{EvRef, Model};
use crate::facts::Fact;
use crate::knowledge::MIN_SILENT_WAIT_MS;
use crate::vocab::addr::SockAddr;

use crate::catalogue::{self, ErrnoKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// A CONNECT line followed while the attempt was pending.
    Connected,
    /// The peer answered with a refusal (a TCP reset).
    Refused { code: u32 },
    /// The OS gave up waiting.
    TimedOut { code: u32 },
    /// Some other OS error.
    Error { code: u32 },
    /// The caller stopped waiting and fell back to vnetd, with no answer from the peer.
    FellBack,
    /// The log says no more.
    Unknown,
}

impl AttemptOutcome {
    pub fn is_refusal(self) -> bool {
        matches!(self, AttemptOutcome::Refused { .. })
    }
}

#[derive(Debug, Clone)]
pub struct ConnectAttempt {
    pub thread: usize,
    /// The first `connect in progress` line.
    pub start: EvRef,
    /// The last `connect in progress` line before the attempt ended.
    pub last_progress: EvRef,
    /// The line that ended it (error, fallback marker or CONNECT).
    pub end: Option<EvRef>,
    pub outcome: AttemptOutcome,
    /// Whether a vnetd fallback (`VN_REQUEST_PBX_C_SUPPORTED`, `PBX is not running`) followed.
    pub fell_back: bool,
    /// The fallback lines.
    pub fallback_lines: Vec<EvRef>,
    /// The CONNECT line of the connection that finally got through, and its addresses.
    pub connected: Option<(EvRef, SockAddr, SockAddr)>,
    /// The service being connected to (`is_pbxable_server: service: X`), when logged just before.
    pub service: Option<String>,
}

impl ConnectAttempt {
    /// How long the caller waited without an answer: from the first to the last
    /// `connect in progress` line, or to the line that ended the wait when there was only one.
    pub fn waited_ms(&self, model: &Model<'_>) -> i64 {
        let until = if self.last_progress != self.start { Some(self.last_progress) } else { self.end };
        until.map_or(0, |end| model.local_ms(end) - model.local_ms(self.start))
    }
}

enum State {
    Idle,
    Pending(usize),
    /// An attempt ended (with an error or by falling back); a fallback or its CONNECT may follow.
    Ended(usize),
}

pub(super) fn attempts(model: &Model<'_>) -> Vec<ConnectAttempt> {
    let mut out: Vec<ConnectAttempt> = Vec::new();
    for (thread_index, thread) in model.threads.iter().enumerate() {
        let mut state = State::Idle;
        let mut service: Option<String> = None;
        for &r in &thread.events {
            match &model.event(r).fact {
                Fact::ServiceConnect { service: s } => service = Some(s.clone()),
                Fact::ConnectInProgress { round } => match state {
                    State::Pending(i) if *round > 1 => out[i].last_progress = r,
                    _ => {
                        if let State::Pending(i) = state {
                            out[i].outcome = AttemptOutcome::Unknown;
                        }
                        out.push(ConnectAttempt {
                            thread: thread_index,
                            start: r,
                            last_progress: r,
                            end: None,
                            outcome: AttemptOutcome::Unknown,
                            fell_back: false,
                            fallback_lines: Vec::new(),
                            connected: None,
                            service: service.clone(),
                        });
                        state = State::Pending(out.len() - 1);
                    }
                },
                Fact::SocketError { code } => {
                    if let State::Pending(i) = state {
                        out[i].end = Some(r);
                        out[i].outcome = classify(*code);
                        state = State::Ended(i);
                    }
                }
                Fact::PbxSupportQuery | Fact::PbxNotRunning => match state {
                    State::Pending(i) | State::Ended(i) => {
                        let a = &mut out[i];
                        if a.end.is_none() {
                            a.end = Some(r);
                            a.outcome = AttemptOutcome::FellBack;
                        }
                        a.fell_back = true;
                        a.fallback_lines.push(r);
                        state = State::Ended(i);
                    }
                    State::Idle => {}
                },
                Fact::Connect { from, to } => {
                    match state {
                        State::Pending(i) => {
                            out[i].end = Some(r);
                            out[i].outcome = AttemptOutcome::Connected;
                            out[i].connected = Some((r, *from, *to));
                        }
                        State::Ended(i) if out[i].fell_back => out[i].connected = Some((r, *from, *to)),
                        _ => {}
                    }
                    state = State::Idle;
                    service = None;
                }
                _ => {}
            }
        }
    }
    out
}

fn classify(code: u32) -> AttemptOutcome {
    // The errno table (src/catalogue/errno.toml) knows the numbers of each system.
    match catalogue::errno(code, "").map(|e| e.kind) {
        Some(ErrnoKind::Refused | ErrnoKind::Reset) => AttemptOutcome::Refused { code },
        Some(ErrnoKind::TimedOut) => AttemptOutcome::TimedOut { code },
        _ => AttemptOutcome::Error { code },
    }
}

/// Words for an OS error code, from the errno table: "connection refused".
pub fn describe_os_error(code: u32) -> Option<&'static str> {
    catalogue::errno(code, "").map(|e| e.words())
}

impl Model<'_> {
    /// Attempts that waited with no answer from the peer and then fell back from PBX to vnetd:
    /// the signature of a firewall that drops port 1556 silently (seed technote).
    pub fn silent_pbx_waits(&self) -> Vec<&ConnectAttempt> {
        self.attempts
            .iter()
            .filter(|a| a.fell_back && !a.outcome.is_refusal() && a.waited_ms(self) >= MIN_SILENT_WAIT_MS)
            .collect()
    }
}
