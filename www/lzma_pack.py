#!/usr/bin/env python3
"""Compresses stdin to stdout as raw LZMA1, for www/pack.mjs (nbtriage.html's embedded blocks).

Python's standard library only (lzma, in every Python 3 built with liblzma). Tries a small grid of
the literal and position properties and keeps the smallest stream (the first of equals), at
preset 9 | PRESET_EXTREME. Writes the 13-byte header of the .lzma format, then the raw stream:

  1 byte   (pb * 5 + lp) * 9 + lc
  4 bytes  the dictionary size, little-endian
  8 bytes  the uncompressed size, little-endian
  ...      the raw LZMA1 stream (liblzma always ends it with the end marker)

The page's decoder is www/single-file/lzma.js. The grid, measured on the page's blocks (every lc,
lp, pb with lc + lp <= 4, see BENCHMARKS.md): lp > 0 and pb = 2 never won (WebAssembly and text
are byte streams with no alignment), lc = 4 won for both modules, lc = 0 to 2 (equal) for the
worker's code.
"""

import struct
import sys

try:
    import lzma
except ImportError as error:  # a Python built without liblzma
    sys.exit(f"www/lzma_pack.py: Python's lzma module is missing ({error}): install a Python 3 with lzma")

GRID = [(lc, 0, pb) for lc in (0, 2, 3, 4) for pb in (0, 1)]


def dictionary_size(n):
    """The smallest power of two that holds the whole input (at least 4 KiB, the format's least)."""
    size = 4096
    while size < n:
        size *= 2
    return size


def compress(data, lc, lp, pb, dict_size):
    lzma1 = {"id": lzma.FILTER_LZMA1, "preset": 9 | lzma.PRESET_EXTREME, "lc": lc, "lp": lp, "pb": pb, "dict_size": dict_size}
    return lzma.compress(data, format=lzma.FORMAT_RAW, filters=[lzma1])


def main():
    data = sys.stdin.buffer.read()
    dict_size = dictionary_size(len(data))
    best = None
    for lc, lp, pb in GRID:
        stream = compress(data, lc, lp, pb, dict_size)
        if best is None or len(stream) < len(best[1]):
            best = ((lc, lp, pb), stream)
    (lc, lp, pb), stream = best
    header = struct.pack("<BIQ", (pb * 5 + lp) * 9 + lc, dict_size, len(data))
    sys.stdout.buffer.write(header + stream)


if __name__ == "__main__":
    main()
