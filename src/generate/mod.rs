//! A deterministic generator of realistic NetBackup log bundles of any size, for benchmarks and
//! scale tests. Large data is generated when needed, never committed.
//!
//! A bundle has two media servers and several clients, each with the processes' everyday
//! chatter (dozens of message shapes, Windows `[pid.tid]` and UNIX `[pid]` forms, two days,
//! rotation files) and three scenarios embedded at known times: the seed technote's failure
//! (PBX waits, an expired forward socket, status 25), PBX waits that do no harm, and PBX refused
//! at once (no finding). [`Expected`] says what an analysis must find. No I/O: files are handed
//! to a sink chunk by chunk.

mod chatter;
/// Generated job lists: test data, not in the WebAssembly.
#[cfg(not(target_arch = "wasm32"))]
pub mod jobs;
mod rng;
mod scenario;

use crate::vocab::time::{Date, MS_PER_DAY};
use chatter::Chatter;
use rng::Rng;
use scenario::Scenario;
use serde::Serialize;

/// Files are rotated past this size, as `MAX_LOGFILE_SIZE` would.
const ROTATE_BYTES: u64 = 32 * 1024 * 1024;
/// Bytes handed to the sink at once.
const SINK_CHUNK: usize = 1 << 20;

/// What the analysis of a generated bundle must report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expected {
    pub findings: Vec<ExpectedFinding>,
    pub files: usize,
    pub bytes: u64,
    pub lines: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedFinding {
    pub rule: &'static str,
    pub severity: &'static str,
    pub source_ip: Option<String>,
    pub target_ip: Option<String>,
    pub count: Option<u64>,
    pub total_wait_s: Option<f64>,
    pub ipc_port: Option<u64>,
}

/// The hosts of a generated bundle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HostSpec {
    pub name: &'static str,
    pub ip: &'static str,
    pub windows: bool,
    pub processes: &'static [&'static str],
    /// Share of the bundle's bytes.
    pub weight: u32,
}

pub(crate) const HOSTS: &[HostSpec] = &[
    HostSpec {
        name: "media01",
        ip: "10.1.2.3",
        windows: true,
        processes: &["bpbrm", "bptm", "bpcd", "vnetd"],
        weight: 30,
    },
    HostSpec {
        name: "media02",
        ip: "10.1.2.4",
        windows: false,
        processes: &["bpbrm", "bptm", "bpdm", "bpcd"],
        weight: 25,
    },
    HostSpec {
        name: "client01",
        ip: "172.16.4.11",
        windows: true,
        processes: &["bpcd", "vnetd", "bpbkar"],
        weight: 10,
    },
    HostSpec {
        name: "client03",
        ip: "172.16.4.13",
        windows: true,
        processes: &["bpcd", "vnetd", "bpbkar"],
        weight: 15,
    },
    HostSpec {
        name: "client05",
        ip: "172.16.4.15",
        windows: false,
        processes: &["bpcd", "vnetd", "bpbkar"],
        weight: 10,
    },
    HostSpec { name: "client07", ip: "172.16.4.17", windows: false, processes: &["bpcd", "bpbkar"], weight: 10 },
];

/// The two days the bundle covers.
pub(crate) const DAYS: [(i32, u8, u8); 2] = [(2026, 11, 2), (2026, 11, 3)];

/// Generates a bundle of about `target_bytes`, calling `sink(path, bytes)` with each file's
/// bytes in order (several calls per file; a new path starts a new file).
pub fn generate(seed: u64, target_bytes: u64, mut sink: impl FnMut(&str, &[u8])) -> Expected {
    let scenarios = Scenario::all(seed);
    let weight_total: u32 = HOSTS.iter().map(|h| h.weight * h.processes.len() as u32).sum();
    let mut rng = Rng::new(seed);
    let (mut files, mut bytes, mut lines) = (0usize, 0u64, 0u64);
    let mut buffer: Vec<u8> = Vec::with_capacity(SINK_CHUNK + 4096);

    for host in HOSTS {
        for &process in host.processes {
            let budget = target_bytes * u64::from(host.weight) / u64::from(weight_total);
            let per_day = (budget / DAYS.len() as u64).max(2048);
            for (day_index, &(y, m, d)) in DAYS.iter().enumerate() {
                let Some(date) = Date::new(y, m, d) else { continue };
                let mut injected = scenario::lines_for(&scenarios, host.name, process, day_index);
                injected.reverse(); // popped from the back, earliest first
                let mut chatter = Chatter::new(host, process, rng.next());
                let mut rotation = 1u32;
                let mut path = file_path(host, process, date, rotation);
                let mut in_file = 0u64;
                let mut written = 0u64;
                let mut ms: f64 = rng.below(60_000) as f64;
                let mut day_lines = 0u64;
                files += 1;
                while written < per_day || !injected.is_empty() {
                    // Spread the remaining bytes over the rest of the day.
                    let mean_len =
                        if day_lines == 0 { chatter.mean_line_len() } else { written as f64 / day_lines as f64 };
                    let lines_left = ((per_day.saturating_sub(written)) as f64 / mean_len).max(1.0);
                    let step = ((MS_PER_DAY as f64 - ms) / lines_left).max(0.5);
                    ms += step * (0.2 + 1.6 * rng.unit());
                    day_lines += 1;
                    let now = (ms as i64).min(MS_PER_DAY - 1);
                    while let Some((t, line)) = injected.pop_if(|(t, _)| *t <= now) {
                        let n = push_line(&mut buffer, &chatter.header(t, &line), &line.body, host.windows);
                        written += n;
                        in_file += n;
                        lines += 1;
                    }
                    if written >= per_day && now >= MS_PER_DAY - 1 {
                        continue;
                    }
                    let line = chatter.line(&mut rng);
                    let n = push_line(&mut buffer, &chatter.header(now, &line), &line.body, host.windows);
                    written += n;
                    in_file += n;
                    lines += 1;
                    if buffer.len() >= SINK_CHUNK {
                        sink(&path, &buffer);
                        buffer.clear();
                    }
                    if in_file >= ROTATE_BYTES && host_rotates(host) {
                        sink(&path, &buffer);
                        buffer.clear();
                        rotation += 1;
                        path = file_path(host, process, date, rotation);
                        in_file = 0;
                        files += 1;
                    }
                    if ms >= (MS_PER_DAY - 1) as f64 && injected.is_empty() {
                        break;
                    }
                }
                sink(&path, &buffer);
                bytes += written;
                buffer.clear();
            }
        }
    }
    Expected { findings: scenario::expected(&scenarios), files, bytes, lines }
}

/// Windows hosts of 9.0 and later rotate (`ALL_ADMINS.mmddyy_nnnnn.log`); the UNIX hosts here
/// write one `log.mmddyy` a day, as older releases did.
fn host_rotates(host: &HostSpec) -> bool {
    host.windows
}

fn file_path(host: &HostSpec, process: &str, date: Date, rotation: u32) -> String {
    let mmddyy = format!("{:02}{:02}{:02}", date.month, date.day, date.year % 100);
    if host.windows {
        format!("{}/NetBackup/logs/{process}/ALL_ADMINS.{mmddyy}_{rotation:05}.log", host.name)
    } else {
        format!("{}/netbackup/logs/{process}/log.{mmddyy}", host.name)
    }
}

fn push_line(buffer: &mut Vec<u8>, header: &str, body: &str, crlf: bool) -> u64 {
    let start = buffer.len();
    buffer.extend_from_slice(header.as_bytes());
    buffer.extend_from_slice(body.as_bytes());
    buffer.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    (buffer.len() - start) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(seed: u64, size: u64) -> (Vec<(String, Vec<u8>)>, Expected) {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let expected = generate(seed, size, |path, bytes| match files.last_mut() {
            Some((p, b)) if p == path => b.extend_from_slice(bytes),
            _ => files.push((path.to_string(), bytes.to_vec())),
        });
        (files, expected)
    }

    #[test]
    fn deterministic_and_about_the_size_asked() {
        let (a, ea) = bundle(7, 2 << 20);
        let (b, _) = bundle(7, 2 << 20);
        assert_eq!(a, b);
        let total: u64 = a.iter().map(|(_, b)| b.len() as u64).sum();
        assert_eq!(total, ea.bytes);
        assert!((1 << 20..4 << 20).contains(&total), "{total}");
        assert_eq!(a.len(), ea.files);
        assert!(a.iter().any(|(p, _)| p.ends_with("ALL_ADMINS.110226_00001.log")));
        assert!(a.iter().any(|(p, _)| p.ends_with("netbackup/logs/bpbkar/log.110326")));
    }
}
