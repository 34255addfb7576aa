// Every trained checkpoint shipped with ai8x-synthesis (read from ../shared, never committed) must read, and
// its contents must agree with the facts of izer-rules.md §3.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import type { PyObject, Tensor, TorchCheckpoint } from '../../../server/src/engine/checkpoint/types';
import { requireShared } from '../../support/shared';

function isTensor(v: Tensor | PyObject): v is Tensor {
  return typeof v === 'object' && v !== null && 'dtype' in v;
}

describe('shared trained checkpoints', () => {
  let dir = '';
  let files: string[] = [];
  const read = new Map<string, TorchCheckpoint>();
  /** A shipped checkpoint, read once for all the tests below. */
  const checkpoint = (f: string): TorchCheckpoint => {
    let c = read.get(f);
    if (!c) read.set(f, (c = readCheckpoint(fs.readFileSync(path.join(dir, f)), { fileName: f })));
    return c;
  };
  before(function () {
    dir = requireShared(this, 'ai8x-synthesis', 'trained');
    files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.pth.tar'))
      .sort();
  });

  it('finds the shipped checkpoints', () => {
    assert.ok(files.length >= 10, `only ${files.length} checkpoints`);
  });

  it('reads every one, with `arch` (text), `epoch` and a `state_dict` of tensors', function () {
    this.timeout(30000);
    let good = 0;
    for (const f of files) {
      const c = checkpoint(f);
      assert.equal(c.format, 'zip', f);
      assert.ok(c.hasStateDict && c.hasArch && c.hasEpoch, f);
      assert.equal(typeof c.arch, 'string', f);
      assert.ok(c.stateDict.length > 0, f);
      assert.ok(
        c.stateDict.every((e) => isTensor(e.value)),
        `${f}: a state_dict value is not a tensor`,
      );
      good++;
    }
    console.log(`      ${good} of ${files.length} checkpoints read`);
  });

  it('has plausible quantized tensors: 2-4-D weights, integer values within 8 bits, weight_bits ∈ {0,1,2,4,8}, one-element output_shift', function () {
    this.timeout(30000);
    const floatWeights: string[] = [];
    let tensors = 0;
    // The quantized (`-q`) ones; the others are training checkpoints, the inputs of quantize.py.
    const quantized = files.filter((f) => f.endsWith('-q.pth.tar'));
    for (const f of quantized) {
      const c = checkpoint(f);
      for (const { key, value } of c.stateDict) {
        tensors++;
        const t = value as Tensor;
        assert.equal(
          t.values.length,
          t.shape.reduce((a, b) => a * b, 1),
          `${f} ${key}: element count`,
        );
        // 0 = "no weights" (e.g. a pooling layer); izer reads 0 as 8.
        if (key.endsWith('.weight_bits')) assert.ok([0, 1, 2, 4, 8].includes(t.values[0]), `${f} ${key} = ${t.values[0]}`);
        if (key.endsWith('.output_shift')) assert.deepEqual(t.shape, [1], `${f} ${key}`);
        if (key.endsWith('.op.weight')) {
          assert.ok(t.shape.length >= 2 && t.shape.length <= 4, `${f} ${key}: shape [${t.shape}]`);
          if (!t.values.every((v) => Number.isInteger(v) && v >= -128 && v <= 127)) floatWeights.push(`${f} ${key}`);
        }
      }
    }
    console.log(`      ${tensors} tensors of ${quantized.length} quantized checkpoints`);
    assert.ok(quantized.length > 0 && tensors > 0, 'no tensor looked at');
    // One shipped checkpoint also carries a second, unquantized model after the bayer2rgb layers (l1–l3) izer uses.
    assert.ok(
      floatWeights.every((k) => k.startsWith('ai85-bayer2rgb-qat8-q.pth.tar ') && !/ (module\.)?l[123]\.op\.weight$/.test(k)),
      floatWeights.join('\n'),
    );
  });

  it('matches §3.1/§3.2 for the cifar10 checkpoint: top-level keys, extras, and the per-layer key order', function () {
    requireShared(this, 'ai8x-synthesis', 'trained', 'ai85-cifar10-qat8-q.pth.tar');
    const c = checkpoint('ai85-cifar10-qat8-q.pth.tar');
    assert.deepEqual(c.topKeys, ['epoch', 'state_dict', 'arch', 'optimizer_state_dict', 'optimizer_type', 'compression_sched', 'extras']);
    const root = c.root as Extract<PyObject, { kind: 'dict' }>;
    const extras = root.entries.find(([k]) => k === 'extras')![1] as Extract<PyObject, { kind: 'dict' }>;
    assert.deepEqual(
      extras.entries.map(([k]) => k),
      ['current_top1', 'best_top1', 'best_epoch', 'clipping_method'],
    );
    assert.equal(extras.entries.find(([k]) => k === 'clipping_method')![1], 'MAX_BIT_SHIFT');
    assert.equal(extras.entries.find(([k]) => k === 'best_epoch')![1], c.epoch);
    // optimizer_type is a class izer never reads: an inert marker.
    assert.deepEqual(root.entries.find(([k]) => k === 'optimizer_type')![1], { kind: 'global', module: 'torch.optim.adam', name: 'Adam' });
    // Each layer contributes output_shift, weight_bits, bias_bits, quantize_activation, adjust_output_shift, …, op.weight[, op.bias].
    const layers = new Map<string, string[]>();
    for (const { key } of c.stateDict) {
      const [layer, ...rest] = key.split('.');
      layers.set(layer, [...(layers.get(layer) ?? []), rest.join('.')]);
    }
    for (const [layer, params] of layers) {
      assert.deepEqual(params.slice(0, 5), ['output_shift', 'weight_bits', 'bias_bits', 'quantize_activation', 'adjust_output_shift'], layer);
      assert.ok(params.includes('op.weight'), layer);
      assert.ok(params.indexOf('op.weight') > 4, layer);
    }
    const conv = c.stateDict.find((e) => e.key === 'conv1_1.op.weight')!.value as Tensor;
    assert.deepEqual(conv.shape, [64, 3, 3, 3]);
  });
});
