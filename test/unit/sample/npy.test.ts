import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NpyError, readNpy, writeNpy } from '../../../server/src/engine/sample/npy';
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

describe('.npy: the shared sample inputs', () => {
  let dir = '';
  before(function () {
    dir = requireShared(this, 'ai8x-synthesis', 'tests');
  });

  it('reads every shipped sample as int64, with the exact values (checked with an independent BigInt decode)', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.npy'));
    assert.ok(files.length >= 10);
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dir, f));
      const s = readNpy(bytes);
      assert.equal(s.dtype, 'int64', f);
      const n = s.shape.reduce((a, b) => a * b, 1);
      const big = new BigInt64Array(bytes.buffer.slice(bytes.byteOffset + bytes.length - n * 8, bytes.byteOffset + bytes.length));
      assert.equal(s.values.length, n, f);
      for (let i = 0; i < n; i += 97) assert.equal(s.values[i], Number(big[i]), `${f}[${i}]`);
      assert.ok(s.min >= -128 && s.max <= 127, f);
    }
  });

  it('matches the shape, dtype and range izer reported for the samples it loaded', function () {
    const runsDir = sharedDir('oracle', 'runs');
    if (!fs.existsSync(runsDir)) this.skip();
    let checked = 0;
    for (const c of fs.readdirSync(runsDir)) {
      const p = path.join(runsDir, c, 'oracle_extract.json');
      if (!fs.existsSync(p)) continue;
      const info = JSON.parse(fs.readFileSync(p, 'utf8')).sample_input;
      const file = sharedDir('ai8x-synthesis', info.file);
      if (!info.exists || !fs.existsSync(file)) continue;
      const s = readNpy(fs.readFileSync(file));
      assert.deepEqual(s.shape, info.shape, c);
      assert.equal(s.dtype, info.dtype, c);
      assert.equal(s.min, info.min, c);
      assert.equal(s.max, info.max, c);
      checked++;
    }
    assert.ok(checked > 5, `only ${checked} samples checked`);
  });
});
