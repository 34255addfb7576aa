// Inputs for a simulation besides a sample file: a seeded random input of a given shape (the same seed gives the
// same values everywhere). The shape and seed a user types are read by shared/inputShape.ts.
import type { SampleInput } from '../sample/npy';
import { inputShapeProblem } from '../../shared/inputShape';
import type { CheckResult } from '../check';
import { popcount } from '../model/processorMask';

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

/** Square sizes tried for a 2-D input, most common first (izer's sample inputs and the shipped datasets). */
const SIZES = [32, 28, 16, 64, 96, 128, 8, 48, 80, 112, 160, 224, 256, 352, 24, 40, 56, 20, 12, 4];
/** Lengths tried for a 1-D (Conv1d) input. */
const LENGTHS = [128, 64, 256, 512, 32, 16, 1024];

/**
 * A shape to offer for a random input when the network has no sample: the first layer's input channels (from the
 * checkpoint, else one per enabled processor) and its `in_dim` when given; otherwise the first common size for
 * which `fits` says the network checks without errors (the checkpoint's flattened layers pin the size), else
 * 32×32 (Conv1d: a length of 128).
 */
export function suggestedInputShape(result: CheckResult, fits?: (shape: number[]) => boolean): number[] | null {
  const s = result.analysis?.state;
  const first = s && s.order.length ? s.order[0] : 0;
  const layer = result.model.layers[first];
  if (!layer || layer.processors === null) return null;
  const operands = Math.max(1, layer.operands);
  const perOperand = s?.channelsKnown && s.inputChannels[first] > 0 ? s.inputChannels[first] : popcount(layer.processors);
  const c = perOperand * operands;
  const conv1d = layer.op === 'conv1d';
  if (layer.inDim) return conv1d ? [c, layer.inDim[0]] : [c, layer.inDim[0], layer.inDim[1]];
  const candidates = conv1d ? LENGTHS.map((l) => [c, l]) : SIZES.map((n) => [c, n, n]);
  if (fits && s?.channelsKnown) {
    for (const shape of candidates) if (fits(shape)) return shape;
  }
  return candidates[0];
}
