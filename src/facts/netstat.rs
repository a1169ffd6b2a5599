//! A netstat or ss file's TCP connections, snapshot by snapshot (`parse::netstat`): per
//! connection its states, each with the first and last snapshot it was seen in, and their times
//! when the loop printed times. A time line starts a snapshot; so does a header line or a row
//! after rows (a repeated `netstat` without times). Snapshots without a time are counted, not
//! timed. Lines are split here as they stream: only a line cut by a chunk's end is carried.

use crate::knowledge::{BPCD_PORT, PBX_PORT, VNETD_PORT};
use crate::parse::netstat::{self, Line, Row, TcpState};
use crate::vocab::addr::SockAddr;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;

/// Connections followed per file (nbtriage's limit, to keep memory bounded). Rows of
/// connections first seen after it are counted, not followed, and the file's note says so.
pub const MAX_CONNECTIONS: usize = 4096;
/// State spans kept per connection (nbtriage's limit): a connection that changes state more
/// often keeps its first ones.
pub const MAX_SPANS: usize = 16;
/// Local addresses kept (nbtriage's limit), to tell which host ran netstat.
pub const MAX_LOCAL_ADDRESSES: usize = 64;
/// The longest line read; the rest of a longer line is skipped.
const MAX_LINE: usize = 1024;
/// Lines looked at to tell a netstat file by its first lines.
const SNIFF_LINES: usize = 16;

/// NetBackup's ports: PBX (1556), vnetd (13724), bpcd (13782) (Veritas KB 100021789; the
/// NetBackup Commands Reference Guide, bpcd).
pub const NETBACKUP_PORTS: [(u16, &str); 3] = [(PBX_PORT, "PBX"), (VNETD_PORT, "vnetd"), (BPCD_PORT, "bpcd")];

/// What a netstat or ss file contributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetstatFacts {
    pub snapshots: u32,
    /// Snapshots with a time the loop printed before them.
    pub timed_snapshots: u32,
    /// The zone `date` printed, when it printed one (`UTC`, `CET`).
    pub zone: Option<String>,
    pub rows: u64,
    /// Rows of connections not followed once [`MAX_CONNECTIONS`] was reached.
    pub untracked_rows: u64,
    /// Addresses the host listened on or connected from (not wildcards), the first
    /// [`MAX_LOCAL_ADDRESSES`].
    pub local_addresses: Vec<IpAddr>,
    /// Connections with a peer (listeners are not connections), in order of first sight.
    pub connections: Vec<NetstatConnection>,
}

/// One connection across the snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetstatConnection {
    pub local: SockAddr,
    pub remote: SockAddr,
    /// The NetBackup service of the remote port (else of the local port), when it is one.
    pub service: Option<String>,
    pub spans: Vec<StateSpan>,
}

/// A run of snapshots (1-based, inclusive) a connection was seen in one state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StateSpan {
    pub state: TcpState,
    pub first_snapshot: u32,
    pub last_snapshot: u32,
    /// The host's local times of those snapshots (milliseconds since 1970-01-01 as printed).
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
}

impl StateSpan {
    /// How long the connection stayed in the state, as far as the snapshots' times tell.
    pub fn seen_ms(&self) -> Option<i64> {
        Some(self.last_ms? - self.first_ms?)
    }
}

/// Whether a file's first lines are netstat or ss output (a header or a TCP row).
pub fn is_netstat(head: &[u8]) -> bool {
    head.split(|&b| b == b'\n')
        .take(SNIFF_LINES)
        .map(trim_cr)
        .any(|l| netstat::is_header(l) || netstat::row(l).is_some())
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Reads a netstat file's bytes into [`NetstatFacts`].
#[derive(Debug, Default)]
pub struct NetstatScan {
    facts: NetstatFacts,
    carry: Vec<u8>,
    /// Bytes of the current line past [`MAX_LINE`] are skipped.
    overlong: bool,
    index: HashMap<(SockAddr, SockAddr), u32>,
    /// The current snapshot: whether it has rows yet, and its time.
    open: bool,
    has_rows: bool,
    time_ms: Option<i64>,
}

impl NetstatScan {
    pub fn feed(&mut self, mut chunk: &[u8]) {
        while let Some(end) = chunk.iter().position(|&b| b == b'\n') {
            self.take(&chunk[..end]);
            let line = std::mem::take(&mut self.carry);
            self.on_line(trim_cr(&line));
            self.carry = line;
            self.carry.clear();
            self.overlong = false;
            chunk = &chunk[end + 1..];
        }
        self.take(chunk);
    }

    fn take(&mut self, bytes: &[u8]) {
        let room = MAX_LINE.saturating_sub(self.carry.len());
        self.overlong |= bytes.len() > room;
        self.carry.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    pub fn finish(mut self) -> NetstatFacts {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            self.on_line(trim_cr(&line));
        }
        self.facts
    }

    fn on_line(&mut self, line: &[u8]) {
        if self.overlong {
            return;
        }
        match netstat::line(line) {
            Line::Time { local_ms, zone } => {
                self.start(Some(local_ms));
                if let (None, Some(z)) = (&self.facts.zone, zone) {
                    self.facts.zone = Some(z.name().to_string());
                }
            }
            Line::Header if !self.open || self.has_rows => self.start(None),
            Line::Row(row) => {
                if !self.open {
                    self.start(None);
                }
                self.has_rows = true;
                self.on_row(row);
            }
            Line::Header | Line::Other => {}
        }
    }

    fn start(&mut self, time_ms: Option<i64>) {
        self.facts.snapshots = self.facts.snapshots.saturating_add(1);
        self.facts.timed_snapshots += u32::from(time_ms.is_some());
        (self.open, self.has_rows, self.time_ms) = (true, false, time_ms);
    }

    fn on_row(&mut self, row: Row) {
        self.facts.rows += 1;
        let ip = row.local.ip;
        let locals = &mut self.facts.local_addresses;
        if !ip.is_unspecified() && !locals.contains(&ip) && locals.len() < MAX_LOCAL_ADDRESSES {
            locals.push(ip);
        }
        let Some(remote) = row.remote else { return };
        let key = (row.local, remote);
        let at = match self.index.get(&key) {
            Some(&at) => at as usize,
            None if self.facts.connections.len() >= MAX_CONNECTIONS => {
                self.facts.untracked_rows += 1;
                return;
            }
            None => {
                self.index.insert(key, self.facts.connections.len() as u32);
                self.facts.connections.push(NetstatConnection {
                    local: row.local,
                    remote,
                    service: service(remote.port).or_else(|| service(row.local.port)),
                    spans: Vec::new(),
                });
                self.facts.connections.len() - 1
            }
        };
        let (snapshot, time) = (self.facts.snapshots, self.time_ms);
        let spans = &mut self.facts.connections[at].spans;
        let full = spans.len() >= MAX_SPANS;
        match spans.last_mut() {
            Some(s) if s.state == row.state && s.last_snapshot + 1 >= snapshot => {
                (s.last_snapshot, s.last_ms) = (snapshot, time);
            }
            _ if full => {}
            _ => spans.push(StateSpan {
                state: row.state,
                first_snapshot: snapshot,
                last_snapshot: snapshot,
                first_ms: time,
                last_ms: time,
            }),
        }
    }
}

fn service(port: u16) -> Option<String> {
    NETBACKUP_PORTS.iter().find(|(p, _)| *p == port).map(|(_, name)| (*name).to_string())
}

impl NetstatFacts {
    /// The file's notes: what was read, what has no time, what was left out.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![format!(
            "netstat/ss output: {} snapshot(s), {} TCP row(s), {} connection(s) with a peer",
            self.snapshots,
            self.rows,
            self.connections.len()
        )];
        if self.snapshots > self.timed_snapshots {
            notes.push(format!(
                "{} snapshot(s) without a time printed before them: counted, not timed (print `date` before each netstat)",
                self.snapshots - self.timed_snapshots
            ));
        }
        if let Some(zone) = &self.zone {
            notes.push(format!("snapshot times are the host's local time as date printed it ({zone})"));
        }
        if self.untracked_rows > 0 {
            notes.push(format!(
                "{} row(s) of connections past the first {MAX_CONNECTIONS} not followed (nbtriage's limit)",
                self.untracked_rows
            ));
        }
        notes
    }
}
