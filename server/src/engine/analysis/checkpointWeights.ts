// checkpoint.load's view of one weight tensor: its values as integers (numpy's astype(int64) truncates), its rank,
// its quantization (the YAML's, else detected from `weight_bits`), and the kernel izer stores (ConvTranspose2d
// weights flipped and swapped). Rules #69–#73, and AX201–AX203 where izer stops with an exception or assertion.
// The checks need only the values' range and the kernels' shapes, so the kernel arrays are built when something
// first reads them (the kernel map, the simulator); a check never does.
import type { Device } from '../device/devices';
import type { IzerFlags } from '../izerFlags';
import type { PyObject, Tensor } from '../checkpoint/types';
import { elementCount, scanValues } from '../checkpoint/types';
import type { KernelRange, KernelTensor } from './networkPlan';
import { CheckpointFindings, MatchedWeight, isTensor, keyRange, layerAnchor } from './checkpointCommon';

/** What the checks need to know about a weight tensor's values; a pure function of the tensor. */
export interface WeightFacts {
  /** The range of the values truncated toward zero (numpy's astype(int64)). */
  wMin: number;
  wMax: number;
  /** Every truncated value is −1 or +1 (binary weights). */
  binary: boolean;
  allZero: boolean;
  nonInteger: boolean;
  /** The sum of the truncated values (NaN when one is NaN). */
  sum: number;
  /** The stored kernels, shared by every check of the same checkpoint (never mutated). */
  stored: { plain?: KernelTensor; flipped?: KernelTensor };
}

// Per-tensor results are pure functions of the tensor, so repeated checks of a cached checkpoint reuse them.
const factsCache = new WeakMap<Tensor, WeightFacts>();

/** One pass over the weights: everything the checks ask about their values. */
export function weightFacts(t: Tensor): WeightFacts {
  const hit = factsCache.get(t);
  if (hit) return hit;
  const raw = scanValues(t);
  let wMin = Infinity;
  let wMax = -Infinity;
  let nonInteger = false;
  let sum = 0;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i];
    const v = Math.trunc(r);
    if (v < wMin) wMin = v;
    if (v > wMax) wMax = v;
    sum += v;
    if (r !== v) nonInteger = true;
  }
  // A NaN is skipped by the range and counts as not zero (the sum, NaN then, tells); binary weights are judged on
  // the other values.
  const allZero = raw.length === 0 || (!Number.isNaN(sum) && wMin === 0 && wMax === 0);
  const binary = wMin <= wMax && wMin >= -1 && wMax <= 1 && !truncatesToZero(raw);
  const facts: WeightFacts = { wMin, wMax, binary, allZero, nonInteger, sum, stored: {} };
  factsCache.set(t, facts);
  return facts;
}

/** Whether a value truncates to zero (asked only of weights between −1 and 1, to tell binary weights). */
function truncatesToZero(raw: ArrayLike<number>): boolean {
  for (let i = 0; i < raw.length; i++) if (Math.trunc(raw[i]) === 0) return true;
  return false;
}

/** Rule #69 (all zero) and AX202 (not integers): warnings, izer goes on. */
export function checkWeightValues(m: MatchedWeight, facts: WeightFacts, findings: CheckpointFindings): void {
  const { key, layer: L, label } = m;
  if (facts.allZero) findings.warn(69, layerAnchor(L), L, `Every weight of \`${key}\` (${label}) is zero.`);
  if (facts.nonInteger) {
    findings.warn(
      'AX202',
      layerAnchor(L),
      L,
      `The weights of \`${key}\` (${label}) are not integers; izer truncates them toward zero. Is this a quantized checkpoint (the output of quantize.py)?`,
    );
  }
}

/**
 * Rules #70 and #71: izer takes only 2-D to 4-D weights. 'skip' for a BatchNorm weight under --ignore-bn (izer
 * passes over it without using up a layer), 'stop' where izer stops.
 */
export function checkWeightRank(m: MatchedWeight, shape: number[], flags: IzerFlags, findings: CheckpointFindings): 'ok' | 'skip' | 'stop' {
  const { key, layer: L, label } = m;
  if (shape.length === 1) {
    if (m.thisOp === 'bn') {
      if (flags.ignoreBn) {
        findings.warn(70, layerAnchor(L), L, `\`${key}\` is a BatchNorm weight (1-D, shape [${shape.join(', ')}]); with --ignore-bn izer skips it.`);
        return 'skip';
      }
      findings.error(
        70,
        layerAnchor(L),
        L,
        `\`${key}\` is a BatchNorm weight (1-D, shape [${shape.join(', ')}]); fold BatchNorm into the convolutions before izer (or pass --ignore-bn).`,
      );
    } else {
      findings.error(
        71,
        layerAnchor(L),
        L,
        `\`${key}\` is a 1-D weight tensor (shape [${shape.join(', ')}]) matched to ${label}; izer needs Linear, Conv1d or Conv2d weights.`,
      );
    }
    return 'stop';
  }
  if (shape.length === 0) {
    findings.error('AX201', layerAnchor(L), L, `\`${key}\` is a scalar, not a weight tensor; izer stops with a Python exception.`);
    return 'stop';
  }
  return 'ok';
}

/** `<layer>.weight_bits` (8 when absent); null where izer stops with an exception (reported). */
export function readWeightBits(m: MatchedWeight, state: ReadonlyMap<string, Tensor | PyObject>, findings: CheckpointFindings): number | null {
  const wbEntry = state.get(m.layerName + '.weight_bits');
  if (wbEntry === undefined) return 8;
  if (!isTensor(wbEntry) || wbEntry.values.length === 0) {
    findings.error('AX201', layerAnchor(m.layer), m.layer, `\`${m.layerName}.weight_bits\` is not a tensor with a value; izer stops with a Python exception.`);
    return null;
  }
  return Math.trunc(wbEntry.values[0]);
}

/**
 * The layer's quantization: the YAML's (rule #72: the weights must fit it) or detected (binary, 1 bit when all zero,
 * else `weight_bits`; rule #73: at most 8), with 0 meaning 8. AX203 when the weights exceed it (izer's assertion
 * comes later, in its layer traversal). Null where izer stops here (reported).
 */
export function layerQuantization(
  m: MatchedWeight,
  facts: WeightFacts,
  yamlQuantization: number | null,
  weightBits: number,
  device: Device,
  findings: CheckpointFindings,
): number | null {
  const { key, layer: L, label } = m;
  const { wMin, wMax, binary } = facts;
  let q = yamlQuantization;
  if (q !== null) {
    const fits = q === -1 ? binary : wMin >= -(2 ** (q - 1)) && wMax < 2 ** (q - 1);
    if (!fits) {
      findings.error(
        72,
        keyRange(L, 'quantization', layerAnchor(L)),
        L,
        q === -1
          ? `\`quantization: binary\` needs every weight of \`${key}\` to be −1 or +1, but they range from ${wMin} to ${wMax}; izer stops with an assertion.`
          : `The weights of \`${key}\` range from ${wMin} to ${wMax}, which does not fit \`quantization: ${q}\` (${-(2 ** (q - 1))} … ${2 ** (q - 1) - 1}); izer stops with an assertion.`,
      );
      return null;
    }
  } else {
    if (device.features.binaryWeights && binary) q = -1;
    else if (facts.allZero) q = 1;
    else q = weightBits;
    if (q > 8) {
      findings.error(
        73,
        layerAnchor(L),
        L,
        `\`${m.layerName}.weight_bits\` in the checkpoint is ${q}; izer supports at most 8-bit weights and stops with an assertion.`,
      );
      return null;
    }
  }
  if (q === 0) q = 8;
  if (q !== -1 && q > 0 && (wMin < -(2 ** (q - 1)) || wMax > 2 ** (q - 1) - 1)) {
    findings.error(
      'AX203',
      layerAnchor(L),
      L,
      `The weights of \`${key}\` range from ${wMin} to ${wMax}, beyond ${q}-bit (${-(2 ** (q - 1))} … ${2 ** (q - 1) - 1}); izer stops with an assertion when it reaches ${label}.`,
    );
  }
  return q;
}

/**
 * The dimensions of the weights in izer's orientation: as stored, or for ConvTranspose2d with the first two swapped
 * (flipping needs 4 dimensions; null, reported, where izer stops with an exception).
 */
export function orientedDims(m: MatchedWeight, shape: number[], findings: CheckpointFindings): number[] | null {
  if (m.layer.op !== 'convtranspose2d') return shape;
  if (shape.length < 4) {
    findings.error(
      'AX201',
      layerAnchor(m.layer),
      m.layer,
      `${m.label} is a ConvTranspose2d layer, but \`${m.key}\` has only ${shape.length} dimensions; izer stops with a Python exception.`,
    );
    return null;
  }
  return [shape[1], shape[0], ...shape.slice(2)];
}

/**
 * The kernel izer keeps: Linear [1, out, in], else [out·in, …kernel], in izer's orientation (`dims`); shared across
 * checks of the same tensor. Its values are the weights truncated toward zero as Int32 (a value beyond 32 bits
 * wraps; #72, #73 and AX203 report those from the range), built when first read.
 */
export function storedKernel(m: MatchedWeight, t: Tensor, facts: WeightFacts, dims: number[]): KernelTensor {
  const flip = m.layer.op === 'convtranspose2d';
  const stored = facts.stored[flip ? 'flipped' : 'plain'];
  if (stored) return stored;
  const shape = t.shape.length === 2 ? [1, dims[0], dims[1]] : [dims[0] * dims[1], ...dims.slice(2)];
  // Flipping keeps the values, so the range is the truncated values' range unless one wrapped.
  const count = elementCount(t);
  const range = count && facts.wMin >= -(2 ** 31) && facts.wMax < 2 ** 31 ? { min: facts.wMin, max: facts.wMax, binary: facts.binary } : undefined;
  // Below 2^22 values of at most 2^31 every partial sum is exact, so equal kernels have equal sums in any order.
  const sum = range && count < 2 ** 22 && Number.isFinite(facts.sum) ? facts.sum : undefined;
  const kernel = lazyKernel(shape, range, sum, () => {
    // Int32Array's conversion truncates toward zero and wraps, as the loop over Math.trunc would.
    const ints = new Int32Array(count);
    ints.set(scanValues(t));
    return flip ? flipSwap(ints, t.shape) : ints;
  });
  facts.stored[flip ? 'flipped' : 'plain'] = kernel;
  return kernel;
}

/** A kernel whose `data` is built on first read and then kept. */
function lazyKernel(shape: number[], range: KernelRange | undefined, sum: number | undefined, build: () => Int32Array): KernelTensor {
  const kernel: Partial<KernelTensor> = { shape };
  if (range) kernel.range = range;
  if (sum !== undefined) kernel.sum = sum;
  const settle = (data: Int32Array) => Object.defineProperty(kernel, 'data', { value: data, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(kernel, 'data', {
    configurable: true,
    enumerable: true,
    get: () => {
      const data = build();
      settle(data);
      return data;
    },
    set: settle,
  });
  return kernel as KernelTensor;
}

/** ConvTranspose2d: np.flip(w, axis=(2, 3)).swapaxes(0, 1). */
function flipSwap(w: Int32Array, shape: number[]): Int32Array {
  const [A, B, H, W] = shape;
  const R = shape.slice(4).reduce((x, y) => x * y, 1);
  const out = new Int32Array(w.length);
  for (let i = 0; i < A; i++)
    for (let j = 0; j < B; j++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const src = (((i * B + j) * H + (H - 1 - y)) * W + (W - 1 - x)) * R;
          const dst = (((j * A + i) * H + y) * W + x) * R;
          for (let r = 0; r < R; r++) out[dst + r] = w[src + r];
        }
  return out;
}
