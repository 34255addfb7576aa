// izer's sample-weight mode for test networks (`arch: test`, izer/sampleweight.py): instead of a checkpoint, the
// weights are the arrays stored one after another in `tests/weights_<dataset>.npy` (or `tests/<weights>.npy`,
// or --weight-input), re-quantized by shifting, and the biases come raw from `tests/bias_<bias>.npy` (or
// --bias-input). The result has the same shape as the checkpoint loader's, so every later pass works unchanged.
//   AX209 a sample-weight file izer cannot use (too few arrays, values beyond 8 bits: izer stops with an exception)
import type { DiagnosticSink } from '../diagnosticSink';
import type { Code } from '../rules';
import type { IzerFlags } from '../izerFlags';
import { LayerSpec, NetworkModel, layerLabel } from '../model/network';
import type { NpyArray } from '../sample/npy';
import type { Range } from '../yaml/yamlTree';
import { emptyCheckpointLayers, type CheckpointLayers } from './checkpointLayers';
import type { KernelTensor } from './networkPlan';
import { checkLayerCount, insertWeightlessLayers, reportBiasShift, ReportError } from './weightlessLayers';

/** One sample-weight file as the caller found (or did not find) it. */
export interface SampleWeightFile {
  /** The name izer opens, relative to the folder it runs in (or as given with --weight-input/--bias-input). */
  name: string;
  /** Where the file was found, or null. */
  path: string | null;
  /** Every place looked at, for the message when it is missing. */
  lookedAt: string[];
  /** The arrays read, or why the file could not be read. */
  content?: { arrays: NpyArray[]; stoppedBy: string | null } | { error: string };
}

export interface SampleWeightInputs {
  weights: SampleWeightFile;
  /** Null when the network names no bias file (no `bias:` key and no --bias-input): izer uses no bias. */
  bias: SampleWeightFile | null;
}

/** Which files izer opens for a test network: its names, relative to where it runs. */
export function sampleWeightNames(model: NetworkModel, flags: IzerFlags): { weights: string; bias: string | null } {
  const dataset = (model.dataset ?? '').toLowerCase();
  const weightsKey = globalText(model, 'weights');
  const biasKey = globalText(model, 'bias');
  return {
    weights: flags.weightInput ?? (weightsKey !== null ? `tests/${weightsKey}.npy` : `tests/weights_${dataset}.npy`),
    bias: flags.biasInput ?? (biasKey !== null ? `tests/bias_${biasKey}.npy` : null),
  };
}

interface Anchors {
  /** Where findings about the weight and bias files go (the `weights`/`bias` key, else `dataset`). */
  weights: Range;
  bias: Range;
}

export function loadSampleWeights(files: SampleWeightInputs, model: NetworkModel, flags: IzerFlags, sink: DiagnosticSink, anchors: Anchors): CheckpointLayers {
  const layers = model.layers;
  const n = layers.length;
  const result = emptyCheckpointLayers(model);
  const error: ReportError = (rule, range, layer, message) => {
    result.fatal = true;
    if (typeof rule === 'number') sink.izer(rule, 'error', range, layer ? layer.yamlIndex : null, message);
    else sink.add(rule, 'error', range, layer ? layer.yamlIndex : null, message);
  };
  const warn = (rule: Code, range: Range, layer: LayerSpec, message: string): void => {
    sink.add(rule, 'warning', range, layer.yamlIndex, message);
  };

  const w = files.weights;
  const weightArrays = readable(w, 'weights', anchors.weights, error);
  if (!weightArrays) {
    result.fatal = true;
    return result;
  }
  let biasArrays: NpyArray[] = [];
  if (files.bias) {
    const b = readable(files.bias, 'bias', anchors.bias, error);
    if (!b) {
      result.fatal = true;
      return result;
    }
    biasArrays = b;
  }
  result.used = true;

  // A file holding a single array is indexed along its first axis (izer: `w = w[0]`).
  const arrays = weightArrays.length === 1 ? splitFirstAxis(weightArrays[0]) : weightArrays;

  const outputShift = result.outputShift;
  const weights: (KernelTensor | null)[] = [];
  const inCh: number[] = [];
  const outCh: number[] = [];
  let ll = 0;
  let seq = 0;
  // izer's loop skips a layer by its own `bypass` flag looked up with the weight counter (ll), not the layer (seq).
  while (seq < n) {
    while (seq < n && (layers[seq].op === 'none' || (layers[ll]?.bypass ?? false))) seq++;
    if (seq >= n) break;
    const L = layers[seq];
    const a = arrays[ll];
    if (!a) {
      error(
        'AX209',
        anchors.weights,
        L,
        `${layerLabel(L)} needs weight array #${ll + 1}, but ${w.name} holds only ${arrays.length}${w.content && 'stoppedBy' in w.content && w.content.stoppedBy ? ` (reading stopped: ${w.content.stoppedBy})` : ''}; izer stops with an IndexError.`,
      );
      return result;
    }
    const quant = L.quantization ?? 8;
    const values = Float64Array.from(a.values, Math.trunc);
    let maxW = Math.trunc(a.max);
    if (maxW < 0) maxW += 1;
    let minW = Math.trunc(a.min);
    if (minW < 0) minW += 1;
    const currentQuant = Math.max(highestBit(Math.abs(minW)), highestBit(Math.abs(maxW))) + 2;
    if (currentQuant > 8) {
      error(
        'AX209',
        anchors.weights,
        L,
        `Weight array #${ll + 1} of ${w.name} (for ${layerLabel(L)}) holds values beyond 8 bits (${a.min} … ${a.max}); izer stops with a ValueError.`,
      );
      return result;
    }
    if (quant === -1) {
      for (let i = 0; i < values.length; i++) values[i] = values[i] >= 0 ? 1 : -1;
    } else if (currentQuant > Math.abs(quant)) {
      const shift = currentQuant - Math.abs(quant);
      for (let i = 0; i < values.length; i++) values[i] = Math.floor(values[i] / 2 ** shift);
    }
    outputShift[seq] = (outputShift[seq] ?? 0) + 8 - Math.abs(quant);
    const shape = a.shape;
    if (shape.length < 2) {
      error(
        'AX209',
        anchors.weights,
        L,
        `Weight array #${ll + 1} of ${w.name} (for ${layerLabel(L)}) has shape (${shape.join(', ')}); izer needs at least two dimensions and stops with an exception.`,
      );
      return result;
    }
    outCh.push(shape[0] * (L.op === 'convtranspose2d' ? L.groups : 1));
    inCh.push(shape[1] * (L.op !== 'convtranspose2d' ? L.groups : 1));
    const stored =
      shape.length === 4 ? [values.length / (shape[2] * shape[3]), shape[2], shape[3]] : [values.length / shape[shape.length - 1], shape[shape.length - 1]];
    weights.push({ shape: stored, data: Int32Array.from(values) });
    result.weightKeys[seq] = `${w.name} #${ll + 1}`;
    const [min, max] = minMax(values);
    result.matches.push({ ll: seq, key: `${w.name} #${ll + 1}`, biasKey: null, shape: [...shape], min, max, weightBits: 8 });
    ll++;
    seq++;
  }
  result.matchedCount = ll;

  // izer's bias list: one entry per YAML layer, filled from the front for the layers with weights.
  const bias: (Int32Array | null)[] = layers.map(() => null);
  const ownBias: (Int32Array | null)[] = layers.map(() => null);
  const noBias = (i: number): boolean => flags.noBias === 'all' || (Array.isArray(flags.noBias) && flags.noBias.includes(i));
  if (files.bias) {
    let k = 0;
    let next = 0;
    for (let i = 0; i < n && next < biasArrays.length; i++) {
      if (layers[i].op === 'none' || layers[i].bypass) continue;
      const arr = biasArrays[next++];
      if (!noBias(i)) {
        bias[k] = Int32Array.from(arr.values, Math.trunc);
        ownBias[i] = bias[k];
        result.biasKeys[i] = `${files.bias.name} #${next}`;
      }
      k++;
    }
  }

  const loaded = {
    weights,
    bias,
    inputChannels: inCh,
    outputChannels: outCh,
    outputShift,
    weightKeys: result.weightKeys,
    biasKeys: result.biasKeys,
    ownBias,
  };
  const count = insertWeightlessLayers(model, loaded, ll, error);
  if (count === null) return result;
  checkLayerCount(model, ll, count, 'sample weights', anchors.weights, error);
  reportBiasShift(layers, bias, ownBias, warn);
  result.layerCount = count;
  result.weights = weights;
  result.bias = bias;
  result.inputChannels = inCh;
  result.outputChannels = outCh;
  return result;
}

function readable(f: SampleWeightFile, what: 'weights' | 'bias', anchor: Range, error: ReportError): NpyArray[] | null {
  if (!f.path || !f.content) {
    const places = f.lookedAt.length ? f.lookedAt.map((p) => '`' + p + '`').join(', ') : '`' + f.name + '`';
    error(88, anchor, null, `The sample ${what} file \`${f.name}\` of this test network does not exist (looked at ${places}); izer stops here.`);
    return null;
  }
  if ('error' in f.content) {
    error(88, anchor, null, `The sample ${what} file ${f.path} cannot be read: ${f.content.error}`);
    return null;
  }
  return f.content.arrays;
}

/** The sub-arrays along the first axis of one array (numpy's `a[i]`). */
function splitFirstAxis(a: NpyArray): NpyArray[] {
  if (a.shape.length === 0) return [];
  const [first, ...rest] = a.shape;
  const size = rest.reduce((x, y) => x * y, 1);
  const out: NpyArray[] = [];
  for (let i = 0; i < first; i++) {
    const values = a.values.subarray(i * size, (i + 1) * size);
    const [min, max] = minMax(values);
    out.push({ shape: rest, dtype: a.dtype, values, min, max });
  }
  return out;
}

function minMax(v: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < min) min = v[i];
    if (v[i] > max) max = v[i];
  }
  return v.length ? [min, max] : [0, 0];
}

/** Python's `x.bit_length() - 1` for x ≥ 0 (−1 for 0). */
function highestBit(x: number): number {
  if (x === 0) return -1;
  return x < 2 ** 31 ? 31 - Math.clz32(x) : Math.floor(Math.log2(x));
}

function globalText(model: NetworkModel, key: string): string | null {
  const e = model.globals.get(key);
  const v = e?.value;
  return v && v.type === 'scalar' && v.value.kind !== 'null' ? v.text : null;
}
