//! Raw deflate, pushed, for gzip members and zip entries; and restart points inside a stream, so
//! that a viewer can read a stream's output from the middle without inflating it from its start.
//!
//! The decoder is always handed the same blocks of the stream ([`BLOCK`] bytes, or fewer when the
//! stream's input is known to be complete), never the caller's chunks. It then returns the same
//! output pieces for any chunking, so decisions taken on them (the ratio limit) are the same too.
//!
//! A deflate stream ends itself, inside a block: the bytes after its end that the [`Inflater`]
//! already took go back to the container through a [`Replay`].
//!
//! **Restart points** (the idea of zlib's `zran.c`): deflate blocks start at bit positions, and
//! a block refers back at most 32 KiB. So where a block ends, the decoder's whole state is the
//! bit position in the input (a byte offset and up to 7 bits) and the last 32 KiB of output.
//! miniz_oxide stops there when asked (`TINFL_FLAG_STOP_ON_BLOCK_BOUNDARY`) and starts again
//! from such a [`Mark`]. A mark is taken at the first block end once the output passes the
//! point the container asks for; taking one does not change the pieces handed out.

use miniz_oxide::inflate::core::inflate_flags::{TINFL_FLAG_HAS_MORE_INPUT, TINFL_FLAG_STOP_ON_BLOCK_BOUNDARY};
use miniz_oxide::inflate::core::{decompress, BlockBoundaryState, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};

/// Compressed bytes handed to the decoder at a time.
const BLOCK: usize = 8 * 1024;
/// The output ring: deflate's window, 32 KiB. Output pieces are at most this long.
pub(super) const WINDOW: usize = 32 * 1024;

pub(super) struct Inflater {
    raw: Box<DecompressorOxide>,
    /// The last [`WINDOW`] bytes of output, as a ring; the decoder writes at `at`.
    ring: Box<[u8]>,
    at: usize,
    /// Output written since the last piece was handed out (it ends at `at`).
    unsent: usize,
    /// Compressed bytes taken but not yet consumed by the decoder (at most [`BLOCK`]); after the
    /// stream ended, the bytes that follow it.
    pending: Vec<u8>,
    total_in: u64,
    total_out: u64,
    /// A mark is taken at the first block end once the output reaches this; then every
    /// `mark_every` bytes.
    mark_at: Option<u64>,
    mark_every: u64,
    marks: Vec<Mark>,
}

/// A point in a deflate stream where inflating can start again: a block boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Compressed bytes of the stream before the point (the next byte to read).
    pub input: u64,
    /// Bytes of output before the point.
    pub output: u64,
    /// Bits of the byte before `input` not yet read (0 to 7), in the low bits of `bits`.
    pub bits: u8,
    pub num_bits: u8,
    /// The output's last 32 KiB (less at the start of a stream).
    pub window: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inflated {
    /// Give it more of the stream.
    Hungry,
    /// The stream ended; [`Inflater::take_leftover`] has the bytes it took past its end.
    Ended,
    /// The stream is not valid deflate.
    Damaged,
    /// The output callback asked to stop.
    Halted,
}

impl Inflater {
    pub(super) fn new() -> Self {
        Inflater {
            raw: Box::default(),
            ring: vec![0; WINDOW].into_boxed_slice(),
            at: 0,
            unsent: 0,
            pending: Vec::with_capacity(BLOCK),
            total_in: 0,
            total_out: 0,
            mark_at: None,
            mark_every: 0,
            marks: Vec::new(),
        }
    }

    /// An inflater that goes on from `mark`, as if it had inflated the stream up to there.
    pub(super) fn resume(mark: &Mark) -> Self {
        let mut inflater = Inflater::new();
        let state = BlockBoundaryState { num_bits: mark.num_bits.min(7), bit_buf: mark.bits, ..Default::default() };
        *inflater.raw = DecompressorOxide::from_block_boundary_state(&state);
        let window = &mark.window[mark.window.len().saturating_sub(WINDOW)..];
        inflater.ring[WINDOW - window.len()..].copy_from_slice(window);
        inflater.total_in = mark.input;
        inflater.total_out = mark.output;
        inflater
    }

    /// Starts a new stream.
    pub(super) fn reset(&mut self) {
        self.raw.init();
        // A damaged stream's back-reference can reach before its start: it must read zeros, as
        // it does when the entry is inflated again from its start for the viewer, not the
        // previous entry's bytes (the fuzzer's read-back check found it).
        let written = self.total_out.min(WINDOW as u64) as usize;
        self.ring[..written].fill(0);
        self.pending.clear();
        self.at = 0;
        self.unsent = 0;
        self.total_in = 0;
        self.total_out = 0;
        self.mark_at = None;
        self.marks.clear();
    }

    /// Compressed bytes the decoder consumed in this stream.
    pub(super) fn total_in(&self) -> u64 {
        self.total_in
    }

    /// Asks for marks: the first at the first block end once this stream's output reaches `at`,
    /// then every `every` bytes (`None`: no more marks).
    pub(super) fn mark_from(&mut self, at: Option<u64>, every: u64) {
        self.mark_at = at;
        self.mark_every = every.max(1);
    }

    /// The marks taken since the last call.
    pub(super) fn take_marks(&mut self) -> Vec<Mark> {
        std::mem::take(&mut self.marks)
    }

    /// Takes what fits of `input` and unpacks full blocks; `last`: `input` ends the compressed
    /// data (so a short block is unpacked too). `on_out` gets each output piece with the
    /// compressed bytes consumed so far, and returns false to stop. Returns how many bytes of
    /// `input` were taken (at least one when there is input and the stream goes on).
    pub(super) fn feed(
        &mut self,
        input: &[u8],
        last: bool,
        on_out: &mut dyn FnMut(&[u8], u64) -> bool,
    ) -> (usize, Inflated) {
        let take = input.len().min(BLOCK - self.pending.len());
        self.pending.extend_from_slice(&input[..take]);
        if self.pending.len() < BLOCK && !(last && take == input.len()) {
            return (take, Inflated::Hungry);
        }
        (take, self.run(on_out))
    }

    /// Unpacks what is pending. Pieces are handed out when the ring is full and when the
    /// decoder wants more input or ends, never at a mark, so marks do not change them.
    fn run(&mut self, on_out: &mut dyn FnMut(&[u8], u64) -> bool) -> Inflated {
        let mut pos = 0;
        let result = loop {
            let mut flags = TINFL_FLAG_HAS_MORE_INPUT;
            if self.mark_at.is_some_and(|at| self.total_out >= at) {
                flags |= TINFL_FLAG_STOP_ON_BLOCK_BOUNDARY;
            }
            let (status, used, made) = decompress(&mut self.raw, &self.pending[pos..], &mut self.ring, self.at, flags);
            pos += used;
            self.total_in += used as u64;
            self.total_out += made as u64;
            self.unsent += made;
            self.at = (self.at + made) % WINDOW;
            if status == TINFLStatus::BlockBoundary {
                self.take_mark();
                // The ring wrapped: what it holds must go out before it is written over.
                if !(self.at == 0 && self.unsent > 0) {
                    continue;
                }
            }
            if self.unsent > 0 {
                let end = if self.at == 0 { WINDOW } else { self.at };
                let piece = &self.ring[end - self.unsent..end];
                self.unsent = 0;
                if !on_out(piece, self.total_in) {
                    break Inflated::Halted;
                }
            }
            match status {
                TINFLStatus::Done => break Inflated::Ended,
                TINFLStatus::HasMoreOutput | TINFLStatus::BlockBoundary => {}
                TINFLStatus::NeedsMoreInput => break Inflated::Hungry,
                _ => break Inflated::Damaged,
            }
        };
        self.pending.drain(..pos);
        result
    }

    /// At a block boundary: keeps a mark, if one is due.
    fn take_mark(&mut self) {
        let Some(state) = self.raw.block_boundary_state() else { return };
        if self.mark_at.is_none_or(|at| self.total_out < at) {
            return;
        }
        let window = if self.total_out >= WINDOW as u64 {
            [&self.ring[self.at..], &self.ring[..self.at]].concat()
        } else {
            self.ring[..self.at].to_vec()
        };
        self.marks.push(Mark {
            input: self.total_in,
            output: self.total_out,
            bits: state.bit_buf,
            num_bits: state.num_bits,
            window,
        });
        self.mark_at = Some(self.total_out + self.mark_every);
    }

    /// The bytes taken past the end of the stream, once it [`Inflated::Ended`].
    pub(super) fn take_leftover(&mut self, into: &mut Vec<u8>) {
        into.append(&mut self.pending);
    }
}

/// Bytes to read again before the rest of the input: those a deflate stream took past its end.
#[derive(Default)]
pub(super) struct Replay(Vec<u8>);

impl Replay {
    /// Runs `step` over the replayed bytes, then over `chunk`. `step` consumes a prefix of its
    /// input, returns its length, and may push bytes to replay; it makes progress on every call
    /// (consumes a byte or changes state).
    pub(super) fn feed(&mut self, mut chunk: &[u8], mut step: impl FnMut(&[u8], &mut Vec<u8>) -> usize) {
        loop {
            if !self.0.is_empty() {
                let replayed = std::mem::take(&mut self.0);
                let mut again = Vec::new();
                let used = step(&replayed, &mut again);
                again.extend_from_slice(&replayed[used.min(replayed.len())..]);
                self.0 = again;
                continue;
            }
            if chunk.is_empty() {
                return;
            }
            let used = step(chunk, &mut self.0);
            chunk = &chunk[used.min(chunk.len())..];
        }
    }
}
