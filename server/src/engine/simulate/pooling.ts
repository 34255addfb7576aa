// In-flight pooling before the operator (izer-compute §2.6). Pool windows never pad; the pooled size per
// dimension is izer's (N + s − p − d + 1) // s.
import { SimulationError, SIM } from './simulationError';
import { Tensor3, tensor3 } from './tensor';

export interface PoolSpec {
  pool: [number, number];
  stride: [number, number];
  dilation: [number, number];
  average: boolean;
  /** --avg-pool-rounding (2-D only). */
  rounding: boolean;
}

/** izer's pooled-size formula for one dimension (Python floor division). */
export function pooledSize(n: number, p: number, s: number, d: number): number {
  return Math.floor((n + s - p - d + 1) / s);
}

/**
 * 2-D pooling of one operand (every operator except Conv1d, including passthrough on C×L×1 data).
 * A 1×1 pool is plain subsampling x[:, ::sH, ::sW] (size ceil(N/s)).
 */
export function pool2d(x: Tensor3, spec: PoolSpec, layer: number): Tensor3 {
  const [ph, pw] = spec.pool;
  const [sh, sw] = spec.stride;
  const [dh, dw] = spec.dilation;
  if (ph <= 1 && pw <= 1) return subsample(x, sh, sw);

  const oh = pooledSize(x.h, ph, sh, dh);
  const ow = pooledSize(x.w, pw, sw, dw);
  if (oh < 1 || ow < 1) {
    throw new SimulationError(SIM.badInput, `Layer ${layer}: a ${ph}x${pw} pool with stride ${sh} does not fit the ${x.h}x${x.w} input.`, layer);
  }
  // izer's window view runs past the end of the channel when pool ≥ 3 and dilation ≥ 2 (it then reads the next
  // channel or undefined memory); that result cannot be reproduced, so it is refused.
  if ((oh - 1) * sh + (ph - 1) * dh > x.h - 1 || (ow - 1) * sw + (pw - 1) * dw > x.w - 1) {
    throw new SimulationError(
      SIM.unsupported,
      `Layer ${layer}: pooling ${ph}x${pw} with dilation ${dh}x${dw} on ${x.h}x${x.w} data makes izer read past the ` +
        'end of each channel; its known answer for this layer is undefined. Use a pool of 2 or less, or dilation 1.',
      layer,
    );
  }
  const out = tensor3(x.c, oh, ow);
  const n = ph * pw;
  const src = x.data;
  const dst = out.data;
  const inPlane = x.h * x.w;
  let k = 0;
  for (let c = 0; c < x.c; c++) {
    const base = c * inPlane;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const first = base + i * sh * x.w + j * sw;
        if (spec.average) {
          let s = 0;
          for (let a = 0; a < ph; a++) {
            const row = first + a * dh * x.w;
            for (let b = 0; b < pw; b++) s += src[row + b * dw];
          }
          dst[k++] = spec.rounding ? roundHalfAway(s, n) : truncDiv(s, n);
        } else {
          let m = -Infinity;
          for (let a = 0; a < ph; a++) {
            const row = first + a * dh * x.w;
            for (let b = 0; b < pw; b++) {
              const v = src[row + b * dw];
              if (v > m) m = v;
            }
          }
          dst[k++] = m;
        }
      }
    }
  }
  return out;
}

/**
 * 1-D pooling (Conv1d layers; data C×L×1). Max ignores pool dilation (izer quirk); average honours it, always
 * truncates toward zero (--avg-pool-rounding is ignored in 1-D) and averages only the window elements that lie
 * inside the data (numpy slicing stops at the end), then clips to [−128, 127].
 */
export function pool1d(x: Tensor3, p: number, s: number, d: number, average: boolean, layer: number): Tensor3 {
  const len = x.h;
  if (p <= 1) return subsample(x, s, 1);
  const ol = pooledSize(len, p, s, d);
  if (ol < 1) {
    throw new SimulationError(SIM.badInput, `Layer ${layer}: a pool of ${p} with stride ${s} does not fit length ${len}.`, layer);
  }
  const out = tensor3(x.c, ol, 1);
  const src = x.data;
  const dst = out.data;
  for (let c = 0; c < x.c; c++) {
    const base = c * len;
    for (let t = 0; t < ol; t++) {
      const start = t * s;
      if (average) {
        let sum = 0;
        let m = 0;
        for (let a = 0; a < p && start + a * d < len; a++, m++) sum += src[base + start + a * d];
        const v = truncDiv(sum, m);
        dst[c * ol + t] = v < -128 ? -128 : v > 127 ? 127 : v;
      } else {
        let mx = -Infinity;
        for (let a = 0; a < p; a++) {
          const v = src[base + start + a];
          if (v > mx) mx = v;
        }
        dst[c * ol + t] = mx;
      }
    }
  }
  return out;
}

/** x[:, ::sh, ::sw] */
function subsample(x: Tensor3, sh: number, sw: number): Tensor3 {
  if (sh === 1 && sw === 1) return x;
  const oh = Math.ceil(x.h / sh);
  const ow = Math.ceil(x.w / sw);
  const out = tensor3(x.c, oh, ow);
  let k = 0;
  for (let c = 0; c < x.c; c++) {
    for (let i = 0; i < oh; i++) {
      const row = (c * x.h + i * sh) * x.w;
      for (let j = 0; j < ow; j++) out.data[k++] = x.data[row + j * sw];
    }
  }
  return out;
}

/**
 * Average with truncation toward zero — izer's default ("floor") mode: an int64 mean whose float result is cast
 * back to int64. |S| < 2^53 and n ≤ 256, so the double quotient truncates to the exact integer quotient.
 */
export function truncDiv(s: number, n: number): number {
  return Math.trunc(s / n) + 0; // + 0 turns −0 into 0
}

/** --avg-pool-rounding: half away from zero, then clip to [−128, 127]. */
export function roundHalfAway(s: number, n: number): number {
  const v = s >= 0 ? Math.floor((2 * s + n) / (2 * n)) : -Math.floor((-2 * s + n) / (2 * n));
  return v < -128 ? -128 : v > 127 ? 127 : v + 0;
}
