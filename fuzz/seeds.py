#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from the fixture bundles (tests/bundles/).

    fuzz/seeds.py OUT_DIR [TARGET...]

Each target gets OUT_DIR/<target>/ with inputs in the form its body in fuzz/src/lib.rs reads:
- line:     one fixture line per seed (distinct lines, line ends taken off);
- scanner:  two steering bytes (path and index, chunking) and one fixture file;
- archive:  two steering bytes (format, chunking) and a small archive of a bundle, written by
            Python's tarfile (ustar, GNU, pax), gzip and zipfile (stored, deflated);
- analysis: two steering bytes (files and paths, chunking) and a bundle's files (at most 4)
            joined by the file mark, one of them a .tar.gz.
Seeds are regenerated from the bundles at every run, so new fixtures (new line grammars) reach
the fuzzers without a change here. Nothing here is committed but this script.
"""

import gzip
import io
import os
import sys
import tarfile
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BUNDLES = os.path.join(ROOT, "tests", "bundles")
FILE_MARK = b"\n--8<--\n"  # fuzz/src/lib.rs FILE_MARK
MAX_SEED = 16 * 1024


def bundles():
    """{bundle name: [(relative path, bytes)]}, in a stable order."""
    out = {}
    for name in sorted(os.listdir(BUNDLES)):
        top = os.path.join(BUNDLES, name)
        if not os.path.isdir(top):
            continue
        files = []
        for folder, _, names in sorted(os.walk(top)):
            for n in sorted(names):
                path = os.path.join(folder, n)
                with open(path, "rb") as f:
                    files.append((os.path.relpath(path, top).replace(os.sep, "/"), f.read()))
        out[name] = files
    return out


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data[:MAX_SEED] if len(data) > MAX_SEED else data)


def line_seeds(out, all_bundles):
    seen = set()
    for files in all_bundles.values():
        for _, data in files:
            for line in data.split(b"\n"):
                line = line.rstrip(b"\r")
                if line and line not in seen and len(line) < 4096:
                    seen.add(line)
    for i, line in enumerate(sorted(seen)):
        write(out, f"line-{i:04}", line)


def scanner_seeds(out, all_bundles):
    i = 0
    for files in all_bundles.values():
        for _, data in files:
            # Path and index detail vary with i; chunking from 1 byte up to 4 KiB.
            write(out, f"file-{i:03}", bytes([i % 24, (i * 5) % 13]) + data)
            i += 1


def tar_of(files, fmt, long_prefix=""):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for path, data in files:
            info = tarfile.TarInfo(long_prefix + path)
            info.size = len(data)
            info.mtime = 1307123456
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def zip_of(files, method):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as z:
        for path, data in files:
            z.writestr(path, data)
    return buf.getvalue()


def archive_seeds(out, all_bundles):
    # Format byte: 0 gzip, 1 tar, 2 tar.gz, 3 zip, 4+ judged from the bytes (lib.rs archive()).
    long = "a-folder-name-long-enough-for-a-long-name-entry/" * 3
    for name in ["seed-technote", "vxlogview-nbjm", "job-details-status-13"]:
        files = all_bundles.get(name)
        if not files:
            continue
        plain = tar_of(files, tarfile.USTAR_FORMAT)
        write(out, f"{name}.tar", bytes([1, 7]) + plain)
        write(out, f"{name}-gnu.tar", bytes([1, 3]) + tar_of(files, tarfile.GNU_FORMAT, long))
        write(out, f"{name}-pax.tar", bytes([4, 9]) + tar_of(files, tarfile.PAX_FORMAT, long))
        write(out, f"{name}.tar.gz", bytes([2, 12]) + gzip.compress(plain, mtime=0))
        write(out, f"{name}.zip", bytes([3, 5]) + zip_of(files, zipfile.ZIP_DEFLATED))
        write(out, f"{name}-stored.zip", bytes([4, 0]) + zip_of(files, zipfile.ZIP_STORED))
        write(out, f"{name}.gz", bytes([0, 2]) + gzip.compress(files[0][1], mtime=0) + gzip.compress(b"x\n", mtime=0))


def analysis_seeds(out, all_bundles):
    for i, (name, files) in enumerate(all_bundles.items()):
        bodies = [data for _, data in files[:4]]
        if len(bodies) == 1:
            bodies.append(b"")
        write(out, f"{name}", bytes([(i * 4) % 256, i % 13]) + FILE_MARK.join(bodies))
    technote = all_bundles.get("seed-technote")
    if technote:
        # Path 5 is case.tar.gz (lib.rs PATHS): the first file, an archive of two, beside the third.
        tgz = gzip.compress(tar_of(technote[:2], tarfile.USTAR_FORMAT), mtime=0)
        write(out, "seed-technote-tgz", bytes([5 << 2, 6]) + tgz + FILE_MARK + technote[2][1])


TARGETS = {"line": line_seeds, "scanner": scanner_seeds, "archive": archive_seeds, "analysis": analysis_seeds}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out, wanted = sys.argv[1], sys.argv[2:] or list(TARGETS)
    all_bundles = bundles()
    for target in wanted:
        TARGETS[target](os.path.join(out, target), all_bundles)


if __name__ == "__main__":
    main()
