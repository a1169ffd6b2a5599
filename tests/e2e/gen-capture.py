#!/usr/bin/env python3
"""Writes a large pcap for the page benchmark (tests/e2e/bench.mjs; BENCHMARKS.md, "Packet
captures"): full-size Ethernet frames of TCP connections from 64 clients to a media server's port
1556, each connection's handshake answered, then data frames round-robin, until the file reaches
the size asked. Generated at bench time, never committed. Python's standard library only.

  python3 tests/e2e/gen-capture.py DIR [MiB]    (default 1024 MiB; writes DIR/media01/capture.pcap)
"""

import os
import struct
import sys

CONNECTIONS = 4096
CLIENTS = 64
PAYLOAD = bytes(1460)
SERVER = bytes([10, 1, 0, 9])


def checksum(header):
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


def frame(number, connection, to_server, flags, seq, ack, data):
    client = bytes([10, 0, 0, 1 + connection % CLIENTS])
    port = 40000 + connection
    src, dst, sport, dport = (client, SERVER, port, 1556) if to_server else (SERVER, client, 1556, port)
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(data), number & 0xFFFF, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00" + ip + tcp + data


def main():
    folder = os.path.join(sys.argv[1], "media01")
    limit = int(sys.argv[2] if len(sys.argv) > 2 else 1024) << 20
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "capture.pcap")
    us = 1_700_000_000 * 1_000_000
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        size, number = 24, 0

        def write(f):
            nonlocal size, number, us
            out.write(struct.pack("<IIII", us // 1_000_000, us % 1_000_000, len(f), len(f)) + f)
            size += 16 + len(f)
            number += 1
            us += 12

        for c in range(CONNECTIONS):  # SYN, SYN-ACK, ACK
            write(frame(number, c, True, 0x02, 999, 0, b""))
            write(frame(number, c, False, 0x12, 5000, 1000, b""))
            write(frame(number, c, True, 0x10, 1000, 5001, b""))
        seqs = [1000] * CONNECTIONS
        while size < limit:
            c = number % CONNECTIONS
            write(frame(number, c, True, 0x18, seqs[c], 5001, PAYLOAD))
            seqs[c] = (seqs[c] + len(PAYLOAD)) & 0xFFFFFFFF
    print(f"{number} frames, {size} bytes in {path}")


if __name__ == "__main__":
    main()
