// The simulator accumulates in doubles; isExact must accept every layer whose partial sums stay below 2^53 and
// refuse the others (inputs holding raw 32-bit values from an `output_width: 32` layer).
import * as assert from 'node:assert/strict';
import { CorrelateArgs, isExact } from '../../../server/src/engine/simulate/correlate';

function args(x: number[], w: number[], cin: number, bias: number[] | null = null): CorrelateArgs {
  return {
    x: Float64Array.from(x),
    cin,
    hp: 1,
    wp: x.length / cin,
    rowLive: null,
    w: Int32Array.from(w),
    cout: w.length / cin,
    groups: 1,
    kh: 1,
    kw: 1,
    dh: 1,
    dw: 1,
    sh: 1,
    sw: 1,
    ho: 1,
    wo: x.length / cin,
    bias: bias ? Int32Array.from(bias) : null,
    biasScale: 128,
  };
}

describe('simulator: exactness of the double accumulator', () => {
  it('accepts 8-bit data with 8-bit kernels over the longest dot product izer allows (262,144 terms)', () => {
    const n = 262144;
    assert.equal(isExact(args(new Array(n).fill(-128), new Array(n).fill(-128), n, [-128])), true);
  });

  it('accepts raw 32-bit inputs when the actual kernels are small enough (the kernels are scanned)', () => {
    // 2^31 · 2^7 · 64 = 2^44: exact, although the crude bound 2^31 · 2^31 · 64 is not.
    assert.equal(isExact(args(new Array(64).fill(2 ** 31 - 1), new Array(64).fill(127), 64)), true);
  });

  it('refuses raw 32-bit inputs whose products could pass 2^53', () => {
    // 2^31 · 2^20 · 8 = 2^54.
    assert.equal(isExact(args(new Array(8).fill(-(2 ** 31)), new Array(8).fill(2 ** 20), 8)), false);
  });

  it('counts a large bias', () => {
    assert.equal(isExact(args([1], [1], 1, [2 ** 31 - 1])), true);
    const huge = args([2 ** 31 - 1], [2 ** 21], 1, [2 ** 31 - 1]);
    huge.biasScale = 2 ** 22;
    assert.equal(isExact(huge), false);
  });
});
