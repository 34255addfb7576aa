// quantize.py's rules on small checkpoints written by the test: the expected numbers are worked out here from the
// rules (scale = 2^floor(log2(1/max|w,b|)), weights × 2^(bits−1)·scale rounded half up and clamped, biases × 128),
// not copied from a run.
import * as assert from 'node:assert/strict';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { writeTorchCheckpoint, CheckpointSpec } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { PyObject, Tensor, TensorDType, scanValues } from '../../../server/src/engine/checkpoint/types';
import { DEFAULT_OPTIONS, QuantizeError, QuantizeOptions, quantizeCheckpoint } from '../../../server/src/engine/quantize/quantizeCheckpoint';

type Dict = Extract<PyObject, { kind: 'dict' }>;
type Entry = NonNullable<CheckpointSpec['stateDict']>[number];

const W = [0.5, -0.25, 0.125, -0.0625];
const B = [0.1, -0.3];
const f32 = (xs: number[]) => xs.map(Math.fround);

function t(values: number[], shape = [values.length], dtype: TensorDType = 'float32'): Entry['tensor'] {
  return { dtype, shape, values };
}

function checkpoint(stateDict: Entry[], more: Partial<CheckpointSpec> = {}) {
  return readCheckpoint(writeTorchCheckpoint({ arch: 'ai85net', epoch: 1, extras: { kind: 'dict', entries: [['best_top1', 9.5]] }, stateDict, ...more }), {
    exactFloats: true,
  });
}

function quantize(stateDict: Entry[], options: Partial<QuantizeOptions> = {}, more: Partial<CheckpointSpec> = {}) {
  const r = quantizeCheckpoint(checkpoint(stateDict, more), { ...DEFAULT_OPTIONS, ...options });
  const root = r.root as Dict;
  const get = (d: PyObject | undefined, key: string) => (d as Dict).entries.find(([k]) => k === key)?.[1];
  const state = get(root, 'state_dict') as Dict;
  const keys = state.entries.map(([k]) => k as string);
  const tensor = (key: string): Tensor => {
    const v = get(state, key);
    assert.ok(v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'tensor', `${key} is a tensor`);
    return v.tensor;
  };
  const values = (key: string) => Array.from(scanValues(tensor(key)));
  return { r, root, get, state, keys, tensor, values };
}

/** One quantized value by the rule: floor(x·factor + ½), clamped to the bits' range. */
const q = (x: number, factor: number, bits: number) =>
  Math.min(Math.max(Math.floor(Math.fround(Math.fround(x) * factor) + 0.5), -(2 ** (bits - 1))), 2 ** (bits - 1) - 1);

function throwsQuantize(fn: () => unknown, key: string | null, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof QuantizeError, `a QuantizeError, not ${String(e)}`);
    assert.equal(e.key, key);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('quantizeCheckpoint (quantize.py rules)', () => {
  const layer = (prefix = '', extra: Entry[] = []): Entry[] => [
    { key: `${prefix}fc.adjust_output_shift`, tensor: t([1]) },
    { key: `${prefix}fc.quantize_activation`, tensor: t([0]) },
    ...extra,
    { key: `${prefix}fc.op.weight`, tensor: t(W, [2, 2]) },
    { key: `${prefix}fc.op.bias`, tensor: t(B) },
  ];

  it('QAT (MAX_BIT_SHIFT): the largest |weight or bias| sets a power-of-two scale; weights, bias, bits and output shift follow', () => {
    const { values, keys, tensor, r } = quantize(layer());
    // max |w, b| = 0.5 → scale 2^floor(log2 2) = 2; factor = 2^7 · 2.
    const factor = 128 * 2;
    assert.deepEqual(
      values('fc.op.weight'),
      W.map((w) => q(w, factor, 8)),
    );
    assert.deepEqual(values('fc.op.weight'), [127, -64, 32, -16], 'the rule, spelled out: 128 clamps to 127');
    // Biases: scaled the same way, then × 2^(8−8) × 128 (the data width's scale, for PyTorch).
    assert.deepEqual(
      values('fc.op.bias'),
      B.map((b) => q(b, factor, 8) * 128),
    );
    assert.deepEqual(values('fc.output_shift'), [-1]);
    assert.deepEqual(values('fc.weight_bits'), [8]);
    assert.deepEqual(values('fc.bias_bits'), [8]);
    assert.deepEqual(values('fc.adjust_output_shift'), [0]);
    assert.deepEqual(values('fc.quantize_activation'), [1]);
    for (const k of keys) assert.equal(tensor(k).dtype, 'float32', k);
    assert.deepEqual(tensor('fc.op.weight').shape, [2, 2]);
    // Keys the layer lacked are added at the end, in quantize.py's order.
    assert.deepEqual(keys, [
      'fc.adjust_output_shift',
      'fc.quantize_activation',
      'fc.op.weight',
      'fc.op.bias',
      'fc.weight_bits',
      'fc.bias_bits',
      'fc.output_shift',
    ]);
    assert.deepEqual(r.layers, [{ weight: 'fc.op.weight', bias: 'fc.op.bias', bits: 8, factor, outputShift: -1 }]);
    assert.equal(r.clippingMethod, 'MAX_BIT_SHIFT');
  });

  it('a layer of 4-bit weights (weight_bits = 4) uses 2^3 and narrows the bias by 2^(4−8)', () => {
    const { values } = quantize(layer('', [{ key: 'fc.weight_bits', tensor: t([4], [1], 'int64') }]));
    const factor = 8 * 2;
    assert.deepEqual(
      values('fc.op.weight'),
      W.map((w) => q(w, factor, 4)),
    );
    assert.deepEqual(
      values('fc.op.bias'),
      B.map((b) => q(b, factor, 4) * 2 ** -4 * 128),
    );
    assert.deepEqual(values('fc.weight_bits'), [4], 'a non-zero weight_bits stays as it was');
    assert.deepEqual(values('fc.bias_bits'), [4]);
  });

  it('shift_quantile < 1 takes the quantile of |weights and bias| (linear interpolation between sorted values)', () => {
    const { values } = quantize(layer('', [{ key: 'fc.shift_quantile', tensor: t([0.5], [1]) }]));
    // |w, b| sorted: 0.0625 0.1 0.125 0.25 0.3 0.5; rank 0.5·5 = 2.5 → 0.1875; 1/0.1875 = 5.3 → scale 2^2.
    const factor = 128 * 4;
    assert.deepEqual(
      values('fc.op.weight'),
      W.map((w) => q(w, factor, 8)),
    );
    assert.deepEqual(values('fc.output_shift'), [-2]);
  });

  it('keeps `module.` prefixes (DataParallel) in every key it writes', () => {
    const { keys } = quantize(layer('module.'));
    assert.ok(keys.includes('module.fc.weight_bits') && keys.includes('module.fc.output_shift') && keys.includes('module.fc.bias_bits'));
  });

  it('a shift of 0 is written as output_shift −0.0, as quantize.py writes −1 × 0.0', () => {
    const { tensor } = quantize([{ key: 'a.op.weight', tensor: t([0.75, -1]) }]);
    assert.ok(Object.is(scanValues(tensor('a.output_shift'))[0], -0));
  });

  it('the config file (-c) sets the bits of the first layers; weights past its layer count stay untouched', () => {
    const two: Entry[] = [
      { key: 'a.op.weight', tensor: t(W, [2, 2]) },
      { key: 'a.weight_bits', tensor: t([8]) },
      { key: 'b.op.weight', tensor: t(W, [2, 2]) },
    ];
    const { values, keys } = quantize(two, { configBits: [2] });
    assert.deepEqual(
      values('a.op.weight'),
      W.map((w) => q(w, 2 * 2, 2)),
    );
    assert.deepEqual(values('b.op.weight'), f32(W), 'b is past the config file’s one layer');
    assert.ok(!keys.includes('b.weight_bits') && !keys.includes('b.output_shift'));
    const nulls = quantize(two, { configBits: [null, 4] });
    assert.deepEqual(
      nulls.values('a.op.weight'),
      W.map((w) => q(w, 128 * 2, 8)),
      'a layer without `quantization` falls back to weight_bits',
    );
    assert.deepEqual(
      nulls.values('b.op.weight'),
      W.map((w) => q(w, 8 * 2, 4)),
    );
  });

  it('--qat-weight-bits applies where the checkpoint gives no bits (missing or 0), and weight_bits 0 becomes 8', () => {
    const { values } = quantize(
      [
        { key: 'a.op.weight', tensor: t(W, [2, 2]) },
        { key: 'a.weight_bits', tensor: t([0]) },
        { key: 'b.op.weight', tensor: t(W, [2, 2]) },
        { key: 'c.op.weight', tensor: t(W, [2, 2]) },
        { key: 'c.weight_bits', tensor: t([8]) },
      ],
      { qatWeightBits: 2 },
    );
    assert.deepEqual(
      values('a.op.weight'),
      W.map((w) => q(w, 2 * 2, 2)),
    );
    assert.deepEqual(
      values('b.op.weight'),
      W.map((w) => q(w, 2 * 2, 2)),
    );
    assert.deepEqual(
      values('c.op.weight'),
      W.map((w) => q(w, 128 * 2, 8)),
    );
    assert.deepEqual(values('a.weight_bits'), [8]);
    assert.deepEqual(values('b.weight_bits'), [8]);
  });

  it('drops zero points that are zero and base_b_q; refuses a zero point that is not zero', () => {
    const { keys } = quantize([...layer(), { key: 'fc.w_zero_point', tensor: t([0, 0]) }, { key: 'fc.base_b_q', tensor: t([3]) }]);
    assert.ok(!keys.includes('fc.w_zero_point') && !keys.includes('fc.base_b_q'));
    throwsQuantize(() => quantize([...layer(), { key: 'fc.b_zero_point', tensor: t([0, 0.5]) }]), 'fc.b_zero_point', /is not zero/);
  });

  it('records the clipping method in `extras` (adding `extras` when missing, with a warning) and updates masks_dict', () => {
    const masks: PyObject = {
      kind: 'dict',
      entries: [
        [
          'compression_sched',
          {
            kind: 'dict',
            entries: [
              [
                'masks_dict',
                {
                  kind: 'dict',
                  entries: [['fc.output_shift', null]],
                },
              ],
            ],
          },
        ],
      ],
    };
    const { root, get, r } = quantize(layer(), {}, { extras: undefined, more: (masks as Dict).entries as [string, PyObject][] });
    assert.deepEqual(get(get(root, 'extras'), 'clipping_method'), 'MAX_BIT_SHIFT');
    assert.deepEqual(
      (root as Dict).entries.map(([k]) => k),
      ['epoch', 'state_dict', 'arch', 'compression_sched', 'extras'],
    );
    assert.deepEqual(r.warnings, ['No `extras` in checkpoint file.']);
    const maskShift = get(get(get(root, 'compression_sched'), 'masks_dict'), 'fc.output_shift');
    assert.equal(maskShift, get(get(root, 'state_dict'), 'fc.output_shift'), 'the same tensor as in the state_dict');
  });

  describe('--clip-method (layers without bias; quantize.py stops at a bias)', () => {
    const noBias: Entry[] = [{ key: 'a.op.weight', tensor: t(W, [2, 2]) }];

    it('MAX: × 2^(bits−1)·max|w|; no output shift', () => {
      const { values, keys, get, root } = quantize(noBias, { clipMethod: 'MAX' });
      assert.deepEqual(
        values('a.op.weight'),
        W.map((w) => q(w, 128 * 0.5, 8)),
      );
      assert.ok(!keys.includes('a.output_shift'));
      assert.equal(get(get(root, 'extras'), 'clipping_method'), 'MAX');
    });

    it('SCALE: × 2^(bits−1)·scale, 0.85 when none is given (with a warning), recorded as a float', () => {
      const d = quantize(noBias, { clipMethod: 'SCALE' });
      assert.deepEqual(
        d.values('a.op.weight'),
        W.map((w) => q(w, Math.fround(128 * 0.85), 8)),
      );
      assert.deepEqual(d.r.warnings, ['Using the default scale factor of 0.85.']);
      assert.deepEqual(d.get(d.get(d.root, 'extras'), 'clipping_scale'), { kind: 'float', value: 0.85 });
      const half = quantize(noBias, { clipMethod: 'SCALE', scale: 0.5 });
      assert.deepEqual(
        half.values('a.op.weight'),
        W.map((w) => q(w, 64, 8)),
      );
    });

    it('STDDEV: mean ± n·std kept within [min, max]; n recorded as a float (2.0 by default)', () => {
      const d = quantize(noBias, { clipMethod: 'STDDEV' });
      const mean = W.reduce((a, b) => a + b) / W.length;
      const std = Math.sqrt(W.reduce((a, w) => a + (w - mean) ** 2, 0) / (W.length - 1));
      const sat = Math.max(Math.abs(Math.max(-0.25, mean - 2 * std)), Math.abs(Math.min(0.5, mean + 2 * std)));
      assert.equal(sat, 0.5, 'the two standard deviations reach past both ends here');
      assert.deepEqual(
        d.values('a.op.weight'),
        W.map((w) => q(w, 128 * sat, 8)),
      );
      assert.deepEqual(d.get(d.get(d.root, 'extras'), 'clipping_nstds'), { kind: 'float', value: 2 });
    });

    it('AVGMAX: the larger of |mean of the rows’ minimums| and |mean of their maximums|', () => {
      const d = quantize(noBias, { clipMethod: 'AVGMAX' });
      // rows [0.5, −0.25] and [0.125, −0.0625]: minimums average −0.15625, maximums 0.3125.
      assert.deepEqual(
        d.values('a.op.weight'),
        W.map((w) => q(w, 128 * 0.3125, 8)),
      );
    });

    it('refuses a layer with a bias, naming it (quantize.py stops there with a Python error)', () => {
      throwsQuantize(() => quantize(layer(), { clipMethod: 'MAX' }), 'fc.op.bias', /--clip-method quantize\.py stops at the first layer with a bias/);
    });
  });

  describe('what cannot be quantized, named', () => {
    it('no state_dict, or a state_dict that is not a dict', () => {
      throwsQuantize(() => quantizeCheckpoint(checkpoint([], { stateDict: undefined }), DEFAULT_OPTIONS), null, /no `state_dict`/);
    });
    it('a weight not named <layer>.<operation>.weight (quantize.py cannot find its bias)', () => {
      throwsQuantize(() => quantize([{ key: 'fc.weight', tensor: t(W) }]), 'fc.weight', /not named `<layer>\.<operation>\.weight`/);
    });
    it('integer weights (already quantized?), NaN and infinite weights, empty weights', () => {
      throwsQuantize(() => quantize([{ key: 'a.op.weight', tensor: t([1, -2], [2], 'int8') }]), 'a.op.weight', /int8 values.*already quantized/);
      throwsQuantize(() => quantize([{ key: 'a.op.weight', tensor: t([1, NaN]) }]), 'a.op.weight', /NaN/);
      throwsQuantize(() => quantize([{ key: 'a.op.weight', tensor: t([1, -Infinity]) }]), 'a.op.weight', /infinite/);
      throwsQuantize(() => quantize([{ key: 'a.op.weight', tensor: t([], [0, 3]) }]), 'a.op.weight', /no elements/);
    });
    it('a shift_quantile outside [0, 1] or of another dtype than the weights; weight_bits of several values', () => {
      throwsQuantize(() => quantize(layer('', [{ key: 'fc.shift_quantile', tensor: t([1.5]) }])), 'fc.shift_quantile', /between 0 and 1/);
      throwsQuantize(() => quantize(layer('', [{ key: 'fc.shift_quantile', tensor: t([1], [1], 'float64') }])), 'fc.shift_quantile', /float64.*float32/);
      throwsQuantize(() => quantize(layer('', [{ key: 'fc.weight_bits', tensor: t([8, 8]) }])), 'fc.weight_bits', /not a single number/);
    });
    it('a weight that is not a tensor', () => {
      throwsQuantize(() => quantize([{ key: 'a.op.weight', value: 'text' }]), 'a.op.weight', /not a tensor/);
    });
  });

  it('float64 weights are quantized in float64 (the output keeps their dtype)', () => {
    const { tensor, values } = quantize([{ key: 'a.op.weight', tensor: t([0.3, -0.7], [2], 'float64') }]);
    assert.equal(tensor('a.op.weight').dtype, 'float64');
    assert.deepEqual(values('a.op.weight'), [Math.floor(0.3 * 128 + 0.5), Math.floor(-0.7 * 128 + 0.5)]);
  });

  it('warns that a checkpoint whose weights are integers already looks quantized (quantize.py quantizes it again)', () => {
    const { r } = quantize([{ key: 'a.op.weight', tensor: t([3, -7, 12, 0], [2, 2]) }]);
    assert.deepEqual(r.warnings, ['The weights are integers already: this looks like a quantized checkpoint, and quantizing it again changes them.']);
  });

  it('leaves everything else of the checkpoint as it was (epoch, arch, other extras, the state_dict an OrderedDict)', () => {
    const { root, get } = quantize(layer());
    assert.equal(get(root, 'epoch'), 1);
    assert.equal(get(root, 'arch'), 'ai85net');
    assert.equal(get(get(root, 'extras'), 'best_top1'), 9.5);
    assert.equal((get(root, 'state_dict') as Dict).ordered, true);
  });
});
