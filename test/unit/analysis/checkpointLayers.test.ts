// izer's checkpoint model (checkpoint.load + the insertion in izer.main), on small networks and checkpoints the
// tests write. Expected values are worked out by hand from izer's rules (spec §3), not taken from our output.
import * as assert from 'node:assert/strict';
import { loadCheckpointLayers, CheckpointLayers } from '../../../server/src/engine/analysis/checkpointLayers';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { writeTorchCheckpoint, CheckpointSpec, TensorSpec } from '../../../server/src/engine/checkpoint/writeCheckpoint';
import { readNetwork } from '../../../server/src/engine/model/readNetwork';
import { checkNetwork } from '../../../server/src/engine/check';
import { parseYamlTree, Range } from '../../../server/src/engine/yaml/yamlTree';
import { deviceByName, DeviceName } from '../../../server/src/engine/device/devices';
import { parseIzerFlags } from '../../../server/src/engine/izerFlags';
import { DiagnosticSink } from '../../../server/src/engine/diagnosticSink';
import type { Diagnostic } from '../../../server/src/engine/diagnostic';
import type { NetworkModel } from '../../../server/src/engine/model/network';

const FILE: Range = [0, 0];

/** A YAML network: one mapping per layer, written as `key: value` lines. */
function network(arch: string, layers: string[][]): string {
  return `arch: ${arch}\ndataset: test_set\nlayers:\n${layers.map((l) => l.map((kv, i) => `${i ? '    ' : '  - '}${kv}`).join('\n')).join('\n')}\n`;
}

const conv = (extra: string[] = []) => ['processors: 0x000000000000000f', 'out_offset: 0x1000', 'op: conv2d', 'pad: 1', ...extra];

/** A float32 tensor: explicit values, a function of the flat index, or one constant. */
function t(shape: number[], values: number[] | number | ((i: number) => number)): TensorSpec {
  const n = shape.reduce((a, b) => a * b, 1);
  const fill = typeof values === 'number' ? () => values : values;
  return { dtype: 'float32', shape, values: typeof fill === 'function' ? Array.from({ length: n }, (_, i) => fill(i)) : fill };
}

interface Run {
  r: CheckpointLayers;
  diags: Diagnostic[];
  text: string;
  model: NetworkModel;
}

function run(yaml: string, spec: Partial<CheckpointSpec>, opts: { device?: DeviceName; flags?: string[] } = {}): Run {
  const device = deviceByName(opts.device ?? 'MAX78000');
  const yamlSink = new DiagnosticSink();
  const model = readNetwork(parseYamlTree(yaml), device, yamlSink);
  assert.deepEqual(
    yamlSink.items.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
    'the test network itself must be valid',
  );
  const ckpt = readCheckpoint(writeTorchCheckpoint({ arch: 'testnet', epoch: 1, ...spec }));
  const sink = new DiagnosticSink();
  const r = loadCheckpointLayers(ckpt, model, device, parseIzerFlags(opts.flags ?? []), sink, { file: FILE });
  return { r, diags: sink.items, text: yaml, model };
}

function codes(diags: Diagnostic[]): string[] {
  return diags.map((d) => d.code);
}

/** The range of the n-th occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return [at, at + needle.length];
}

/** The range of the value in the first line `key: value` equal to `line`. */
function valueOf(text: string, line: string): Range {
  const r = rangeOf(text, line);
  return [r[0] + line.indexOf(': ') + 2, r[1]];
}

const w4x2 = t([4, 2, 3, 3], (i) => (i % 7) - 3); // values −3 … 3

describe('checkpoint model (izer checkpoint.load + insertion)', () => {
  describe('matching', () => {
    it('matches weight tensors by position, skipping passthrough, element-wise and weight_source layers', () => {
      const yaml = network('testnet', [
        conv(['name: first']),
        ['processors: 0x000000000000000f', 'out_offset: 0', 'op: passthrough'],
        ['processors: 0x000000000000000f', 'out_offset: 0x1000', 'op: add', 'in_sequences: [0, 1]'],
        conv(['weight_source: first']),
        ['processors: 0x000000000000000f', 'out_offset: 0', 'op: linear', 'flatten: true'],
      ]);
      const { r, diags } = run(yaml, {
        stateDict: [
          { key: 'c1.weight_bits', tensor: t([1], [8]) },
          { key: 'c1.op.weight', tensor: w4x2 },
          { key: 'c1.op.bias', tensor: t([4], [128, 256, -128, 0]) },
          { key: 'c1.output_shift', tensor: t([1], [-1]) },
          { key: 'fc.op.weight', tensor: t([5, 16], (i) => (i % 5) - 2) },
        ],
      });
      assert.deepEqual(codes(diags), []);
      assert.deepEqual(
        r.matches.map((m) => [m.key, m.ll]),
        [
          ['c1.op.weight', 0],
          ['fc.op.weight', 4],
        ],
      );
      assert.equal(r.matchedCount, 2);
      assert.equal(r.layerCount, 5);
      assert.deepEqual(
        r.weights.map((w) => w && w.shape),
        [[8, 3, 3], null, null, [8, 3, 3], [1, 5, 16]],
      );
      assert.equal(r.weights[3], r.weights[0], 'weight_source shares the source weights');
      assert.deepEqual(r.inputChannels, [2, 0, 0, 2, 16]);
      assert.deepEqual(r.outputChannels, [4, 0, 0, 4, 5]);
      // shift: checkpoint −1 + (8 − 8); weight_source copies it; fc has no output_shift entry: 0 + 0
      assert.deepEqual(r.outputShift, [-1, null, null, -1, 0]);
      assert.deepEqual(r.quantization, [8, null, null, null, 8]);
      assert.deepEqual(r.weightKeys, ['c1.op.weight', null, null, 'c1.op.weight', 'fc.op.weight']);
      assert.deepEqual(Array.from(r.bias[0]!), [1, 2, -1, 0]);
      assert.equal(r.bias[3], r.bias[0]);
      assert.equal(r.bias[4], null);
    });

    it("stores kernels in izer's layout: conv2d (out·in, kh, kw) in C order, linear (1, out, in)", () => {
      const yaml = network('testnet', [conv(), ['processors: 0x000000000000000f', 'out_offset: 0', 'op: mlp']]);
      const { r } = run(yaml, {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'b.op.weight', tensor: t([3, 4], (i) => i - 6) },
        ],
      });
      assert.deepEqual(
        Array.from(r.weights[0]!.data),
        Array.from({ length: 72 }, (_, i) => (i % 7) - 3),
      );
      assert.deepEqual(r.weights[1]!.shape, [1, 3, 4]);
      assert.deepEqual(
        Array.from(r.weights[1]!.data),
        Array.from({ length: 12 }, (_, i) => i - 6),
      );
    });

    it('--skip-checkpoint-layers drops the first weight tensors', () => {
      const { r, diags } = run(
        network('testnet', [conv()]),
        {
          stateDict: [
            { key: 'old.op.weight', tensor: t([4, 2, 1, 1], 1) },
            { key: 'a.op.weight', tensor: w4x2 },
          ],
        },
        { flags: ['--skip-checkpoint-layers', '1'] },
      );
      assert.deepEqual(codes(diags), []);
      assert.deepEqual(r.skippedWeightKeys, ['old.op.weight']);
      assert.deepEqual(
        r.matches.map((m) => m.key),
        ['a.op.weight'],
      );
    });

    it('ignores weight tensors beyond the YAML layers, and says so (AX200)', () => {
      const { r, diags } = run(network('testnet', [conv()]), {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'extra.op.weight', tensor: w4x2 },
        ],
      });
      assert.deepEqual(r.ignoredWeightKeys, ['extra.op.weight']);
      assert.deepEqual(codes(diags), ['AX200']);
      assert.equal(diags[0].severity, 'warning');
      assert.match(diags[0].message, /`extra\.op\.weight`/);
      assert.deepEqual(diags[0].range, FILE);
    });

    it('#80: fewer weight tensors than the YAML needs, reported on `layers`', () => {
      const yaml = network('testnet', [conv(), conv(), ['processors: 0x000000000000000f', 'out_offset: 0', 'op: none']]);
      const { r, diags } = run(yaml, { stateDict: [{ key: 'a.op.weight', tensor: w4x2 }] });
      // 1 matched + 1 passthrough inserted = 2 ≠ 3
      assert.equal(r.layerCount, 2);
      assert.deepEqual(codes(diags), ['IZ080']);
      assert.deepEqual(diags[0].range, rangeOf(yaml, 'layers'));
      assert.match(diags[0].message, /3 layers/);
      assert.equal(r.fatal, true);
    });

    it('keys without a dot and non-weight parameters are not matched', () => {
      const { r } = run(network('testnet', [conv()]), {
        stateDict: [
          { key: 'weight', tensor: w4x2 },
          { key: 'a.op.kernel', tensor: w4x2 },
          { key: 'a.weight', tensor: w4x2 },
        ],
      });
      assert.deepEqual(
        r.matches.map((m) => m.key),
        ['a.weight'],
      );
    });
  });

  describe('quantization', () => {
    const one = (spec: Partial<CheckpointSpec>, extra: string[] = [], device: DeviceName = 'MAX78000') =>
      run(network('testnet', [conv(extra)]), spec, { device });

    it('takes the YAML value when given (weights must fit), else weight_bits; 0 means 8; the implicit shift is 8 − |bits|', () => {
      let x = one({
        stateDict: [
          { key: 'a.weight_bits', tensor: t([1], [2]) },
          { key: 'a.op.weight', tensor: t([4, 2, 3, 3], (i) => (i % 4) - 2) },
        ],
      });
      assert.deepEqual([x.r.quantization[0], x.r.outputShift[0]], [2, 6]);
      x = one({ stateDict: [{ key: 'a.op.weight', tensor: t([4, 2, 3, 3], (i) => (i % 4) - 2) }] }, ['quantization: 4']);
      assert.deepEqual([x.r.quantization[0], x.r.outputShift[0]], [4, 4]);
      x = one({
        stateDict: [
          { key: 'a.weight_bits', tensor: t([1], [0]) },
          { key: 'a.op.weight', tensor: w4x2 },
        ],
      });
      assert.equal(x.r.quantization[0], 8);
      x = one({ stateDict: [{ key: 'a.op.weight', tensor: w4x2 }] }, ['output_shift: 2']);
      assert.deepEqual([x.r.quantization[0], x.r.outputShift[0]], [8, 2]);
    });

    it('all-zero weights are 1-bit (and #69 warns); ±1 weights are binary on MAX78002 only', () => {
      let x = one({ stateDict: [{ key: 'a.op.weight', tensor: t([4, 2, 3, 3], 0) }] });
      assert.equal(x.r.quantization[0], 1);
      assert.deepEqual(codes(x.diags), ['IZ069']);
      const pm1 = t([4, 2, 3, 3], (i) => (i % 2 ? 1 : -1));
      x = one({ stateDict: [{ key: 'a.op.weight', tensor: pm1 }] }, [], 'MAX78002');
      assert.deepEqual([x.r.quantization[0], x.r.outputShift[0]], [-1, 7]);
      x = one({ stateDict: [{ key: 'a.op.weight', tensor: pm1 }] }, [], 'MAX78000');
      assert.equal(x.r.quantization[0], 8);
    });

    it('#72: weights that do not fit the YAML quantization (reported on its value)', () => {
      const yaml = network('testnet', [conv(['quantization: 4'])]);
      const { diags } = run(yaml, { stateDict: [{ key: 'a.op.weight', tensor: t([4, 2, 3, 3], (i) => (i === 5 ? 8 : 0)) }] });
      assert.deepEqual(codes(diags), ['IZ072']);
      assert.deepEqual(diags[0].range, valueOf(yaml, 'quantization: 4'));
      assert.match(diags[0].message, /range from 0 to 8/);
    });

    it('#73: a checkpoint weight_bits above 8', () => {
      const x = one({
        stateDict: [
          { key: 'a.weight_bits', tensor: t([1], [16]) },
          { key: 'a.op.weight', tensor: w4x2 },
        ],
      });
      assert.deepEqual(codes(x.diags), ['IZ073']);
    });

    it('AX203: weights beyond the detected bit width; AX202: weights that are not integers (truncated like astype(int64))', () => {
      let x = one({
        stateDict: [
          { key: 'a.weight_bits', tensor: t([1], [2]) },
          { key: 'a.op.weight', tensor: t([4, 2, 3, 3], (i) => (i === 3 ? 5 : 1)) },
        ],
      });
      assert.deepEqual(codes(x.diags), ['AX203']);
      x = one({ stateDict: [{ key: 'a.op.weight', tensor: t([4, 2, 3, 3], (i) => (i === 0 ? -2.7 : 1.5)) }] });
      assert.deepEqual(codes(x.diags), ['AX202']);
      assert.equal(x.r.weights[0]!.data[0], -2);
      assert.equal(x.r.weights[0]!.data[1], 1);
    });
  });

  describe('operators and channels', () => {
    it('ConvTranspose2d: weights flipped in both spatial axes and the first two axes swapped; groups multiply the outputs', () => {
      const yaml = network('testnet', [['processors: 0x000000000000000f', 'out_offset: 0x1000', 'op: convtranspose2d', 'pad: 1', 'groups: 2']]);
      // torch layout (in=2, out/groups=3, 3, 3), value = flat index
      const { r, diags } = run(yaml, { stateDict: [{ key: 'up.op.weight', tensor: t([2, 3, 3, 3], (i) => i % 50) }] });
      assert.deepEqual(codes(diags), []);
      assert.equal(r.inputChannels[0], 2);
      assert.equal(r.outputChannels[0], 6);
      assert.deepEqual(r.weights[0]!.shape, [6, 3, 3]);
      const d = r.weights[0]!.data;
      // out[j][i][y][x] = w[i][j][2−y][2−x]; stored row (j·2 + i)
      assert.equal(d[0], 8); // j0 i0 y0 x0 ← w[0][0][2][2] = 8
      assert.equal(d[1], 7); // x1 ← w[0][0][2][1]
      assert.equal(d[9], 27 + 8); // j0 i1 ← w[1][0][2][2] = 27 + 8
      assert.equal(d[2 * 9 + 1], 9 + 7); // j1 i0 y0 x1 ← w[0][1][2][1] = 9 + 7
    });

    it('groups multiply the input channels of Conv2d (depthwise)', () => {
      const { r } = run(network('testnet', [conv(['groups: 4'])]), { stateDict: [{ key: 'dw.op.weight', tensor: t([4, 1, 3, 3], 1) }] });
      assert.equal(r.inputChannels[0], 4);
      assert.equal(r.outputChannels[0], 4);
      assert.deepEqual(r.weights[0]!.shape, [4, 3, 3]);
    });

    it("Conv1d: (out·in, k) kernels; #74–#76 are all reported, on each layer's kernel_size", () => {
      const c1 = ['processors: 0x000000000000000f', 'out_offset: 0x1000', 'op: conv1d', 'pad: 1'];
      const yaml = network('testnet', [[...c1, 'kernel_size: 5'], [...c1, 'kernel_size: 3'], conv(['kernel_size: 3x3']), conv(['kernel_size: 1x1'])]);
      const { r, diags } = run(yaml, {
        stateDict: [
          { key: 'a.op.weight', tensor: t([4, 2, 5], 1) },
          { key: 'b.op.weight', tensor: t([4, 2, 5], 1) },
          { key: 'c.op.weight', tensor: t([4, 2], 1) },
          { key: 'd.op.weight', tensor: t([4, 2, 3, 3], 1) },
        ],
      });
      assert.deepEqual(r.weights[0]!.shape, [8, 5]);
      assert.deepEqual(codes(diags), ['IZ075', 'IZ074', 'IZ076']);
      assert.deepEqual(diags[0].range, valueOf(yaml, 'kernel_size: 3'));
      assert.match(diags[0].message, /needs `kernel_size` 5/);
      assert.deepEqual(diags[1].range, valueOf(yaml, 'kernel_size: 3x3'));
      assert.match(diags[1].message, /1x1, not 3x3/);
      assert.deepEqual(diags[2].range, valueOf(yaml, 'kernel_size: 1x1'));
      assert.match(diags[2].message, /3x3, not 1x1/);
      assert.equal(r.fatal, true);
      assert.equal(r.matchedCount, 4, 'kernel errors do not stop the matching');
    });

    it("AX208: a tensor rank that suggests another operator than the YAML layer's", () => {
      const { diags } = run(network('testnet', [conv(['kernel_size: 1x1'])]), { stateDict: [{ key: 'fc.op.weight', tensor: t([4, 2], 1) }] });
      assert.deepEqual(codes(diags), ['AX208']);
    });
  });

  describe('bias', () => {
    const yaml1 = network('testnet', [conv()]);
    it("floor(bias / 2^(weight_bits − 1)) with the checkpoint's weight_bits", () => {
      let x = run(yaml1, {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'a.op.bias', tensor: t([4], [128, -1, -129, 255]) },
        ],
      });
      assert.deepEqual(Array.from(x.r.bias[0]!), [1, -1, -2, 1]);
      assert.equal(x.r.biasKeys[0], 'a.op.bias');
      x = run(yaml1, {
        stateDict: [
          { key: 'a.weight_bits', tensor: t([1], [4]) },
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'a.op.bias', tensor: t([4], [16, -9, 7, 0]) },
        ],
      });
      assert.deepEqual(Array.from(x.r.bias[0]!), [2, -2, 0, 0]);
      // YAML quantization does not change the divisor: weight_bits (default 8) does
      x = run(network('testnet', [conv(['quantization: 4'])]), {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'a.op.bias', tensor: t([4], [256, 0, 0, 0]) },
        ],
      });
      assert.deepEqual(Array.from(x.r.bias[0]!), [2, 0, 0, 0]);
    });

    it('a bias without an op part (`<layer>.bias`) is found for `<layer>.weight`', () => {
      const x = run(yaml1, {
        stateDict: [
          { key: 'fc.weight', tensor: w4x2 },
          { key: 'fc.bias', tensor: t([4], [128, 0, 0, 128]) },
        ],
      });
      assert.deepEqual(Array.from(x.r.bias[0]!), [1, 0, 0, 1]);
    });

    it('--no-bias (all, or listed layers) drops biases', () => {
      const yaml = network('testnet', [conv(), conv()]);
      const sd = {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'a.op.bias', tensor: t([4], [128, 0, 0, 0]) },
          { key: 'b.op.weight', tensor: t([4, 4, 3, 3], 1) },
          { key: 'b.op.bias', tensor: t([4], [128, 0, 0, 0]) },
        ],
      };
      let x = run(yaml, sd, { flags: ['--no-bias'] });
      assert.deepEqual(x.r.bias, [null, null]);
      x = run(yaml, sd, { flags: ['--no-bias', '1'] });
      assert.ok(x.r.bias[0]);
      assert.equal(x.r.bias[1], null);
      assert.deepEqual(x.r.biasKeys, ['a.op.bias', null]);
    });

    it('#77 all-zero bias (warning) and #78 bias beyond 8 bits (error)', () => {
      let x = run(yaml1, {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'a.op.bias', tensor: t([4], [0, 100, 127, 0]) },
        ],
      }); // floor(x / 128) = 0 for all
      assert.deepEqual(codes(x.diags), ['IZ077']);
      x = run(yaml1, {
        stateDict: [
          { key: 'a.op.weight', tensor: w4x2 },
          { key: 'a.op.bias', tensor: t([4], [128 * 128, 0, 0, 0]) },
        ],
      });
      assert.deepEqual(codes(x.diags), ['IZ078']);
      assert.match(x.diags[0].message, /128/);
    });

    it("AX207: izer's bias list has no entry for a bypass layer, so a later layer loses its bias", () => {
      const yaml = network('testnet', [conv(), conv(['bypass: true']), conv(), ['processors: 0x000000000000000f', 'out_offset: 0', 'op: none']]);
      const { r, diags } = run(
        yaml,
        {
          stateDict: [
            { key: 'a.op.weight', tensor: w4x2 },
            { key: 'a.op.bias', tensor: t([4], [128, 0, 0, 0]) },
            { key: 'c.op.weight', tensor: t([4, 4, 3, 3], 1) },
            { key: 'c.op.bias', tensor: t([4], [256, 0, 0, 0]) },
          ],
        },
        { device: 'MAX78002' },
      );
      // izer: weights [A, None, C, None]; bias [A-bias, C-bias, None] (no insert for the bypass layer)
      assert.deepEqual(
        r.weights.map((w) => (w ? w.shape[0] : null)),
        [8, null, 16, null],
      );
      assert.equal(r.bias.length, 3);
      assert.equal(r.bias[1]![0], 2);
      assert.equal(r.bias[2], null);
      assert.deepEqual(codes(diags), ['AX207']);
      assert.equal(diags[0].layer, 2);
    });
  });

  describe('output shift', () => {
    const yaml1 = network('testnet', [conv()]);
    it('#79: a checkpoint output_shift with more than one value', () => {
      const x = run(yaml1, {
        stateDict: [
          { key: 'a.output_shift', tensor: t([2], [1, 2]) },
          { key: 'a.op.weight', tensor: w4x2 },
        ],
      });
      assert.deepEqual(codes(x.diags), ['IZ079']);
    });
    it("YAML output_shift wins over the checkpoint's", () => {
      const x = run(network('testnet', [conv(['output_shift: -3', 'quantization: 2'])]), {
        stateDict: [
          { key: 'a.output_shift', tensor: t([1], [1]) },
          { key: 'a.op.weight', tensor: t([4, 2, 3, 3], 1) },
        ],
      });
      assert.equal(x.r.outputShift[0], -3 + 6);
    });
  });

  describe('top-level checks', () => {
    const yaml1 = network('testnet', [conv()]);
    const sd = [{ key: 'a.op.weight', tensor: w4x2 }];

    it('#65 no state_dict, #66 no arch (warning), #68 no epoch: on the file anchor', () => {
      const x = run(yaml1, { arch: undefined, epoch: undefined, stateDict: undefined, more: [['model', 1]] });
      assert.deepEqual(codes(x.diags).sort(), ['IZ065', 'IZ066', 'IZ068']);
      for (const d of x.diags) assert.deepEqual(d.range, FILE);
      assert.equal(x.diags.find((d) => d.code === 'IZ066')!.severity, 'warning');
      assert.equal(x.r.used, false);
    });

    it('#67 arch mismatch on the YAML arch value; the comparison ignores case', () => {
      let x = run(yaml1, { arch: 'OtherNet', stateDict: sd });
      assert.deepEqual(codes(x.diags), ['IZ067']);
      assert.deepEqual(x.diags[0].range, rangeOf(yaml1, 'testnet'));
      assert.match(x.diags[0].message, /OtherNet/);
      x = run(yaml1, { arch: 'TestNet', stateDict: sd });
      assert.deepEqual(codes(x.diags), []);
    });

    it('#70 BatchNorm weights (error, or skipped with --ignore-bn) and #71 other 1-D weights', () => {
      const bn = [{ key: 'a.bn.weight', tensor: t([4], 1) }, ...sd];
      let x = run(yaml1, { stateDict: bn });
      assert.deepEqual(codes(x.diags), ['IZ070']);
      assert.equal(x.diags[0].severity, 'error');
      x = run(yaml1, { stateDict: bn }, { flags: ['--ignore-bn'] });
      assert.deepEqual(codes(x.diags), ['IZ070']);
      assert.equal(x.diags[0].severity, 'warning');
      assert.deepEqual(
        x.r.matches.map((m) => m.key),
        ['a.op.weight'],
      );
      x = run(yaml1, { stateDict: [{ key: 'a.op.weight', tensor: t([4], 1) }] });
      assert.deepEqual(codes(x.diags), ['IZ071']);
    });

    it('AX201: a weight entry that is not a tensor', () => {
      const x = run(yaml1, { stateDict: [{ key: 'a.op.weight', value: [1, 2] }] });
      assert.deepEqual(codes(x.diags), ['AX201']);
      assert.equal(x.r.fatal, true);
    });

    it('AX211: a checkpoint member that fails its CRC-32 is a warning naming the tensors in it; the check goes on as izer does', () => {
      const yaml = network('testnet', [conv(['output_shift: 0'])]);
      const bytes = writeTorchCheckpoint({ arch: 'testnet', epoch: 1, stateDict: [{ key: 'a.op.weight', tensor: w4x2 }] });
      const damaged = bytes.slice();
      const at = Buffer.from(damaged).indexOf(Buffer.from(new Float32Array([-3, -2, -1, 0]).buffer));
      assert.ok(at > 0);
      damaged[at + 3] ^= 0x80; // −3 → 3: still a valid weight, only the CRC tells
      const sink = new DiagnosticSink();
      const model = readNetwork(parseYamlTree(yaml), deviceByName('MAX78000'), new DiagnosticSink());
      const r = loadCheckpointLayers(readCheckpoint(damaged), model, deviceByName('MAX78000'), parseIzerFlags([]), sink, { file: FILE });
      assert.deepEqual(codes(sink.items), ['AX211']);
      assert.equal(sink.items[0].severity, 'warning');
      assert.match(sink.items[0].message, /the data of `a\.op\.weight` \(archive\/data\/\d+\) fails its CRC-32 check/);
      assert.equal(r.matchedCount, 1, 'the weights are still matched, as izer would');
      const clean = run(yaml, { stateDict: [{ key: 'a.op.weight', tensor: w4x2 }] });
      assert.deepEqual(codes(clean.diags), []);
    });

    it('AX206: with `arch: test` izer ignores the checkpoint (and uses its sample weights instead)', () => {
      const text = network('test', [conv()]);
      const checkpoint = readCheckpoint(writeTorchCheckpoint({ arch: 'test', epoch: 1, stateDict: sd }));
      const r = checkNetwork({ text, resolveInputs: () => ({ checkpoint, checkpointPath: 'x.pth.tar' }) });
      assert.deepEqual(
        r.diagnostics.filter((d) => d.code.startsWith('AX2')).map((d) => [d.code, d.severity, d.range]),
        [['AX206', 'information', rangeOf(text, 'test')]],
      );
      assert.equal(r.analysis?.checkpoint ?? null, null, 'the checkpoint is not loaded');
    });
  });
});
