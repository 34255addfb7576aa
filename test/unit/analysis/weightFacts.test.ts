// What the checks ask of a weight tensor (range, all zero, binary, not integers), against the plain definitions on
// edge cases and random tensors: truncation toward zero as numpy's astype(int64), NaN and infinities included.
import * as assert from 'node:assert/strict';
import { weightFacts } from '../../../server/src/engine/analysis/checkpointWeights';
import type { Tensor } from '../../../server/src/engine/checkpoint/types';

const tensor = (values: number[]): Tensor => ({ shape: [values.length], values: Float64Array.from(values) }) as unknown as Tensor;

/** The definitions, written the slow and obvious way. */
function expected(values: number[]) {
  const ints = values.map(Math.trunc);
  const real = ints.filter((v) => !Number.isNaN(v));
  return {
    wMin: (real.length ? Math.min(...real) : Infinity) + 0,
    wMax: (real.length ? Math.max(...real) : -Infinity) + 0,
    allZero: ints.every((v) => v === 0),
    binary: real.length > 0 && real.every((v) => v === 1 || v === -1),
    nonInteger: values.some((r, i) => r !== ints[i]),
  };
}

function check(values: number[]): void {
  const f = weightFacts(tensor(values));
  const e = expected(values);
  // −0 and 0 are the same weight.
  const got = { wMin: f.wMin + 0, wMax: f.wMax + 0, allZero: f.allZero, binary: f.binary, nonInteger: f.nonInteger };
  assert.deepEqual(got, e, JSON.stringify(values.map(String)));
}

describe('weightFacts', () => {
  it('edge cases: empty, zeros and −0, fractions, ±1, NaN, infinities', () => {
    const cases = [
      [],
      [0, 0, -0],
      [0.5, -0.9, 0],
      [1, -1, 1.5, -1.99],
      [1, -1, 0.5],
      [1, -1, NaN],
      [NaN],
      [NaN, 0],
      [Infinity, 1],
      [-Infinity, -1],
      [127.9, -128.99, 3],
      [2 ** 40 + 0.5, -(2 ** 33)],
    ];
    for (const c of cases) check(c);
  });

  it('reads a direct view of the file without decoding the values', () => {
    const direct = Float32Array.from([3, -7.5, 0.25, 127, -128, -0]);
    const t = { shape: [direct.length], direct } as unknown as Tensor;
    Object.defineProperty(t, 'values', {
      get() {
        throw new Error('decoded');
      },
    });
    const f = weightFacts(t);
    const e = expected(Array.from(direct));
    assert.deepEqual({ wMin: f.wMin, wMax: f.wMax, allZero: f.allZero, binary: f.binary, nonInteger: f.nonInteger }, e);
    assert.equal(f.sum, 3 - 7 + 0 + 127 - 128);
  });

  it('random tensors', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 300; n++) {
      const len = Math.floor(rnd() * 40);
      const scale = [1, 2, 128, 2 ** 33][n % 4];
      const values = Array.from({ length: len }, () => {
        const x = (rnd() * 2 - 1) * scale;
        return n % 3 === 0 ? Math.round(x) : x;
      });
      check(values);
    }
  });

  it('the sum of the truncated values travels with the facts', () => {
    assert.equal(weightFacts(tensor([1.7, -2.2, 3])).sum, 1 - 2 + 3);
  });
});
