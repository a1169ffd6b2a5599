//! The lines that say a job or a process failed, with their NetBackup status.

use super::{EvRef, Model};
use crate::facts::Fact;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// bpcd: `get_vnetd_forward_socket failed: N`.
    ForwardSocketFailed,
    /// bpbrm: `bpcd returned failure: N`.
    PeerReturnedFailure,
    /// bpbrm: `cannot create data socket`.
    CannotCreateDataSocket,
    /// `EXIT STATUS N` and its variants, N ≠ 0.
    ExitStatus,
}

#[derive(Debug, Clone, Copy)]
pub struct Failure {
    pub at: EvRef,
    pub kind: FailureKind,
    pub status: Option<u32>,
}

pub(super) fn collect(model: &Model<'_>) -> Vec<Failure> {
    model
        .events_where(|f| {
            matches!(
                f,
                Fact::ForwardSocketFailed { .. }
                    | Fact::PeerReturnedFailure { .. }
                    | Fact::CannotCreateDataSocket
                    | Fact::ExitStatus { .. }
            )
        })
        .into_iter()
        .filter_map(|at| {
            let (kind, status) = match &model.event(at).fact {
                Fact::ForwardSocketFailed { status } => (FailureKind::ForwardSocketFailed, Some(*status)),
                Fact::PeerReturnedFailure { status, .. } => (FailureKind::PeerReturnedFailure, Some(*status)),
                Fact::CannotCreateDataSocket => (FailureKind::CannotCreateDataSocket, None),
                Fact::ExitStatus { status, .. } if *status != 0 => (FailureKind::ExitStatus, Some(*status)),
                _ => return None,
            };
            Some(Failure { at, kind, status })
        })
        .collect()
}

impl Model<'_> {
    /// Connection failures (status 25, `cannot create data socket`) at or after `from_ms` on the
    /// reference clock, on hosts `on` accepts, in time order.
    pub fn socket_failures_after(&self, from_ms: i64, on: impl Fn(super::HostId) -> bool) -> Vec<EvRef> {
        self.failures
            .iter()
            .filter(|f| f.status == Some(25) || f.kind == FailureKind::CannotCreateDataSocket)
            .filter(|f| self.aligned_ms(f.at) >= from_ms && on(self.host_of(f.at)))
            .map(|f| f.at)
            .collect()
    }
}
