// izer's weight sharing between identical layers (kdedup), and that telling kernels apart does not build the values
// of checkpoint kernels whose known sums or ranges already differ.
import * as assert from 'node:assert/strict';
import { deduplicateKernels } from '../../../server/src/engine/analysis/deduplication';
import type { KernelTensor } from '../../../server/src/engine/analysis/networkPlan';

/** A kernel as the checkpoint loader gives it: shape, range and sum at once, the values only when read (counted). */
function lazy(values: number[], reads: { n: number }): KernelTensor {
  const data = Int32Array.from(values);
  return {
    shape: [values.length, 1, 1],
    range: { min: Math.min(...values), max: Math.max(...values), binary: values.every((v) => v === 1 || v === -1) },
    sum: values.reduce((a, b) => a + b, 0),
    get data() {
      reads.n++;
      return data;
    },
  };
}

const plain = (values: number[]): KernelTensor => ({ shape: [values.length, 1, 1], data: Int32Array.from(values) });

describe('deduplicateKernels', () => {
  const q = [8, 8, 8, 8];
  const procs = [0xfn, 0xfn, 0xfn, 0xfn];

  it('a layer with the same kernels, quantization and processors as an earlier one uses its memory', () => {
    const r = deduplicateKernels([plain([1, 2, 3]), plain([1, 2, 4]), plain([1, 2, 3]), plain([1, 2, 3])], 4, q, procs);
    assert.deepEqual(r.pointers, [0, 1, 0, 0]);
    assert.deepEqual(
      r.unique.map((u) => (u ? [...u.data] : null)),
      [[1, 2, 3], [1, 2, 4], null, null],
    );
  });

  it('other quantization or other processors keep kernels apart', () => {
    const same = [plain([5, 5]), plain([5, 5]), plain([5, 5])];
    assert.deepEqual(deduplicateKernels(same, 3, [8, 4, 8], [0xfn, 0xfn, 0xfn]).pointers, [0, 1, 0]);
    assert.deepEqual(deduplicateKernels(same, 3, [8, 8, 8], [0xfn, 0xf0n, 0xfn]).pointers, [0, 1, 0]);
  });

  it('kernels whose known sums or ranges differ are told apart without building their values', () => {
    const reads = { n: 0 };
    // Same shape, same range, different sums; then same sum, different range.
    const r = deduplicateKernels([lazy([1, -1, 3], reads), lazy([1, 0, 3], reads), lazy([2, 2, -1], reads)], 3, q, procs);
    assert.deepEqual(r.pointers, [0, 1, 2]);
    assert.equal(reads.n, 0);
  });

  it('kernels whose sums and ranges agree are compared value by value', () => {
    const reads = { n: 0 };
    const r = deduplicateKernels([lazy([3, 1, 2], reads), lazy([1, 2, 3], reads), lazy([3, 1, 2], reads)], 3, q, procs);
    assert.deepEqual(r.pointers, [0, 1, 0]);
    assert.ok(reads.n > 0);
  });
});
