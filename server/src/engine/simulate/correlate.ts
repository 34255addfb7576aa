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
// `output_width: 32` layer can in principle go beyond 2^53, so `isExact` is checked before each layer
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

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/** Below this every partial sum is an exact double (see Exactness above). */
const EXACT_LIMIT = 2 ** 53;

/**
 * True when every partial sum of this correlation is provably exact. Kernels are Int32, so |w| ≤ 2^31; only when
 * that crude bound is not enough (long dot products, or inputs holding raw 32-bit values) are the kernels scanned
 * for their actual largest magnitude — a pass as long as the layer itself for a Linear layer.
 */
export function isExact(a: CorrelateArgs): boolean {
  const terms = (a.cin / a.groups) * a.kh * a.kw;
  const xMax = maxAbs(a.x);
  const biasPart = (a.bias ? maxAbs(a.bias) : 0) * a.biasScale;
  if (xMax * 2 ** 31 * terms + biasPart < EXACT_LIMIT) return true;
  return xMax * maxAbs(a.w) * terms + biasPart < EXACT_LIMIT;
}

/** About this many multiply-accumulates between yields: fine-grained enough to cancel, coarse enough to be free. */
const MACS_PER_YIELD = 1 << 18;

/**
 * Correlates; yields between output channels (after about MACS_PER_YIELD of work) so that a driver can report
 * progress or stop. Returns the raw accumulators O×ho×wo (bias included).
 */
export function* correlate(a: CorrelateArgs): Generator<void, Float64Array, void> {
  const acc = new Float64Array(a.cout * a.ho * a.wo);
  const perChannel = (a.cin / a.groups) * a.kh * a.kw * a.ho * a.wo;
  let since = 0;
  for (let o = 0; o < a.cout; o++) {
    correlateChannel(a, o, acc);
    since += perChannel;
    if (since >= MACS_PER_YIELD) {
      since = 0;
      yield;
    }
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

// Four independent sums hide the latency of the floating-point adds; every partial sum is an integer below 2^53,
// so the order of the additions does not change the result.
function dot(x: Float64Array, xBase: number, w: Int32Array, wBase: number, n: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  const n4 = n - (n % 4);
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += w[wBase + i] * x[xBase + i];
    s1 += w[wBase + i + 1] * x[xBase + i + 1];
    s2 += w[wBase + i + 2] * x[xBase + i + 2];
    s3 += w[wBase + i + 3] * x[xBase + i + 3];
  }
  for (; i < n; i++) s0 += w[wBase + i] * x[xBase + i];
  return s0 + s1 + s2 + s3;
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
  acc: Float64Array,
  aBase: number,
  x: Float64Array,
  xBase: number,
  inPlane: number,
  wp: number,
  w: Int32Array,
  wBase: number,
  cpg: number,
  ho: number,
  wo: number,
): void {
  for (let ci = 0; ci < cpg; ci++) {
    const k = wBase + ci * 9;
    const w0 = w[k],
      w1 = w[k + 1],
      w2 = w[k + 2],
      w3 = w[k + 3],
      w4 = w[k + 4];
    const w5 = w[k + 5],
      w6 = w[k + 6],
      w7 = w[k + 7],
      w8 = w[k + 8];
    if ((w0 | w1 | w2 | w3 | w4 | w5 | w6 | w7 | w8) === 0) continue;
    const xc = xBase + ci * inPlane;
    for (let i = 0; i < ho; i++) {
      const r0 = xc + i * wp;
      const r1 = r0 + wp;
      const r2 = r1 + wp;
      const as = aBase + i * wo;
      for (let j = 0; j < wo; j++) {
        acc[as + j] +=
          w0 * x[r0 + j] +
          w1 * x[r0 + j + 1] +
          w2 * x[r0 + j + 2] +
          w3 * x[r1 + j] +
          w4 * x[r1 + j + 1] +
          w5 * x[r1 + j + 2] +
          w6 * x[r2 + j] +
          w7 * x[r2 + j + 1] +
          w8 * x[r2 + j + 2];
      }
    }
  }
}

/** acc[o-plane] += Σ_c w·x for a 1×1 kernel over a whole unpadded plane, four input channels per pass. */
function accumulatePointwise(
  acc: Float64Array,
  aBase: number,
  plane: number,
  x: Float64Array,
  xBase: number,
  inPlane: number,
  w: Int32Array,
  wBase: number,
  cpg: number,
): void {
  let ci = 0;
  for (; ci + 4 <= cpg; ci += 4) {
    const w0 = w[wBase + ci],
      w1 = w[wBase + ci + 1],
      w2 = w[wBase + ci + 2],
      w3 = w[wBase + ci + 3];
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
