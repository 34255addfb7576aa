// The display summaries of a simulation (ranges, histograms, softmax, top classes) and the random input,
// against hand-computed cases.
import * as assert from 'node:assert/strict';
import type { SimulatedLayer } from '../../../server/src/engine/simulate';
import {
  binRange,
  histogram,
  isClassifierOutput,
  softmax,
  summarizeLayer,
  summarizeOutput,
  topClasses,
} from '../../../server/src/engine/services/simulationReport';
import { valueRange } from '../../../server/src/engine/valueRange';
import { randomSampleInput } from '../../../server/src/engine/services/simulationInput';
import { inputShapeProblem, parseInputShape, parseSeed } from '../../../server/src/shared/inputShape';

function layer(shape: [number, number, number], values: number[], width: 8 | 32 = 8): SimulatedLayer {
  return { index: 2, name: 'fc', op: 'linear', shape, width, values: Float64Array.from(values), ms: 1.5, macs: 100, checked: true };
}

describe('simulation report summaries', () => {
  it('value range, zeros and 8-bit saturation', () => {
    assert.deepEqual(valueRange([3, -7, 12, 0]), { min: -7, max: 12 });
    assert.deepEqual(valueRange([]), { min: 0, max: 0 });
    const s = summarizeLayer(layer([2, 2, 2], [0, 0, 127, -128, 5, 127, 1, 0]));
    assert.equal(s.min, -128);
    assert.equal(s.max, 127);
    assert.equal(s.zeros, 3);
    assert.equal(s.saturated, 3);
    assert.equal(summarizeLayer(layer([2, 1, 1], [127, -128], 32)).saturated, 0, '32-bit outputs do not saturate at 8 bits');
  });

  it('histogram: one bin per value for small ranges, equal integer bins for large ones', () => {
    assert.deepEqual(histogram([0, 1, 1, 3], 16), { lo: 0, hi: 3, counts: [1, 2, 0, 1] });
    // 0..127 in 16 bins of 8 values: 0..7, 8..15, …
    const h = histogram([0, 7, 8, 127, 120], 16);
    assert.equal(h.counts.length, 16);
    assert.deepEqual([h.counts[0], h.counts[1], h.counts[15]], [2, 1, 2]);
    assert.deepEqual(binRange(h, 1), [8, 15]);
    assert.deepEqual(binRange(h, 15), [120, 127]);
    // 0..9 in 4 bins: width 3 → 0..2, 3..5, 6..8, 9
    const k = histogram([0, 2, 3, 8, 9], 4);
    assert.deepEqual(k.counts, [2, 1, 1, 1]);
    assert.deepEqual(binRange(k, 3), [9, 9]);
    assert.deepEqual(histogram([5, 5], 16), { lo: 5, hi: 5, counts: [2] });
    assert.equal(
      histogram([-2147483648, 2147483647], 16).counts.reduce((a, b) => a + b, 0),
      2,
    );
  });

  it('softmax reads the outputs with the given scale and is stable for large values', () => {
    const p = softmax([0, Math.log(3) * 16384], 16384);
    assert.ok(Math.abs(p[0] - 0.25) < 1e-12 && Math.abs(p[1] - 0.75) < 1e-12);
    const big = softmax([1e9, 1e9], 1);
    assert.deepEqual(big, [0.5, 0.5]);
  });

  it('top classes: highest probability first, ties by class index', () => {
    const values = [1, 5, 5, 2, 0, 9];
    const t = topClasses(values, softmax(values), 5);
    assert.deepEqual(
      t.map((x) => x.index),
      [5, 1, 2, 3, 0],
    );
    assert.deepEqual(
      t.map((x) => x.value),
      [9, 5, 5, 2, 1],
    );
  });

  it('classifier outputs: softmax at Q17.14 for 32-bit, Q0.7 for 8-bit; other outputs raw and truncated', () => {
    assert.equal(isClassifierOutput([10, 1, 1]), true);
    assert.equal(isClassifierOutput([1, 1, 1]), false);
    assert.equal(isClassifierOutput([4, 2, 2]), false);
    assert.equal(isClassifierOutput([4, 2, 2], true), true);
    const wide = summarizeOutput(layer([2, 1, 1], [0, 16384], 32));
    assert.equal(wide.softmaxScale, 16384);
    const e = Math.E;
    assert.ok(Math.abs(wide.probabilities![1] - e / (1 + e)) < 1e-12);
    assert.deepEqual(
      wide.top!.map((t) => t.index),
      [1, 0],
    );
    const narrow = summarizeOutput(layer([2, 1, 1], [0, 128], 8));
    assert.ok(Math.abs(narrow.probabilities![1] - e / (1 + e)) < 1e-12);
    const map = summarizeOutput(
      layer(
        [2, 3, 3],
        Array.from({ length: 18 }, (_, i) => i),
      ),
      { maxValues: 5 },
    );
    assert.equal(map.classifier, false);
    assert.equal(map.probabilities, null);
    assert.deepEqual(map.values, [0, 1, 2, 3, 4]);
    assert.equal(map.total, 18);
    assert.equal(map.truncated, true);
  });
});

describe('simulation inputs', () => {
  it('parses shapes and seeds as users type them', () => {
    assert.deepEqual(parseInputShape('3,32,32'), [3, 32, 32]);
    assert.deepEqual(parseInputShape(' 3x32x32 '), [3, 32, 32]);
    assert.deepEqual(parseInputShape('(64, 128)'), [64, 128]);
    assert.deepEqual(parseInputShape('1 16 16'), [1, 16, 16]);
    for (const bad of ['', '3', '3,0,2', '1,2,3,4', '3,a,3', '-1,2']) assert.equal(parseInputShape(bad), null, bad);
    assert.equal(parseSeed('42'), 42);
    assert.equal(parseSeed('4294967295'), 4294967295);
    for (const bad of ['4294967296', '-1', '1.5', 'x', '']) assert.equal(parseSeed(bad), null, bad);
    assert.match(inputShapeProblem([4096, 4096, 4])!, /more than/);
  });

  it('random inputs: same seed same values, int8 range, all 256 values used, shape kept', () => {
    const a = randomSampleInput([3, 64, 64], 1);
    const b = randomSampleInput([3, 64, 64], 1);
    const c = randomSampleInput([3, 64, 64], 2);
    assert.deepEqual(a.values, b.values);
    assert.notDeepEqual(a.values, c.values);
    assert.deepEqual(a.shape, [3, 64, 64]);
    assert.equal(a.dtype, 'int64');
    const seen = new Set(a.values);
    assert.equal(seen.size, 256);
    assert.equal(a.min, -128);
    assert.equal(a.max, 127);
    assert.ok(a.values.every((v) => Number.isInteger(v) && v >= -128 && v <= 127));
    assert.throws(() => randomSampleInput([0, 2], 1), /positive/);
  });
});
