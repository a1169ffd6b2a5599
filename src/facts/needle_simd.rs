//! The needle search for WebAssembly: Aho-Corasick's SIMD searcher (Teddy) exists only for
//! x86-64 and aarch64, and its byte-at-a-time automaton runs at ~560 MB/s in V8 (BENCHMARKS.md).
//! This is Teddy's idea with `simd128`: the first four bytes of every needle, split into
//! nibbles, are looked up in 16 lanes at once (`i8x16_swizzle`); only where all four agree is a
//! needle compared in full (four bytes rather than Teddy's usual three: needles that start
//! with a space otherwise match too often; 1.5 GB/s against 1.1).
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
    buckets: [Vec<&'static [u8]>; BUCKETS],
}

fn tables(needles: &'static [&'static str]) -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let (mut low, mut high) = ([[0u8; 16]; PREFIX], [[0u8; 16]; PREFIX]);
        let mut buckets: [Vec<&'static [u8]>; BUCKETS] = Default::default();
        for (i, needle) in needles.iter().enumerate() {
            let bucket = i % BUCKETS;
            buckets[bucket].push(needle.as_bytes());
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
        let found = (0..BUCKETS)
            .filter(|b| buckets & (1 << b) != 0)
            .any(|b| t.buckets[b].iter().any(|needle| rest.starts_with(needle)));
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
        if v128_any_true(candidates) {
            let mut lanes = [0u8; 16];
            // SAFETY: `lanes` is 16 bytes.
            unsafe { v128_store(lanes.as_mut_ptr() as *mut v128, candidates) };
            for (lane, &buckets) in lanes.iter().enumerate() {
                if buckets != 0 {
                    verify(pos + lane, buckets, out);
                }
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
