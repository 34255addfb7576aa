// izer's checkpoint model: checkpoint.load (the top-level keys, then positional matching of `weight` tensors to YAML
// layers with quantization, channels, kernel checks, bias scaling and output shift) followed by the insertion izer.main
// does for weightless and weight_source layers, and rule #80. One step per file (checkpointTopLevel, checkpointMatching,
// checkpointWeights, checkpointKernelSize, checkpointBias, weightlessLayers); this one runs them in izer's order.
// Rules #65–#80 are reported as IZ diagnostics; our own checks use:
//   AX200 more weight tensors than the YAML consumes (izer silently ignores them)
//   AX201 a value izer reads is not a tensor, or has a shape izer crashes on (izer: Python exception)
//   AX202 weights that are not integers (an unquantized checkpoint; izer truncates them silently)
//   AX203 weights that do not fit the detected bit width (izer: assertion in its layer traversal)
//   AX204 `arch` or `state_dict` of the wrong type (izer: Python exception)
//   AX205 `weight_source` that izer's insertion cannot copy (izer: IndexError)
//   AX207 izer's bias list shifts after a `bypass` layer, so a later layer gets another layer's bias
//   AX208 the weight tensor's rank suggests another operator than the YAML layer's
//   AX211 zip members that fail their CRC-32 (torch.load does not check; izer uses the damaged bytes)
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { IzerFlags } from '../izerFlags';
import type { NetworkModel } from '../model/network';
import type { Range } from '../yaml/yamlTree';
import type { TorchCheckpoint } from '../checkpoint/types';
import type { KernelTensor } from './networkPlan';
import { CheckpointFindings } from './checkpointCommon';
import { checkTopLevelKeys } from './checkpointTopLevel';
import { reportDamagedMembers } from './checkpointDamage';
import { matchWeightTensors, reportIgnoredWeights } from './checkpointMatching';
import { checkLayerCount, insertWeightlessLayers, reportBiasShift } from './weightlessLayers';

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

/** Nothing loaded yet: the YAML's own output shifts and quantization, no weights (the checkpoint or sample weights fill it). */
export function emptyCheckpointLayers(model: NetworkModel): CheckpointLayers {
  const layers = model.layers;
  return {
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
  const result = emptyCheckpointLayers(model);
  const findings = new CheckpointFindings(sink);
  reportDamagedMembers(ckpt, findings, anchors.file);
  if (!checkTopLevelKeys(ckpt, model, findings, anchors.file)) {
    result.fatal = true;
    return result;
  }
  result.used = true;

  const loaded = matchWeightTensors(ckpt, model, device, flags, findings, result);
  result.matchedCount = loaded.matched;
  reportIgnoredWeights(result, findings, anchors.file);

  // izer.main: insert entries for weightless layers, copy weight_source layers, then #80.
  let count: number | null = loaded.matched;
  if (!loaded.stopped) {
    count = insertWeightlessLayers(model, loaded, loaded.matched, findings.error);
    if (count !== null) {
      checkLayerCount(model, loaded.matched, count, 'checkpoint', anchors.file, findings.error);
      reportBiasShift(layers, loaded.bias, loaded.ownBias, findings.warn);
    }
  }
  result.layerCount = count ?? loaded.matched;
  result.weights = loaded.weights;
  result.bias = loaded.bias;
  result.inputChannels = loaded.inputChannels;
  result.outputChannels = loaded.outputChannels;
  result.fatal = findings.fatal;
  return result;
}
