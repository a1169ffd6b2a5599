// A decoder of raw LZMA1 (the format of .lzma and of 7-Zip's LZMA, without a header), for
// nbtriage.html's loader: www/pack.mjs compresses the embedded blocks with Python's lzma
// (www/lzma_pack.py) and packs this file into the page's inline module script, before
// www/single-file/boot.js; tests/lzma.test.mjs runs it against Python's encoder. It follows the
// reference decoder of the LZMA SDK (LzmaSpec.cpp, public domain) and its names.
//
//   lzmaDecode(input, { lc, lp, pb, dictSize }, size) -> Uint8Array of exactly `size` bytes
//
// `input` is a Uint8Array of compressed bytes, `size` the uncompressed size (known: the page
// records it). The stream may end with the end marker (Python's encoder always writes one) or
// not. Damaged input throws an Error: reading past the input, a distance before the start, more
// output than `size`, a stream that does not end cleanly where it should. LZMA has no checksum:
// a change to a byte either changes the decoder's decisions, which almost surely breaks one of
// these checks further on, or the range coder's state, which is checked; only in a stream of a
// few bytes can a change decode to other bytes unseen. Every step of the loop writes at least
// one byte or ends it, so it cannot loop forever; it never writes past `size`.
function lzmaDecode(input, props, size) {
  const { lc, lp, pb } = props;
  if (!(lc >= 0 && lc <= 8 && lp >= 0 && lp <= 4 && pb >= 0 && pb <= 4)) {
    throw new Error(`LZMA: bad properties lc=${lc} lp=${lp} pb=${pb}`);
  }
  if (!(Number.isSafeInteger(size) && size >= 0)) throw new Error(`LZMA: bad size ${size}`);
  const dictSize = Math.max(props.dictSize >>> 0, 4096);
  const out = new Uint8Array(size);
  const corrupt = (why) => new Error(`LZMA: the data is damaged (${why}, at input byte ${inPos} of ${input.length}, output byte ${outPos} of ${size})`);
  let inPos = 0;
  let outPos = 0;

  // The range decoder. `range` and `code` are unsigned 32-bit numbers (kept so with `>>> 0`);
  // `code < range` always holds in an undamaged stream. Bits come with an adaptive probability
  // (11 bits: 1024 is one half) that moves 1/32 of the way towards each bit decoded.
  let range = 0xffffffff;
  let code = 0;
  const next = () => {
    if (inPos >= input.length) throw corrupt('the input ends too early');
    return input[inPos++];
  };
  if (next() !== 0) throw corrupt('the first byte is not 0');
  for (let i = 0; i < 4; i++) code = ((code << 8) | next()) >>> 0;
  if (code === range) throw corrupt('the range coder cannot start');
  const normalize = () => {
    if (range < 0x1000000) {
      // A damaged stream can leave `code >= range` (and it stays so); shifting would lose it.
      if (code >= range) throw corrupt('the range coder\'s state is impossible');
      range = (range << 8) >>> 0;
      code = ((code << 8) | next()) >>> 0;
    }
  };
  /** One bit with the probability `probs[i]`, which it updates. */
  const bit = (probs, i) => {
    const p = probs[i];
    const bound = (range >>> 11) * p; // below 2**32: exact
    let b;
    if (code < bound) {
      range = bound;
      probs[i] = p + ((2048 - p) >>> 5);
      b = 0;
    } else {
      range -= bound;
      code -= bound;
      probs[i] = p - (p >>> 5);
      b = 1;
    }
    normalize();
    return b;
  };
  /** `count` bits of even probability, most significant first (count <= 26). */
  const directBits = (count) => {
    let result = 0;
    for (let i = 0; i < count; i++) {
      range >>>= 1;
      let b = 0;
      if (code >= range) {
        code -= range;
        b = 1;
      }
      if (code === range) throw corrupt('the range coder\'s state is impossible');
      normalize();
      result = (result << 1) | b;
    }
    return result;
  };
  /** A `count`-bit number, most significant bit first, each bit's probability chosen by the bits before it. */
  const tree = (probs, offset, count) => {
    let m = 1;
    for (let i = 0; i < count; i++) m = (m << 1) | bit(probs, offset + m);
    return m - (1 << count);
  };
  /** The same, least significant bit first (the low bits of distances). */
  const reverseTree = (probs, offset, count) => {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < count; i++) {
      const b = bit(probs, offset + m);
      m = (m << 1) | b;
      symbol |= b << i;
    }
    return symbol;
  };
  const probabilities = (n) => new Uint16Array(n).fill(1024);

  // Lengths (of matches, 2 to 273, returned less 2): 3 bits below 8 (one tree per position
  // state), 3 bits from 8 to 15, 8 bits from 16; two choice bits say which.
  const lengthDecoder = () => {
    const choice = probabilities(2);
    const low = probabilities(16 << 3); // 16 position states, 3-bit trees of 8 entries each
    const mid = probabilities(16 << 3);
    const high = probabilities(256);
    return (posState) => {
      if (bit(choice, 0) === 0) return tree(low, posState << 3, 3);
      if (bit(choice, 1) === 0) return 8 + tree(mid, posState << 3, 3);
      return 16 + tree(high, 0, 8);
    };
  };
  const matchLength = lengthDecoder();
  const repLength = lengthDecoder();

  // Distances: a 6-bit slot (one tree per length, 2, 3, 4 and longer), then below slot 14 the
  // low bits with their own probabilities, from slot 14 direct bits and 4 'align' bits.
  const slots = probabilities(4 << 6);
  const lowBits = probabilities(1 + 128 - 14);
  const align = probabilities(16);
  /** A match's distance less 1, 0xffffffff for the end marker. */
  const distance = (length) => {
    const slot = tree(slots, Math.min(length, 3) << 6, 6);
    if (slot < 4) return slot;
    const count = (slot >>> 1) - 1;
    const base = (2 | (slot & 1)) << count;
    if (slot < 14) return base + reverseTree(lowBits, base - slot, count);
    // From slot 62 up `base` is 2**31 or more: negative as a 32-bit number, unsigned after `>>> 0`.
    return ((base + (directBits(count - 4) << 4)) | reverseTree(align, 0, 4)) >>> 0;
  };

  // The state machine: 12 states that remember the last few kinds of packet (literal, match,
  // repeated match, one repeated byte); states 7 and up follow a match.
  const LITERAL = [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5];
  const MATCH = (s) => (s < 7 ? 7 : 10);
  const REP = (s) => (s < 7 ? 8 : 11);
  const SHORT_REP = (s) => (s < 7 ? 9 : 11);
  const isMatch = probabilities(12 << 4); // by state and position state
  const isRep = probabilities(12);
  const isRepG0 = probabilities(12);
  const isRepG1 = probabilities(12);
  const isRepG2 = probabilities(12);
  const isRep0Long = probabilities(12 << 4);
  const literals = probabilities(0x300 << (lc + lp));
  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  // The last four distances (less 1), most recent first.
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;

  for (;;) {
    if (outPos === size) {
      // All the output is here: the stream ends here (the range coder's code is 0 and the input
      // is read), or an end marker follows.
      if (inPos === input.length) {
        if (code !== 0) throw corrupt('the stream does not end cleanly');
        return out;
      }
    }
    const posState = outPos & pbMask;
    if (bit(isMatch, (state << 4) + posState) === 0) {
      // A literal: 8 bits, their probabilities chosen by the position, the previous byte's
      // high bits and, after a match, the byte at the last distance (until a bit differs).
      if (outPos === size) throw corrupt('more data than the known size');
      const previous = outPos > 0 ? out[outPos - 1] : 0;
      const offset = 0x300 * (((outPos & lpMask) << lc) + (previous >>> (8 - lc)));
      let symbol = 1;
      if (state >= 7) {
        let matchByte = out[outPos - rep0 - 1];
        do {
          const matchBit = (matchByte >>> 7) & 1;
          matchByte <<= 1;
          const b = bit(literals, offset + ((1 + matchBit) << 8) + symbol);
          symbol = (symbol << 1) | b;
          if (matchBit !== b) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) symbol = (symbol << 1) | bit(literals, offset + symbol);
      out[outPos++] = symbol;
      state = LITERAL[state];
      continue;
    }
    let length;
    if (bit(isRep, state) !== 0) {
      // A repeated distance: the last one (for one byte, a 'short rep', or a length), or one of
      // the three before it, moved to the front.
      if (outPos === 0) throw corrupt('a repeated match before any data');
      if (outPos === size) throw corrupt('more data than the known size');
      if (bit(isRepG0, state) === 0) {
        if (bit(isRep0Long, (state << 4) + posState) === 0) {
          state = SHORT_REP(state);
          out[outPos] = out[outPos - rep0 - 1];
          outPos++;
          continue;
        }
      } else {
        let d;
        if (bit(isRepG1, state) === 0) {
          d = rep1;
        } else {
          if (bit(isRepG2, state) === 0) {
            d = rep2;
          } else {
            d = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = d;
      }
      length = repLength(posState);
      state = REP(state);
    } else {
      // A match with a new distance, or the end marker (distance 0xffffffff).
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      length = matchLength(posState);
      state = MATCH(state);
      rep0 = distance(length);
      if (rep0 === 0xffffffff) {
        // The encoders (liblzma's, 7-Zip's) write the marker with the least length, 2: another
        // is damage (the format allows it, but accepting it lets a changed byte pass unseen).
        if (length !== 0) throw corrupt('an end marker of another length than 2');
        if (outPos !== size) throw corrupt('the end marker comes before the known size');
        if (inPos !== input.length) throw corrupt('data after the end marker');
        if (code !== 0) throw corrupt('the stream does not end cleanly');
        return out;
      }
      if (outPos === size) throw corrupt('more data than the known size');
      if (rep0 >= outPos || rep0 >= dictSize) throw corrupt(`a distance of ${rep0 + 1} bytes`);
    }
    // Copy length + 2 bytes from rep0 + 1 bytes back (they may overlap what is written).
    length += 2;
    if (length > size - outPos) throw corrupt('more data than the known size');
    let from = outPos - rep0 - 1;
    const end = outPos + length;
    while (outPos < end) out[outPos++] = out[from++];
  }
}
