//! The everyday lines each process writes, with varied message shapes and values.

use super::rng::Rng;
use super::HostSpec;
use crate::vocab::time::time_of_day;

/// One generated line: thread (`pid` or `pid.tid`), level and the text after the level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenLine {
    pub pid: String,
    pub level: u8,
    pub body: String,
}

pub struct Chatter {
    host: HostSpec,
    process: &'static str,
    threads: Vec<String>,
    /// The second line of a two-line sequence (a connect and its CONNECT line).
    follow_up: Option<GenLine>,
}

const DIRS: &[&str] =
    &["export/home/oracle", "data/finance", "srv/www", "var/lib/pgsql", "opt/app/logs", "Users/Public/Documents"];
const FILES: &[&str] = &[
    "ledger_2026.dbf",
    "index.html",
    "base/16384/2619",
    "app.log.3",
    "report Q3.xlsx",
    "redo01.log",
    "photo 0042.jpg",
];
const CLIENTS: &[&str] = &["client01", "client03", "client05", "client07"];
const CLIENT_IPS: &[&str] = &["172.16.4.11", "172.16.4.13", "172.16.4.15", "172.16.4.17"];

impl Chatter {
    pub fn new(host: &HostSpec, process: &'static str, seed: u64) -> Chatter {
        let mut rng = Rng::new(seed);
        let threads = (0..4)
            .map(|_| {
                let pid = 1000 + rng.below(30_000);
                if host.windows {
                    format!("{pid}.{}", 1000 + rng.below(9000))
                } else {
                    pid.to_string()
                }
            })
            .collect();
        Chatter { host: *host, process, threads, follow_up: None }
    }

    pub fn mean_line_len(&self) -> f64 {
        120.0
    }

    /// `HH:MM:SS.mmm [pid] <N> `.
    pub fn header(&self, ms: i64, line: &GenLine) -> String {
        format!("{} [{}] <{}> ", time_of_day(ms), line.pid, line.level)
    }

    pub fn line(&mut self, rng: &mut Rng) -> GenLine {
        if let Some(next) = self.follow_up.take() {
            return next;
        }
        let pid = rng.pick(&self.threads).clone();
        let n = |rng: &mut Rng, max: u64| rng.below(max);
        let (level, body) = match self.process {
            "bpbrm" => match rng.below(12) {
                0 => (2, "bpbrm write_filelist: wrote CONTINUE on COMM_SOCK".to_string()),
                1 => (2, "bpbrm mm_sig: received ready signal from media manager".to_string()),
                2 => (2, format!("bpbrm handle_backup: bpbrm.c.{}: media_port: 0 0 0x00000000", 9000 + n(rng, 6000))),
                3 => (2, format!("bpbrm brm_sigcld: bpbrm child {} exit_status = 0", 1000 + n(rng, 30000))),
                4 => (2, format!("bpbrm set_job_details: Tfile ({}): LOG {} 4 bpbrm {} from client {}: TRV - object not found for file system backup: /proc", 1000 + n(rng, 90000), 1_793_000_000 + n(rng, 200_000), 1000 + n(rng, 30000), rng.pick(CLIENTS))),
                5 if rng.below(20) == 0 => (4, format!("bpbrm Exit: INF - EXIT STATUS 0: the requested operation was successfully completed (job {})", 1000 + n(rng, 90000))),
                6 => (2, format!("bpbrm read_client_msg: TAR - /{}/{}", rng.pick(DIRS), rng.pick(FILES))),
                7 => (2, format!("bpbrm check_for_terminate: checking for termination of job {}", 1000 + n(rng, 90000))),
                8 => self.healthy_connect(rng, &pid),
                9 => (2, format!("bpbrm validate_image_info: image client {} policy Daily_FS", rng.pick(CLIENTS))),
                10 => (2, format!("bpcr_get_hostname_rqst: Server hostname length = {}", 8 + n(rng, 20))),
                _ => (2, format!("bpbrm write_file_names: buffer size is {} bytes", 512 * (1 + n(rng, 64)))),
            },
            "bptm" | "bpdm" => match rng.below(9) {
                0 => (2, format!("io_init: using {} data buffer size", 65536 * (1 + n(rng, 16)))),
                1 => (2, format!("write_backup: media id A{:05} mounted on drive index {}", n(rng, 99999), n(rng, 8))),
                2 => (2, format!("write_data: waited for full buffer {} times, delayed {} times", n(rng, 5000), n(rng, 90000))),
                3 => (2, format!("fill_buffer: [{pid}] socket is closed, waited for empty buffer {} times, delayed {} times, read {} bytes", n(rng, 900), n(rng, 9000), n(rng, 1 << 34))),
                4 if rng.below(50) == 0 => (4, format!("{}: EXITING with status 0 <----------", self.process)),
                5 => (2, format!("{} write_data: writing block {} of {}", self.process, n(rng, 1 << 20), 1 << 20)),
                6 => (2, format!("{}: INITIATING (VERBOSE = 5): -w GET_MAX_FRAGMENT_SIZE -jobid {} -stunit stu_{}", self.process, 1000 + n(rng, 90000), n(rng, 9))),
                7 => (2, format!("{} mpx_setup_restore_shm: using {} data buffers, buffer size is {}", self.process, 8 * (1 + n(rng, 8)), 262_144)),
                _ => (2, format!("{} get_next_fragment: fragment {} of image {}_{}", self.process, n(rng, 400), rng.pick(CLIENTS), 1_793_000_000 + n(rng, 200_000))),
            },
            "bpcd" => match rng.below(8) {
                0 => (2, "process_requests: BPCD_GET_VERSION_RQST".to_string()),
                1 => (2, "process_requests: output socket port number = 1".to_string()),
                2 => (2, "bpcd main: offset to GMT 0".to_string()),
                3 => (2, format!("bpcd valid_server: comparing {} and {}", rng.pick(&["media01", "media02"]), rng.pick(&["media01", "media02"]))),
                // One accept per bpcd run, which then logs dozens of lines.
                4 if rng.below(5) == 0 => (2, format!("logconnections: BPCD ACCEPT FROM {}.{} TO {}.1556 fd = {}", rng.pick(&["10.1.2.3", "10.1.2.4"]), 30000 + n(rng, 9999), self.host.ip, 3 + n(rng, 900))),
                5 => (2, format!("process_requests: BPCD_GET_STDOUT_HOST_SOCKET_RQST ({} bytes)", n(rng, 900))),
                6 => (2, format!("bpcd peer_hostname: Connection from host {} ({}) port {}", rng.pick(&["media01", "media02"]), rng.pick(&["10.1.2.3", "10.1.2.4"]), 30000 + n(rng, 9999))),
                _ => (2, "process_requests: BPCD_HOSTNAME_RQST".to_string()),
            },
            "vnetd" => match rng.below(6) {
                0 => (2, format!("vnet_cached_getaddrinfo_and_update: ../../libvlibs/vnet_addrinfo.c.{}: 0: found in cache name: {}", 1000 + n(rng, 900), rng.pick(CLIENTS))),
                1 => (2, "ProcessRequests: ../../libvlibs/vnetd.c.960: 0: status: 0 0x00000000".to_string()),
                2 => (2, "ProcessRequests: ../../libvlibs/vnetd.c.905: 0: msg: Request VN_REQUEST_VERSION(8)".to_string()),
                3 => (2, format!("vnet_pbxConnect: ../../libvlibs/vnet_pbx.c.{}: 0: pbxConnectEx Succeeded", 200 + n(rng, 90))),
                4 if rng.below(4) == 0 => (2, format!("ProcessRequests: ../../libvlibs/vnetd.c.880: 0: msg: VNETD ACCEPT FROM {}.{} TO {}.1556 fd = {}", rng.pick(&["10.1.2.3", "10.1.2.4"]), 30000 + n(rng, 9999), self.host.ip, 3 + n(rng, 900))),
                _ => (2, "vnet_check_vxss: ../../libvlibs/vnet_vxss.c.512: 0: VxSS not enabled".to_string()),
            },
            _ => match rng.below(9) {
                0 => (4, format!("bpbkar PrintFile: /{}/{}", rng.pick(DIRS), rng.pick(FILES))),
                1 => (2, format!("bpbkar SelectFile: INF - Resolved_path = /{}", rng.pick(DIRS))),
                2 => (4, format!("bpbkar PrintFile: /{}/", rng.pick(DIRS))),
                3 => (2, "tar_base::V_vTarMsgW: INF - Estimate:-1 -1".to_string()),
                4 => (2, format!("bpbkar: INF - Processing /{}", rng.pick(DIRS))),
                5 if rng.below(20) == 0 => (16, format!("bpbkar: ERR - Cannot open file /{}/{}. Errno = 13: Permission denied", rng.pick(DIRS), rng.pick(FILES))),
                6 if rng.below(10) == 0 => (2, format!("bpbkar: WRN - /{} is a symbolic link, not followed", rng.pick(DIRS))),
                7 => (2, format!("bpbkar write_data: wrote {} bytes to DATA socket", 512 * (1 + n(rng, 2048)))),
                _ => (4, format!("bpbkar PrintFile: /{}/{} {}", rng.pick(DIRS), rng.pick(FILES), n(rng, 1 << 30))),
            },
        };
        GenLine { pid, level, body }
    }

    /// A PBX connection that is answered at once: the first line now, the CONNECT next.
    fn healthy_connect(&mut self, rng: &mut Rng, pid: &str) -> (u8, String) {
        let target = rng.pick(CLIENT_IPS);
        self.follow_up = Some(GenLine {
            pid: pid.to_string(),
            level: 2,
            body: format!(
                "vnet_async_connect: ../../libvlibs/vnet_connect.c.1090: 0: connect: async CONNECT FROM {}.{} TO {target}.1556 fd = {}",
                self.host.ip,
                20000 + rng.below(9999),
                3 + rng.below(900)
            ),
        });
        (2, "vnet_async_connect: ../../libvlibs/vnet_connect.c.1021: 0: connect in progress: 1 0x00000001".to_string())
    }
}
