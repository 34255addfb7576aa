// Reading a checkpoint to write it again (what the quantizer does): with `exactFloats` a Python float keeps being a
// float even when its value is whole, an OrderedDict stays one, and writeCheckpointObject writes back what was read.
import * as assert from 'node:assert/strict';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { writeCheckpointObject, writeTorchCheckpoint } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { PyObject, Tensor, scanValues } from '../../../server/src/engine/checkpoint/types';

type Dict = Extract<PyObject, { kind: 'dict' }>;

const get = (d: PyObject | undefined, key: string): PyObject | undefined => (d as Dict).entries.find(([k]) => k === key)?.[1];
const float = (value: number): PyObject => ({ kind: 'float', value });

/** Tensors as their dtype, shape and values (views compared by what they hold, not how they are stored). */
function plain(v: PyObject): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v.kind === 'tensor') return { dtype: v.tensor.dtype, shape: v.tensor.shape, values: Array.from(scanValues(v.tensor)) };
  if (v.kind === 'dict') return { ...v, entries: v.entries.map(([k, x]) => [plain(k), plain(x)]), attrs: v.attrs === undefined ? undefined : plain(v.attrs) };
  if (v.kind === 'tuple' || v.kind === 'set') return { ...v, items: v.items.map(plain) };
  return v;
}

describe('checkpoint rewrite: exact floats, OrderedDicts, writeCheckpointObject', () => {
  const extras: PyObject = {
    kind: 'dict',
    entries: [
      ['weight_decay', float(0)],
      ['negative_zero', float(-0)],
      ['nstds', float(2)],
      ['lr', 0.001],
      ['epochs', 2],
      ['inf', Infinity],
    ],
  };
  const bytes = writeTorchCheckpoint({
    arch: 'ai85net5',
    epoch: 3,
    extras,
    stateDict: [{ key: 'conv1.op.weight', tensor: { dtype: 'float32', shape: [2, 2], values: [0.5, -1.25, 3, 0] } }],
  });

  it('keeps whole-valued floats apart from ints only when asked (exactFloats)', () => {
    const exact = get(readCheckpoint(bytes, { exactFloats: true }).root, 'extras');
    assert.deepEqual(get(exact, 'weight_decay'), float(0));
    assert.ok(Object.is((get(exact, 'negative_zero') as { value: number }).value, -0));
    assert.deepEqual(get(exact, 'nstds'), float(2));
    assert.equal(get(exact, 'lr'), 0.001);
    assert.equal(get(exact, 'epochs'), 2);
    assert.equal(get(exact, 'inf'), Infinity);
    const usual = get(readCheckpoint(bytes).root, 'extras');
    assert.equal(get(usual, 'weight_decay'), 0);
    assert.equal(get(usual, 'nstds'), 2);
  });

  it('an exact float is the same dictionary key as the int of its value, as in Python ({1.0: a, 1: b} == {1.0: b})', () => {
    const keys: PyObject = {
      kind: 'dict',
      entries: [
        [float(1), 'a'],
        [1, 'b'],
      ],
    };
    const c = readCheckpoint(writeTorchCheckpoint({ arch: 'x', epoch: 0, stateDict: [], extras: keys }), { exactFloats: true });
    assert.deepEqual((get(c.root, 'extras') as Dict).entries, [[float(1), 'b']]);
  });

  it('marks OrderedDicts (a state_dict) and leaves plain dicts plain', () => {
    const c = readCheckpoint(bytes);
    const root = c.root as Dict;
    assert.equal(root.ordered, undefined);
    assert.equal((get(root, 'state_dict') as Dict).ordered, true);
    assert.equal((get(root, 'extras') as Dict).ordered, undefined);
  });

  it('writeCheckpointObject writes back what was read: keys, order, floats, OrderedDicts, tensors', () => {
    const first = readCheckpoint(bytes, { exactFloats: true });
    const again = readCheckpoint(writeCheckpointObject(first.root!, 'net-q.pth'), { exactFloats: true });
    assert.deepEqual(plain(again.root!), plain(first.root!));
    assert.deepEqual(again.topKeys, ['epoch', 'state_dict', 'arch', 'extras']);
    const w = again.stateDict[0].value as Tensor;
    assert.deepEqual([w.dtype, w.shape, Array.from(scanValues(w))], ['float32', [2, 2], [0.5, -1.25, 3, 0]]);
  });

  it("names the zip's folder as asked (torch names it after the file)", () => {
    const out = writeCheckpointObject(readCheckpoint(bytes, { exactFloats: true }).root!, 'net-q.pth');
    assert.ok(Buffer.from(out).includes(Buffer.from('net-q.pth/data.pkl')));
  });
});
