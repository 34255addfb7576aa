// How quantize.py picks the scale of a layer's weights. Without `--clip-method` (the default, for checkpoints from
// quantization-aware training) the scale is a power of two found from the largest weights and biases, and the same
// power is the layer's output shift; with a clip method the weights are multiplied by 2^(bits−1) times a statistic
// of their values (or a constant).
import { FloatDType, clamp, floorLog2, rounding, torchMax, torchMean, torchMin, torchQuantile, torchStd } from './torchArithmetic';

export type ClipMethod = 'AVGMAX' | 'MAX' | 'STDDEV' | 'SCALE';

export const CLIP_METHODS: readonly ClipMethod[] = ['AVGMAX', 'MAX', 'STDDEV', 'SCALE'];

/** quantize.py's defaults for `--scale` and `--stddev` when the method needs them and none is given. */
export const DEFAULT_SCALE = 0.85;
export const DEFAULT_STDDEV = 2.0;

/**
 * The power of two a QAT layer's weights (and bias) are scaled by: 2^floor(log2(1 / quantile(|w|, q))), with the
 * exponent kept within [−7 − bits, 23 − bits]. Returns the exponent; the output shift is its negation.
 */
export function maxBitShift(params: ArrayLike<number>, bits: number, quantile: number, dtype: FloatDType): number {
  const round = rounding(dtype);
  const magnitudes = new Float64Array(params.length);
  for (let i = 0; i < params.length; i++) magnitudes[i] = Math.abs(params[i]);
  // 1 / x is computed as torch's reciprocal, in the tensor's precision.
  const scale = round(1 / torchQuantile(magnitudes, quantile, dtype));
  return clamp(floorLog2(scale, dtype), -7 - bits, 23 - bits);
}

/** max(|min|, |max|) of the weights. */
export function maxAbs(w: ArrayLike<number>): number {
  return Math.max(Math.abs(torchMin(w)), Math.abs(torchMax(w)));
}

/**
 * AVGMAX: the larger of |mean of each output channel's minimum| and |mean of each output channel's maximum|
 * (the weights seen as `shape[0]` rows).
 */
export function averageMax(w: ArrayLike<number>, rows: number, dtype: FloatDType): number {
  const cols = rows > 0 ? w.length / rows : 0;
  const mins = new Float64Array(rows);
  const maxs = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = r * cols; i < (r + 1) * cols; i++) {
      const v = w[i];
      lo = v < lo || Number.isNaN(v) ? v : lo;
      hi = v > hi || Number.isNaN(v) ? v : hi;
    }
    mins[r] = lo;
    maxs[r] = hi;
  }
  return Math.max(Math.abs(torchMean(mins, dtype)), Math.abs(torchMean(maxs, dtype)));
}

/** STDDEV: the mean ± n standard deviations, kept within the weights' range, the larger in magnitude. */
export function meanStddevsMaxAbs(w: ArrayLike<number>, nStds: number, dtype: FloatDType): number {
  const round = rounding(dtype);
  const mean = torchMean(w, dtype);
  const spread = round(round(nStds) * torchStd(w, dtype));
  const low = Math.max(torchMin(w), round(mean - spread));
  const high = Math.min(torchMax(w), round(mean + spread));
  return Math.max(Math.abs(low), Math.abs(high));
}
