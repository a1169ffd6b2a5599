//! Forward sockets of multiplexed backups, from creation to use (seed technote).
//!
//! On the client, vnetd accepts `VN_REQUEST_CONNECT_FORWARD_SOCKET`, opens a local port
//! (`ipc_string: N`, keyed by `hash_str1`) and waits `max_time` seconds for bpcd to connect to
//! it. The media server's bpbrm holds the same port and hash as `mpx_ipc` and later hands them
//! to bpcd, which connects to the port (`is_pbxable_server: service: N`). If vnetd gave up
//! first (`vnet_sock_ready: Function failed`, `process_connect_forward_socket: status: 11`),
//! bpcd's connections are refused and the backup fails with status 25.

use super::{AttemptOutcome, EvRef, HostId, Model};
use crate::facts::Fact;
use crate::vocab::addr::SockAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketOutcome {
    /// A local process connected to it (`localhost IPv4 peer port`).
    Used { at: EvRef },
    /// vnetd stopped waiting (`Function failed` / non-zero `status`).
    Expired { at: EvRef },
    /// The log ends before the socket's fate.
    Open,
}

#[derive(Debug, Clone)]
pub struct ForwardSocket {
    /// The client host whose vnetd holds the socket.
    pub host: HostId,
    /// The remote end that asked for it (vnetd's `ACCEPT FROM`), usually the media server.
    pub requester: Option<SockAddr>,
    pub port: u16,
    pub hash: Option<String>,
    /// The `ipc_string` line: when the socket was ready.
    pub created: EvRef,
    /// `max_time: N` as logged.
    pub timeout_s: Option<u32>,
    pub outcome: SocketOutcome,
    /// vnetd's lines about it.
    pub lines: Vec<EvRef>,
    /// The media server's `mpx_ipc` / `NCB_DATASOCKET` lines with this port and hash.
    pub holder_lines: Vec<EvRef>,
    /// bpcd's first attempt to use it (`is_pbxable_server: service: <port>`), and the lines
    /// that followed: refusals and `get_vnetd_forward_socket failed`.
    pub needed: Option<EvRef>,
    pub use_lines: Vec<EvRef>,
    /// How bpcd's connections to it ended: refused (code) or connected.
    pub use_refused: Option<u32>,
}

impl ForwardSocket {
    pub fn expired_at(&self) -> Option<EvRef> {
        match self.outcome {
            SocketOutcome::Expired { at } => Some(at),
            _ => None,
        }
    }
}

pub(super) fn trace(model: &Model<'_>) -> Vec<ForwardSocket> {
    let mut sockets = served_sockets(model);
    for socket in &mut sockets {
        link_holder(model, socket);
        link_user(model, socket);
    }
    sockets
}

/// vnetd's side: one socket per `Request VN_REQUEST_CONNECT_FORWARD_SOCKET` with an `ipc_string`.
fn served_sockets(model: &Model<'_>) -> Vec<ForwardSocket> {
    let mut out = Vec::new();
    for thread in &model.threads {
        let mut last_accept: Option<SockAddr> = None;
        let mut current: Option<ForwardSocket> = None;
        let mut request: Option<EvRef> = None;
        let mut hash: Option<String> = None;
        for &r in &thread.events {
            match &model.event(r).fact {
                Fact::Accept { from, .. } => last_accept = Some(*from),
                Fact::ForwardSocketRequest { served: true } => {
                    out.extend(current.take());
                    request = Some(r);
                    hash = None;
                }
                Fact::HashStr1 { hash: h } if request.is_some() && hash.is_none() => hash = Some(h.clone()),
                Fact::IpcString { port } if request.is_some() && current.is_none() => {
                    let mut lines = vec![request.unwrap_or(r)];
                    lines.push(r);
                    current = Some(ForwardSocket {
                        host: thread.host,
                        requester: last_accept,
                        port: *port,
                        hash: hash.clone(),
                        created: r,
                        timeout_s: None,
                        outcome: SocketOutcome::Open,
                        lines,
                        holder_lines: Vec::new(),
                        needed: None,
                        use_lines: Vec::new(),
                        use_refused: None,
                    });
                }
                Fact::MaxTime { seconds } => {
                    if let Some(s) = current.as_mut() {
                        s.timeout_s = Some(*seconds);
                        s.lines.push(r);
                    }
                }
                Fact::SockReadyFailed { .. } => {
                    if let Some(s) = current.as_mut() {
                        s.outcome = SocketOutcome::Expired { at: r };
                        s.lines.push(r);
                    }
                }
                Fact::LocalPeerAccepted { .. } => {
                    if let Some(s) = current.as_mut() {
                        s.outcome = SocketOutcome::Used { at: r };
                        s.lines.push(r);
                    }
                }
                Fact::ForwardSocketStatus { code } => {
                    if let Some(mut s) = current.take() {
                        if *code != 0 && s.outcome == SocketOutcome::Open {
                            s.outcome = SocketOutcome::Expired { at: r };
                        }
                        s.lines.push(r);
                        out.push(s);
                    }
                    request = None;
                }
                _ => {}
            }
        }
        out.extend(current.take());
    }
    crate::order::sort_by_key(&mut out, |s| (model.aligned_ms(s.created), s.created));
    out
}

/// The media server's lines that hold the same port and hash (bpbrm's `mpx_ipc`).
fn link_holder(model: &Model<'_>, socket: &mut ForwardSocket) {
    let Some(hash) = &socket.hash else { return };
    socket.holder_lines =
        model.events_where(|f| matches!(f, Fact::MpxIpc { port, hash: h, .. } if *port == socket.port && h == hash));
}

/// bpcd's attempts to connect to the port, on the socket's host, after it was created.
fn link_user(model: &Model<'_>, socket: &mut ForwardSocket) {
    let created_ms = model.local_ms(socket.created);
    let port = socket.port.to_string();
    for thread in model.threads.iter().filter(|t| t.host == socket.host) {
        let Some(position) = thread.events.iter().position(|&r| {
            model.local_ms(r) >= created_ms
                && matches!(&model.event(r).fact, Fact::ServiceConnect { service } if *service == port)
        }) else {
            continue;
        };
        let first = thread.events[position];
        if socket.needed.is_some_and(|n| model.local_ms(n) <= model.local_ms(first)) {
            continue;
        }
        socket.needed = Some(first);
        socket.use_lines = vec![first];
        // Its attempts until the next service or the failure.
        for &r in &thread.events[position + 1..] {
            match &model.event(r).fact {
                Fact::ServiceConnect { .. } => break,
                Fact::SocketError { .. } => socket.use_lines.push(r),
                Fact::ForwardSocketFailed { .. } => {
                    socket.use_lines.push(r);
                    break;
                }
                _ => {}
            }
        }
        socket.use_refused = model
            .attempts
            .iter()
            .filter(|a| {
                a.service.as_deref() == Some(port.as_str()) && model.files[a.start.file as usize].host == socket.host
            })
            .filter(|a| model.local_ms(a.start) >= model.local_ms(first))
            .find_map(|a| match a.outcome {
                AttemptOutcome::Refused { code } => Some(code),
                _ => None,
            });
    }
}
