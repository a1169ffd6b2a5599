//! netstat/ss loops beside the logs: which host ran each, and the connection in SYN_SENT
//! behind a connect a log names. A loop's times are the host's local time as `date` printed
//! it, the same clock the host's own logs write: a netstat run on the logging host pairs with
//! its connects without an offset; one run elsewhere is not paired (its clock is another's).

use super::captures::folder_host;
use super::{HostId, Model, TakenBy, PAIR_TOLERANCE_MS};
use crate::facts::netstat::{NetstatConnection, NetstatFacts, StateSpan};
use crate::parse::netstat::TcpState;
use std::net::IpAddr;

#[derive(Debug, Clone)]
pub struct NetstatView {
    /// Index into [`Model::files`].
    pub file: usize,
    pub taken_on: Option<HostId>,
    pub taken_by: TakenBy,
}

impl NetstatView {
    pub fn facts<'m>(&self, model: &'m Model<'_>) -> &'m NetstatFacts {
        model.files[self.file].facts.netstat.as_deref().map_or(&EMPTY, |n| n)
    }
}

static EMPTY: NetstatFacts = NetstatFacts {
    snapshots: 0,
    timed_snapshots: 0,
    zone: None,
    rows: 0,
    untracked_rows: 0,
    local_addresses: Vec::new(),
    connections: Vec::new(),
};

pub(super) fn views(model: &Model<'_>) -> Vec<NetstatView> {
    let mut out = Vec::new();
    for (file, view) in model.files.iter().enumerate() {
        let Some(netstat) = view.facts.netstat.as_deref() else { continue };
        let (taken_on, taken_by) = match by_addresses(model, netstat) {
            Some(h) => (Some(h), TakenBy::Addresses),
            None if model.hosts[view.host.0].name.is_some() => (Some(view.host), TakenBy::Folder),
            None => match folder_host(model, &view.facts.path) {
                Some(h) => (Some(h), TakenBy::Folder),
                None => (None, TakenBy::Unknown),
            },
        };
        out.push(NetstatView { file, taken_on, taken_by });
    }
    out
}

/// The host one of whose addresses (from its logs) is a local address of the netstat output.
fn by_addresses(model: &Model<'_>, netstat: &NetstatFacts) -> Option<HostId> {
    let local = |ip: &IpAddr| !ip.is_loopback() && netstat.local_addresses.contains(ip);
    model.hosts.iter().position(|h| h.ips.iter().any(local)).map(HostId)
}

impl Model<'_> {
    /// The SYN_SENT span, in a netstat loop `host` ran, of a connect its logs start at
    /// `local_ms` to `port` (on `remote` when the logs name it).
    pub fn netstat_syn_sent(
        &self,
        host: HostId,
        local_ms: i64,
        port: u16,
        remote: Option<IpAddr>,
    ) -> Option<(&NetstatView, &NetstatConnection, StateSpan)> {
        self.netstats.iter().filter(|v| v.taken_on == Some(host)).find_map(|view| {
            view.facts(self)
                .connections
                .iter()
                .filter(|c| c.remote.port == port && remote.is_none_or(|ip| c.remote.ip == ip))
                .flat_map(|c| c.spans.iter().map(move |s| (c, *s)))
                .filter(|(_, s)| s.state == TcpState::SynSent)
                .filter_map(|(c, s)| Some((c, s, (s.first_ms? - local_ms).abs())))
                .filter(|(_, s, gap)| *gap <= PAIR_TOLERANCE_MS + s.seen_ms().unwrap_or(0))
                .min_by_key(|(_, _, gap)| *gap)
                .map(|(c, s, _)| (view, c, s))
        })
    }
}
