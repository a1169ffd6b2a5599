//! Works out which host wrote each file.
//!
//! A folder above the process folder names the host (`<host>/<process>/<file>`). The lines
//! give the host's own addresses: the FROM side of its CONNECTs and the TO side of its
//! ACCEPTs. Files with no host folder join the named host that has their address, or form a
//! host known only by its address.

use super::{FileView, Model};
use crate::facts::Fact;
use crate::input::process::{self, Role};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostId(pub usize);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The host's name, from a folder or from the logs.
    pub name: Option<String>,
    /// Where the name came from: "folder" or "backup id".
    pub name_source: Option<&'static str>,
    /// Its own addresses, as its lines show them (loopback excluded).
    pub ips: Vec<IpAddr>,
    pub processes: Vec<String>,
    pub role: Role,
}

impl Host {
    /// `media01 (2.2.2.2)`, `media01`, `3.3.3.3` or `unknown host`.
    pub fn label(&self) -> String {
        match (&self.name, self.ips.first()) {
            (Some(name), Some(ip)) => format!("{name} ({ip})"),
            (Some(name), None) => name.clone(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => "unknown host".into(),
        }
    }

    /// Whether its logs show it a media or primary server (a server a client's list must name).
    pub fn is_server(&self) -> bool {
        matches!(self.role, Role::MediaServer | Role::PrimaryServer)
    }

    /// The shortest way to name it: the name, else the first address.
    pub fn short(&self) -> String {
        match (&self.name, self.ips.first()) {
            (Some(name), _) => name.clone(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => "unknown host".into(),
        }
    }
}

/// The host's own addresses that a file's lines show.
fn local_ips(view: &FileView<'_>) -> BTreeSet<IpAddr> {
    view.facts
        .events
        .iter()
        .filter_map(|e| match &e.fact {
            Fact::Connect { from, .. } if !from.is_loopback() => Some(from.ip),
            Fact::Accept { to, .. } if !to.is_loopback() => Some(to.ip),
            _ => None,
        })
        .collect()
}

pub(super) fn assign(views: &mut [FileView<'_>], notes: &mut Vec<String>) -> Vec<Host> {
    // Group keys: a folder name, else an address, else "unknown".
    let ips: Vec<BTreeSet<IpAddr>> = views.iter().map(local_ips).collect();
    let mut named: BTreeMap<String, BTreeSet<IpAddr>> = BTreeMap::new();
    for (view, ips) in views.iter().zip(&ips) {
        if let Some(name) = &view.facts.meta.host {
            named.entry(name.to_ascii_lowercase()).or_default().extend(ips.iter().copied());
        }
    }
    // Display names keep the folder's own spelling (the first in path order).
    let mut spelled: BTreeMap<String, String> = BTreeMap::new();
    for view in views.iter() {
        if let Some(name) = &view.facts.meta.host {
            spelled.entry(name.to_ascii_lowercase()).or_insert_with(|| name.clone());
        }
    }

    let mut hosts: Vec<Host> = Vec::new();
    let mut key_to_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut id_for = |key: String, name: Option<String>, hosts: &mut Vec<Host>| -> usize {
        *key_to_id.entry(key).or_insert_with(|| {
            hosts.push(Host {
                name_source: name.as_ref().map(|_| "folder"),
                name,
                ips: Vec::new(),
                processes: Vec::new(),
                role: Role::Any,
            });
            hosts.len() - 1
        })
    };

    // Named hosts first, in name order, so ids are stable.
    for key in named.keys() {
        id_for(format!("name:{key}"), Some(spelled[key].clone()), &mut hosts);
    }
    for (i, view) in views.iter_mut().enumerate() {
        let id = if let Some(name) = &view.facts.meta.host {
            id_for(format!("name:{}", name.to_ascii_lowercase()), None, &mut hosts)
        } else if let Some(owner) = ips[i].iter().find_map(|ip| named.iter().position(|(_, set)| set.contains(ip))) {
            owner
        } else if let Some(ip) = ips[i].iter().next() {
            // Unnamed files are grouped by their lowest address.
            id_for(format!("ip:{ip}"), None, &mut hosts)
        } else {
            id_for("unknown".into(), None, &mut hosts)
        };
        view.host = super::HostId(id);
    }
    for (view, ips) in views.iter().zip(&ips) {
        let host = &mut hosts[view.host.0];
        for ip in ips {
            if !host.ips.contains(ip) {
                host.ips.push(*ip);
            }
        }
        if view.facts.format.is_log() {
            if let Some(p) = &view.process {
                if !host.processes.contains(p) {
                    host.processes.push(p.clone());
                }
                host.role = host.role.max(process::role_of(p));
            }
        }
    }
    for host in &mut hosts {
        crate::order::sort(&mut host.ips);
        crate::order::sort(&mut host.processes);
        if host.ips.len() > 1 {
            notes.push(format!(
                "{} shows {} addresses of its own ({}): read as one host with several interfaces.",
                host.short(),
                host.ips.len(),
                host.ips.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    hosts
}

/// What the media server's connections say about other hosts: bpbrm connects to clients, so
/// a host it connects to is a client; and a host known only by its address gets a name when a
/// backup id names the client it connected to (`NCB_DATASOCKET myclient_1307115858 ...`,
/// reference §10).
pub(super) fn infer_from_media_server(model: &mut Model<'_>) {
    let clients: BTreeSet<usize> = model
        .threads
        .iter()
        .filter(|t| t.process.as_deref() == Some("bpbrm"))
        .flat_map(|t| t.events.iter())
        .filter_map(|&r| match &model.event(r).fact {
            Fact::Connect { to, .. } if !to.is_loopback() => model.host_by_ip(to.ip).map(|h| h.0),
            _ => None,
        })
        .collect();
    for id in clients {
        let host = &mut model.hosts[id];
        host.role = host.role.max(Role::Client);
    }
    let mut names: Vec<(usize, String)> = Vec::new();
    for thread in &model.threads {
        let clients: BTreeSet<String> = thread
            .events
            .iter()
            .filter_map(|&r| match &model.event(r).fact {
                Fact::MpxIpc { backup_id: Some(id), .. } => id.rsplit_once('_').map(|(client, _)| client.to_string()),
                _ => None,
            })
            .collect();
        let Some(client) = clients.iter().next().filter(|_| clients.len() == 1) else { continue };
        // The remote addresses bpbrm's threads in this process connected to.
        let remote: BTreeSet<IpAddr> = model
            .threads
            .iter()
            .filter(|t| t.host == thread.host && t.process == thread.process)
            .flat_map(|t| t.events.iter())
            .filter_map(|&r| match &model.event(r).fact {
                Fact::Connect { to, .. } if !to.is_loopback() => Some(to.ip),
                _ => None,
            })
            .collect();
        if let (1, Some(&ip)) = (remote.len(), remote.iter().next()) {
            if let Some(target) = model.host_by_ip(ip) {
                if model.hosts[target.0].name.is_none() {
                    names.push((target.0, client.clone()));
                }
            }
        }
    }
    for (id, name) in names {
        let host = &mut model.hosts[id];
        if host.name.is_none() {
            host.name = Some(name);
            host.name_source = Some("backup id");
        }
    }
}
