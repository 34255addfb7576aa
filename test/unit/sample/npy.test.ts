import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NpyError, readNpy, readNpyArrays, writeNpy } from '../../../server/src/engine/sample/npy';
import { requireShared, sharedDir } from '../../support/shared';

/** An .npy file with this header text and raw data (header padded like numpy does). */
function npy(header: string, data: ArrayLike<number>, version = 1): Uint8Array {
  const lenSize = version === 1 ? 2 : 4;
  let h = header;
  const total = 8 + lenSize + h.length + 1;
  h += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const hb = version === 3 ? new TextEncoder().encode(h) : Uint8Array.from(h, (c) => c.charCodeAt(0));
  const out = new Uint8Array(8 + lenSize + hb.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, hb.length, true);
  else dv.setUint32(8, hb.length, true);
  out.set(hb, 8 + lenSize);
  out.set(data, 8 + lenSize + hb.length);
  return out;
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function throwsNpy(fn: () => unknown, code: NpyError['code'], pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NpyError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('.npy reader and writer', () => {
  it('writes what np.save writes (version 1.0, <i8, C order, 64-byte aligned data) and reads it back', () => {
    const values = [-128, 127, 0, 5, -1, 42];
    const b = writeNpy([2, 3], values);
    const header = Buffer.from(b.subarray(10, 10 + new DataView(b.buffer).getUint16(8, true))).toString('latin1');
    assert.match(header, /^\{'descr': '<i8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    assert.equal((b.length - values.length * 8) % 64, 0);
    const s = readNpy(b);
    assert.deepEqual(s.shape, [2, 3]);
    assert.equal(s.dtype, 'int64');
    assert.deepEqual(Array.from(s.values), values);
    assert.equal(s.min, -128);
    assert.equal(s.max, 127);
    assert.match(Buffer.from(writeNpy([4], [1, 2, 3, 4])).toString('latin1'), /'shape': \(4,\)/);
  });

  it('the range of int64 values, small ones (the usual sample) and ones beyond 32 bits wherever they are', () => {
    const cases: bigint[][] = [
      [0n, -1n, 5n, -2147483648n, 2147483647n],
      [3n, 4n, 2147483648n, -7n],
      [-2147483649n, 1n, 2n],
      [1n, 2n, 3n, 4n, 5n, -(2n ** 40n)],
      [2n ** 40n],
    ];
    for (const c of cases) {
      const s = readNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (" + c.length + ',), }', bytesOf(new BigInt64Array(c))));
      const numbers = c.map(Number);
      assert.equal(s.min, Math.min(...numbers), c.join(' '));
      assert.equal(s.max, Math.max(...numbers), c.join(' '));
    }
  });

  it('reads format versions 2.0 and 3.0 (utf-8 header)', () => {
    const data = bytesOf(new BigInt64Array([3n, -4n]));
    for (const v of [2, 3]) {
      const s = readNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data, v));
      assert.deepEqual(Array.from(s.values), [3, -4]);
    }
  });

  it('reads the dtypes izer may be given, with their numpy names', () => {
    const cases: [string, ArrayBufferView, string, number[]][] = [
      ['<i4', new Int32Array([-5, 6]), 'int32', [-5, 6]],
      ['<i2', new Int16Array([-300, 300]), 'int16', [-300, 300]],
      ['|i1', new Int8Array([-128, 127]), 'int8', [-128, 127]],
      ['|u1', new Uint8Array([0, 255]), 'uint8', [0, 255]],
      ['<f4', new Float32Array([0.5, -1.25]), 'float32', [0.5, -1.25]],
      ['<f8', new Float64Array([0.1, 200]), 'float64', [0.1, 200]],
      ['|b1', new Uint8Array([1, 0]), 'bool', [1, 0]],
      ['<u2', new Uint16Array([65535, 1]), 'uint16', [65535, 1]],
    ];
    for (const [descr, arr, name, want] of cases) {
      const s = readNpy(npy(`{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`, bytesOf(arr)));
      assert.equal(s.dtype, name, descr);
      assert.deepEqual(Array.from(s.values), want, descr);
    }
  });

  it('reads big-endian data and Fortran order (values come out in C order)', () => {
    const be = new Uint8Array(16);
    const dv = new DataView(be.buffer);
    dv.setBigInt64(0, -2n, false);
    dv.setBigInt64(8, 300n, false);
    const s = readNpy(npy("{'descr': '>i8', 'fortran_order': False, 'shape': (2,), }", be));
    assert.equal(s.dtype, 'int64');
    assert.deepEqual(Array.from(s.values), [-2, 300]);
    // Fortran order: memory 1,2,3,4,5,6 is the 2×3 array [[1,3,5],[2,4,6]]
    const f = readNpy(npy("{'descr': '<i8', 'fortran_order': True, 'shape': (2, 3), }", bytesOf(new BigInt64Array([1n, 2n, 3n, 4n, 5n, 6n]))));
    assert.deepEqual(Array.from(f.values), [1, 3, 5, 2, 4, 6]);
  });

  it('accepts Python 2 style headers (long shape entries, key order)', () => {
    const s = readNpy(npy("{'shape': (1L, 2L), 'fortran_order': False, 'descr': '<i8'}", bytesOf(new BigInt64Array([7n, 8n]))));
    assert.deepEqual(s.shape, [1, 2]);
    assert.deepEqual(Array.from(s.values), [7, 8]);
  });

  it('refuses hostile or broken files with a clear message', () => {
    throwsNpy(() => readNpy(new TextEncoder().encode('not numpy at all')), 'format', /magic/);
    throwsNpy(() => readNpy(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])), 'unsupported', /npz/);
    throwsNpy(() => readNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1000000, 1000000), }", [])), 'limit', /elements/);
    throwsNpy(() => readNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(16))), 'format', /truncated/);
    throwsNpy(() => readNpy(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8))), 'unsupported', /allow_pickle/);
    throwsNpy(
      () => readNpy(npy("{'descr': [('a', '<i4'), ('b', '<f8')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(12))),
      'unsupported',
      /structured/,
    );
    throwsNpy(() => readNpy(npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16))), 'unsupported', /int64/);
    throwsNpy(() => readNpy(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (-1,), }", [])), 'format', /not a non-negative integer/);
    throwsNpy(() => readNpy(npy("{'descr': '<i8' 'shape': (1,)}", [])), 'format', /not a valid dictionary/);
    throwsNpy(() => readNpy(npy(`{'descr': '<i8', 'fortran_order': False, 'shape': (1,), 'pad': '${'x'.repeat(20000)}'}`, [])), 'limit', /header/);
    throwsNpy(() => readNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0])), 'unsupported', /version 9\.0/);
    const cut = writeNpy([2], [1, 2]);
    throwsNpy(() => readNpy(cut.subarray(0, 20)), 'format', /header/);
  });
});

/** Where each array's int64 data starts and how many elements it has, from the headers alone (version 1.0 files). */
function independentSpans(bytes: Uint8Array): { dataStart: number; count: number }[] {
  const out: { dataStart: number; count: number }[] = [];
  let at = 0;
  while (at + 10 <= bytes.length && bytes[at] === 0x93 && bytes[at + 6] === 1) {
    const headerLen = bytes[at + 8] | (bytes[at + 9] << 8);
    const header = String.fromCharCode(...bytes.subarray(at + 10, at + 10 + headerLen));
    const shape = /'shape': \(([^)]*)\)/.exec(header)![1];
    const count = shape
      .split(',')
      .filter((x) => x.trim())
      .reduce((a, x) => a * Number(x), 1);
    out.push({ dataStart: at + 10 + headerLen, count });
    at += 10 + headerLen + count * 8;
  }
  return out;
}

describe(".npy: several arrays in one file (izer's sample weights)", () => {
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };

  it('reads every array stored one after another, in order', () => {
    const a = writeNpy([2, 3], [1, 2, 3, 4, 5, 6]);
    const b = writeNpy([4], [-1, -2, -3, -4]);
    const { arrays, stoppedBy } = readNpyArrays(concat(a, b, a));
    assert.equal(stoppedBy, null);
    assert.deepEqual(
      arrays.map((x) => [x.shape, Array.from(x.values)]),
      [
        [
          [2, 3],
          [1, 2, 3, 4, 5, 6],
        ],
        [[4], [-1, -2, -3, -4]],
        [
          [2, 3],
          [1, 2, 3, 4, 5, 6],
        ],
      ],
    );
  });

  it('stops quietly at trailing bytes that are not a whole array, as np.load in a loop does', () => {
    const a = writeNpy([2], [7, 8]);
    const b = writeNpy([3], [1, 2, 3]);
    const truncated = readNpyArrays(concat(a, b.subarray(0, b.length - 4)));
    assert.equal(truncated.arrays.length, 1, 'a truncated second array is not read');
    assert.match(truncated.stoppedBy ?? '', /truncated/);
    const garbage = readNpyArrays(concat(a, new TextEncoder().encode('garbage')));
    assert.equal(garbage.arrays.length, 1);
    assert.match(garbage.stoppedBy ?? '', /magic/);
  });

  it('an empty file holds no array; a file that is not .npy holds none and says why', () => {
    assert.deepEqual(readNpyArrays(new Uint8Array(0)), { arrays: [], stoppedBy: null });
    const r = readNpyArrays(new TextEncoder().encode('not numpy'));
    assert.equal(r.arrays.length, 0);
    assert.match(r.stoppedBy ?? '', /magic/);
  });
});

describe('.npy: the shared sample inputs', () => {
  let dir = '';
  before(function () {
    dir = requireShared(this, 'ai8x-synthesis', 'tests');
  });

  it('reads every shipped .npy file (samples, and weights and biases stored one array after another) as int64, with the exact values', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.npy'));
    assert.ok(files.length >= 10);
    let multi = 0;
    let empty = 0;
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dir, f));
      const { arrays } = readNpyArrays(bytes);
      const spans = independentSpans(bytes);
      assert.equal(arrays.length, spans.length, `${f}: number of arrays`);
      if (arrays.length > 1) multi++;
      arrays.forEach((a, k) => {
        const { dataStart, count } = spans[k];
        assert.equal(a.dtype, 'int64', f);
        assert.equal(a.values.length, count, `${f} #${k}`);
        const big = new BigInt64Array(bytes.buffer.slice(bytes.byteOffset + dataStart, bytes.byteOffset + dataStart + count * 8));
        for (let i = 0; i < count; i += 97) assert.equal(a.values[i], Number(big[i]), `${f} #${k} [${i}]`);
        assert.ok(a.min >= -128 && a.max <= 127, f);
      });
      if (arrays.length) assert.deepEqual(readNpy(bytes).shape, arrays[0].shape, `${f}: readNpy reads the first array`);
      else empty++;
    }
    console.log(`      ${files.length} files, ${multi} of them with several arrays, ${empty} empty`);
    assert.ok(multi > 0, 'some weight files hold one array per layer');
  });

  it('matches the shape, dtype and range izer reported for the samples it loaded', function () {
    const runsDir = requireShared(this, 'oracle', 'runs');
    let checked = 0;
    let extracts = 0;
    const missing: string[] = [];
    for (const c of fs.readdirSync(runsDir)) {
      const p = path.join(runsDir, c, 'oracle_extract.json');
      if (!fs.existsSync(p)) continue;
      extracts++;
      const info = JSON.parse(fs.readFileSync(p, 'utf8')).sample_input;
      const file = sharedDir('ai8x-synthesis', info.file);
      if (!info.exists || !fs.existsSync(file)) {
        missing.push(`${c} (${info.file})`);
        continue;
      }
      const s = readNpy(fs.readFileSync(file));
      assert.deepEqual(s.shape, info.shape, c);
      assert.equal(s.dtype, info.dtype, c);
      assert.equal(s.min, info.min, c);
      assert.equal(s.max, info.max, c);
      checked++;
    }
    console.log(`      ${checked} of ${extracts} samples izer loaded checked (the others are not in ../shared: ${missing.join(', ') || 'none'})`);
    assert.ok(checked > 5, `only ${checked} samples checked`);
  });
});
