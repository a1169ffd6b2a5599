// The single file's LZMA decoder (www/single-file/lzma.js, the page's) against Python's encoder
// (the standard library's lzma, through www/lzma_pack.py as the packer uses it, and directly for
// other properties): many inputs, several lc/lp/pb, and damaged streams that must throw.
// Node's standard library and python3 only; tests/run-all runs it first.
//   node --test tests/lzma.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The decoder as the page has it: a plain script, no module.
const lzmaDecode = new Function(`${readFileSync(join(root, 'www/single-file/lzma.js'), 'utf8')}\nreturn lzmaDecode;`)();

/** Python's raw LZMA1 streams of each input, for each [lc, lp, pb]: Buffers, in that order. */
function encode(inputs, settings, dictSize = 1 << 21) {
  const script = `
import json, lzma, sys
inputs = json.load(sys.stdin)
for lc, lp, pb in ${JSON.stringify(settings)}:
    for data in inputs:
        f = {"id": lzma.FILTER_LZMA1, "preset": 9 | lzma.PRESET_EXTREME, "lc": lc, "lp": lp, "pb": pb, "dict_size": ${dictSize}}
        sys.stdout.write(lzma.compress(bytes.fromhex(data), format=lzma.FORMAT_RAW, filters=[f]).hex() + "\\n")
`;
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(inputs.map((b) => Buffer.from(b).toString('hex'))), maxBuffer: 1 << 30, encoding: 'utf8' });
  assert.equal(run.status, 0, `python3: ${run.error ?? run.stderr}`);
  return run.stdout.trim().split('\n').map((hex) => Buffer.from(hex, 'hex'));
}

/** The packer's own path: www/lzma_pack.py's header (the .lzma format's) and stream. */
function pack(bytes) {
  const run = spawnSync('python3', [join(root, 'www/lzma_pack.py')], { input: bytes, maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, `www/lzma_pack.py: ${run.error ?? run.stderr}`);
  const out = run.stdout;
  const props = { lc: out[0] % 9, lp: Math.floor(out[0] / 9) % 5, pb: Math.floor(out[0] / 45), dictSize: out.readUInt32LE(1) };
  assert.equal(Number(out.readBigUInt64LE(5)), bytes.length);
  return { props, stream: new Uint8Array(out.subarray(13)) };
}

// A small deterministic generator (xorshift32), so that a failure is the same on every run.
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}
function randomBytes(n, seed) {
  const next = random(seed);
  return Uint8Array.from({ length: n }, () => next() & 0xff);
}

const text = readFileSync(join(root, 'README.md'));
const inputs = {
  empty: new Uint8Array(0),
  'one byte': Uint8Array.of(0x41),
  'two bytes': Uint8Array.of(0, 255),
  'zeros (100,000)': new Uint8Array(100_000),
  'zeros (1 MiB, the longest lengths over and over)': new Uint8Array(1 << 20),
  'random (1 byte to 70,000)': randomBytes(70_000, 7),
  'random (3)': randomBytes(3, 3),
  text: text,
  // A phrase repeated with small changes: matches, then repeated distances (rep0 to rep3, short
  // reps), matched literals where a repeat differs, lengths of every size.
  'repeats with changes': (() => {
    const next = random(11);
    const words = ['status 58', 'bpbrm', 'media write error', 'client01', 'EXIT STATUS 25', '\n'];
    const out = [];
    for (let i = 0; i < 20_000; i++) {
      const w = words[next() % words.length];
      out.push(...Buffer.from(next() % 7 === 0 ? w.toUpperCase() : w));
      if (next() % 50 === 0) out.push(...Buffer.from('x'.repeat(next() % 600)));
    }
    return Uint8Array.from(out);
  })(),
  'a block, then the same block with every 97th byte changed': (() => {
    const a = randomBytes(20_000, 5);
    const b = a.map((v, i) => (i % 97 === 0 ? v ^ 0x5a : v));
    const c = new Uint8Array(60_000);
    c.set(a, 0);
    c.set(b, 20_000);
    c.set(a, 40_000);
    return c;
  })(),
  'aligned records (lp, pb matter)': Uint8Array.from({ length: 64_000 }, (_, i) => (i % 4 === 0 ? (i >> 2) & 0xff : i % 4 === 3 ? 0 : (i >> 10) & 0xff)),
};
const dist = join(root, 'dist');
for (const file of ['app_bg.wasm', 'worker_bg.wasm', 'worker.js']) {
  if (existsSync(join(dist, file))) inputs[`dist/${file}`] = new Uint8Array(readFileSync(join(dist, file)));
}
const small = Object.entries(inputs).filter(([name]) => !name.startsWith('dist/'));

const settings = [[3, 0, 2], [0, 0, 0], [4, 0, 0], [1, 2, 1], [0, 4, 4], [2, 2, 0]];

test('every small input, every lc/lp/pb, decodes byte for byte', () => {
  const streams = encode(small.map(([, b]) => b), settings);
  let k = 0;
  for (const [lc, lp, pb] of settings) {
    for (const [name, bytes] of small) {
      const out = lzmaDecode(new Uint8Array(streams[k++]), { lc, lp, pb, dictSize: 1 << 21 }, bytes.length);
      assert.ok(out instanceof Uint8Array && out.length === bytes.length, `${name} lc=${lc} lp=${lp} pb=${pb}: length`);
      assert.ok(Buffer.from(out).equals(Buffer.from(bytes)), `${name} lc=${lc} lp=${lp} pb=${pb}: bytes`);
    }
  }
});

test('a small dictionary: distances up to it, not past it', () => {
  // 4 KiB dictionary and 20,000 random bytes repeated: the encoder must not reach back 20,000.
  const block = randomBytes(20_000, 9);
  const input = new Uint8Array(60_000);
  for (let i = 0; i < 3; i++) input.set(block, i * 20_000);
  const [stream] = encode([input], [[3, 0, 2]], 4096);
  assert.ok(Buffer.from(lzmaDecode(new Uint8Array(stream), { lc: 3, lp: 0, pb: 2, dictSize: 4096 }, input.length)).equals(Buffer.from(input)));
  // With a 2 MiB dictionary the stream holds a distance of 20,000: a 4 KiB one refuses it.
  const [far] = encode([input], [[3, 0, 2]]);
  assert.throws(() => lzmaDecode(new Uint8Array(far), { lc: 3, lp: 0, pb: 2, dictSize: 4096 }, input.length), /LZMA: the data is damaged \(a distance of/);
});

test("the packer's path (www/lzma_pack.py, its header and its choice)", () => {
  for (const [name, bytes] of small.filter(([n]) => !n.startsWith('zeros (1 MiB'))) {
    const { props, stream } = pack(bytes);
    assert.equal(props.lp, 0, name);
    assert.ok(Buffer.from(lzmaDecode(stream, props, bytes.length)).equals(Buffer.from(bytes)), name);
  }
});

test("the page's own blocks when dist/ is built (as www/pack.mjs chooses for them, lc=4 lp=0 pb=0)", (t) => {
  const built = Object.entries(inputs).filter(([name]) => name.startsWith('dist/'));
  if (!built.length) {
    t.skip('no dist/ (www/build makes it)');
    return;
  }
  const streams = encode(built.map(([, b]) => b), [[4, 0, 0]]);
  built.forEach(([name, bytes], k) => {
    const out = lzmaDecode(new Uint8Array(streams[k]), { lc: 4, lp: 0, pb: 0, dictSize: 1 << 21 }, bytes.length);
    assert.ok(Buffer.from(out).equals(Buffer.from(bytes)), name);
  });
});

test("a stream with no end marker (7-Zip's, the size known) decodes too", (t) => {
  if (spawnSync('7zz', ['i']).error) {
    t.skip("no 7zz (Debian's 7zip)");
    return;
  }
  // A .7z archive of one file, LZMA with no other filter, its header not compressed: the stream
  // lies between the 32-byte start header and the archive's header (whose offset the start
  // header gives), with no end marker (7-Zip knows the size).
  const dir = mkdtempSync(join(tmpdir(), 'nbtriage-lzma-'));
  try {
    for (const [name, bytes] of [['text', text], ['repeats', inputs['repeats with changes']], ['zeros', inputs['zeros (100,000)']]]) {
      writeFileSync(join(dir, 'input'), bytes);
      const run = spawnSync('7zz', ['a', '-t7z', '-m0=lzma:d=1m:lc=3:lp=0:pb=2', '-mx=9', '-mhc=off', '-mf=off', '-ms=off', join(dir, `${name}.7z`), join(dir, 'input')]);
      assert.equal(run.status, 0, `7zz: ${run.stdout}${run.stderr}`);
      const archive = readFileSync(join(dir, `${name}.7z`));
      const stream = new Uint8Array(archive.subarray(32, 32 + Number(archive.readBigUInt64LE(12))));
      const out = lzmaDecode(stream, { lc: 3, lp: 0, pb: 2, dictSize: 1 << 20 }, bytes.length);
      assert.ok(Buffer.from(out).equals(Buffer.from(bytes)), name);
      refuses(stream.subarray(0, stream.length - 1), { lc: 3, lp: 0, pb: 2, dictSize: 1 << 20 }, bytes.length, `${name} cut by a byte`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Throws an Error whose message starts "LZMA:", in reasonable time (a bounded loop, no hang). */
function refuses(stream, props, size, what) {
  assert.throws(() => lzmaDecode(stream, props, size), (e) => e instanceof Error && /^LZMA: /.test(e.message), what);
}

test('damaged streams throw: every truncation, byte changes, wrong sizes, garbage', () => {
  const props = { lc: 3, lp: 0, pb: 2, dictSize: 1 << 21 };
  const cases = [['text', text], ['repeats', inputs['repeats with changes']], ['one byte', inputs['one byte']], ['empty', inputs.empty], ['zeros', inputs['zeros (100,000)']]];
  const streams = encode(cases.map(([, b]) => b), [[3, 0, 2]]);
  cases.forEach(([name, bytes], k) => {
    const stream = new Uint8Array(streams[k]);
    assert.ok(Buffer.from(lzmaDecode(stream, props, bytes.length)).equals(Buffer.from(bytes)), `${name}: the undamaged stream`);
    // Every prefix (for the long ones, every prefix of the last 64 bytes and 200 others).
    const next = random(k + 1);
    const cuts = stream.length < 300 ? [...Array(stream.length).keys()]
      : [...Array(64).keys()].map((i) => stream.length - 1 - i).concat(Array.from({ length: 200 }, () => next() % stream.length));
    for (const cut of cuts) refuses(stream.subarray(0, cut), props, bytes.length, `${name} cut to ${cut} bytes`);
    // Each byte changed (for the long ones, 300 bytes chosen at random, and the last 16).
    const places = stream.length < 300 ? [...Array(stream.length).keys()]
      : Array.from({ length: 300 }, () => next() % stream.length).concat([...Array(16).keys()].map((i) => stream.length - 1 - i));
    for (const at of places) {
      const damaged = stream.slice();
      damaged[at] ^= 1 << (next() % 8);
      if (bytes.length > 1) {
        refuses(damaged, props, bytes.length, `${name} with byte ${at} changed`);
        continue;
      }
      // LZMA has no checksum: in a stream of a few bytes a change can decode to another byte
      // (the one literal) unseen. It still ends, with the right size or an Error.
      try {
        assert.equal(lzmaDecode(damaged, props, bytes.length).length, bytes.length);
      } catch (e) {
        assert.match(e.message, /^LZMA: /, `${name} with byte ${at} changed`);
      }
    }
    // A byte more or less than the stream holds, and a byte after it.
    refuses(stream, props, bytes.length + 1, `${name} a byte longer`);
    if (bytes.length > 0) refuses(stream, props, bytes.length - 1, `${name} a byte shorter`);
    const longer = new Uint8Array(stream.length + 1);
    longer.set(stream);
    refuses(longer, props, bytes.length, `${name} with a byte after the stream`);
  });
  // Garbage of many lengths, for a large size: throws (quickly).
  for (let n = 0; n < 2000; n += 1 + (n >> 3)) {
    const garbage = randomBytes(n, n + 100);
    garbage[0] = 0; // past the first check
    refuses(garbage, props, 1 << 16, `${n} bytes of garbage`);
  }
  refuses(new Uint8Array(0), props, 0, 'nothing at all');
  refuses(Uint8Array.of(1, 0, 0, 0, 0), props, 0, 'a first byte that is not 0');
  refuses(streams[0], { lc: 9, lp: 0, pb: 0, dictSize: 1 << 21 }, 1, 'lc = 9');
  refuses(streams[0], props, -1, 'a negative size');
});
