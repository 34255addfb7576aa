// izer's checkpoint model: checkpoint.load (positional matching of `weight` tensors to YAML layers, quantization,
// channels, kernel checks, bias scaling, output shift) followed by the insertion izer.main does for weightless and
// weight_source layers, and rule #80. Rules #65–#80 are reported as IZ diagnostics; our own checks use:
//   AX200 more weight tensors than the YAML consumes (izer silently ignores them)
//   AX201 a value izer reads is not a tensor, or has a shape izer crashes on (izer: Python exception)
//   AX202 weights that are not integers (an unquantized checkpoint; izer truncates them silently)
//   AX203 weights that do not fit the detected bit width (izer: assertion in its layer traversal)
//   AX204 `arch` or `state_dict` of the wrong type (izer: Python exception)
//   AX205 `weight_source` that izer's insertion cannot copy (izer: IndexError)
//   AX207 izer's bias list shifts after a `bypass` layer, so a later layer gets another layer's bias
//   AX208 the weight tensor's rank suggests another operator than the YAML layer's
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { IzerFlags } from '../izerFlags';
import type { KernelTensor } from './networkPlan';
import { checkLayerCount, insertWeightlessLayers, reportBiasShift } from './weightlessLayers';
import { LayerSpec, NetworkModel, layerLabel } from '../model/network';
import type { Range } from '../yaml/yamlTree';
import type { PyObject, Tensor, TorchCheckpoint } from '../checkpoint/types';

export interface CheckpointMatch {
  /** izer layer index (`ll`) the tensor went to. */
  ll: number;
  key: string;
  biasKey: string | null;
  /** The checkpoint tensor's shape (before any ConvTranspose2d flip). */
  shape: number[];
  min: number;
  max: number;
  /** `<layer>.weight_bits` from the checkpoint (8 when absent). */
  weightBits: number;
}

export interface CheckpointLayers {
  /** False when izer does not use the checkpoint (YAML `arch: test`, or no usable `state_dict`). */
  used: boolean;
  /** izer's `layers` after load and insertion (equals the YAML layer count unless #80 fires). */
  layerCount: number;
  /** Weight tensors matched to YAML layers (checkpoint.load's return value `layers`). */
  matchedCount: number;
  /** izer's lists after load + insertion, indexed by `ll`. */
  weights: (KernelTensor | null)[];
  /** izer's bias list. Note: izer inserts no entry for `bypass` layers, so after one the list is shifted (AX207). */
  bias: (Int32Array | null)[];
  inputChannels: number[];
  outputChannels: number[];
  /** Total output shift per YAML layer (YAML/checkpoint shift + 8 − |bits|); null where izer leaves it unset. */
  outputShift: (number | null)[];
  /** Weight bits per YAML layer as izer leaves them after load (null for layers without weights). */
  quantization: (number | null)[];
  /** The checkpoint keys behind each layer's weights and bias (weight_source layers show the source's keys). */
  weightKeys: (string | null)[];
  biasKeys: (string | null)[];
  matches: CheckpointMatch[];
  /** `weight` keys izer ignores because the YAML has no layer left for them. */
  ignoredWeightKeys: string[];
  /** `weight` keys dropped by --skip-checkpoint-layers. */
  skippedWeightKeys: string[];
  /** True when izer would stop here (an error among rules 65–80, or a Python exception). */
  fatal: boolean;
}

interface Ctx {
  model: NetworkModel;
  sink: DiagnosticSink;
  anchors: { file: Range };
  fatal: boolean;
}

export function loadCheckpointLayers(
  ckpt: TorchCheckpoint,
  model: NetworkModel,
  device: Device,
  flags: IzerFlags,
  sink: DiagnosticSink,
  anchors: { file: Range },
): CheckpointLayers {
  const layers = model.layers;
  const n = layers.length;
  const result: CheckpointLayers = {
    used: false,
    layerCount: 0,
    matchedCount: 0,
    weights: [],
    bias: [],
    inputChannels: [],
    outputChannels: [],
    outputShift: layers.map((l) => l.outputShift),
    quantization: layers.map((l) => l.quantization),
    weightKeys: layers.map(() => null),
    biasKeys: layers.map(() => null),
    matches: [],
    ignoredWeightKeys: [],
    skippedWeightKeys: [],
    fatal: false,
  };
  const ctx: Ctx = { model, sink, anchors, fatal: false };
  const error = (rule: number | string, range: Range, layer: LayerSpec | null, msg: string): void => {
    ctx.fatal = true;
    if (typeof rule === 'number') sink.izer(rule, 'error', range, layer ? layer.yamlIndex : null, msg);
    else sink.add(rule, 'error', range, layer ? layer.yamlIndex : null, msg);
  };
  const warn = (rule: number | string, range: Range, layer: LayerSpec | null, msg: string): void => {
    if (typeof rule === 'number') sink.izer(rule, 'warning', range, layer ? layer.yamlIndex : null, msg);
    else sink.add(rule, 'warning', range, layer ? layer.yamlIndex : null, msg);
  };

  // ---- top-level keys (izer stops at the first error; we report them all) ----
  const root =
    ckpt.root && typeof ckpt.root === 'object' && !Array.isArray(ckpt.root) && !(ckpt.root instanceof Uint8Array) && ckpt.root.kind === 'dict'
      ? ckpt.root
      : null;
  const sdValue = root?.entries.find(([k]) => k === 'state_dict')?.[1];
  if (!ckpt.hasStateDict) error(65, anchors.file, null, 'The checkpoint has no `state_dict`; izer needs the trained weights under that key.');
  else if (sdValue !== undefined && !isPyDict(sdValue))
    error(
      'AX204',
      anchors.file,
      null,
      `The checkpoint's \`state_dict\` is ${describe(sdValue)}, not a dictionary of tensors; izer stops with a Python exception.`,
    );
  if (!ckpt.hasArch) warn(66, anchors.file, null, 'The checkpoint has no `arch`, so izer cannot confirm that it belongs to this network.');
  else if (ckpt.arch === null)
    error('AX204', anchors.file, null, "The checkpoint's `arch` is not text; izer stops with a Python exception when it compares it.");
  else if (model.arch && ckpt.arch.toLowerCase() !== model.arch.toLowerCase()) {
    error(
      67,
      archRange(ctx),
      null,
      `This network's \`arch\` is \`${model.arch}\` but the checkpoint was trained as \`${ckpt.arch}\`; izer requires them to match (ignoring case).`,
    );
  }
  if (!ckpt.hasEpoch) error(68, anchors.file, null, 'The checkpoint has no `epoch`; izer refuses checkpoints without it.');
  if (!ckpt.hasStateDict || (sdValue !== undefined && !isPyDict(sdValue))) {
    result.fatal = true;
    return result;
  }
  result.used = true;

  // ---- checkpoint.load: positional matching ----
  const state = new Map<string, Tensor | PyObject>();
  for (const e of ckpt.stateDict) state.set(e.key, e.value);
  const skipsWeights = (l: LayerSpec): boolean => l.op === 'none' || l.bypass || l.weightSource !== null;
  const noBias = (ll: number): boolean => flags.noBias === 'all' || (Array.isArray(flags.noBias) && flags.noBias.includes(ll));
  const quantization = result.quantization;
  const outputShift = result.outputShift;
  const weights: (KernelTensor | null)[] = [];
  const bias: (Int32Array | null)[] = [];
  const inCh: number[] = [];
  const outCh: number[] = [];
  let seq = 0;
  let matched = 0;
  let skip = flags.skipCheckpointLayers;
  let stopped = false;
  /** Each layer's own bias (what it would get without izer's bypass quirk), for AX207. */
  const ownBias: (Int32Array | null)[] = layers.map(() => null);

  for (const { key, value } of ckpt.stateDict) {
    while (seq < n && skipsWeights(layers[seq])) seq++;
    const parts = rsplit3(key);
    if (!parts) continue;
    const [layerName, thisOp, parameter] = parts;
    if (parameter !== 'weight') continue;
    if (seq >= n) {
      result.ignoredWeightKeys.push(key);
      continue;
    }
    if (skip > 0) {
      skip--;
      result.skippedWeightKeys.push(key);
      continue;
    }
    const L = layers[seq];
    const label = layerLabel(L);
    if (!isTensor(value)) {
      error(
        'AX201',
        layerAnchor(L),
        L,
        `The checkpoint entry \`${key}\` (matched to ${label}) is ${describe(value)}, not a tensor; izer stops with a Python exception.`,
      );
      stopped = true;
      break;
    }
    const facts = weightFacts(value);
    const w = facts.w;
    const shape = value.shape;
    const ndim = shape.length;
    const { wMin, wMax, absMin, absMax, allZero, nonInteger } = facts;
    if (allZero) warn(69, layerAnchor(L), L, `Every weight of \`${key}\` (${label}) is zero.`);
    if (nonInteger) {
      warn(
        'AX202',
        layerAnchor(L),
        L,
        `The weights of \`${key}\` (${label}) are not integers; izer truncates them toward zero. Is this a quantized checkpoint (the output of quantize.py)?`,
      );
    }
    if (ndim === 1) {
      if (thisOp === 'bn') {
        if (flags.ignoreBn) {
          warn(70, layerAnchor(L), L, `\`${key}\` is a BatchNorm weight (1-D, shape [${shape.join(', ')}]); with --ignore-bn izer skips it.`);
          continue;
        }
        error(
          70,
          layerAnchor(L),
          L,
          `\`${key}\` is a BatchNorm weight (1-D, shape [${shape.join(', ')}]); fold BatchNorm into the convolutions before izer (or pass --ignore-bn).`,
        );
      } else {
        error(
          71,
          layerAnchor(L),
          L,
          `\`${key}\` is a 1-D weight tensor (shape [${shape.join(', ')}]) matched to ${label}; izer needs Linear, Conv1d or Conv2d weights.`,
        );
      }
      stopped = true;
      break;
    }
    if (ndim === 0) {
      error('AX201', layerAnchor(L), L, `\`${key}\` is a scalar, not a weight tensor; izer stops with a Python exception.`);
      stopped = true;
      break;
    }
    const wbEntry = state.get(layerName + '.weight_bits');
    let wb = 8;
    if (wbEntry !== undefined) {
      if (!isTensor(wbEntry) || wbEntry.values.length === 0) {
        error('AX201', layerAnchor(L), L, `\`${layerName}.weight_bits\` is not a tensor with a value; izer stops with a Python exception.`);
        stopped = true;
        break;
      }
      wb = Math.trunc(wbEntry.values[0]);
    }

    // Quantization: the YAML value (weights must fit) or detected.
    let q = quantization[seq];
    if (q !== null) {
      const fits = q === -1 ? absMin === 1 && absMax === 1 : wMin >= -(2 ** (q - 1)) && wMax < 2 ** (q - 1);
      if (!fits) {
        const qEntry = L.entries.get('quantization');
        error(
          72,
          qEntry ? (qEntry.value ?? qEntry.key).range : layerAnchor(L),
          L,
          q === -1
            ? `\`quantization: binary\` needs every weight of \`${key}\` to be −1 or +1, but they range from ${wMin} to ${wMax}; izer stops with an assertion.`
            : `The weights of \`${key}\` range from ${wMin} to ${wMax}, which does not fit \`quantization: ${q}\` (${-(2 ** (q - 1))} … ${2 ** (q - 1) - 1}); izer stops with an assertion.`,
        );
        stopped = true;
        break;
      }
    } else {
      if (device.features.binaryWeights && absMin === 1 && absMax === 1) q = -1;
      else if (allZero) q = 1;
      else q = wb;
      if (q > 8) {
        error(
          73,
          layerAnchor(L),
          L,
          `\`${layerName}.weight_bits\` in the checkpoint is ${q}; izer supports at most 8-bit weights and stops with an assertion.`,
        );
        stopped = true;
        break;
      }
    }
    if (q === 0) q = 8;
    quantization[seq] = q;
    if (q !== -1 && q > 0 && (wMin < -(2 ** (q - 1)) || wMax > 2 ** (q - 1) - 1)) {
      error(
        'AX203',
        layerAnchor(L),
        L,
        `The weights of \`${key}\` range from ${wMin} to ${wMax}, beyond ${q}-bit (${-(2 ** (q - 1))} … ${2 ** (q - 1) - 1}); izer stops with an assertion when it reaches ${label}.`,
      );
    }

    let data = w;
    let dims = shape;
    if (L.op === 'convtranspose2d') {
      if (ndim < 4) {
        error(
          'AX201',
          layerAnchor(L),
          L,
          `${label} is a ConvTranspose2d layer, but \`${key}\` has only ${ndim} dimensions; izer stops with a Python exception.`,
        );
        stopped = true;
        break;
      }
      ({ data, dims } = facts.flipped ?? (facts.flipped = flipSwap(w, shape)));
    }
    const groups = L.groups;
    inCh.push(dims[1] * (L.op !== 'convtranspose2d' ? groups : 1));
    outCh.push(dims[0] * (L.op === 'convtranspose2d' ? groups : 1));

    // Kernel size checks (izer reports all of them, then stops).
    const k = L.kernelSize;
    const kEntry = L.entries.get('kernel_size');
    const kRange = kEntry ? (kEntry.value ?? kEntry.key).range : opRange(L);
    const given = `${k[0]}x${k[1]}`;
    const rankHint = (want: string): string =>
      L.op !== want && !(want === 'conv2d' && L.op === 'convtranspose2d') ? ` (the tensor is a ${want} weight but ${label} is ${L.op})` : '';
    let kernelReported = false;
    if (ndim === 2 && (k[0] !== 1 || k[1] !== 1)) {
      error(74, kRange, L, `\`${key}\` is a Linear weight [${shape.join(', ')}], so ${label} needs \`kernel_size\` 1x1, not ${given}${rankHint('linear')}.`);
      kernelReported = true;
    } else if (ndim === 3 && (k[0] !== dims[2] || k[1] !== 1)) {
      error(
        75,
        kRange,
        L,
        `\`${key}\` is a Conv1d weight [${shape.join(', ')}], so ${label} needs \`kernel_size\` ${dims[2]} (${dims[2]}x1), not ${given}${rankHint('conv1d')}.`,
      );
      kernelReported = true;
    } else if (ndim === 4 && (k[0] !== dims[2] || k[1] !== dims[3])) {
      error(
        76,
        kRange,
        L,
        `\`${key}\` is a Conv2d weight [${shape.join(', ')}], so ${label} needs \`kernel_size\` ${dims[2]}x${dims[3]}, not ${given}${rankHint('conv2d')}.`,
      );
      kernelReported = true;
    }
    const impliedOp = ndim === 2 ? 'linear' : ndim === 3 ? 'conv1d' : ndim === 4 ? 'conv2d' : null;
    if (!kernelReported && impliedOp && impliedOp !== L.op && !(impliedOp === 'conv2d' && L.op === 'convtranspose2d')) {
      warn(
        'AX208',
        opRange(L),
        L,
        `\`${key}\` looks like a ${impliedOp} weight [${shape.join(', ')}], but ${label} is ${L.op}. izer matches weights by position only: is a layer missing or out of order?`,
      );
    }

    const storedKey = L.op === 'convtranspose2d' ? 'flipped' : 'plain';
    const stored: KernelTensor =
      facts.stored[storedKey] ??
      (facts.stored[storedKey] =
        ndim === 2
          ? { shape: [1, dims[0], dims[1]], data: new Int32Array(data) }
          : { shape: [dims[0] * dims[1], ...dims.slice(2)], data: new Int32Array(data) });
    weights.push(stored);
    result.weightKeys[seq] = key;

    // Bias: floor(b / 2^(weight_bits − 1)), with the checkpoint's weight_bits.
    const biasName = thisOp === null ? `${layerName}.bias` : `${layerName}.${thisOp}.bias`;
    const b = state.get(biasName);
    let biasKey: string | null = null;
    if (b !== undefined && !noBias(seq)) {
      if (!isTensor(b)) {
        error('AX201', layerAnchor(L), L, `\`${biasName}\` is ${describe(b)}, not a tensor; izer stops with a Python exception.`);
        stopped = true;
        break;
      }
      const div = 2 ** ((wb === 0 ? 8 : wb) - 1);
      const scaled = new Int32Array(b.values.length);
      let bMin = Infinity;
      let bMax = -Infinity;
      let bZero = true;
      const braw = b.values;
      for (let i = 0; i < braw.length; i++) {
        const v = Math.floor(braw[i] / div);
        scaled[i] = v;
        if (v < bMin) bMin = v;
        if (v > bMax) bMax = v;
        if (v !== 0) bZero = false;
      }
      if (bZero) warn(77, layerAnchor(L), L, `Every bias value of \`${biasName}\` (${label}) is zero after scaling.`);
      if (b.values.length && (bMin < -128 || bMax > 127)) {
        error(
          78,
          layerAnchor(L),
          L,
          `The scaled bias of \`${biasName}\` ranges from ${bMin} to ${bMax}, beyond 8 bits (−128 … 127); izer stops with an assertion.`,
        );
        stopped = true;
        break;
      }
      bias.push(scaled);
      ownBias[seq] = scaled;
      biasKey = biasName;
      result.biasKeys[seq] = biasName;
    } else bias.push(null);

    if (outputShift[seq] === null) {
      const osName = `${layerName}.output_shift`;
      const os = state.get(osName);
      if (os !== undefined) {
        if (!isTensor(os)) {
          error('AX201', layerAnchor(L), L, `\`${osName}\` is ${describe(os)}, not a tensor; izer stops with a Python exception.`);
          stopped = true;
          break;
        }
        if (os.values.length !== 1) {
          error(79, layerAnchor(L), L, `\`${osName}\` holds ${os.values.length} values; izer needs exactly one and stops with an assertion.`);
          stopped = true;
          break;
        }
        outputShift[seq] = Math.trunc(os.values[0]);
      } else outputShift[seq] = 0;
    }
    outputShift[seq] = (outputShift[seq] as number) + 8 - Math.abs(q);

    result.matches.push({ ll: seq, key, biasKey, shape: [...shape], min: wMin, max: wMax, weightBits: wb });
    matched++;
    seq++;
  }
  result.matchedCount = matched;

  if (result.ignoredWeightKeys.length) {
    const keys = result.ignoredWeightKeys;
    const list = `${keys
      .slice(0, 8)
      .map((k) => '`' + k + '`')
      .join(', ')}${keys.length > 8 ? ', …' : ''}`;
    // A state_dict saved twice (with and without DataParallel's `module.` prefix) is harmless: izer uses the first copy.
    const bare = (k: string): string => k.replace(/^module\./, '');
    const used = new Set(result.matches.map((m) => bare(m.key)));
    if (keys.every((k) => used.has(bare(k)))) {
      sink.add(
        'AX200',
        'information',
        anchors.file,
        null,
        `The checkpoint holds its weights twice (with and without the \`module.\` prefix); izer uses the first copy and ignores ${list}.`,
      );
    } else {
      warn(
        'AX200',
        anchors.file,
        null,
        `The checkpoint has ${keys.length} more weight tensor${keys.length > 1 ? 's' : ''} than this network uses; izer ignores ${keys.length > 1 ? 'them' : 'it'} silently: ${list}. Is a layer missing from the YAML?`,
      );
    }
  }

  // ---- izer.main: insert entries for weightless layers, copy weight_source layers, then #80 ----
  let count: number | null = matched;
  if (!stopped) {
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
    count = insertWeightlessLayers(model, loaded, matched, error);
    if (count !== null) {
      checkLayerCount(model, matched, count, 'checkpoint', anchors.file, error);
      reportBiasShift(layers, bias, ownBias, warn);
    }
  }
  result.layerCount = count ?? matched;
  result.weights = weights;
  result.bias = bias;
  result.inputChannels = inCh;
  result.outputChannels = outCh;
  result.fatal = ctx.fatal;
  return result;
}

// ---- helpers ----

function rsplit3(key: string): [string, string | null, string] | null {
  const a = key.lastIndexOf('.');
  if (a < 0) return null;
  const parameter = key.slice(a + 1);
  const rest = key.slice(0, a);
  const b = rest.lastIndexOf('.');
  if (b < 0) return [rest, null, parameter];
  return [rest.slice(0, b), rest.slice(b + 1), parameter];
}

interface WeightFacts {
  w: Float64Array;
  wMin: number;
  wMax: number;
  absMin: number;
  absMax: number;
  allZero: boolean;
  nonInteger: boolean;
  flipped?: { data: Float64Array; dims: number[] };
  /** The stored kernel arrays, shared by every check of the same checkpoint (never mutated). */
  stored: { plain?: KernelTensor; flipped?: KernelTensor };
}

// Per-tensor results are pure functions of the tensor, so repeated checks of a cached checkpoint reuse them.
const factsCache = new WeakMap<Tensor, WeightFacts>();

function weightFacts(t: Tensor): WeightFacts {
  const hit = factsCache.get(t);
  if (hit) return hit;
  const raw = t.values;
  const w = truncValues(raw);
  let wMin = Infinity;
  let wMax = -Infinity;
  let absMin = Infinity;
  let absMax = -Infinity;
  let allZero = true;
  let nonInteger = false;
  for (let i = 0; i < w.length; i++) {
    const v = w[i];
    if (v < wMin) wMin = v;
    if (v > wMax) wMax = v;
    const a = Math.abs(v);
    if (a < absMin) absMin = a;
    if (a > absMax) absMax = a;
    if (v !== 0) allZero = false;
    if (raw[i] !== v) nonInteger = true;
  }
  const facts: WeightFacts = { w, wMin, wMax, absMin, absMax, allZero, nonInteger, stored: {} };
  factsCache.set(t, facts);
  return facts;
}

/** numpy astype(np.int64) of float values: truncation toward zero. */
function truncValues(v: Float64Array): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Math.trunc(v[i]);
  return out;
}

/** ConvTranspose2d: np.flip(w, axis=(2, 3)).swapaxes(0, 1). */
function flipSwap(w: Float64Array, shape: number[]): { data: Float64Array; dims: number[] } {
  const [A, B, H, W] = shape;
  const R = shape.slice(4).reduce((x, y) => x * y, 1);
  const out = new Float64Array(w.length);
  for (let i = 0; i < A; i++)
    for (let j = 0; j < B; j++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const src = (((i * B + j) * H + (H - 1 - y)) * W + (W - 1 - x)) * R;
          const dst = (((j * A + i) * H + y) * W + x) * R;
          for (let r = 0; r < R; r++) out[dst + r] = w[src + r];
        }
  return { data: out, dims: [B, A, ...shape.slice(2)] };
}

function isTensor(v: Tensor | PyObject | undefined): v is Tensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && 'dtype' in v && 'values' in v;
}

function isPyDict(v: PyObject): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'dict';
}

function describe(v: Tensor | PyObject | undefined): string {
  if (v === undefined || v === null) return 'None';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') {
    if ('dtype' in v) return 'a tensor';
    if (v.kind === 'global') return `a \`${v.module}.${v.name}\` object`;
    return `a ${v.kind}`;
  }
  return `a ${typeof v}`;
}

function layerAnchor(l: LayerSpec): Range {
  const first = l.node.entries[0];
  return first ? first.key.range : l.range;
}

function opRange(l: LayerSpec): Range {
  const e = l.opKey ? l.entries.get(l.opKey) : undefined;
  return e ? (e.value ?? e.key).range : layerAnchor(l);
}

function archRange(ctx: Ctx): Range {
  const e = ctx.model.globals.get('arch');
  return e ? (e.value ?? e.key).range : ctx.anchors.file;
}
