// The multiply-accumulate core shared by Conv2d, Linear, ConvTranspose2d (after zero-stuffing) and Conv1d
// (as a 1×L correlation): a plain correlation of an already padded input with O kernels of (Cin/g)×kh×kw.
//
// Exactness. izer accumulates in int64 with no wrap-around. We accumulate JavaScript numbers (IEEE doubles),
// which represent every integer below 2^53 exactly, so every partial sum is exact as long as
// Σ|w·x| + |128·bias| < 2^53. For 8-bit data the worst case is |x| ≤ 128, |w| ≤ 128, |bias| ≤ 128 and the
// longest dot product izer allows: a flattened Linear layer with 1024 channels × 256 pixels = 262,144 terms:
//   262,144 · 128 · 128 + 128 · 128 = 2^32 + 2^14  <  2^53.
// (It does exceed 2^31, so an int32 accumulator would not be safe for flatten; 3×3 convolutions stay below
// 1024 · 9 · 2^14 + 2^14 < 2^28 and would fit.) A layer that reads raw 32-bit accumulators of an earlier
// `output_width: 32` layer can in principle go beyond 2^53, so `exactnessBound` is checked before each layer
// and such a layer is refused rather than computed inexactly.
//
// Speed. Loop order o → c → tap → output row → output column, so the innermost loop is a scaled add of one
// input row into one accumulator row (contiguous, two offsets). The common 3×3 stride-1 kernel does all nine
// taps of an input channel in one pass over the accumulator row; 1×1 kernels over whole planes do four input
// channels per pass; rows known to be zero (ConvTranspose2d zero-stuffing) and zero weights are skipped; a 1×1
// output (Linear) is a plain dot product per output channel. The loops live in plain functions (V8 optimises
// them much better than loops inside a generator); the generator only yields between output channels.

export interface CorrelateArgs {
  /** Padded input, C×hp×wp. */
  x: Float64Array;
  cin: number;
  hp: number;
  wp: number;
  /** rowLive[r] = 0 when row r of every channel is known to be zero; null = all rows live. */
  rowLive: Uint8Array | null;
  /** Kernels, O × (Cin/g) × kh × kw in C order. */
  w: Int32Array;
  cout: number;
  groups: number;
  kh: number;
  kw: number;
  dh: number;
  dw: number;
  sh: number;
  sw: number;
  ho: number;
  wo: number;
  /** Integer bias per output channel (added ×biasScale) or null. */
  bias: Int32Array | null;
  biasScale: number;
}

/** Largest possible |accumulator| for this input and these kernels (used to prove exactness). */
export function exactnessBound(a: CorrelateArgs): number {
  let xMax = 0;
  for (let i = 0; i < a.x.length; i++) {
    const v = Math.abs(a.x[i]);
    if (v > xMax) xMax = v;
  }
  let wMax = 0;
  for (let i = 0; i < a.w.length; i++) {
    const v = Math.abs(a.w[i]);
    if (v > wMax) wMax = v;
  }
  let bMax = 0;
  if (a.bias) for (let i = 0; i < a.bias.length; i++) bMax = Math.max(bMax, Math.abs(a.bias[i]));
  return xMax * wMax * (a.cin / a.groups) * a.kh * a.kw + bMax * a.biasScale;
}

/**
 * Correlates; yields once per output channel so that a driver can report progress or stop.
 * Returns the raw accumulators O×ho×wo (bias included).
 */
export function* correlate(a: CorrelateArgs): Generator<void, Float64Array, void> {
  const acc = new Float64Array(a.cout * a.ho * a.wo);
  for (let o = 0; o < a.cout; o++) {
    correlateChannel(a, o, acc);
    yield;
  }
  return acc;
}

function correlateChannel(a: CorrelateArgs, o: number, acc: Float64Array): void {
  const { x, cin, hp, wp, rowLive, w, groups, kh, kw, dh, dw, sh, sw, ho, wo, bias, biasScale } = a;
  const cpg = cin / groups;
  const plane = ho * wo;
  const inPlane = hp * wp;
  const taps = kh * kw;
  const aBase = o * plane;
  const b = bias ? bias[o] * biasScale : 0;
  // izer's grouped kernels: output channel o reads input channels o·(Cin/g) … o·(Cin/g)+Cin/g−1.
  const c0 = groups > 1 ? o * cpg : 0;
  const wBaseO = o * cpg * taps;

  if (plane === 1) {
    acc[aBase] = b + (taps === 1 && inPlane === 1 ? dot(x, c0, w, wBaseO, cpg) : dotTaps(a, c0, wBaseO, cpg));
    return;
  }
  if (b !== 0) acc.fill(b, aBase, aBase + plane);
  if (kh === 3 && kw === 3 && sh === 1 && sw === 1 && dh === 1 && dw === 1 && rowLive === null) {
    accumulate3x3(acc, aBase, x, c0 * inPlane, inPlane, wp, w, wBaseO, cpg, ho, wo);
    return;
  }
  // Output rows are whole input rows (stride 1, kernel one column wide, no padding columns): one long run.
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && wo === wp && rowLive === null) {
    accumulatePointwise(acc, aBase, plane, x, c0 * inPlane, inPlane, w, wBaseO, cpg);
    return;
  }
  for (let ci = 0; ci < cpg; ci++) {
    const xc = (c0 + ci) * inPlane;
    const wc = wBaseO + ci * taps;
    for (let u = 0; u < kh; u++) {
      for (let v = 0; v < kw; v++) {
        const wv = w[wc + u * kw + v];
        if (wv === 0) continue;
        for (let i = 0; i < ho; i++) {
          const r = i * sh + u * dh;
          if (rowLive !== null && rowLive[r] === 0) continue;
          const xs = xc + r * wp + v * dw;
          const as = aBase + i * wo;
          if (sw === 1) {
            for (let j = 0; j < wo; j++) acc[as + j] += wv * x[xs + j];
          } else {
            for (let j = 0; j < wo; j++) acc[as + j] += wv * x[xs + j * sw];
          }
        }
      }
    }
  }
}

function dot(x: Float64Array, xBase: number, w: Int32Array, wBase: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += w[wBase + i] * x[xBase + i];
  return s;
}

/** One output pixel (the plane is 1×1) of a kernel with several taps. */
function dotTaps(a: CorrelateArgs, c0: number, wBaseO: number, cpg: number): number {
  const { x, hp, wp, w, kh, kw, dh, dw } = a;
  const inPlane = hp * wp;
  const taps = kh * kw;
  let s = 0;
  for (let ci = 0; ci < cpg; ci++) {
    const xc = (c0 + ci) * inPlane;
    const wc = wBaseO + ci * taps;
    for (let u = 0; u < kh; u++) {
      const xr = xc + u * dh * wp;
      const wr = wc + u * kw;
      for (let v = 0; v < kw; v++) s += w[wr + v] * x[xr + v * dw];
    }
  }
  return s;
}

/** acc[o-plane] += Σ_c Σ_taps w·x for a 3×3 stride-1 kernel: one read-modify-write of acc per 9 products. */
function accumulate3x3(
  acc: Float64Array, aBase: number, x: Float64Array, xBase: number, inPlane: number, wp: number,
  w: Int32Array, wBase: number, cpg: number, ho: number, wo: number,
): void {
  for (let ci = 0; ci < cpg; ci++) {
    const k = wBase + ci * 9;
    const w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3], w4 = w[k + 4];
    const w5 = w[k + 5], w6 = w[k + 6], w7 = w[k + 7], w8 = w[k + 8];
    if ((w0 | w1 | w2 | w3 | w4 | w5 | w6 | w7 | w8) === 0) continue;
    const xc = xBase + ci * inPlane;
    for (let i = 0; i < ho; i++) {
      const r0 = xc + i * wp;
      const r1 = r0 + wp;
      const r2 = r1 + wp;
      const as = aBase + i * wo;
      for (let j = 0; j < wo; j++) {
        acc[as + j] +=
          w0 * x[r0 + j] + w1 * x[r0 + j + 1] + w2 * x[r0 + j + 2] +
          w3 * x[r1 + j] + w4 * x[r1 + j + 1] + w5 * x[r1 + j + 2] +
          w6 * x[r2 + j] + w7 * x[r2 + j + 1] + w8 * x[r2 + j + 2];
      }
    }
  }
}

/** acc[o-plane] += Σ_c w·x for a 1×1 kernel over a whole unpadded plane, four input channels per pass. */
function accumulatePointwise(
  acc: Float64Array, aBase: number, plane: number, x: Float64Array, xBase: number, inPlane: number,
  w: Int32Array, wBase: number, cpg: number,
): void {
  let ci = 0;
  for (; ci + 4 <= cpg; ci += 4) {
    const w0 = w[wBase + ci], w1 = w[wBase + ci + 1], w2 = w[wBase + ci + 2], w3 = w[wBase + ci + 3];
    const x0 = xBase + ci * inPlane;
    const x1 = x0 + inPlane;
    const x2 = x1 + inPlane;
    const x3 = x2 + inPlane;
    for (let j = 0; j < plane; j++) {
      acc[aBase + j] += w0 * x[x0 + j] + w1 * x[x1 + j] + w2 * x[x2 + j] + w3 * x[x3 + j];
    }
  }
  for (; ci < cpg; ci++) {
    const w0 = w[wBase + ci];
    if (w0 === 0) continue;
    const x0 = xBase + ci * inPlane;
    for (let j = 0; j < plane; j++) acc[aBase + j] += w0 * x[x0 + j];
  }
}
