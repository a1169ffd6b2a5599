//! Raw deflate, pushed, for gzip members and zip entries.
//!
//! The decoder is always handed the same blocks of the stream ([`BLOCK`] bytes, or fewer when the
//! stream's input is known to be complete), never the caller's chunks. It then returns the same
//! output pieces for any chunking, so decisions taken on them (the ratio limit) are the same too.
//!
//! A deflate stream ends itself, inside a block: the bytes after its end that the [`Inflater`]
//! already took go back to the container through a [`Replay`].

use flate2::{Decompress, FlushDecompress, Status};

/// Compressed bytes handed to the decoder at a time.
const BLOCK: usize = 8 * 1024;
/// Uncompressed bytes the decoder writes at a time.
const OUT: usize = 32 * 1024;

pub(super) struct Inflater {
    raw: Decompress,
    /// Compressed bytes taken but not yet consumed by the decoder (at most [`BLOCK`]); after the
    /// stream ended, the bytes that follow it.
    pending: Vec<u8>,
    out: Vec<u8>,
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
        Inflater { raw: Decompress::new(false), pending: Vec::with_capacity(BLOCK), out: vec![0; OUT] }
    }

    /// Starts a new stream.
    pub(super) fn reset(&mut self) {
        self.raw.reset(false);
        self.pending.clear();
    }

    /// Compressed bytes the decoder consumed in this stream.
    pub(super) fn total_in(&self) -> u64 {
        self.raw.total_in()
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

    /// Unpacks what is pending.
    fn run(&mut self, on_out: &mut dyn FnMut(&[u8], u64) -> bool) -> Inflated {
        let mut pos = 0;
        let result = loop {
            let (in_before, out_before) = (self.raw.total_in(), self.raw.total_out());
            let status = self.raw.decompress(&self.pending[pos..], &mut self.out, FlushDecompress::None);
            let used = (self.raw.total_in() - in_before) as usize;
            let made = (self.raw.total_out() - out_before) as usize;
            pos += used;
            let Ok(status) = status else { break Inflated::Damaged };
            if made > 0 && !on_out(&self.out[..made], self.raw.total_in()) {
                break Inflated::Halted;
            }
            if status == Status::StreamEnd {
                break Inflated::Ended;
            }
            if used == 0 && made == 0 {
                // A full block the decoder cannot take from is not deflate.
                break if pos == 0 && self.pending.len() == BLOCK { Inflated::Damaged } else { Inflated::Hungry };
            }
        };
        self.pending.drain(..pos);
        result
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
