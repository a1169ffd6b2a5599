//! The needle search for WebAssembly: Aho-Corasick's SIMD searcher (Teddy) exists only for
//! x86-64 and aarch64, and its byte-at-a-time automaton runs at ~560 MB/s in V8 (BENCHMARKS.md).
//! This is Teddy's idea with `simd128`: the first four bytes of every needle, split into
//! nibbles, are looked up in 16 lanes at once (`i8x16_swizzle`); only where all four agree is a
//! needle compared in full (four bytes rather than Teddy's usual three: needles that start
//! with a space otherwise match too often; 1.5 GB/s against 1.1).
//! As in Teddy, needles alike share a bucket (`assign_buckets`), the lanes a block accepts are
//! walked by their bitmask, and a candidate's first four bytes are compared as one word before
//! the whole needle: 740 → 1,300 MB/s in node (BENCHMARKS.md, "The WebAssembly profile").
//!
//! It finds every position where a needle starts (overlapping ones too), in order. The caller
//! only asks whether a needle starts inside a line, so the answer is the same as the
//! Aho-Corasick search's (tests/e2e checks the page's report against the CLI's, byte for byte).

use core::arch::wasm32::*;
use std::sync::OnceLock;

/// Needles are spread over 8 buckets, one bit each in the lookup tables.
const BUCKETS: usize = 8;
/// Bytes of each needle in the fingerprint.
const PREFIX: usize = 4;

struct Tables {
    low: [v128; PREFIX],
    high: [v128; PREFIX],
    /// Each bucket's needles, with their first four bytes as one word to compare first.
    buckets: [Vec<(u32, &'static [u8])>; BUCKETS],
}

/// The first four bytes of `bytes` as one word (`bytes` holds at least four).
#[inline(always)]
fn word(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Which bucket each needle goes in: each in turn (alphabetically) where it widens the bucket's
/// fingerprint least. A bucket accepts every mix of its needles' nibbles at each position, so
/// needles alike (`EXIT STATUS `, `EXITING with status `) share one and unlike ones are kept
/// apart; by index alone, the 30 needles made 1.7 times as many candidates on generated logs.
fn assign_buckets(needles: &[&'static str]) -> Vec<usize> {
    // Per bucket and fingerprint position: the low and the high nibbles seen, as bit sets.
    let mut seen = [[[0u16; 2]; PREFIX]; BUCKETS];
    let accepted =
        |s: &[[u16; 2]; PREFIX]| -> u64 { s.iter().map(|[l, h]| u64::from(l.count_ones() * h.count_ones())).product() };
    let mut order: Vec<usize> = (0..needles.len()).collect();
    crate::order::sort_by_key(&mut order, |&i| needles[i]);
    let mut bucket_of = vec![0; needles.len()];
    for i in order {
        let with = |s: &[[u16; 2]; PREFIX]| {
            let mut s = *s;
            for (k, &byte) in needles[i].as_bytes()[..PREFIX].iter().enumerate() {
                s[k][0] |= 1 << (byte & 0x0f);
                s[k][1] |= 1 << (byte >> 4);
            }
            s
        };
        let growth = |b: usize| accepted(&with(&seen[b])) - accepted(&seen[b]);
        let best = (0..BUCKETS).min_by_key(|&b| growth(b)).unwrap_or(0);
        seen[best] = with(&seen[best]);
        bucket_of[i] = best;
    }
    bucket_of
}

fn tables(needles: &'static [&'static str]) -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let (mut low, mut high) = ([[0u8; 16]; PREFIX], [[0u8; 16]; PREFIX]);
        let mut buckets: [Vec<(u32, &'static [u8])>; BUCKETS] = Default::default();
        for (needle, bucket) in needles.iter().zip(assign_buckets(needles)) {
            buckets[bucket].push((word(needle.as_bytes()), needle.as_bytes()));
            for k in 0..PREFIX {
                let byte = needle.as_bytes()[k];
                low[k][usize::from(byte & 0x0f)] |= 1 << bucket;
                high[k][usize::from(byte >> 4)] |= 1 << bucket;
            }
        }
        let load = |t: [u8; 16]| {
            u8x16(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15])
        };
        Tables { low: low.map(load), high: high.map(load), buckets }
    })
}

/// Appends `base + position` for every position in `bytes` where one of `needles` (each at
/// least [`PREFIX`] bytes) starts, ascending.
pub fn hits(needles: &'static [&'static str], bytes: &[u8], base: u64, out: &mut Vec<u64>) {
    let t = tables(needles);
    let verify = |pos: usize, buckets: u8, out: &mut Vec<u64>| {
        let rest = &bytes[pos..];
        let first = if rest.len() >= 4 { word(rest) } else { return };
        let found = (0..BUCKETS)
            .filter(|b| buckets & (1 << b) != 0)
            .any(|b| t.buckets[b].iter().any(|&(prefix, needle)| prefix == first && rest.starts_with(needle)));
        if found {
            out.push(base + pos as u64);
        }
    };
    let mut pos = 0;
    // Full blocks: 16 start positions, whose four fingerprint bytes all lie inside `bytes`.
    while pos + 16 + PREFIX - 1 <= bytes.len() {
        let mut candidates = u8x16_splat(0xff);
        for k in 0..PREFIX {
            // SAFETY: pos + k + 16 <= bytes.len() by the loop condition.
            let chunk = unsafe { v128_load(bytes.as_ptr().add(pos + k) as *const v128) };
            let low = u8x16_swizzle(t.low[k], v128_and(chunk, u8x16_splat(0x0f)));
            let high = u8x16_swizzle(t.high[k], u8x16_shr(chunk, 4));
            candidates = v128_and(candidates, v128_and(low, high));
        }
        // One bit per lane that any bucket accepts; most blocks have none.
        let mut lanes_hit = u8x16_bitmask(u8x16_ne(candidates, u8x16_splat(0)));
        if lanes_hit != 0 {
            let mut lanes = [0u8; 16];
            // SAFETY: `lanes` is 16 bytes.
            unsafe { v128_store(lanes.as_mut_ptr() as *mut v128, candidates) };
            while lanes_hit != 0 {
                let lane = lanes_hit.trailing_zeros() as usize;
                lanes_hit &= lanes_hit - 1;
                verify(pos + lane, lanes[lane], out);
            }
        }
        pos += 16;
    }
    // The last few positions, one by one.
    while pos < bytes.len() {
        verify(pos, 0xff, out);
        pos += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::extract::{hits_by_automaton, needles};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Per line: does a needle start in it? The SIMD search and the automaton must agree.
    fn lines_with_hits(bytes: &[u8], starts: &[usize]) -> Vec<bool> {
        let mut out = vec![false; bytes.iter().filter(|&&b| b == b'\n').count() + 1];
        for &at in starts {
            out[bytes[..at].iter().filter(|&&b| b == b'\n').count()] = true;
        }
        out
    }

    fn check(bytes: &[u8]) {
        let mut simd = Vec::new();
        super::hits(needles(), bytes, 0, &mut simd);
        let simd: Vec<usize> = simd.into_iter().map(|h| h as usize).collect();
        assert!(simd.windows(2).all(|w| w[0] < w[1]), "ascending");
        let automaton = hits_by_automaton(bytes);
        assert_eq!(lines_with_hits(bytes, &simd), lines_with_hits(bytes, &automaton));
        for at in automaton {
            assert!(simd.contains(&at), "the automaton's hit at {at} is found");
        }
    }

    #[wasm_bindgen_test]
    fn agrees_with_the_automaton_on_generated_logs_and_edges() {
        let mut bundle = Vec::new();
        crate::generate::generate(3, 2 << 20, |_, bytes| bundle.extend_from_slice(bytes));
        check(&bundle);
        // Needles at the very start and end, across the 16-byte blocks, overlapping, cut short.
        for needle in needles() {
            for pad in 0..20 {
                let mut text = vec![b'x'; pad];
                text.extend_from_slice(needle.as_bytes());
                check(&text);
                check(&text[..text.len() - 1]);
                text.extend_from_slice(b"\nEXIT STATUS EXITING with status \n");
                check(&text);
            }
        }
        check(b"");
        check(b"EX");
    }
}
