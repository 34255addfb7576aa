// The resolved network: izer's per-layer state after its two traversals (izer.main) and the backend's
// preparation (create_net). Indexed by izer layer number `ll`. The simulator, the kernel/bias allocators,
// the memory maps, hovers and inlay hints all read this; none of them re-derive it.
import type { Activation, EltwiseOp, Operator, Pair } from '../model/network';

/** A kernel tensor in izer's stored layout (spec izer-compute §1.2), values as plain integers. */
export interface KernelTensor {
  /** conv2d: [out*in/groups, kh, kw]; conv1d: [out*in/groups, k]; linear: [1, out, in]. */
  shape: number[];
  /** The values; a checkpoint's kernels build them when first read (a check needs only the shape and the range). */
  data: Int32Array;
  /** The range of `data`, where it is known without reading it (see kernelRange). */
  range?: KernelRange;
  /** The sum of `data`, where it is known without reading it: kernels with different sums differ (deduplication). */
  sum?: number;
}

/** The value range of a kernel: rule #102 compares it with the layer's quantization. */
export interface KernelRange {
  min: number;
  max: number;
  /** Every value is −1 or +1. */
  binary: boolean;
}

export interface LayerPlan {
  ll: number;
  /** Index into model.layers (same as ll) and the YAML list position, for ranges. */
  yamlIndex: number;
  name: string | null;
  op: Operator;
  /** Operator the hardware runs (dilated Conv1d may run on Conv2d hardware). */
  hwOp: Operator;
  eltwise: EltwiseOp | null;
  operands: number;
  poolFirst: boolean;
  activation: Activation;

  inChannels: number;
  outChannels: number;
  /** Input dims [H, W] (Conv1d: [L, 1]). */
  inDim: Pair;
  pooledDim: Pair;
  outDim: Pair;
  inCrop: Pair;
  pool: Pair;
  poolAverage: boolean;
  poolStride: Pair;
  poolDilation: Pair;
  pad: Pair;
  outputPad: Pair;
  stride: Pair;
  dilation: Pair;
  kernelSize: Pair;
  groups: number;
  flatten: boolean;
  streaming: boolean;
  bypass: boolean;
  bigData: boolean;

  /** Weight bit width: 1, 2, 4, 8, −1 (binary), 0 for layers without weights. */
  quantization: number;
  /** Total output shift including the implicit 8 − |bits|. */
  outputShift: number;
  outputWidth: 8 | 32;
  weights: KernelTensor | null;
  /** Integer bias values (already divided as izer does), one per output channel, or null. */
  bias: Int32Array | null;

  processors: bigint;
  outputProcessors: bigint;
  inOffset: number;
  outOffset: number;
  writeGap: number;
  readGap: number;

  inExpand: number;
  inExpandThresh: number;
  outExpand: number;
  outExpandThresh: number;

  /** Resolved `in_sequences` (−1 = network input, −2 = data buffer), or null. */
  inSequences: number[] | null;
  /** Next layer in execution order, −1 = stop. */
  nextSequence: number;
  /** Layer executed before this one, −1 for the start layer. */
  prevSequence: number;
  /** `simulated_sequence`, resolved, or null. */
  simulatedSequence: number | null;
  outputLayer: boolean;
}

export interface NetworkPlan {
  layers: LayerPlan[];
  /** Number of layers izer keeps (max visited index + 1). */
  layerCount: number;
  startLayer: number;
  finalLayer: number;
  /** Where the known-answer test ends (first layer whose simulated_sequence is stop, else finalLayer). */
  terminatingLayer: number;
  /** Execution order from the start layer following next_sequence. */
  order: number[];
  /** Sample input shape as izer uses it: [C, H, W] (1-D data gets W = 1). */
  inputShape: [number, number, number];
  /** True when weights/channels came from a checkpoint (otherwise channels are YAML- or guess-based). */
  hasCheckpoint: boolean;
}
