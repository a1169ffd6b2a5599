#!/usr/bin/env python3
"""Records small real packet captures on the loopback with tcpdump, one per scenario, into DIR.

Run as root (tcpdump needs it), best in a network namespace of its own (`tests/captures/run`
does `unshare -n`), so that the ports are free and nothing else is on `lo`. Each scenario is
real kernel behaviour, nothing written by hand:

  refused   a connect to a port nothing listens on: the SYN, then the kernel's RST.
  refused6  the same over IPv6 (::1), when the machine has IPv6.
  drop      a listener that never accepts, its accept queue full: the kernel drops further
            SYNs without a word, the client sends its SYN again (Linux: after 1 s, then 2 s
            more) and gives up after CLIENT_TIMEOUT_S.
  stall     a server that accepts and never reads, with a small receive buffer: the client
            writes until the server's window is zero, the client's kernel probes the window,
            then the server closes with the data unread (the kernel then sends a reset).
  firewall  an nftables rule drops the SYNs to a port a server listens on (only in a network
            namespace of our own, NBTRIAGE_PRIVATE_NETNS=1, with nft installed; else skipped).
  idle      a connection that carries a few bytes, stays idle IDLE_S, then the server closes it
            with SO_LINGER 0 (a reset).
  bulk      a megabyte read in full: segments far larger than an Ethernet MTU, none sent again;
            captured with `-i any` (Linux cooked capture) and nanosecond times.

Each scenario gets DIR/<name>/<name>.pcap and DIR/manifest.json says what each did (its port,
the client's timeout, tshark's counts when tshark is installed) and the kernel's SYN schedule. No NetBackup log is written: the captures stand alone.
The ports are NetBackup's (1556, 13724, 13782) so that nbtriage's capture rules look at them.
Python 3.11 standard library only.
"""

import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"
PBX, VNETD, BPCD = 1556, 13724, 13782
# The client's connect timeout in the silent drop, half a second from any SYN of either Linux
# schedule (see syn_schedule_s): 0, 1, 2, 3 s with tcp_syn_linear_timeouts at its default of 4
# (kernels since 2023), 0, 1, 3 s without.
CLIENT_TIMEOUT_S = 3.5
# How long the stalled reader's window stays closed before the server closes.
STALL_S = 3.0
IDLE_S = 2.0
BULK_BYTES = 1 << 20


class Tcpdump:
    """tcpdump on `lo` (or `any`) for one port, writing each packet as it comes; always stopped."""

    def __init__(self, path, port, interface="lo", extra=()):
        # -s 128: headers only, as README's command; frames longer than that are cut.
        self.proc = subprocess.Popen(
            ["tcpdump", "-i", interface, "--immediate-mode", "-U", "-n", "-s", "128", *extra, "-w", path, f"tcp port {port}"],
            stderr=subprocess.PIPE,
        )
        # The shell that runs this script stops any tcpdump left running (tests/captures/run).
        with open(os.path.join(os.path.dirname(os.path.dirname(path)), "tcpdump.pids"), "a") as pids:
            pids.write(f"{self.proc.pid}\n")
        self._wait_listening()

    def _wait_listening(self):
        # tcpdump says "listening on lo" once its filter is in place: packets before it are lost.
        # Raw reads of its stderr: a warning may come in the same read as that line.
        said, fd = b"", self.proc.stderr.fileno()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and b"listening on" not in said:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    break
                said += chunk
        if b"listening on" in said:
            time.sleep(0.3)  # the socket's filter is set just before it says so
            return
        self.stop()
        raise RuntimeError(f"tcpdump did not start listening: {said.decode(errors='replace')}")

    def stop(self):
        if self.proc.poll() is None:
            # Without --immediate-mode the kernel hands packets over in blocks, and the last
            # block is lost at the signal; with it, a short wait lets the last packet in.
            time.sleep(0.3)
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def refused(port):
    """Connect to a port nothing listens on: SYN, then RST from the peer."""
    with socket.socket() as c:
        try:
            c.connect((HOST, port))
        except ConnectionRefusedError:
            return {"client_saw": "ECONNREFUSED"}
    raise RuntimeError(f"port {port} accepted: something listens on it")


def refused6(port):
    """The same refusal over IPv6 (`::1`): the kernel's reset with its hop limit."""
    with socket.socket(socket.AF_INET6) as c:
        try:
            c.connect(("::1", port))
        except ConnectionRefusedError:
            return {"client_saw": "ECONNREFUSED", "hop_limit": ipv6_hop_limit()}
    raise RuntimeError(f"port {port} accepted on ::1: something listens on it")


def ipv6_hop_limit():
    try:
        with open("/proc/sys/net/ipv6/conf/lo/hop_limit") as f:
            return int(f.read())
    except OSError:
        return 64


def listening(port, backlog, receive_buffer=None):
    """A socket listening on the loopback's `port` (reused at once between scenarios), with room
    for `backlog` connections waiting to be accepted, and a small receive buffer when asked."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if receive_buffer:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    server.bind((HOST, port))
    server.listen(backlog)
    return server


def drop(port):
    """A full accept queue: the kernel drops the SYN, the client sends it again, then gives up."""
    with listening(port, 0) as server:  # room for one connection waiting; never accepted
        filler = socket.create_connection((HOST, port))  # takes that room
        filler_port = filler.getsockname()[1]
        time.sleep(0.2)
        client = socket.socket()
        client.settimeout(CLIENT_TIMEOUT_S)
        started = time.monotonic()
        try:
            client.connect((HOST, port))
            raise RuntimeError("the connect succeeded: the accept queue was not full")
        except TimeoutError:
            waited = time.monotonic() - started
        finally:
            client.close()
            filler.close()
        return {
            "filler_port": filler_port,
            "client_timeout_s": CLIENT_TIMEOUT_S,
            "client_waited_s": round(waited, 3),
        }


def firewall(port):
    """An nftables rule drops the SYNs to a port a server listens on: the kind of silent drop
    the seed technote's packet trace showed. Only in a network namespace of our own, whose
    rules go with it."""
    table = "nbtriage_real_captures"

    def nft(*words):
        subprocess.run(["nft", *words], check=True)

    nft("add", "table", "inet", table)
    try:
        nft("add", "chain", "inet", table, "input", "{ type filter hook input priority 0 ; }")
        nft("add", "rule", "inet", table, "input", "tcp", "dport", str(port), "drop")
        with listening(port, 8):  # it would answer: only the rule stops the SYNs
            with socket.socket() as client:
                client.settimeout(CLIENT_TIMEOUT_S)
                try:
                    client.connect((HOST, port))
                    raise RuntimeError("the connect succeeded: the rule dropped nothing")
                except TimeoutError:
                    pass
    finally:
        nft("delete", "table", "inet", table)
    return {"rule": f"tcp dport {port} drop", "client_timeout_s": CLIENT_TIMEOUT_S}


def stall(port):
    """A reader that never reads: the writer fills its window to zero, probes, then a reset."""
    # A small receive buffer (inherited by the accepted socket) closes the window quickly.
    with listening(port, 1, receive_buffer=4096) as listener:
        client = socket.create_connection((HOST, port))
        server, _ = listener.accept()
        client.setblocking(False)
        sent = 0
        chunk = b"x" * 1024
        deadline = time.monotonic() + 2
        # Write until the kernel takes no more (the peer's window and our send buffer full).
        while time.monotonic() < deadline:
            try:
                sent += client.send(chunk)
            except BlockingIOError:
                break
        time.sleep(STALL_S)
        # The server closes with data unread: its kernel answers with a reset, not a FIN.
        server.close()
        time.sleep(0.2)
        client.close()
        return {"client_sent_bytes": sent, "stall_s": STALL_S}


def bulk(port):
    """A megabyte sent to a server that reads it all: the loopback's segments are far larger
    than an Ethernet MTU (up to 64 KiB), none sent again. Captured as `tcpdump -i any` does
    (Linux cooked capture) with nanosecond times."""
    with listening(port, 1) as listener:
        client = socket.create_connection((HOST, port))
        server, _ = listener.accept()
        data = b"y" * BULK_BYTES
        reader = threading.Thread(target=lambda: read_all(server, len(data)))
        reader.start()
        client.sendall(data)
        client.shutdown(socket.SHUT_WR)
        reader.join(timeout=10)
        server.close()
        client.close()
        return {"bytes": len(data)}


def read_all(sock, size):
    got = 0
    while got < size:
        chunk = sock.recv(1 << 16)
        if not chunk:
            break
        got += len(chunk)


def idle(port):
    """A few bytes, an idle gap, then the server resets the connection (SO_LINGER 0)."""
    with listening(port, 1) as listener:
        client = socket.create_connection((HOST, port))
        server, _ = listener.accept()
        client.sendall(b"hello")
        server.recv(16)
        time.sleep(IDLE_S)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        server.close()
        time.sleep(0.2)
        client.close()
        return {"idle_s": IDLE_S}


def sysctl(name, default):
    try:
        with open(f"/proc/sys/net/ipv4/{name}") as f:
            return int(f.read())
    except OSError:
        return default


def syn_schedule_s(timeout):
    """When Linux sends a connect's SYNs (seconds after the first) before `timeout`.

    The first retransmission timeout is 1 s (RFC 6298, 2.1), then it doubles; on kernels since
    2023 the first `tcp_syn_linear_timeouts` (default 4) backoffs stay at 1 s: "1, 1, 1, 2, 4,
    8 ..." for 2 (kernel commit ccce324dabfe, "tcp: make the first N SYN RTO backoffs linear",
    https://git.zx2c4.com/wireguard-linux/commit/?id=ccce324dabfe2143519daf50ed8b1ef1d0c542f7).
    """
    linear = sysctl("tcp_syn_linear_timeouts", 0)
    times, k = [0.0], 1
    while True:
        wait = 1.0 if k <= linear + 1 else 2.0 ** (k - linear - 1)
        if times[-1] + wait >= timeout:
            return times
        times.append(times[-1] + wait)
        k += 1


def tshark_oracle(path):
    """What Wireshark's TCP analysis counts in a capture, per sending port, or None without
    tshark. Its names: retransmission, zero_window (a segment advertising a zero window),
    keep_alive, zero_window_probe (one byte); flags syn and reset; and the frames in all."""
    fields = {
        "syn": "tcp.flags.syn",
        "reset": "tcp.flags.reset",
        "retransmission": "tcp.analysis.retransmission",
        "zero_window": "tcp.analysis.zero_window",
        "keep_alive": "tcp.analysis.keep_alive",
        "zero_window_probe": "tcp.analysis.zero_window_probe",
    }
    args = ["tshark", "-r", path, "-T", "fields", "-E", "separator=,", "-e", "tcp.srcport"]
    for field in fields.values():
        args += ["-e", field]
    try:
        out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=30).stdout
    except FileNotFoundError:
        return None
    counts = {name: {} for name in fields}
    counts["frames"] = len(out.splitlines())
    for line in out.splitlines():
        port, *values = line.split(",")
        for name, value in zip(fields, values):
            if value not in ("", "0", "False"):
                counts[name][port] = counts[name].get(port, 0) + 1
    return counts


SCENARIOS = [
    ("refused", PBX, refused),
    ("refused6", PBX, refused6),
    ("drop", VNETD, drop),
    ("firewall", PBX, firewall),
    ("stall", BPCD, stall),
    ("idle", VNETD, idle),
    ("bulk", BPCD, bulk),
]
# How tcpdump captures each scenario beyond the defaults: `-i any` writes Linux cooked capture.
CAPTURE_OPTIONS = {"bulk": {"interface": "any", "extra": ("--time-stamp-precision", "nano")}}


def why_not(name):
    """Why a scenario cannot run here, or None."""
    if name == "refused6" and not (socket.has_ipv6 and os.path.exists("/proc/net/if_inet6")):
        return "no IPv6 on this machine"
    if name != "firewall":
        return None
    if os.environ.get("NBTRIAGE_PRIVATE_NETNS") != "1":
        return "no network namespace of our own: nbtriage's tests never touch the machine's firewall"
    if not shutil.which("nft"):
        return "nft (Debian's nftables) is not installed"
    return None


def main():
    # SIGTERM (the shell's cleanup, timeout) unwinds like an error: each tcpdump is stopped
    # and the nftables table deleted on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if len(sys.argv) != 2:
        sys.exit("usage: record.py DIR")
    out = sys.argv[1]
    scenarios = {}
    for name, port, run in SCENARIOS:
        skipped = why_not(name)
        if skipped:
            print(f"skipped {name}: {skipped}")
            scenarios[name] = {"port": port, "skipped": skipped}
            continue
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{name}.pcap")
        started = time.time()
        with Tcpdump(path, port, **CAPTURE_OPTIONS.get(name, {})):
            did = run(port)
        scenarios[name] = {"port": port, "started_unix": started, "tshark": tshark_oracle(path), **did}
        print(f"recorded {name}: {os.path.getsize(path)} bytes, {did}")
    if scenarios["refused"]["tshark"] is None:
        print("tshark not found: the checks go without Wireshark's counts")
    kernel = {
        "release": os.uname().release,
        # The TTL of the kernel's own packets (its reset included): a loopback has no hop.
        "ttl": sysctl("ip_default_ttl", 64),
        "syn_schedule_s": syn_schedule_s(CLIENT_TIMEOUT_S),
    }
    manifest = {"kernel": kernel, "scenarios": scenarios}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
