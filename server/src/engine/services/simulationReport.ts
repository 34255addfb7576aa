// Small, display-ready summaries of a simulation result: per-layer value ranges and histograms, and the final
// output as a classifier (softmax, top classes) or as raw values. Shared by the CLI, the language server and
// the results view; nothing here changes simulated values.
import type { SimulatedLayer, SimulationResult } from '../simulate';
import { valueRange } from '../valueRange';

/** Equal-width bins over [lo, hi] (integer values: bin i holds lo + i·step … lo + (i+1)·step − 1). */
export interface ValueHistogram {
  lo: number;
  hi: number;
  counts: number[];
}

export interface LayerSummary {
  /** izer layer number. */
  index: number;
  name: string | null;
  op: string;
  shape: [number, number, number];
  width: 8 | 32;
  min: number;
  max: number;
  /** Values equal to 0. */
  zeros: number;
  /** 8-bit layers: values at the clamp limits (−128 or 127); 32-bit layers: 0. */
  saturated: number;
  histogram: ValueHistogram;
  ms: number;
  macs: number;
  /** Part of the known answer. */
  checked: boolean;
  /** False when the values were not kept (they cannot be exported); min/max/histogram are then empty. */
  hasValues: boolean;
}

export interface ClassScore {
  index: number;
  value: number;
  probability: number;
}

export interface OutputSummary {
  layer: number;
  shape: [number, number, number];
  width: 8 | 32;
  /** One value per class (H = W = 1) and more than one class, or izer's --softmax. */
  classifier: boolean;
  /** Fixed-point scale the softmax reads the outputs with (2^14 for 32-bit Q17.14, 2^7 for 8-bit), or null. */
  softmaxScale: number | null;
  /** Softmax over all outputs (classifiers only). */
  probabilities: number[] | null;
  /** The highest probabilities first (classifiers only). */
  top: ClassScore[] | null;
  /** The output values in C order, at most `maxValues` of them. */
  values: number[];
  /** How many values the output has in all. */
  total: number;
  truncated: boolean;
}

export const DEFAULT_HISTOGRAM_BINS = 16;
export const DEFAULT_MAX_OUTPUT_VALUES = 1024;

/** Histogram of integer values with at most `bins` bins of equal integer width covering [min, max]. */
export function histogram(values: ArrayLike<number>, bins = DEFAULT_HISTOGRAM_BINS, range = valueRange(values)): ValueHistogram {
  const { min, max } = range;
  if (values.length === 0) return { lo: 0, hi: 0, counts: [] };
  const span = max - min + 1;
  const n = Math.max(1, Math.min(bins, span));
  const step = Math.ceil(span / n);
  const counts = new Array<number>(Math.ceil(span / step)).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.floor((values[i] - min) / step)]++;
  return { lo: min, hi: max, counts };
}

/** The value range a histogram bin covers. */
export function binRange(h: ValueHistogram, bin: number): [number, number] {
  const step = h.counts.length ? Math.ceil((h.hi - h.lo + 1) / h.counts.length) : 1;
  return [h.lo + bin * step, Math.min(h.hi, h.lo + (bin + 1) * step - 1)];
}

export function summarizeLayer(layer: SimulatedLayer, bins = DEFAULT_HISTOGRAM_BINS): LayerSummary {
  const base = {
    index: layer.index,
    name: layer.name,
    op: layer.op,
    shape: layer.shape,
    width: layer.width,
    ms: layer.ms,
    macs: layer.macs,
    checked: layer.checked,
  };
  const v = layer.values;
  if (!v) return { ...base, min: 0, max: 0, zeros: 0, saturated: 0, histogram: { lo: 0, hi: 0, counts: [] }, hasValues: false };
  const range = valueRange(v);
  let zeros = 0;
  let saturated = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === 0) zeros++;
    else if (layer.width === 8 && (v[i] === 127 || v[i] === -128)) saturated++;
  }
  return { ...base, ...range, zeros, saturated, histogram: histogram(v, bins, range), hasValues: true };
}

/** Softmax of values / scale, computed stably in floating point. */
export function softmax(values: ArrayLike<number>, scale = 1): number[] {
  const { max } = valueRange(values);
  const e = Array.from(values, (v) => Math.exp((v - max) / scale));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** The `k` highest probabilities, ties broken by the lower class index. */
export function topClasses(values: ArrayLike<number>, probabilities: readonly number[], k = 5): ClassScore[] {
  return probabilities
    .map((probability, index) => ({ index, value: values[index], probability }))
    .sort((a, b) => b.probability - a.probability || a.index - b.index)
    .slice(0, k);
}

/**
 * Is this output a classifier's? izer's --softmax says so; otherwise one value per channel (H = W = 1) and
 * at least two channels.
 */
export function isClassifierOutput(shape: readonly [number, number, number], softmaxFlag = false): boolean {
  return softmaxFlag || (shape[1] === 1 && shape[2] === 1 && shape[0] >= 2);
}

/**
 * The scale izer's generated code reads the outputs with before its softmax: 32-bit outputs as Q17.14
 * (softmax_q17p14_q15), 8-bit outputs as Q0.7 (arm_softmax_q7_q15).
 */
export function softmaxScale(width: 8 | 32): number {
  return width === 32 ? 2 ** 14 : 2 ** 7;
}

export function summarizeOutput(layer: SimulatedLayer, opts: { softmax?: boolean; maxValues?: number; top?: number } = {}): OutputSummary {
  const v = layer.values ?? new Float64Array(0);
  const maxValues = opts.maxValues ?? DEFAULT_MAX_OUTPUT_VALUES;
  const classifier = isClassifierOutput(layer.shape, opts.softmax) && v.length > 0;
  const scale = classifier ? softmaxScale(layer.width) : null;
  const probabilities = scale !== null ? softmax(v, scale) : null;
  return {
    layer: layer.index,
    shape: layer.shape,
    width: layer.width,
    classifier,
    softmaxScale: scale,
    probabilities,
    top: probabilities ? topClasses(v, probabilities, opts.top ?? 5) : null,
    values: Array.from(v.subarray(0, maxValues)),
    total: v.length,
    truncated: v.length > maxValues,
  };
}

/** Known-answer size: blocks and 32-bit checks. */
export function knownAnswerSize(result: Pick<SimulationResult, 'knownAnswer'>): { records: number; words: number } {
  return { records: result.knownAnswer.length, words: result.knownAnswer.reduce((n, r) => n + r.words.length, 0) };
}
