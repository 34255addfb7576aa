// A training checkpoint → the quantized checkpoint izer reads, as ai8x-synthesis' quantize.py makes it: the weights
// of every `<layer>.<operation>.weight` become integers of the layer's bit width, biases integers scaled for the
// hardware, and `weight_bits`, `bias_bits`, `output_shift`, `adjust_output_shift` and `quantize_activation` are set.
// Everything else in the checkpoint is kept. Where quantize.py would stop with a Python error, this stops with a
// QuantizeError that names the state_dict key and says why.
import type { PyObject, Tensor, TorchCheckpoint } from '../checkpoint/types';
import { scanValues } from '../checkpoint/types';
import { contiguousStrides } from '../checkpoint/elementDecode';
import { averageMax, ClipMethod, DEFAULT_SCALE, DEFAULT_STDDEV, maxAbs, maxBitShift, meanStddevsMaxAbs } from './clipMethods';
import type { ConfigBits } from './configBits';
import { floatRepr } from './floatRepr';
import { firstNonData } from './plainData';
import { quantizationState } from './quantizationState';
import { clamp, FloatDType, rounding, torchMean } from './torchArithmetic';

export interface QuantizeOptions {
  /** `--clip-method`; null: the QAT way (MAX_BIT_SHIFT). */
  clipMethod: ClipMethod | null;
  /** `--qat-weight-bits`: the bits of layers whose checkpoint gives none. */
  qatWeightBits: number | null;
  /** `--scale` (SCALE) and `--stddev` (STDDEV); quantize.py's defaults stand in for a missing or zero value. */
  scale: number | null;
  stddev: number | null;
  /** `-c/--config-file`: the network's per-layer `quantization`. */
  configBits: ConfigBits | null;
  /** `-v`: collect quantize.py's statistics lines. */
  verbose: boolean;
}

export const DEFAULT_OPTIONS: QuantizeOptions = { clipMethod: null, qatWeightBits: null, scale: null, stddev: null, configBits: null, verbose: false };

/** What one weight tensor became. */
export interface QuantizedLayer {
  weight: string;
  /** The bias quantized with it, if the layer has one. */
  bias: string | null;
  bits: number;
  /** The weights were multiplied by this before rounding. */
  factor: number;
  /** The output shift written (QAT only). */
  outputShift: number | null;
}

export interface QuantizeResult {
  /** The whole quantized checkpoint, ready for writeCheckpointObject. */
  root: PyObject;
  layers: QuantizedLayer[];
  /** `extras.clipping_method` as written. */
  clippingMethod: string;
  /** What quantize.py warns about (no `extras`, a default scale). */
  warnings: string[];
  /** quantize.py's `-v` lines (empty without `verbose`). */
  verbose: string[];
}

export class QuantizeError extends Error {
  constructor(
    message: string,
    /** The state_dict key it is about, or null for the checkpoint as a whole. */
    readonly key: string | null,
  ) {
    super(message);
    this.name = 'QuantizeError';
  }
}

/** tc.dev.DEFAULT_WEIGHT_BITS and tc.dev.ACTIVATION_BITS: 8 on both MAX78000 and MAX78002. */
const DEFAULT_WEIGHT_BITS = 8;
const ACTIVATION_BITS = 8;

type PyDict = Extract<PyObject, { kind: 'dict' }>;

function isDict(v: PyObject | undefined): v is PyDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'dict';
}

function tensorOf(v: PyObject | undefined): Tensor | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'tensor' ? v.tensor : null;
}

/** `torch.Tensor([x])`: a float32 tensor of one element. */
function scalarTensor(x: number): PyObject {
  return { kind: 'tensor', tensor: { dtype: 'float32', shape: [1], strides: [1], values: Float64Array.of(Math.fround(x)) } };
}

function floatTensor(dtype: FloatDType, shape: number[], values: Float64Array): PyObject {
  return { kind: 'tensor', tensor: { dtype, shape: [...shape], strides: contiguousStrides(shape), values } };
}

/** Python's `key.rsplit('.', 2)`. */
function rsplit2(key: string): string[] {
  const last = key.lastIndexOf('.');
  if (last < 0) return [key];
  const before = key.lastIndexOf('.', last - 1);
  if (before < 0) return [key.slice(0, last), key.slice(last + 1)];
  return [key.slice(0, before), key.slice(before + 1, last), key.slice(last + 1)];
}

/** `int(unwrap(x))` of a number or a one-element tensor. */
function intValue(v: PyObject, key: string): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'float') return Math.trunc(v.value);
  const t = tensorOf(v);
  const values = t ? scanValues(t) : null;
  if (!values || values.length !== 1) throw new QuantizeError(`\`${key}\` is not a single number; quantize.py reads it as the layer's bit width.`, key);
  return Math.trunc(values[0]);
}

/** The values of a weight or bias tensor that quantize.py can scale: float32 or float64, all finite. */
function floatValues(v: PyObject | undefined, key: string): { t: Tensor; dtype: FloatDType; values: ArrayLike<number> } {
  const t = tensorOf(v);
  if (!t) throw new QuantizeError(`\`${key}\` is not a tensor; quantize.py cannot scale it.`, key);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    const hint = t.dtype.startsWith('int') ? ' (is the checkpoint already quantized?)' : '';
    throw new QuantizeError(`\`${key}\` holds ${t.dtype} values; quantize.py scales float32 (or float64) weights${hint}.`, key);
  }
  const values = scanValues(t);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new QuantizeError(`\`${key}\` holds ${Number.isNaN(values[i]) ? 'NaN' : 'an infinite value'}; it cannot be quantized.`, key);
  }
  return { t, dtype: t.dtype, values };
}

/** The q of a layer's `shift_quantile` (1.0 without one), checked as torch.quantile checks it. */
function shiftQuantile(v: PyObject | undefined, key: string, dtype: FloatDType): number {
  if (v === undefined) return 1;
  let q: number | null = null;
  if (typeof v === 'number') q = v;
  else if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'float') q = v.value;
  else {
    const t = tensorOf(v);
    const values = t ? scanValues(t) : null;
    if (t && values && values.length === 1) {
      if (t.dtype !== dtype) throw new QuantizeError(`\`${key}\` is ${t.dtype} but the layer's weights are ${dtype}; torch.quantile needs both alike.`, key);
      q = values[0];
    }
  }
  if (q === null) throw new QuantizeError(`\`${key}\` is not a single number; quantize.py uses it as the quantile of the largest weights.`, key);
  if (!(q >= 0 && q <= 1)) throw new QuantizeError(`\`${key}\` is ${q}; a quantile must be between 0 and 1.`, key);
  return q;
}

/** Largest input torch.quantile accepts. */
const MAX_QUANTILE_INPUT = 2 ** 24;

export function quantizeCheckpoint(checkpoint: TorchCheckpoint, options: QuantizeOptions = DEFAULT_OPTIONS): QuantizeResult {
  const rootIn = checkpoint.root;
  if (!isDict(rootIn)) throw new QuantizeError('The file holds no checkpoint dictionary.', null);
  // Python dicts, as Maps: assigning to a key keeps its place, a new key goes last.
  const root = new Map<PyObject, PyObject>(rootIn.entries);
  const stateIn = root.get('state_dict');
  if (stateIn === undefined) throw new QuantizeError('The checkpoint has no `state_dict`; there is nothing to quantize.', null);
  if (!isDict(stateIn)) throw new QuantizeError("The checkpoint's `state_dict` is not a dictionary; there is nothing to quantize.", null);
  const foreign = firstNonData(rootIn);
  if (foreign) {
    throw new QuantizeError(
      `\`${foreign.path}\` holds ${foreign.what}; loading the quantized file would run it, so it is not written (a checkpoint should hold data only).`,
      null,
    );
  }
  const state = new Map<string, PyObject>();
  for (const [k, v] of stateIn.entries) {
    if (typeof k !== 'string')
      throw new QuantizeError(`The state_dict has a key that is not text (${typeof k}); quantize.py reads every key as a layer name.`, null);
    state.set(k, v);
  }
  const out = new Map(state);
  const warnings: string[] = [];
  // quantize.py quantizes whatever it is given; quantizing twice scales the integers again.
  if (quantizationState(checkpoint) === 'quantized')
    warnings.push('The weights are integers already: this looks like a quantized checkpoint, and quantizing it again changes them.');
  const verbose: string[] = options.verbose ? ['', 'Model keys (state_dict):', [...state.keys()].join(', ')] : [];

  const scale = options.clipMethod === 'SCALE' && !options.scale ? DEFAULT_SCALE : options.scale;
  const stddev = options.clipMethod === 'STDDEV' && !options.stddev ? DEFAULT_STDDEV : options.stddev;
  if (options.clipMethod === 'SCALE' && !options.scale) warnings.push(`Using the default scale factor of ${DEFAULT_SCALE.toFixed(2)}.`);
  if (options.clipMethod === 'STDDEV' && !options.stddev) warnings.push(`Using the default number of standard deviations of ${DEFAULT_STDDEV.toFixed(2)}.`);

  // compression_sched's masks_dict is updated in place, as quantize.py updates it.
  const scheduleIn = root.get('compression_sched');
  const masksIn = isDict(scheduleIn) ? scheduleIn.entries.find(([k]) => k === 'masks_dict')?.[1] : undefined;
  const masks = isDict(masksIn) ? new Map<PyObject, PyObject>(masksIn.entries) : null;

  let extras = root.get('extras');
  if (extras === undefined) {
    warnings.push('No `extras` in checkpoint file.');
    extras = { kind: 'dict', entries: [] };
  }
  const clippingMethod = options.clipMethod ?? 'MAX_BIT_SHIFT';
  if (isDict(extras)) {
    const e = new Map<PyObject, PyObject>(extras.entries);
    e.set('clipping_method', clippingMethod);
    if (options.clipMethod === 'STDDEV') e.set('clipping_nstds', { kind: 'float', value: stddev! });
    if (options.clipMethod === 'SCALE') e.set('clipping_scale', { kind: 'float', value: scale! });
    root.set('extras', { ...extras, entries: [...e] });
  } else warnings.push("The checkpoint's `extras` is not a dictionary; the clipping method is not recorded in it.");

  const layers: QuantizedLayer[] = [];
  const numLayers = options.configBits ? options.configBits.length : null;
  let layerCount = 0;
  for (const [k, value] of state) {
    const levels = rsplit2(k);
    if (levels.length < 2) continue;
    const [layer, operation, parameter] = levels.length === 3 ? levels : [levels[0], null, levels[1]];
    if (parameter === 'w_zero_point' || parameter === 'b_zero_point') {
      const t = tensorOf(value);
      if (!t) throw new QuantizeError(`\`${k}\` is not a tensor; quantize.py expects a zero point of zeros.`, k);
      const values = scanValues(t);
      for (let i = 0; i < values.length; i++) if (values[i] !== 0) throw new QuantizeError(`Parameter \`${k}\` is not zero; quantize.py refuses it.`, k);
      out.delete(k);
    } else if (parameter === 'weight') {
      if (numLayers && layerCount >= numLayers) continue;
      const layerBits = bitsOf(layer, layerCount, state, options);
      layers.push(quantizeLayer(k, layer, operation, layerBits, state, out, masks, { ...options, scale, stddev }, verbose));
      layerCount++;
    } else if (parameter === 'base_b_q') {
      out.delete(k);
    } else if (parameter === 'adjust_output_shift') {
      out.set(k, scalarTensor(0));
    } else if (parameter === 'quantize_activation') {
      out.set(k, scalarTensor(1));
    }
  }

  // dict.copy() keeps an OrderedDict an OrderedDict but not its `_metadata`.
  root.set('state_dict', { kind: 'dict', entries: [...out], ...(stateIn.ordered ? { ordered: true } : {}) });
  if (masks && isDict(scheduleIn) && isDict(masksIn)) {
    const schedule = new Map<PyObject, PyObject>(scheduleIn.entries);
    schedule.set('masks_dict', { ...masksIn, entries: [...masks] });
    root.set('compression_sched', { ...scheduleIn, entries: [...schedule] });
  }
  return { root: { ...rootIn, entries: [...root] }, layers, clippingMethod, warnings, verbose };
}

/** The layer's weight bits: the config file's, else the checkpoint's `weight_bits` (unless 0), else --qat-weight-bits, else 8. */
function bitsOf(layer: string, index: number, state: Map<string, PyObject>, options: QuantizeOptions): number {
  const fromConfig = options.configBits?.[index];
  if (fromConfig !== undefined && fromConfig !== null) return fromConfig;
  const name = `${layer}.weight_bits`;
  const saved = state.get(name);
  if (saved !== undefined) {
    const bits = intValue(saved, name);
    if (bits !== 0) return bits;
  }
  return options.qatWeightBits ?? DEFAULT_WEIGHT_BITS;
}

function quantizeLayer(
  k: string,
  layer: string,
  operation: string | null,
  bits: number,
  state: Map<string, PyObject>,
  out: Map<string, PyObject>,
  masks: Map<PyObject, PyObject> | null,
  options: QuantizeOptions,
  verbose: string[],
): QuantizedLayer {
  if (operation === null) {
    throw new QuantizeError(
      `\`${k}\` is not named \`<layer>.<operation>.weight\` like the weights of ai8x layers, so quantize.py cannot find its bias (it stops here).`,
      k,
    );
  }
  const w = floatValues(state.get(k), k);
  const { dtype } = w;
  const round = rounding(dtype);
  if (w.values.length === 0) throw new QuantizeError(`\`${k}\` has no elements; there is nothing to scale.`, k);
  const biasName = `${layer}.${operation}.bias`;
  const biasIn = state.get(biasName);
  const bias = biasIn === undefined ? null : floatValues(biasIn, biasName);
  const range = 2 ** (bits - 1);

  let factor: number;
  /** How numpy prints the factor in `-v` lines: a one-element array (a shift_quantile tensor), a float32, a Python float. */
  let factorKind: FactorKind = 'float32';
  let distributionFactor: number | null = null;
  let shift: number | null = null;
  if (options.clipMethod === null) {
    if (bias && bias.dtype !== dtype)
      throw new QuantizeError(`\`${biasName}\` is ${bias.dtype} but \`${k}\` is ${dtype}; quantize.py scales both alike.`, biasName);
    const params = bias ? concat(w.values, bias.values) : w.values;
    if (params.length > MAX_QUANTILE_INPUT) throw new QuantizeError(`\`${k}\` has ${params.length} values, more than torch.quantile takes (2^24).`, k);
    const quantile = state.get(`${layer}.shift_quantile`);
    const q = shiftQuantile(quantile, `${layer}.shift_quantile`, dtype);
    if (tensorOf(quantile)?.shape.length) factorKind = 'array';
    shift = maxBitShift(params, bits, q, dtype);
    distributionFactor = 2 ** shift;
    factor = round(range * distributionFactor);
  } else {
    if (bias) {
      throw new QuantizeError(
        `\`${biasName}\`: with --clip-method quantize.py stops at the first layer with a bias (it has no scale for it without the QAT shift); quantize without --clip-method.`,
        biasName,
      );
    }
    factor = range * saturation(w.values, w.t.shape, options, dtype);
    if (options.clipMethod === 'SCALE') factorKind = 'python';
  }
  if (options.verbose) verbose.push(statsLine(k, w.values, w.t.shape, factor, factorKind, bits, dtype));

  const f = round(factor);
  const weights = new Float64Array(w.values.length);
  for (let i = 0; i < weights.length; i++) weights[i] = clamp(Math.floor(round(round(f * w.values[i]) + 0.5)), -range, range - 1);
  out.set(k, floatTensor(dtype, w.t.shape, weights));

  const bitsName = `${layer}.weight_bits`;
  const savedBits = out.get(bitsName);
  if (savedBits === undefined) {
    out.set(bitsName, scalarTensor(DEFAULT_WEIGHT_BITS));
    masks?.set(bitsName, scalarTensor(DEFAULT_WEIGHT_BITS));
  } else if (intValue(savedBits, bitsName) === 0) out.set(bitsName, scalarTensor(DEFAULT_WEIGHT_BITS));

  if (bias) {
    if (options.verbose) verbose.push(statsLine(biasName, bias.values, bias.t.shape, factor, factorKind, bits, dtype));
    const b = new Float64Array(bias.values.length);
    const narrow = 2 ** (bits - 8);
    const hardware = 2 ** (ACTIVATION_BITS - 1);
    for (let i = 0; i < b.length; i++) {
      // Biases are stored ×128 (the data width's scale) so that PyTorch can still run the model.
      const scaled = round(range * round(bias.values[i] * distributionFactor!));
      b[i] = round(round(clamp(Math.floor(round(scaled + 0.5)), -range, range - 1) * narrow) * hardware);
    }
    out.set(biasName, floatTensor(dtype, bias.t.shape, b));
    out.set(`${layer}.bias_bits`, scalarTensor(bits));
  }

  if (shift !== null) {
    const outShift = scalarTensor(-1 * shift);
    out.set(`${layer}.output_shift`, outShift);
    masks?.set(`${layer}.output_shift`, outShift);
  }
  return { weight: k, bias: bias ? biasName : null, bits, factor, outputShift: shift === null ? null : -1 * shift };
}

/** The statistic a clip method scales the weights by. */
function saturation(w: ArrayLike<number>, shape: number[], options: QuantizeOptions, dtype: FloatDType): number {
  switch (options.clipMethod) {
    case 'STDDEV':
      return meanStddevsMaxAbs(w, options.stddev!, dtype);
    case 'MAX':
      return maxAbs(w);
    case 'AVGMAX':
      return averageMax(w, shape[0] ?? 1, dtype);
    default:
      return options.scale!;
  }
}

function concat(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i];
  return out;
}

type FactorKind = 'array' | 'float32' | 'python';

/** quantize.py's `-v` line for a weight or bias: avg_max, max, mean, factor and bits. */
function statsLine(key: string, values: ArrayLike<number>, shape: number[], factor: number, kind: FactorKind, bits: number, dtype: FloatDType): string {
  const r = (x: number) => floatRepr(x, dtype);
  const rows = shape.length ? shape[0] : 1;
  // numpy prints a whole float in an array as `32.`, alone as `32.0`.
  const f = kind === 'python' ? floatRepr(factor, 'float64') : kind === 'array' ? `[${r(factor).replace(/\.0$/, '.')}]` : r(factor);
  return `${key} avg_max: ${r(averageMax(values, rows, dtype))} max: ${r(maxAbs(values))} mean: ${r(torchMean(values, dtype))} factor: ${f} bits: ${bits}`;
}
