//! Cross-file and cross-host reasoning: puts every file's events on a time line, works out
//! which host each file came from, follows each thread's connections, pairs one host's
//! CONNECT with another's ACCEPT to estimate clock offsets, and traces forward sockets from
//! the media server to the client.
//!
//! The result is a [`Model`]: plain data the rules read. Nothing here writes text for people
//! except per-file and bundle notes.

mod captures;
mod clock;
mod connections;
mod dates;
mod failures;
mod forward_socket;
mod hosts;
mod job_details;
mod netstats;

pub use captures::{CaptureView, TakenBy, ZoneOffset, PAIR_TOLERANCE_MS};
pub use clock::{ClockOffset, ConnectionPair};
pub use connections::{describe_os_error, AttemptOutcome, ConnectAttempt};
pub use failures::{Failure, FailureKind};
pub use forward_socket::{ForwardSocket, SocketOutcome};
pub use hosts::{Host, HostId};
pub use netstats::NetstatView;

use crate::facts::{Event, Fact, FileFacts};
use crate::input::path_meta::Source;
use crate::vocab::time;

/// Points at one event: the file's index in [`Model::files`] and the event's index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvRef {
    pub file: u32,
    pub index: u32,
}

/// One file as the model sees it.
#[derive(Debug)]
pub struct FileView<'a> {
    pub facts: &'a FileFacts,
    pub host: HostId,
    /// The process, from the path or else from the lines.
    pub process: Option<String>,
    /// Where `process` came from.
    pub process_source: Option<Source>,
    /// Absolute milliseconds (host clock) of the file's day 0.
    pub base_ms: i64,
    /// Whether `base_ms` is a real date (from this name, or assumed from the bundle).
    pub date_known: bool,
    /// Notes the cross-file analysis adds to this file.
    pub notes: Vec<String>,
}

/// The events of one thread (`[pid.tid]`) of one process on one host, in time order.
#[derive(Debug)]
pub struct Thread {
    pub host: HostId,
    pub process: Option<String>,
    pub pid: u32,
    pub tid: Option<u32>,
    pub events: Vec<EvRef>,
}

#[derive(Debug)]
pub struct Model<'a> {
    pub files: Vec<FileView<'a>>,
    pub hosts: Vec<Host>,
    pub threads: Vec<Thread>,
    pub attempts: Vec<ConnectAttempt>,
    pub pairs: Vec<ConnectionPair>,
    /// Each host's clock relative to the reference host, where it could be measured.
    pub clocks: Vec<Option<ClockOffset>>,
    pub forward_sockets: Vec<ForwardSocket>,
    pub failures: Vec<Failure>,
    /// The packet captures among the files, placed beside the logs.
    pub captures: Vec<CaptureView>,
    /// The netstat/ss outputs among the files, with the host that ran each.
    pub netstats: Vec<NetstatView>,
    pub notes: Vec<String>,
}

impl<'a> Model<'a> {
    /// Builds the model. `files` must already be in canonical order (see [`crate::analyze`]).
    pub fn build(files: &'a [FileFacts]) -> Model<'a> {
        let mut views: Vec<FileView<'a>> = files
            .iter()
            .map(|facts| {
                let (process, process_source) = match (&facts.meta.process, &facts.process_from_lines) {
                    (Some(p), _) => (Some(p.clone()), facts.meta.process_source),
                    (None, Some(p)) => (Some(p.clone()), Some(Source::Lines)),
                    (None, None) => (None, None),
                };
                FileView {
                    facts,
                    host: HostId(0),
                    process,
                    process_source,
                    base_ms: 0,
                    date_known: false,
                    notes: Vec::new(),
                }
            })
            .collect();
        let mut notes = Vec::new();
        dates::assign(&mut views, &mut notes);
        let hosts = hosts::assign(&mut views, &mut notes);
        job_details::link(&mut views);
        let threads = build_threads(&views);
        let mut model = Model {
            files: views,
            hosts,
            threads,
            attempts: Vec::new(),
            pairs: Vec::new(),
            clocks: Vec::new(),
            forward_sockets: Vec::new(),
            failures: Vec::new(),
            captures: Vec::new(),
            netstats: Vec::new(),
            notes,
        };
        model.attempts = connections::attempts(&model);
        model.pairs = clock::pairs(&model);
        model.clocks = clock::offsets(&model);
        model.forward_sockets = forward_socket::trace(&model);
        model.failures = failures::collect(&model);
        hosts::infer_from_media_server(&mut model);
        model.captures = captures::views(&model);
        model.netstats = netstats::views(&model);
        model
    }

    pub fn event(&self, r: EvRef) -> &'a Event {
        &self.files[r.file as usize].facts.events[r.index as usize]
    }

    pub fn file(&self, r: EvRef) -> &FileView<'a> {
        &self.files[r.file as usize]
    }

    pub fn host_of(&self, r: EvRef) -> HostId {
        self.files[r.file as usize].host
    }

    /// The event's time on its own host's clock (absolute naive milliseconds).
    pub fn local_ms(&self, r: EvRef) -> i64 {
        self.files[r.file as usize].base_ms + self.event(r).ms
    }

    /// The event's time on the reference host's clock, where the offset is known.
    pub fn aligned_ms(&self, r: EvRef) -> i64 {
        self.local_ms(r) - self.clock_offset_ms(self.host_of(r))
    }

    /// How far `host`'s clock runs ahead of the reference host's (0 when unknown).
    pub fn clock_offset_ms(&self, host: HostId) -> i64 {
        self.clocks.get(host.0).copied().flatten().map_or(0, |c| c.offset_ms)
    }

    /// Converts a time on `from`'s clock to `to`'s clock.
    pub fn convert_ms(&self, ms: i64, from: HostId, to: HostId) -> i64 {
        ms - self.clock_offset_ms(from) + self.clock_offset_ms(to)
    }

    /// Whether times on this file can be written with a date.
    pub fn date_known(&self, r: EvRef) -> bool {
        self.files[r.file as usize].date_known
    }

    /// The process an event's line names itself (an exit status or a signature's line pasted
    /// among another process's lines), when it does.
    pub fn own_process(&self, r: EvRef) -> Option<&str> {
        match &self.event(r).fact {
            Fact::ExitStatus { process, .. } | Fact::Signature { process, .. } => process.as_deref(),
            _ => None,
        }
    }

    /// Whether the event's file gives times at all: a file of lines quoted without their time
    /// places them at its start, a time no sentence should quote.
    pub fn time_known(&self, r: EvRef) -> bool {
        self.files[r.file as usize].facts.first_ms.is_some()
    }

    /// ISO 8601 of the event's local time (date included when known).
    pub fn iso(&self, r: EvRef) -> String {
        time::iso(self.local_ms(r), self.date_known(r))
    }

    /// ISO 8601 of a time on some host's clock, dated if the bundle's dates are known.
    pub fn iso_ms(&self, ms: i64) -> String {
        time::iso(ms, self.files.iter().any(|f| f.date_known))
    }

    pub fn host(&self, id: HostId) -> &Host {
        &self.hosts[id.0]
    }

    /// The host whose addresses include `ip`.
    pub fn host_by_ip(&self, ip: std::net::IpAddr) -> Option<HostId> {
        self.hosts.iter().position(|h| h.ips.contains(&ip)).map(HostId)
    }

    /// The events of every thread that match `pick`, with their refs, in time order.
    pub fn events_where(&self, mut pick: impl FnMut(&Fact) -> bool) -> Vec<EvRef> {
        let mut out: Vec<EvRef> =
            self.threads.iter().flat_map(|t| t.events.iter().copied()).filter(|&r| pick(&self.event(r).fact)).collect();
        crate::order::sort_by_key(&mut out, |&r| (self.aligned_ms(r), r));
        out
    }
}

/// Groups events by (host, process, pid, tid); sorts each thread by time, then file and line.
/// One sort of plain integer keys: this runs over every event of a large bundle.
fn build_threads(views: &[FileView<'_>]) -> Vec<Thread> {
    // Processes are numbered by name; unknown processes stay apart per file, so that two
    // unnamed files never merge threads.
    let mut names: Vec<Option<String>> = Vec::new();
    let mut process_ids: Vec<u32> = Vec::with_capacity(views.len());
    for view in views {
        let key = view.process.clone();
        let id = match key.as_ref().and_then(|k| names.iter().position(|n| n.as_ref() == Some(k))) {
            Some(id) => id,
            None => {
                names.push(key);
                names.len() - 1
            }
        };
        process_ids.push(id as u32);
    }
    /// (host, process number, pid, tid).
    type ThreadKey = (usize, u32, u32, Option<u32>);
    let mut keyed: Vec<(ThreadKey, i64, EvRef)> = Vec::new();
    for (file_index, view) in views.iter().enumerate() {
        if !view.facts.format.is_log() {
            continue;
        }
        for (index, event) in view.facts.events.iter().enumerate() {
            let key = (view.host.0, process_ids[file_index], event.pid, event.tid);
            keyed.push((key, view.base_ms + event.ms, EvRef { file: file_index as u32, index: index as u32 }));
        }
    }
    keyed.sort_unstable();
    let mut threads: Vec<Thread> = Vec::new();
    for (key, _, r) in keyed {
        match threads.last_mut() {
            Some(t) if (t.host.0, process_ids[t.events[0].file as usize], t.pid, t.tid) == key => t.events.push(r),
            _ => threads.push(Thread {
                host: HostId(key.0),
                process: names[key.1 as usize].clone(),
                pid: key.2,
                tid: key.3,
                events: vec![r],
            }),
        }
    }
    threads
}
