//! Failure scenarios embedded in a generated bundle, at known times, with what they must raise.

use super::chatter::GenLine;
use super::rng::Rng;
use super::ExpectedFinding;
use crate::vocab::time::MS_PER_DAY;

pub struct Scenario {
    kind: Kind,
    media: (&'static str, &'static str, bool),
    client: (&'static str, &'static str, bool),
    day: usize,
    start_ms: i64,
    /// How far the client's clock runs ahead of the media server's.
    client_offset_ms: i64,
    waits_ms: Vec<i64>,
    ipc_port: u16,
    hash: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The seed technote: PBX waits, the forward socket expires, status 25.
    Failure,
    /// PBX waits, but the forward socket is used in time.
    HarmlessDelay,
    /// PBX refused at once: a quick fallback, nothing to report.
    Refused,
}

const MAX_TIME_S: i64 = 120;

impl Scenario {
    pub fn all(seed: u64) -> Vec<Scenario> {
        let mut rng = Rng::new(seed ^ 0x5EED);
        let hash = |rng: &mut Rng| format!("{:016x}{:016x}", rng.next(), rng.next());
        let jitter = |rng: &mut Rng, n: usize| (0..n).map(|_| 9_990 + rng.below(25) as i64).collect::<Vec<_>>();
        vec![
            Scenario {
                kind: Kind::Failure,
                media: ("media01", "10.1.2.3", true),
                client: ("client03", "172.16.4.13", true),
                day: 0,
                start_ms: 14 * 3_600_000,
                client_offset_ms: 850,
                waits_ms: jitter(&mut rng, 6),
                ipc_port: 51_000 + rng.below(1000) as u16,
                hash: hash(&mut rng),
            },
            Scenario {
                kind: Kind::HarmlessDelay,
                media: ("media02", "10.1.2.4", false),
                client: ("client05", "172.16.4.15", false),
                day: 1,
                start_ms: 9 * 3_600_000 + 30 * 60_000,
                client_offset_ms: -2_300,
                waits_ms: jitter(&mut rng, 3),
                ipc_port: 52_000 + rng.below(1000) as u16,
                hash: hash(&mut rng),
            },
            Scenario {
                kind: Kind::Refused,
                media: ("media01", "10.1.2.3", true),
                client: ("client01", "172.16.4.11", true),
                day: 1,
                start_ms: 16 * 3_600_000,
                client_offset_ms: 400,
                waits_ms: vec![3, 4],
                ipc_port: 53_000 + rng.below(1000) as u16,
                hash: hash(&mut rng),
            },
        ]
    }

    // A table of the scenario's lines, host by host, read top to bottom as the logs would be.
    #[allow(clippy::too_many_lines)]
    fn lines(&self) -> Vec<(&'static str, &'static str, i64, GenLine)> {
        let (media, media_ip, media_win) = self.media;
        let (client, client_ip, client_win) = self.client;
        let pid = |win: bool, p: u32, t: u32| if win { format!("{p}.{t}") } else { p.to_string() };
        let (parent, child, vnetd, bpcd) = (
            pid(media_win, 41001, 41002),
            pid(media_win, 41011, 41012),
            pid(client_win, 42001, 42002),
            pid(client_win, 42011, 42012),
        );
        let loc = |win: bool| if win { "..." } else { "../../libvlibs/vnet_connect.c.1021:" };
        let mut out = Vec::new();
        let mut m = |t: i64, p: &str, level: u8, body: String| {
            out.push((media, "bpbrm", t, GenLine { pid: p.to_string(), level, body }))
        };
        let t0 = self.start_ms;
        let (port, hash) = (self.ipc_port, &self.hash);
        let mpx = format!("{port};{hash};10;600");
        m(
            t0,
            &parent,
            2,
            format!(
                "bpbrm read_media_msg: read from media manager: NCB_DATASOCKET {client}_{} {mpx}",
                1_793_000_000 + t0 / 1000
            ),
        );
        m(t0, &parent, 2, format!("bpbrm multiplexed_backup: bpbrm.c.9563: mpx_ipc: {mpx}"));
        m(t0, &parent, 2, format!("bpbrm spawn_brm_child: bpbrm child pid = {child}"));
        let mut t = t0 + 30_000;
        let mut connects = Vec::new();
        for (i, &wait) in self.waits_ms.iter().enumerate() {
            let src = format!("{media_ip}.{}", 40_100 + i * 3);
            m(t, &child, 2, format!("vnet_async_connect: {} 0: connect in progress: 1 0x00000001", loc(media_win)));
            if self.kind == Kind::Refused {
                m(
                    t + wait,
                    &child,
                    2,
                    format!("vnet_async_connect: {} 0: getsockopt SO_ERROR returned: 10061 0x0000274d", loc(media_win)),
                );
            } else {
                m(
                    t + wait,
                    &child,
                    2,
                    format!("vnet_async_connect: {} 0: connect in progress: 2 0x00000002", loc(media_win)),
                );
            }
            m(
                t + wait + 15,
                &child,
                2,
                format!("vnet_vnetd_pbx_c_supported: {} 0: VN_REQUEST_PBX_C_SUPPORTED: 13 0x0000000d", loc(media_win)),
            );
            m(
                t + wait + 210,
                &child,
                2,
                format!(
                    "do_vnetd_service: {} 0: remote host supports PBX, but PBX is not running: 0 0x00000000",
                    loc(media_win)
                ),
            );
            m(
                t + wait + 420,
                &child,
                2,
                format!(
                    "do_vnetd_service: {} 0: via VNETD: bpcd CONNECT FROM {src} TO {client_ip}.13724 fd = {}",
                    loc(media_win),
                    900 + i
                ),
            );
            connects.push((t + wait + 40, src));
            t += wait + 2_500;
        }
        let handover = match self.kind {
            Kind::Failure => t0 + (MAX_TIME_S + 60) * 1000,
            _ => t + 1_000,
        };
        m(handover, &child, 2, format!("bpbrm handle_backup: bpbrm.c.14899: mpx_ipc: {mpx}"));
        if self.kind == Kind::Failure {
            m(handover + 20_140, &child, 2, "bpcr_put_vnetd_forward_socket: bpcd returned failure: 25".into());
            m(
                handover + 20_141,
                &child,
                16,
                "bpbrm handle_backup: cannot create data socket, The operation completed successfully. (0)".into(),
            );
        }

        // The client, on its own clock.
        let off = self.client_offset_ms;
        let mut v = |t: i64, p: &str, level: u8, body: String| {
            out.push((client, "vnetd", t + off, GenLine { pid: p.to_string(), level, body }))
        };
        v(
            t0 - 1_300,
            &vnetd,
            2,
            format!(
                "ProcessRequests: {} 0: msg: VNETD ACCEPT FROM {media_ip}.40050 TO {client_ip}.13724 fd = 392",
                loc(client_win)
            ),
        );
        v(
            t0 - 940,
            &vnetd,
            2,
            format!("ProcessRequests: {} 0: msg: Request VN_REQUEST_CONNECT_FORWARD_SOCKET(10)", loc(client_win)),
        );
        v(t0 - 940, &vnetd, 2, format!("vnet_generate_hashes: {} 0: hash_str1: {hash}", loc(client_win)));
        v(t0 - 940, &vnetd, 2, format!("process_connect_forward_socket: {} 0: ipc_string: {port}", loc(client_win)));
        if self.kind == Kind::Failure {
            let end = t0 - 940 + MAX_TIME_S * 1000 + 312;
            v(end, &vnetd, 2, format!("vnet_sock_ready: {} 0: max_time: {MAX_TIME_S} 0x00000078", loc(client_win)));
            v(end, &vnetd, 2, format!("vnet_sock_ready: {} 0: Function failed: 11 0x0000000b", loc(client_win)));
            v(end, &vnetd, 2, format!("process_connect_forward_socket: {} 0: status: 11 0x0000000b", loc(client_win)));
        } else {
            v(
                handover + 300,
                &vnetd,
                2,
                format!(
                    "vnet_verify_local_accept: {} 0: localhost IPv4 peer port: {} 0x00000000",
                    loc(client_win),
                    port + 1
                ),
            );
            v(
                handover + 320,
                &vnetd,
                2,
                format!("process_connect_forward_socket: {} 0: status: 0 0x00000000", loc(client_win)),
            );
        }
        for (i, (at, src)) in connects.iter().enumerate() {
            let p = pid(client_win, 42100 + i as u32, 42200);
            v(
                *at,
                &p,
                2,
                format!(
                    "ProcessRequests: {} 0: msg: VNETD ACCEPT FROM {src} TO {client_ip}.13724 fd = 392",
                    loc(client_win)
                ),
            );
        }
        let mut b = |t: i64, level: u8, body: String| {
            out.push((client, "bpcd", t + off, GenLine { pid: bpcd.clone(), level, body }))
        };
        b(handover - 500, 2, format!("is_pbxable_server: {} 0: service: {port}", loc(client_win)));
        b(handover - 500, 2, format!("vnet_async_connect: {} 0: connect in progress: 1 0x00000001", loc(client_win)));
        if self.kind == Kind::Failure {
            let mut at = handover - 500;
            for backoff in [1_000, 2_000, 4_000, 8_000] {
                b(
                    at + 1_016,
                    2,
                    format!(
                        "vnet_async_connect: {} 0: getsockopt SO_ERROR returned: 10061 0x0000274d",
                        loc(client_win)
                    ),
                );
                at += 1_016 + backoff;
                b(at, 2, format!("vnet_async_connect: {} 0: connect in progress: 1 0x00000001", loc(client_win)));
            }
            b(
                at + 1_016,
                2,
                format!("vnet_async_connect: {} 0: getsockopt SO_ERROR returned: 10061 0x0000274d", loc(client_win)),
            );
            b(at + 1_016, 16, "process_requests: get_vnetd_forward_socket failed: 25".into());
        } else {
            b(
                handover - 499,
                2,
                format!(
                    "vnet_async_connect: {} 0: connect: async CONNECT FROM 127.0.0.1.{} TO 127.0.0.1.{port} fd = 396",
                    loc(client_win),
                    port + 1
                ),
            );
        }
        out
    }
}

/// The scenario lines a file (host, process, day) must carry, in time order, as
/// (milliseconds from that day's midnight, line).
pub fn lines_for(scenarios: &[Scenario], host: &str, process: &str, day: usize) -> Vec<(i64, GenLine)> {
    let mut out: Vec<(i64, GenLine)> = scenarios
        .iter()
        .filter(|s| s.day == day)
        .flat_map(|s| s.lines())
        .filter(|(h, p, t, _)| *h == host && *p == process && (0..MS_PER_DAY).contains(t))
        .map(|(_, _, t, line)| (t, line))
        .collect();
    crate::order::sort_by_key(&mut out, |(t, _)| *t);
    out
}

pub fn expected(scenarios: &[Scenario]) -> Vec<ExpectedFinding> {
    let mut out = Vec::new();
    for s in scenarios {
        let total: i64 = s.waits_ms.iter().sum();
        match s.kind {
            Kind::Failure | Kind::HarmlessDelay => out.push(ExpectedFinding {
                rule: "pbx-connect-timeout",
                severity: if s.kind == Kind::Failure { "critical" } else { "warning" },
                source_ip: Some(s.media.1.into()),
                target_ip: Some(s.client.1.into()),
                count: Some(s.waits_ms.len() as u64),
                total_wait_s: Some(total as f64 / 1000.0),
                ipc_port: None,
            }),
            Kind::Refused => {}
        }
        if s.kind == Kind::Failure {
            out.push(ExpectedFinding {
                rule: "forward-socket-expired",
                severity: "critical",
                source_ip: Some(s.media.1.into()),
                target_ip: Some(s.client.1.into()),
                count: None,
                total_wait_s: None,
                ipc_port: Some(u64::from(s.ipc_port)),
            });
        }
    }
    out
}
