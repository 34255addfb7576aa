import * as assert from 'node:assert/strict';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { writeTorchCheckpoint, CheckpointSpec } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { writeStoredZip } from '../../../server/src/engine/checkpoint/zipWriter';
import { CheckpointError, PyObject, Tensor, TorchCheckpoint, elementCount, scanValues } from '../../../server/src/engine/checkpoint/types';
import { PROTO2, STOP, glob, pk, ustr } from './pickleBytes';

const FORMATS = ['zip', 'legacy', 'tar'] as const;

function tensor(c: TorchCheckpoint, key: string): Tensor {
  const e = c.stateDict.find((x) => x.key === key);
  assert.ok(e, `no ${key}`);
  return e.value as Tensor;
}

function throwsCode(fn: () => unknown, code: CheckpointError['code'], pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('checkpoint writer → reader round trips', () => {
  for (const format of FORMATS) {
    describe(`${format} format`, () => {
      const storage = { values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
      const spec: CheckpointSpec = {
        format,
        arch: 'ai85net5',
        epoch: 144,
        extras: {
          kind: 'dict',
          entries: [
            ['best_top1', 99.25],
            ['clipping_method', 'MAX_BIT_SHIFT'],
            [
              'nested',
              {
                kind: 'dict',
                entries: [
                  ['list', [1, -2, { kind: 'tuple', items: ['x', null, true] }]],
                  ['blob', Uint8Array.from([0, 255, 128])],
                ],
              },
            ],
          ],
        },
        stateDict: [
          { key: 'conv1.output_shift', tensor: { dtype: 'float32', shape: [1], values: [-1] } },
          { key: 'conv1.weight_bits', tensor: { dtype: 'float32', shape: [1], values: [8] } },
          { key: 'conv1.op.weight', tensor: { dtype: 'float32', shape: [2, 1, 3, 3], values: Array.from({ length: 18 }, (_, i) => i - 9) } },
          { key: 'f64', tensor: { dtype: 'float64', shape: [2], values: [0.1, -1e300] } },
          { key: 'f16', tensor: { dtype: 'float16', shape: [4], values: [0.5, -2, 65504, 5.960464477539063e-8] } },
          { key: 'bf16', tensor: { dtype: 'bfloat16', shape: [2], values: [1.5, -256] } },
          { key: 'i64', tensor: { dtype: 'int64', shape: [3], values: [-1, 2 ** 40 + 3, -(2 ** 52)] } },
          { key: 'i32', tensor: { dtype: 'int32', shape: [2], values: [-2147483648, 7] } },
          { key: 'i16', tensor: { dtype: 'int16', shape: [2], values: [-32768, 32767] } },
          { key: 'i8', tensor: { dtype: 'int8', shape: [2], values: [-128, 127] } },
          { key: 'u8', tensor: { dtype: 'uint8', shape: [2], values: [0, 255] } },
          { key: 'b', tensor: { dtype: 'bool', shape: [3], values: [1, 0, 1] } },
          { key: 'scalar', tensor: { dtype: 'float32', shape: [], values: [2.5] } },
          { key: 'empty', tensor: { dtype: 'float32', shape: [0, 3], values: [] } },
          // Views of one shared int64 storage 0..11: a transpose and an offset window.
          { key: 'view.T', tensor: { dtype: 'int64', shape: [3, 2], strides: [1, 3], storageOffset: 0, storage } },
          { key: 'view.window', tensor: { dtype: 'int64', shape: [2, 2], strides: [4, 1], storageOffset: 5, storage } },
          { key: 'view.broadcast', tensor: { dtype: 'int64', shape: [2, 3], strides: [0, 1], storageOffset: 9, storage } },
          { key: 'not_a_tensor', value: { kind: 'dict', entries: [['k', 1]] } },
        ],
      };
      let c: TorchCheckpoint;
      before(() => {
        c = readCheckpoint(writeTorchCheckpoint(spec));
      });

      it('reads the format, top-level keys in order, arch and epoch', () => {
        assert.equal(c.format, format);
        assert.deepEqual(c.topKeys, ['epoch', 'state_dict', 'arch', 'extras']);
        assert.equal(c.arch, 'ai85net5');
        assert.equal(c.epoch, 144);
        assert.ok(c.hasArch && c.hasEpoch && c.hasStateDict);
      });

      it('keeps the state_dict order (OrderedDict) and non-tensor values', () => {
        assert.deepEqual(
          c.stateDict.map((e) => e.key),
          spec.stateDict!.map((e) => e.key),
        );
        assert.deepEqual(c.stateDict.at(-1)!.value, { kind: 'dict', entries: [['k', 1]] });
      });

      it('decodes every dtype exactly', () => {
        const t = tensor(c, 'conv1.op.weight');
        assert.equal(t.dtype, 'float32');
        assert.deepEqual(t.shape, [2, 1, 3, 3]);
        assert.deepEqual(t.strides, [9, 9, 3, 1]);
        assert.deepEqual(
          Array.from(t.values),
          Array.from({ length: 18 }, (_, i) => i - 9),
        );
        assert.deepEqual(Array.from(tensor(c, 'f64').values), [0.1, -1e300]);
        assert.deepEqual(Array.from(tensor(c, 'f16').values), [0.5, -2, 65504, 5.960464477539063e-8]);
        assert.deepEqual(Array.from(tensor(c, 'bf16').values), [1.5, -256]);
        assert.deepEqual(Array.from(tensor(c, 'i64').values), [-1, 2 ** 40 + 3, -(2 ** 52)]);
        assert.deepEqual(Array.from(tensor(c, 'i32').values), [-2147483648, 7]);
        assert.deepEqual(Array.from(tensor(c, 'i16').values), [-32768, 32767]);
        assert.deepEqual(Array.from(tensor(c, 'i8').values), [-128, 127]);
        assert.deepEqual(Array.from(tensor(c, 'u8').values), [0, 255]);
        assert.deepEqual(Array.from(tensor(c, 'b').values), [1, 0, 1]);
        assert.equal(tensor(c, 'b').dtype, 'bool');
        assert.deepEqual(tensor(c, 'scalar').shape, []);
        assert.deepEqual(Array.from(tensor(c, 'scalar').values), [2.5]);
        assert.equal(tensor(c, 'empty').values.length, 0);
      });

      it('applies strides and storage offsets, giving values in C order', () => {
        const t = tensor(c, 'view.T');
        assert.deepEqual(t.strides, [1, 3]);
        // storage viewed as [[0,1,2],[3,4,5]] transposed
        assert.deepEqual(Array.from(t.values), [0, 3, 1, 4, 2, 5]);
        assert.deepEqual(Array.from(tensor(c, 'view.window').values), [5, 6, 9, 10]);
        assert.deepEqual(Array.from(tensor(c, 'view.broadcast').values), [9, 10, 11, 9, 10, 11]);
      });

      it('gives contiguous tensors of a dtype JavaScript reads natively a direct view of the file, equal to their decoded values', () => {
        const viewed = ['conv1.op.weight', 'f64', 'i32', 'i16', 'i8', 'u8', 'scalar'];
        for (const key of viewed) {
          const t = tensor(c, key);
          // Legacy files may leave a storage unaligned; then the values are decoded as before.
          if (!t.direct) {
            assert.notEqual(format, 'zip', `${key} has no direct view in a zip checkpoint`);
            continue;
          }
          assert.deepEqual(Array.from(t.direct), Array.from(t.values), key);
          assert.equal(elementCount(t), t.values.length, key);
        }
        // Half floats, int64, bool, transposes, broadcasts and empty tensors are decoded.
        for (const key of ['f16', 'bf16', 'i64', 'b', 'view.T', 'view.window', 'view.broadcast', 'empty']) assert.equal(tensor(c, key).direct, undefined, key);
        assert.equal(elementCount(tensor(c, 'empty')), 0);
      });

      it('decodes a directly viewed tensor only when its values are read', () => {
        const fresh = readCheckpoint(writeTorchCheckpoint(spec));
        const t = tensor(fresh, 'conv1.op.weight');
        if (!t.direct) return assert.notEqual(format, 'zip');
        assert.equal(typeof Object.getOwnPropertyDescriptor(t, 'values')!.get, 'function');
        assert.deepEqual(
          Array.from(scanValues(t)),
          Array.from({ length: 18 }, (_, i) => i - 9),
        );
        assert.equal(typeof Object.getOwnPropertyDescriptor(t, 'values')!.get, 'function', 'scanning decoded the values');
        assert.deepEqual(
          Array.from(t.values),
          Array.from({ length: 18 }, (_, i) => i - 9),
        );
        assert.ok(Object.getOwnPropertyDescriptor(t, 'values')!.value instanceof Float64Array);
      });

      it('keeps nested extras as data', () => {
        const root = c.root as Extract<PyObject, { kind: 'dict' }>;
        const extras = root.entries.find(([k]) => k === 'extras')![1];
        assert.deepEqual(extras, spec.extras);
      });
    });
  }

  it('writes what torch writes: archive/data.pkl, archive/data/<n>, archive/version, stored and 64-byte aligned', () => {
    const bytes = writeTorchCheckpoint({ arch: 'a', epoch: 1, stateDict: [{ key: 'w', tensor: { dtype: 'float32', shape: [2], values: [1, 2] } }] });
    const text = Buffer.from(bytes).toString('latin1');
    for (const name of ['archive/data.pkl', 'archive/data/0', 'archive/version']) assert.ok(text.includes(name), name);
    // The storage data (1.0f, 2.0f) starts on a 64-byte boundary.
    const at = text.indexOf(Buffer.from(new Float32Array([1, 2]).buffer).toString('latin1'));
    assert.ok(at > 0 && at % 64 === 0, `data at ${at}`);
  });

  it('omits top-level keys on request (fixtures for izer rules 65/66/68)', () => {
    const c = readCheckpoint(writeTorchCheckpoint({ stateDict: [] }));
    assert.deepEqual(c.topKeys, ['state_dict']);
    assert.equal(c.hasArch, false);
    assert.equal(c.hasEpoch, false);
    assert.equal(c.arch, null);
    const d = readCheckpoint(writeTorchCheckpoint({ arch: 'x', epoch: 3 }));
    assert.equal(d.hasStateDict, false);
    assert.deepEqual(d.stateDict, []);
  });
});

describe('checkpoint reader: other layouts torch produces', () => {
  // A hand-written data.pkl in the style of torch 2.x: protocol 2, Parameter wrapper, a state_dict with _metadata,
  // a big-endian archive (byteorder record) and an archive folder named after the file.
  function torch2Zip(byteorder: 'little' | 'big'): Uint8Array {
    const pkl = pk(
      PROTO2,
      '}',
      '(',
      ustr('state_dict'),
      glob('collections', 'OrderedDict'),
      ')',
      'R',
      '(',
      ustr('fc.weight'),
      glob('torch._utils', '_rebuild_parameter'),
      glob('torch._utils', '_rebuild_tensor_v2'),
      '(',
      '(',
      ustr('storage'),
      glob('torch', 'FloatStorage'),
      ustr('0'),
      ustr('cpu'),
      'K',
      4,
      't',
      'Q',
      'K',
      0,
      'K',
      2,
      'K',
      2,
      0x86,
      'K',
      2,
      'K',
      1,
      0x86,
      0x89,
      glob('collections', 'OrderedDict'),
      ')',
      'R',
      't',
      'R',
      0x88,
      glob('collections', 'OrderedDict'),
      ')',
      'R',
      0x87,
      'R',
      'u',
      '}',
      '(',
      ustr('_metadata'),
      '}',
      'u',
      'b',
      ustr('epoch'),
      'K',
      5,
      ustr('arch'),
      ustr('net'),
      'u',
      STOP,
    );
    const f = new Float32Array([1, -2, 3.5, 4]);
    const data = new Uint8Array(f.buffer.slice(0));
    if (byteorder === 'big') for (let i = 0; i < data.length; i += 4) data.subarray(i, i + 4).reverse();
    return writeStoredZip([
      { name: 'mynet/data.pkl', data: pkl },
      { name: 'mynet/byteorder', data: new TextEncoder().encode(byteorder) },
      { name: 'mynet/data/0', data },
      { name: 'mynet/version', data: new TextEncoder().encode('3\n') },
    ]);
  }

  for (const order of ['little', 'big'] as const) {
    it(`reads Parameters, a state_dict with _metadata and a ${order}-endian archive`, () => {
      const c = readCheckpoint(torch2Zip(order));
      assert.deepEqual(c.topKeys, ['state_dict', 'epoch', 'arch']);
      assert.deepEqual(
        c.stateDict.map((e) => e.key),
        ['fc.weight'],
      );
      assert.deepEqual(Array.from(tensor(c, 'fc.weight').values), [1, -2, 3.5, 4]);
      assert.deepEqual(tensor(c, 'fc.weight').shape, [2, 2]);
    });
  }

  it('names what it cannot read: ONNX (by extension and content), gzip, TorchScript, .npy, text, a pickled model object', () => {
    const ckpt = writeTorchCheckpoint({ arch: 'a', epoch: 1, stateDict: [] });
    throwsCode(() => readCheckpoint(ckpt, { fileName: 'model.onnx' }), 'unsupported', /ONNX/);
    throwsCode(() => readCheckpoint(pk(0x08, 0x07, 0x12, 0x07, 'pytorch', 0x1a, 3, '1.0')), 'unsupported', /ONNX/);
    throwsCode(() => readCheckpoint(pk(0x1f, 0x8b, 8, 0, 0, 0)), 'unsupported', /gzip/);
    throwsCode(
      () =>
        readCheckpoint(
          writeStoredZip([
            { name: 'm/data.pkl', data: pk(PROTO2, 'N', STOP) },
            { name: 'm/constants.pkl', data: pk(PROTO2, ')', STOP) },
          ]),
        ),
      'unsupported',
      /TorchScript/,
    );
    throwsCode(() => readCheckpoint(pk('\x93NUMPY', 1, 0)), 'format', /npy/);
    throwsCode(() => readCheckpoint(new TextEncoder().encode('arch: ai85net5\n')), 'format', /not a PyTorch checkpoint/);
    throwsCode(() => readCheckpoint(new Uint8Array(0)), 'format', /empty/);
    const model = writeStoredZip([{ name: 'archive/data.pkl', data: pk(PROTO2, glob('models.ai85net', 'AI85Net5'), ')', 0x81, '}', 'b', STOP) }]);
    throwsCode(() => readCheckpoint(model), 'unsupported', /models\.ai85net\.AI85Net5/);
    throwsCode(
      () => readCheckpoint(writeStoredZip([{ name: 'archive/data.pkl', data: pk(PROTO2, ']', STOP) }])),
      'format',
      /a list instead of a checkpoint dictionary/,
    );
  });

  it('keeps tensors of unknown element types as inert markers', () => {
    const pkl = pk(
      PROTO2,
      '}',
      '(',
      ustr('state_dict'),
      '}',
      '(',
      ustr('q'),
      glob('torch._utils', '_rebuild_tensor_v2'),
      '(',
      '(',
      ustr('storage'),
      glob('torch', 'QInt8Storage'),
      ustr('0'),
      ustr('cpu'),
      'K',
      1,
      't',
      'Q',
      'K',
      0,
      'K',
      1,
      0x85,
      'K',
      1,
      0x85,
      0x89,
      'N',
      't',
      'R',
      'u',
      'u',
      STOP,
    );
    const c = readCheckpoint(writeStoredZip([{ name: 'archive/data.pkl', data: pkl }]));
    const v = c.stateDict[0].value as Extract<PyObject, { kind: 'global' }>;
    assert.equal(v.kind, 'global');
    assert.equal(v.name, '_rebuild_tensor_v2');
  });
});
