// Inputs for a simulation besides a sample file: a seeded random input of a given shape (the same seed gives the
// same values everywhere). The shape and seed a user types are read by shared/inputShape.ts.
import type { SampleInput } from '../sample/npy';
import { inputShapeProblem } from '../../shared/inputShape';

/** Uniform integers in [−128, 127] (the range of izer's sample data) from a 32-bit seed (mulberry32). */
export function randomSampleInput(shape: readonly number[], seed: number): SampleInput {
  const problem = inputShapeProblem(shape);
  if (problem) throw new Error(problem);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  let a = seed >>> 0;
  let min = 127;
  let max = -128;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const v = (((t ^ (t >>> 14)) >>> 0) >>> 24) - 128;
    values[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { shape: [...shape], dtype: 'int64', values, min, max };
}
