// checkpoint.load's loop: izer walks the state_dict in order and gives each `weight` tensor to the next YAML layer
// that takes weights (not `op: none`, `bypass` or `weight_source`), by position only; --skip-checkpoint-layers drops
// the first ones and tensors left over are ignored (AX200). For each matched tensor it checks and records the
// weights, quantization, kernel, bias and output shift (the steps in the files this one imports).
import type { Device } from '../device/devices';
import type { IzerFlags } from '../izerFlags';
import { LayerSpec, NetworkModel, layerLabel } from '../model/network';
import type { Range } from '../yaml/yamlTree';
import type { PyObject, Tensor, TorchCheckpoint } from '../checkpoint/types';
import type { KernelTensor } from './networkPlan';
import type { LoadedWeights } from './weightlessLayers';
import type { CheckpointLayers } from './checkpointLayers';
import { CheckpointFindings, MatchedWeight, describeValue, isTensor, layerAnchor, splitStateKey } from './checkpointCommon';
import { checkWeightRank, checkWeightValues, layerQuantization, orientedDims, readWeightBits, storedKernel, weightFacts } from './checkpointWeights';
import { checkKernelSize } from './checkpointKernelSize';
import { scaledBias, totalOutputShift } from './checkpointBias';

/** izer's lists as checkpoint.load returns them (indexed by matched weight), before the insertion. */
export interface MatchedWeights extends LoadedWeights {
  /** How many weight tensors went to layers. */
  matched: number;
  /** True when izer stopped inside the loop (an error was reported). */
  stopped: boolean;
}

interface LoadContext {
  state: ReadonlyMap<string, Tensor | PyObject>;
  device: Device;
  flags: IzerFlags;
  findings: CheckpointFindings;
  /** Per YAML layer, filled in as layers are matched: quantization, outputShift, weightKeys, biasKeys, matches. */
  result: CheckpointLayers;
  lists: MatchedWeights;
}

/** Runs the loop; fills `result`'s per-layer lists and ignored/skipped keys, and returns izer's lists. */
export function matchWeightTensors(
  ckpt: TorchCheckpoint,
  model: NetworkModel,
  device: Device,
  flags: IzerFlags,
  findings: CheckpointFindings,
  result: CheckpointLayers,
): MatchedWeights {
  const layers = model.layers;
  const n = layers.length;
  const state = new Map<string, Tensor | PyObject>();
  for (const e of ckpt.stateDict) state.set(e.key, e.value);
  const lists: MatchedWeights = {
    weights: [],
    bias: [],
    inputChannels: [],
    outputChannels: [],
    outputShift: result.outputShift,
    weightKeys: result.weightKeys,
    biasKeys: result.biasKeys,
    ownBias: layers.map(() => null),
    matched: 0,
    stopped: false,
  };
  const ctx: LoadContext = { state, device, flags, findings, result, lists };
  const skipsWeights = (l: LayerSpec): boolean => l.op === 'none' || l.bypass || l.weightSource !== null;
  let seq = 0;
  let skip = flags.skipCheckpointLayers;
  for (const { key, value } of ckpt.stateDict) {
    while (seq < n && skipsWeights(layers[seq])) seq++;
    const parts = splitStateKey(key);
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
    const outcome = loadMatchedWeight({ key, layerName, thisOp, seq, layer: L, label: layerLabel(L) }, value, ctx);
    if (outcome === 'stop') {
      lists.stopped = true;
      break;
    }
    if (outcome === 'skip') continue;
    lists.matched++;
    seq++;
  }
  return lists;
}

/** One matched tensor, step by step in izer's order; 'stop' where izer stops, 'skip' where it passes over it. */
function loadMatchedWeight(m: MatchedWeight, value: Tensor | PyObject, ctx: LoadContext): 'loaded' | 'skip' | 'stop' {
  const { findings, result, lists } = ctx;
  const { key, layer: L, seq } = m;
  if (!isTensor(value)) {
    findings.error(
      'AX201',
      layerAnchor(L),
      L,
      `The checkpoint entry \`${key}\` (matched to ${m.label}) is ${describeValue(value)}, not a tensor; izer stops with a Python exception.`,
    );
    return 'stop';
  }
  const facts = weightFacts(value);
  const shape = value.shape;
  checkWeightValues(m, facts, findings);
  const rank = checkWeightRank(m, shape, ctx.flags, findings);
  if (rank !== 'ok') return rank;
  const weightBits = readWeightBits(m, ctx.state, findings);
  if (weightBits === null) return 'stop';
  const q = layerQuantization(m, facts, result.quantization[seq], weightBits, ctx.device, findings);
  if (q === null) return 'stop';
  result.quantization[seq] = q;

  const dims = orientedDims(m, shape, findings);
  if (!dims) return 'stop';
  lists.inputChannels.push(dims[1] * (L.op !== 'convtranspose2d' ? L.groups : 1));
  lists.outputChannels.push(dims[0] * (L.op === 'convtranspose2d' ? L.groups : 1));
  checkKernelSize(m, shape, dims, findings);
  const kernel: KernelTensor = storedKernel(m, value, facts, dims);
  lists.weights.push(kernel);
  result.weightKeys[seq] = key;

  const bias = scaledBias(m, ctx.state, weightBits, ctx.flags, findings);
  if (bias === 'stop') return 'stop';
  if (bias === 'none') lists.bias.push(null);
  else {
    lists.bias.push(bias.values);
    lists.ownBias[seq] = bias.values;
    result.biasKeys[seq] = bias.key;
  }

  const shift = totalOutputShift(m, ctx.state, result.outputShift[seq], q, findings);
  if (shift === null) return 'stop';
  result.outputShift[seq] = shift;

  const biasKey = bias === 'none' ? null : bias.key;
  result.matches.push({ ll: seq, key, biasKey, shape: [...shape], min: facts.wMin, max: facts.wMax, weightBits });
  return 'loaded';
}

/** AX200: weight tensors the YAML has no layer left for (information when they only repeat the used ones). */
export function reportIgnoredWeights(result: CheckpointLayers, findings: CheckpointFindings, file: Range): void {
  const keys = result.ignoredWeightKeys;
  if (!keys.length) return;
  const list = `${keys
    .slice(0, 8)
    .map((k) => '`' + k + '`')
    .join(', ')}${keys.length > 8 ? ', …' : ''}`;
  // A state_dict saved twice (with and without DataParallel's `module.` prefix) is harmless: izer uses the first copy.
  const bare = (k: string): string => k.replace(/^module\./, '');
  const used = new Set(result.matches.map((m) => bare(m.key)));
  if (keys.every((k) => used.has(bare(k)))) {
    findings.sink.add(
      'AX200',
      'information',
      file,
      null,
      `The checkpoint holds its weights twice (with and without the \`module.\` prefix); izer uses the first copy and ignores ${list}.`,
    );
  } else {
    findings.warn(
      'AX200',
      file,
      null,
      `The checkpoint has ${keys.length} more weight tensor${keys.length > 1 ? 's' : ''} than this network uses; izer ignores ${keys.length > 1 ? 'them' : 'it'} silently: ${list}. Is a layer missing from the YAML?`,
    );
  }
}
