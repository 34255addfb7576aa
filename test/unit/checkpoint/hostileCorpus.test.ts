// A generated corpus of broken and hostile checkpoints: each must give a clear CheckpointError with the expected
// code, quickly (mocha's per-test timeout is the bound), and must never run anything.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { writeCheckpointObject, writeTorchCheckpoint } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { writeStoredZip } from '../../../server/src/engine/checkpoint/zipWriter';
import { writeTar } from '../../../server/src/engine/checkpoint/tarWriter';
import type { CheckpointLimits } from '../../../server/src/engine/checkpoint/limits';
import { CheckpointError, PyObject, Tensor } from '../../../server/src/engine/checkpoint/types';
import { PROTO2, STOP, glob, le, pk, ustr } from './pickleBytes';
import { rawZip, rep } from './hostileInputs';
import { QuantizeError, quantizeCheckpoint } from '../../../server/src/engine/quantize/quantizeCheckpoint';
import { quantizeFile } from '../../../server/src/workspace/quantizeFiles';
import { exampleTrainingCheckpointBytes } from '../../support/trainingCheckpoint';

/** data.pkl of {'state_dict': {'w': <tensor>}, 'arch': 'a', 'epoch': 1} over storage '0'. */
function tensorPickle(storageNumel: number, offset: number, size: number[], stride: number[], storageType = 'FloatStorage'): Uint8Array {
  const tup = (xs: number[]) => pk('(', ...xs.flatMap((x) => ['J', le(x, 4)] as const), 't');
  return pk(
    PROTO2,
    '}',
    '(',
    ustr('state_dict'),
    '}',
    '(',
    ustr('w'),
    glob('torch._utils', '_rebuild_tensor_v2'),
    '(',
    '(',
    ustr('storage'),
    glob('torch', storageType),
    ustr('0'),
    ustr('cpu'),
    'J',
    le(storageNumel, 4),
    't',
    'Q',
    'J',
    le(offset, 4),
    tup(size),
    tup(stride),
    0x89,
    'N',
    't',
    'R',
    'u',
    ustr('arch'),
    ustr('a'),
    ustr('epoch'),
    'K',
    1,
    'u',
    STOP,
  );
}

function storageZip(pkl: Uint8Array, storageBytes: Uint8Array | null): Uint8Array {
  return writeStoredZip([{ name: 'archive/data.pkl', data: pkl }, ...(storageBytes ? [{ name: 'archive/data/0', data: storageBytes }] : [])]);
}

function expectError(bytes: Uint8Array, code: CheckpointError['code'], pattern?: RegExp, limits?: Partial<CheckpointLimits>): void {
  assert.throws(
    () => readCheckpoint(bytes, { limits }),
    (e: unknown) => {
      assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      if (pattern) assert.match(e.message, pattern);
      return true;
    },
  );
}

const valid = () =>
  writeTorchCheckpoint({
    arch: 'ai85net5',
    epoch: 3,
    stateDict: [
      { key: 'conv.weight_bits', tensor: { dtype: 'float32', shape: [1], values: [8] } },
      { key: 'conv.op.weight', tensor: { dtype: 'float32', shape: [4, 2, 3, 3], values: Array.from({ length: 72 }, (_, i) => (i % 17) - 8) } },
      { key: 'conv.op.bias', tensor: { dtype: 'float32', shape: [4], values: [128, -256, 0, 384] } },
    ],
    extras: { kind: 'dict', entries: [['best_top1', 90.5]] },
  });

describe('hostile checkpoint corpus', function () {
  this.timeout(3000);

  describe('zip container', () => {
    it('truncated archives (cut at the end record, in the middle, after the first header)', () => {
      const b = valid();
      for (const cut of [b.length - 1, b.length - 22, Math.floor(b.length / 2), 100, 30, 4])
        expectError(b.subarray(0, cut), 'format', /truncated|damaged|ends/);
    });

    it('zip bomb: a member that inflates beyond its declared size', () => {
      const bomb = rawZip([{ name: 'archive/data.pkl', data: new Uint8Array(4 << 20), method: 8, usize: 1000 }]);
      assert.ok(bomb.length < 10000);
      expectError(bomb, 'hostile', /zip bomb/);
    });

    it('zip bomb: declared sizes beyond the inflate budget are refused before inflating', () => {
      expectError(rawZip([{ name: 'archive/data.pkl', data: new Uint8Array(16), method: 8, usize: 0xfffffff0 }]), 'limit', /zip bomb/);
    });

    it('a member that inflates to less than it declares', () => {
      expectError(rawZip([{ name: 'archive/data.pkl', data: pk(PROTO2, 'N', STOP), method: 8, usize: 50 }]), 'format', /declared/);
    });

    it('path traversal, absolute, backslash and drive-letter member names', () => {
      for (const name of ['../archive/data.pkl', 'archive/../../etc/passwd', '/etc/passwd', 'archive\\data.pkl', 'C:/x']) {
        expectError(rawZip([{ name, data: pk(PROTO2, 'N', STOP) }]), 'hostile', /path traversal/);
      }
    });

    it('duplicate member names', () => {
      const m = { name: 'archive/data.pkl', data: pk(PROTO2, '}', STOP) };
      expectError(rawZip([m, m]), 'hostile', /twice/);
    });

    it('absurd member counts', () => {
      expectError(rawZip([{ name: 'archive/data.pkl', data: pk(PROTO2, '}', STOP) }], 60000), 'format', /60000 members/);
      expectError(valid(), 'limit', /members/, { maxZipEntries: 2 });
    });

    it('corrupted data (CRC-32 mismatch) is read as torch reads it and named; encryption and unknown compression methods', () => {
      const b = valid().slice();
      const at = Buffer.from(b).indexOf(Buffer.from(new Float32Array([128, -256]).buffer));
      b[at] ^= 0xff;
      // torch.load does not check CRC-32 (PyTorch builds miniz without it), so izer goes on with the damaged bytes.
      const c = readCheckpoint(b);
      assert.equal(c.damaged.length, 1);
      assert.match(c.damaged[0].member, /^archive\/data\/\d+$/);
      assert.deepEqual(c.damaged[0].keys, ['conv.op.bias']);
      const bias = c.stateDict.find((e) => e.key === 'conv.op.bias')!.value as Tensor;
      assert.notEqual(bias.values[0], 128, 'the damaged bytes are read as they are');
      assert.deepEqual(Array.from(bias.values).slice(1), [-256, 0, 384]);
      assert.deepEqual(readCheckpoint(valid()).damaged, []);
      assert.deepEqual(readCheckpoint(b, { limits: { verifyCrc: false } }).damaged, []);
      expectError(rawZip([{ name: 'archive/data.pkl', data: pk(PROTO2, '}', STOP), flags: 1 }]), 'unsupported', /encrypted/);
      expectError(rawZip([{ name: 'archive/data.pkl', data: pk(PROTO2, '}', STOP), method: 12 }]), 'unsupported', /method 12/);
    });
  });

  describe('tensors and storages', () => {
    it('a tensor reaching past the end of its storage', () => {
      expectError(storageZip(tensorPickle(4, 0, [10], [1]), new Uint8Array(16)), 'format', /reaches element 9 of storage `0`, which holds only 4/);
      expectError(storageZip(tensorPickle(4, 3, [2, 2], [2, 1]), new Uint8Array(16)), 'format', /reaches element/);
    });

    it('a storage record shorter than its declared element count', () => {
      expectError(storageZip(tensorPickle(100, 0, [10], [1]), new Uint8Array(16)), 'format', /fewer than/);
    });

    it('a storage record that is missing', () => {
      expectError(storageZip(tensorPickle(4, 0, [4], [1]), null), 'format', /lacks `archive\/data\/0`/);
    });

    it('a 1-element storage "expanded" to 2^40 elements, and absurd ranks', () => {
      expectError(storageZip(tensorPickle(1, 0, [1 << 20, 1 << 20], [0, 0]), new Uint8Array(4)), 'limit', /elements/);
      expectError(storageZip(tensorPickle(1, 0, new Array(100).fill(1), new Array(100).fill(1)), new Uint8Array(4)), 'limit', /dimensions/);
    });

    it('negative sizes, negative offsets and mismatched size/stride lengths', () => {
      expectError(storageZip(tensorPickle(4, 0, [-1], [1]), new Uint8Array(16)), 'format', /not a non-negative integer/);
      expectError(storageZip(tensorPickle(4, -1, [1], [1]), new Uint8Array(16)), 'format', /offset/);
      expectError(storageZip(tensorPickle(4, 0, [2, 2], [1]), new Uint8Array(16)), 'format', /2 sizes but 1 strides/);
    });
  });

  describe('data.pkl', () => {
    const zipOf = (pkl: Uint8Array) => writeStoredZip([{ name: 'archive/data.pkl', data: pkl }]);

    it('huge LONG4 / BINBYTES8 lengths and truncated strings', () => {
      expectError(zipOf(pk(PROTO2, 0x8b, le(0x7fffffff, 4), STOP)), 'limit', /integer/);
      expectError(zipOf(pk(0x80, 4, 0x8e, le(2n ** 62n, 8), STOP)), 'limit');
      expectError(zipOf(pk(PROTO2, 'X', le(1 << 30, 4), 'abc', STOP)), 'format', /truncated|ends/);
    });

    it('memo growth, deep nesting, open MARKs, object count, time budget', () => {
      expectError(zipOf(pk(0x80, 4, 'N', new Array(5000).fill(0x94), STOP)), 'limit', /memo/, { maxMemoEntries: 4096 });
      // 3000 lists, each in the previous one: past 64 × the file's size in memory too, so that budget is lifted here.
      expectError(zipOf(pk(PROTO2, new Array(3000).fill(0x5d), new Array(2999).fill(0x61), STOP)), 'limit', /nested/, { maxMemoryBytes: 1 << 30 });
      expectError(zipOf(pk(PROTO2, new Array(20000).fill(0x28), STOP)), 'limit', /MARK/);
      expectError(zipOf(pk(PROTO2, new Array(5000).fill(0x29), STOP)), 'limit', /objects/, { maxPickleObjects: 1000 });
      expectError(zipOf(pk(PROTO2, new Array(200000).fill(0x4e), STOP)), 'limit', /longer than/, { timeBudgetMs: -1 });
    });

    it('a self-referencing structure', () => {
      expectError(zipOf(pk(PROTO2, '}', 'q', 0, '(', ustr('me'), 'h', 0, 'u', STOP)), 'unsupported', /contains itself/);
    });

    it('os.system / builtins.eval / subprocess in the pickle stay inert: reading succeeds and runs nothing', () => {
      const marker = path.join(os.tmpdir(), `ai8x-ckpt-exec-${process.pid}-${Date.now()}`);
      const pkl = pk(
        PROTO2,
        '}',
        '(',
        ustr('arch'),
        glob('os', 'system'),
        ustr(`touch ${marker}`),
        0x85,
        'R',
        ustr('epoch'),
        glob('builtins', 'eval'),
        ustr(`open("${marker}", "w")`),
        0x85,
        'R',
        ustr('state_dict'),
        glob('collections', 'OrderedDict'),
        ')',
        'R',
        ustr('x'),
        glob('subprocess', 'check_call'),
        '(',
        ustr('touch'),
        ustr(marker),
        'l',
        0x85,
        'R',
        'u',
        STOP,
      );
      const c = readCheckpoint(zipOf(pkl));
      assert.deepEqual(c.topKeys, ['arch', 'epoch', 'state_dict', 'x']);
      assert.equal(c.hasArch, true);
      assert.equal(c.arch, null); // not text: the loader reports it, nothing evaluated it
      assert.deepEqual(c.epoch, { kind: 'global', module: 'builtins', name: 'eval', args: [`open("${marker}", "w")`] });
      assert.equal(fs.existsSync(marker), false);
    });
  });

  describe('amplifiers and inherited names (issue 13)', () => {
    const zipOf = (pkl: Uint8Array) => writeStoredZip([{ name: 'archive/data.pkl', data: pkl }]);
    /** {'x': <the value the parts leave on the stack>} */
    const holding = (...parts: Parameters<typeof pk>) => zipOf(pk(PROTO2, '}', ustr('x'), ...parts, 's', STOP));
    const valueOf = (bytes: Uint8Array, limits?: Partial<CheckpointLimits>): PyObject => {
      const root = readCheckpoint(bytes, { limits }).root as Extract<PyObject, { kind: 'dict' }>;
      return root.entries[0][1];
    };
    const lifted = { maxMemoryBytes: 1 << 30 };

    it('a dict key nesting 2^n paths costs its n levels: keys are interned, not spelled out', () => {
      for (const n of [14, 24, 90]) {
        // `}N` + `2\x86` × n + `Ns.`: each level is a tuple holding the one below twice.
        const bytes = zipOf(pk(PROTO2, '}', 'N', rep('2\x86', n), 'N', 's', STOP));
        const c = readCheckpoint(bytes, { limits: lifted });
        assert.ok(c.memoryBytes < 1000 * n, `${n} levels: charged ${c.memoryBytes} bytes`);
        assert.deepEqual(c.topKeys, ['<a tuple>']);
        // With the default budget (64 × a 200-byte file) it reads or is refused, never worse.
        try {
          readCheckpoint(bytes);
        } catch (e) {
          assert.ok(e instanceof CheckpointError && e.code === 'limit', String(e));
        }
      }
      // Equal keys built apart are one key, as in Python: the second assignment replaces the first.
      const key = pk('N', rep('2\x86', 24));
      const root = readCheckpoint(zipOf(pk(PROTO2, '}', key, 'K', 1, 's', key, 'K', 2, 's', STOP)), { limits: lifted }).root as Extract<
        PyObject,
        { kind: 'dict' }
      >;
      assert.equal(root.entries.length, 1);
      assert.equal(root.entries[0][1], 2);
    });

    it('storage types named after inherited properties (torch.constructor, __proto__, …) are unknown, not a dtype', () => {
      for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
        // A "storage" of 1,000,000 elements backed by 4 bytes: it must never become a tensor.
        const c = readCheckpoint(storageZip(tensorPickle(1_000_000, 0, [1_000_000], [1], name), new Uint8Array(4)));
        const w = c.stateDict.find((e) => e.key === 'w')!.value;
        assert.ok(w !== null && typeof w === 'object' && !('values' in w), `torch.${name} made a tensor`);
        assert.equal((w as { kind: string }).kind, 'global', name);
        assert.equal((w as { name: string }).name, '_rebuild_tensor_v2', name);
      }
    });

    it('numpy dtypes and Python 2 module names from the file are looked up as own entries only', () => {
      for (const descr of ['constructor', '__proto__', 'toString']) {
        // numpy.core.multiarray._reconstruct(...) BUILD (1, (4,), dtype(descr), False, b'\0\0\0\0'): not an array of a known type.
        const x = valueOf(
          holding(
            glob('numpy.core.multiarray', '_reconstruct'),
            ')',
            'R',
            '(',
            'K',
            1,
            'K',
            4,
            0x85,
            glob('numpy', 'dtype'),
            ustr(descr),
            0x85,
            'R',
            0x89,
            'C',
            4,
            [0, 0, 0, 0],
            't',
            'b',
          ),
        );
        assert.deepEqual([typeof x === 'object' && x !== null && 'kind' in x && x.kind, (x as { name?: string }).name], ['global', 'ndarray'], descr);
      }
      for (const module of ['constructor', '__proto__', 'toString', '__builtin__']) {
        const x = valueOf(holding(glob(module, 'thing')));
        assert.deepEqual(x, { kind: 'global', module: module === '__builtin__' ? 'builtins' : module, name: 'thing' });
      }
    });

    it('300,000 items in one instruction never overflow the stack (APPENDS and SETITEMS on an object, OBJ, list(), frozenset)', () => {
      const n = 300_000;
      const ints = rep([0x4b, 7], n); // BININT1 7, n times
      const marker = valueOf(holding(glob('x', 'y'), '(', rep('N', n), 'e')) as { items?: unknown[] };
      assert.equal(marker.items?.length, n);
      const withEntries = valueOf(holding(glob('x', 'y'), '(', rep([0x4a, 0, 0, 0, 0, 0x4e], n), 'u')) as { entries?: unknown[] };
      assert.equal(withEntries.entries?.length, 1); // one key (0), set n times
      const obj = valueOf(holding('(', glob('x', 'y'), ints, 'o')) as { args?: unknown[] };
      assert.equal(obj.args?.length, n);
      const list = valueOf(holding(glob('builtins', 'list'), ']', '(', ints, 'e', 0x85, 'R')) as unknown[];
      assert.equal(list.length, n);
      const set = valueOf(holding('(', ints, 0x91)) as { items: unknown[] };
      assert.deepEqual(set.items, [7]);
    });

    it('long text keys are keys by content, also past the length V8 hashes', () => {
      for (const len of [5000, 20_000]) {
        const a = 'k'.repeat(len - 1);
        // {a+'1': 1, a+'2': 2, a+'1': 3}: two keys, the first replaced.
        const bytes = zipOf(pk(PROTO2, '}', '(', ustr(a + '1'), 'K', 1, ustr(a + '2'), 'K', 2, ustr(a + '1'), 'K', 3, 'u', STOP));
        const root = readCheckpoint(bytes).root as Extract<PyObject, { kind: 'dict' }>;
        assert.deepEqual(
          root.entries.map(([k, v]) => [(k as string).slice(-1), v]),
          [
            ['1', 3],
            ['2', 2],
          ],
        );
      }
    });
  });

  describe('legacy formats', () => {
    const spec = { arch: 'a', epoch: 1, stateDict: [{ key: 'w', tensor: { dtype: 'float32' as const, shape: [4], values: [1, 2, 3, 4] } }] };

    it('legacy raw format: truncated storage data, wrong magic number, unknown protocol, count mismatch', () => {
      const b = writeTorchCheckpoint({ ...spec, format: 'legacy' });
      expectError(b.subarray(0, b.length - 3), 'format', /truncated/);
      expectError(pk(PROTO2, 'K', 1, STOP), 'format', /magic number/);
      const magic = pk(PROTO2, 0x8a, 10, le(0x1950a86a20f9469cfc6cn, 10), STOP);
      expectError(pk(magic, PROTO2, 'M', le(1000, 2), STOP), 'unsupported', /protocol 1000/);
      const bad = b.slice();
      const countAt = b.length - 16 - 8; // int64 element count before the 4 float32 values
      bad.set(le(5, 8), countAt);
      expectError(bad, 'format', /declares 4 elements in the pickle but 5/);
    });

    it('tar format: traversal names, truncation, bad checksums', () => {
      expectError(writeTar([{ name: '../pickle', data: pk(PROTO2, 'N', STOP) }]), 'hostile', /path traversal/);
      const b = writeTorchCheckpoint({ ...spec, format: 'tar' });
      expectError(b.subarray(0, 1500), 'format', /truncated|ends too early/);
      const bad = b.slice();
      bad[0] ^= 1;
      expectError(bad, 'format');
    });
  });

  describe('random damage', () => {
    // Deterministic PRNG so that a failure can be reproduced.
    function rng(seed: number): () => number {
      return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    for (const format of ['zip', 'legacy', 'tar'] as const) {
      it(`${format}: 400 mutated files each read or fail with a CheckpointError`, () => {
        const base = writeTorchCheckpoint({
          ...{ arch: 'a', epoch: 1 },
          stateDict: [{ key: 'l.op.weight', tensor: { dtype: 'float32', shape: [2, 2], values: [1, -1, 2, -2] } }],
          format,
        });
        const rand = rng(format.length * 7919);
        let failures = 0;
        for (let i = 0; i < 400; i++) {
          const b = base.slice();
          const kind = i % 4;
          let bytes: Uint8Array = b;
          if (kind === 0) for (let j = 0; j < 3; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
          else if (kind === 1) bytes = b.subarray(0, Math.floor(rand() * b.length));
          else if (kind === 2) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
          else {
            const at = Math.floor(rand() * b.length);
            bytes = Uint8Array.from([...b.subarray(0, at), Math.floor(rand() * 256), ...b.subarray(at)]);
          }
          try {
            readCheckpoint(bytes, { limits: { verifyCrc: i % 2 === 0 } });
          } catch (e) {
            assert.ok(e instanceof CheckpointError, `mutation ${i}: ${String(e)}`);
            failures++;
          }
        }
        assert.ok(failures > 0);
      });
    }
  });
  describe('quantizing hostile checkpoints (ai8x quantize)', () => {
    /** Quantizes and writes back; returns the error's message, or null when it went through. */
    const quantizeBytes = (bytes: Uint8Array): string | null => {
      try {
        const r = quantizeCheckpoint(readCheckpoint(bytes, { exactFloats: true }));
        readCheckpoint(writeCheckpointObject(r.root));
        return null;
      } catch (e) {
        assert.ok(e instanceof CheckpointError || e instanceof QuantizeError, `a CheckpointError or QuantizeError, not ${String(e)}`);
        assert.doesNotMatch(e.message, /TypeError|RangeError|ReferenceError|undefined|\[object /, e.message);
        return e.message;
      }
    };

    it('200 damaged training checkpoints each quantize or fail with a message in words', function () {
      // About 15 ms each where this was written (read, quantize, write, read back); the bound leaves room for slow machines.
      this.timeout(30_000);
      const base = exampleTrainingCheckpointBytes();
      let seed = 7;
      const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
      let failures = 0;
      for (let i = 0; i < 200; i++) {
        const b = base.slice();
        let bytes: Uint8Array = b;
        if (i % 3 === 0) for (let j = 0; j < 4; j++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        else if (i % 3 === 1) bytes = b.subarray(0, Math.floor(rand() * b.length));
        else b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
        if (quantizeBytes(bytes) !== null) continue;
        failures++;
      }
      assert.ok(failures > 0 && failures < 200, `${failures} of 200 refused: some damage leaves a checkpoint that still quantizes`);
    });

    it('wrong types where tensors belong: a text weight, a dict bias, a weight_bits of many values, a state_dict list', () => {
      const ckpt = (stateDict: Parameters<typeof writeTorchCheckpoint>[0]['stateDict'], more = {}) =>
        writeTorchCheckpoint({ arch: 'a', epoch: 1, stateDict, ...more });
      const w = { dtype: 'float32' as const, shape: [2, 2], values: [0.5, -0.5, 0.25, 0] };
      assert.match(quantizeBytes(ckpt([{ key: 'l.op.weight', value: 'weights' }]))!, /`l\.op\.weight` is not a tensor/);
      assert.match(
        quantizeBytes(
          ckpt([
            { key: 'l.op.weight', tensor: w },
            { key: 'l.op.bias', value: { kind: 'dict', entries: [] } },
          ]),
        )!,
        /`l\.op\.bias` is not a tensor/,
      );
      assert.match(
        quantizeBytes(
          ckpt([
            { key: 'l.op.weight', tensor: w },
            { key: 'l.weight_bits', tensor: { dtype: 'float32', shape: [3], values: [8, 8, 8] } },
          ]),
        )!,
        /`l\.weight_bits` is not a single number/,
      );
      assert.match(quantizeBytes(writeTorchCheckpoint({ arch: 'a', epoch: 1, more: [['state_dict', [1, 2]]] }))!, /`state_dict` is not a dictionary/);
    });

    it('a call of os.system in the checkpoint is not carried into the quantized file (loading it would run it): refused, nothing written', () => {
      const marker = path.join(os.tmpdir(), `ai8x-quantize-exec-${process.pid}-${Date.now()}`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-hostile-q-'));
      try {
        const pkl = pk(
          PROTO2,
          '}',
          '(',
          ustr('state_dict'),
          glob('collections', 'OrderedDict'),
          ')',
          'R',
          ustr('extras'),
          '}',
          '(',
          ustr('note'),
          glob('os', 'system'),
          ustr(`touch ${marker}`),
          0x85,
          'R',
          'u',
          'u',
          STOP,
        );
        fs.writeFileSync(path.join(dir, 'in.pth.tar'), writeStoredZip([{ name: 'archive/data.pkl', data: pkl }]));
        const out = quantizeFile({ input: path.join(dir, 'in.pth.tar'), output: path.join(dir, 'out.pth.tar'), device: 'MAX78000' });
        assert.equal(out.ok, false);
        assert.match(!out.ok ? out.message : '', /`extras → note` holds a call of `os\.system`; loading the quantized file would run it/);
        assert.equal(fs.existsSync(path.join(dir, 'out.pth.tar')), false);
        assert.equal(fs.existsSync(marker), false);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
