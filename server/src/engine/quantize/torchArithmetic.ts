// The few tensor operations quantize.py uses, computed as PyTorch computes them on the CPU, so that a quantized
// weight comes out bit for bit the same: every float32 operation is rounded to float32 where torch rounds it, and the
// reductions add in torch's order. Only float32 and float64 tensors are quantized (torch.quantile takes no other).

export type FloatDType = 'float32' | 'float64';

/** One arithmetic result rounded to the tensor's precision. */
export type Round = (x: number) => number;

const identity: Round = (x) => x;

export function rounding(dtype: FloatDType): Round {
  return dtype === 'float32' ? Math.fround : identity;
}

/**
 * Lanes of torch's vectorized sum: its CPU kernels run 256-bit vectors (AVX2, what torch picks on x86 machines with
 * or without AVX-512), so 8 float32 or 4 float64 values are summed side by side.
 */
function vectorLanes(dtype: FloatDType): number {
  return dtype === 'float32' ? 8 : 4;
}

/** ceil(log2(x)) as ATen's CeilLog2 gives it (1 for x ≤ 2). */
function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return Math.ceil(Math.log2(x));
}

/**
 * ATen's multi_row_sum: `rows` interleaved partial sums of `size` steps, step i adding `load(i, k)` to row k, in a
 * four-level cascade (each level collects 2^levelPower of the level below) so that long sums lose little precision.
 */
function cascadeSum(size: number, rows: number, load: (i: number, k: number) => number, round: Round): number[] {
  const levels = 4;
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / levels));
  const levelStep = 2 ** levelPower;
  const levelMask = levelStep - 1;
  const acc: number[][] = Array.from({ length: levels }, () => new Array<number>(rows).fill(0));
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) for (let k = 0; k < rows; k++) acc[0][k] = round(acc[0][k] + load(i, k));
    for (let j = 1; j < levels; j++) {
      for (let k = 0; k < rows; k++) {
        acc[j][k] = round(acc[j][k] + acc[j - 1][k]);
        acc[j - 1][k] = 0;
      }
      if ((i & (levelMask * 2 ** (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) for (let k = 0; k < rows; k++) acc[0][k] = round(acc[0][k] + load(i, k));
  for (let j = 1; j < levels; j++) for (let k = 0; k < rows; k++) acc[0][k] = round(acc[0][k] + acc[j][k]);
  return acc[0];
}

/** ATen's row_sum: four interleaved cascades (for instruction-level parallelism), the leftover, then the four added. */
function rowSum(size: number, load: (i: number) => number, round: Round): number {
  const ilp = 4;
  const sizeIlp = Math.floor(size / ilp);
  const partial = cascadeSum(sizeIlp, ilp, (i, k) => load(i * ilp + k), round);
  for (let i = sizeIlp * ilp; i < size; i++) partial[0] = round(partial[0] + load(i));
  for (let k = 1; k < ilp; k++) partial[0] = round(partial[0] + partial[k]);
  return partial[0];
}

/**
 * `t.sum()` of a contiguous tensor as torch computes it on one thread. With at least one vector's worth of elements
 * it sums whole vectors lane by lane (each lane is a row_sum of its own elements, since vector additions keep the
 * lanes apart), then adds the leftover elements and then the lanes one by one; otherwise one scalar row_sum. (With
 * several threads torch splits tensors of 32,768 or more elements between them, and quantize.py's own result then
 * depends on the machine.)
 */
export function torchSum(values: ArrayLike<number>, dtype: FloatDType): number {
  const round = rounding(dtype);
  const n = values.length;
  const lanes = vectorLanes(dtype);
  if (n < lanes) return rowSum(n, (i) => values[i], round);
  const vectors = Math.floor(n / lanes);
  let total = 0;
  for (let k = vectors * lanes; k < n; k++) total = round(total + values[k]);
  for (let l = 0; l < lanes; l++) total = round(total + rowSum(vectors, (i) => values[i * lanes + l], round));
  return total;
}

/** `t.mean()`: the sum divided by the count, in the tensor's precision. */
export function torchMean(values: ArrayLike<number>, dtype: FloatDType): number {
  return rounding(dtype)(torchSum(values, dtype) / values.length);
}

/** `t.std()` (unbiased): torch sums the squared distances from the (float32) mean in float64, then rounds. */
export function torchStd(values: ArrayLike<number>, dtype: FloatDType): number {
  const mean = torchMean(values, dtype);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mean;
    sum += d * d;
  }
  return rounding(dtype)(Math.sqrt(sum / Math.max(0, values.length - 1)));
}

export function torchMin(values: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return NaN;
    if (v < m) m = v;
  }
  return m;
}

export function torchMax(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/**
 * a·b + c rounded once, as a fused multiply-add does (torch's CPU kernels are built with FMA, and the compiler fuses
 * the multiply and add of lerp). float32: the product is exact in float64, and the only double rounding that could
 * go wrong, a float64 sum landing on a float32 halfway point, is settled by the sum's exact remainder. float64: the
 * product is split exactly (Dekker) and the parts added in double-double.
 */
export function fusedMultiplyAdd(a: number, b: number, c: number, dtype: FloatDType): number {
  if (dtype === 'float32') {
    const p = a * b;
    const s = p + c;
    const err = twoSumError(p, c, s);
    const r = Math.fround(s);
    if (err === 0 || !Number.isFinite(s)) return r;
    const other = r < s ? nextFloat32Up(r) : nextFloat32Down(r);
    // s exactly halfway between two float32s: the exact value is on the side of the remainder.
    if (Math.abs(other - s) === Math.abs(r - s)) return err > 0 === other > r ? other : r;
    return r;
  }
  const [ph, pl] = twoProduct(a, b);
  const s = ph + c;
  return s + (twoSumError(ph, c, s) + pl);
}

/** The exact error of s = a + b (Knuth's TwoSum). */
function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

const SPLITTER = 2 ** 27 + 1;

/** a·b as an exact sum of two doubles (Dekker's product with Veltkamp's split). */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  if (!Number.isFinite(p)) return [p, 0];
  const split = (x: number): [number, number] => {
    const c = SPLITTER * x;
    const hi = c - (c - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function nextFloat32Up(x: number): number {
  if (x === 0) return 2 ** -149;
  F32[0] = x;
  U32[0] += x > 0 ? 1 : -1;
  return F32[0];
}

function nextFloat32Down(x: number): number {
  return -nextFloat32Up(-x);
}

/** torch.lerp(start, end, weight) as ATen writes it (from the nearer end, for better rounding), fused. */
function lerp(start: number, end: number, weight: number, dtype: FloatDType): number {
  const round = rounding(dtype);
  const diff = round(end - start);
  return Math.abs(weight) < 0.5 ? fusedMultiplyAdd(weight, diff, start, dtype) : fusedMultiplyAdd(-diff, round(1 - weight), end, dtype);
}

/**
 * `torch.quantile(t, q)` with linear interpolation: the values of rank q·(n−1) rounded down and up in sorted order,
 * interpolated by its fraction. Torch sorts; finding the two order statistics gives the same values in linear time.
 */
export function torchQuantile(values: ArrayLike<number>, q: number, dtype: FloatDType): number {
  const round = rounding(dtype);
  const n = values.length;
  const a = Float64Array.from(values);
  for (let i = 0; i < n; i++) if (Number.isNaN(a[i])) return NaN;
  // q becomes a tensor of the input's dtype first.
  const rank = round(round(q) * (n - 1));
  const below = Math.trunc(rank);
  const above = Math.ceil(rank);
  const low = select(a, below);
  let high = low;
  if (above !== below) {
    high = Infinity;
    for (let i = below + 1; i < n; i++) if (a[i] < high) high = a[i];
  }
  return lerp(low, high, round(rank - below), dtype);
}

/** The k-th smallest value (0-based); afterwards a[k] holds it, smaller values before it and larger ones after. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot, moved to hi.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[mid] < a[hi]) swap(a, mid, hi);
    const pivot = a[hi];
    let store = lo;
    for (let i = lo; i < hi; i++) {
      if (a[i] < pivot) swap(a, i, store++);
    }
    swap(a, store, hi);
    if (store === k) return a[k];
    if (store < k) lo = store + 1;
    else hi = store - 1;
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** floor(log2(x)) of a value of the tensor's precision, as torch.log2 then floor give it (log2 rounded first). */
export function floorLog2(x: number, dtype: FloatDType): number {
  return Math.floor(rounding(dtype)(Math.log2(x)));
}

/** torch.clamp: max(x, lo) then min with hi (so hi wins when lo > hi); NaN stays NaN. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}
