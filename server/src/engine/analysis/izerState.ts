// izer's per-layer state arrays (izer/state.py), indexed by layer number, as the passes fill them in.
// Values that depend on data we do not have (no checkpoint → no channels; no sample → no dimensions)
// stay unknown, and the checks that need them are skipped.
import type { Activation, EltwiseOp, NetworkModel, Operator, Pair } from '../model/network';
import { resolveRef } from '../model/layerRefs';
import type { KernelTensor } from './networkPlan';

export interface IzerState {
  /** Number of layers izer works with (after the traversal: highest visited index + 1). */
  layers: number;
  /** Number of layers in the YAML. */
  cfgLayers: number;
  startLayer: number;
  finalLayer: number;
  terminatingLayer: number;
  firstLayerUsed: number;
  /** Execution order from the start layer. */
  order: number[];
  channelsKnown: boolean;
  dimsKnown: boolean;
  /** Sample shape [C, H, W] (1-D data: W = 1). */
  inputSize: [number, number, number] | null;

  weights: (KernelTensor | null)[];
  bias: (Int32Array | null)[];
  quantization: (number | null)[];
  outputShift: (number | null)[];
  inputChannels: number[];
  /** For `flatten` layers: the checkpoint's inputs per output (in_features), before izer divides by H×W. */
  flattenInputs: (number | null)[];
  outputChannels: number[];

  processorMap: bigint[];
  outputProcessorMap: (bigint | null)[];
  inSequences: (number[] | null)[];
  nextSequence: number[];
  prevSequence: number[];
  simulatedSequence: (number | null)[];
  writeGap: number[];
  inputSkip: number[];
  operands: number[];
  operator: Operator[];
  eltwise: (EltwiseOp | null)[];
  activation: Activation[];
  inputOffset: (number | null)[];
  outputOffset: number[];
  confInputDim: (Pair | null)[];
  inputCrop: Pair[];
  inputDim: (Pair | null)[];
  autoInputDim: (Pair | null)[];
  pooledDim: (Pair | null)[];
  outputDim: Pair[];
  pool: Pair[];
  poolAverage: boolean[];
  poolStride: Pair[];
  poolDilation: Pair[];
  padding: Pair[];
  outputPadding: Pair[];
  stride: Pair[];
  dilation: Pair[];
  kernelSize: Pair[];
  bigData: boolean[];
  outputWidth: number[];
  streaming: boolean[];
  flatten: boolean[];
  poolFirst: boolean[];
  groups: number[];
  bypass: boolean[];
  biasGroupMap: (number[] | null)[];
  calcx4: boolean[];
  readahead: boolean[];
  tcalc: (boolean | null)[];
  outputLayer: boolean[];
  bufferShift: (number | null)[];
  bufferInsert: (number | null)[];
  weightSource: (number | null)[];
  avgpoolResetLayer: boolean[];
  /** 1×1 layers next to streaming layers that run as 3×3 kernels (weight in the centre, pad 1). */
  emulated1x1: boolean[];

  // Filled in by the backend's per-layer pass (create_net).
  inExpand: number[];
  inExpandThresh: number[];
  outExpand: number[];
  outExpandThresh: number[];
  hwOperator: Operator[];
  hwInputDim: (Pair | null)[];
  hwPooledDim: (Pair | null)[];
  hwOutputDim: Pair[];
  hwKernelSize: Pair[];
  hwPadding: Pair[];
  hwDilation: Pair[];
  hwWeights: (KernelTensor | null)[];
  /** Extra output pixels written by the Conv2d emulation of a dilated Conv1d. */
  outPad: number[];
  /** Leading output bytes the Conv2d emulation of a 3-tap dilated Conv1d does not produce. */
  outIgnore: number[];
  broadcastMode: boolean[];
  emulateEltwise: boolean[];
  /** Quadrants used by any layer's processors or the final output map. */
  groupsUsed: number[];
  snoopSequence: (number | null)[];
  /** izer's --fifo (input loaded through the FIFOs). */
  fifoFlag: boolean;
}

const pair = (p: Pair): Pair => [p[0], p[1]];

/** The state right after izer reads the YAML (before the checkpoint fills in weights and channels). */
export function initialState(model: NetworkModel): IzerState {
  const L = model.layers;
  const n = L.length;
  const ref = (r: Parameters<typeof resolveRef>[1] | null | undefined): number | null => (r ? resolveRef(model, r) : null);
  return {
    layers: n,
    cfgLayers: n,
    startLayer: 0,
    finalLayer: n - 1,
    terminatingLayer: n - 1,
    firstLayerUsed: 0,
    order: [],
    channelsKnown: false,
    dimsKnown: false,
    inputSize: null,
    weights: L.map(() => null),
    bias: L.map(() => null),
    quantization: L.map((l) => l.quantization),
    outputShift: L.map((l) => l.outputShift),
    inputChannels: L.map(() => 0),
    flattenInputs: L.map(() => null),
    outputChannels: L.map(() => 0),
    processorMap: L.map((l) => l.processors ?? 0n),
    outputProcessorMap: L.map((l) => l.outputProcessors),
    inSequences: L.map((l) => (l.inSequences ? l.inSequences.map((r) => ref(r) ?? Number.NaN) : null)),
    nextSequence: L.map((l) => (l.nextSequence ? (l.nextSequence.kind === 'stop' ? -1 : (ref(l.nextSequence) ?? -1)) : Number.NaN)),
    prevSequence: L.map(() => -1),
    simulatedSequence: L.map((l) => (l.simulatedSequence ? (l.simulatedSequence.kind === 'stop' ? -1 : ref(l.simulatedSequence)) : null)),
    writeGap: L.map((l) => l.writeGap),
    inputSkip: L.map((l) => l.readGap),
    operands: L.map((l) => l.operands),
    operator: L.map((l) => l.op),
    eltwise: L.map((l) => l.eltwise),
    activation: L.map((l) => l.activation),
    inputOffset: L.map((l) => l.inOffset),
    outputOffset: L.map((l) => l.outOffset ?? 0),
    confInputDim: L.map((l) => (l.inDim ? pair(l.inDim) : null)),
    inputCrop: L.map((l) => pair(l.inCrop)),
    inputDim: L.map(() => null),
    autoInputDim: L.map(() => null),
    pooledDim: L.map(() => null),
    outputDim: L.map(() => [0, 0] as Pair),
    pool: L.map((l) => pair(l.pool)),
    poolAverage: L.map((l) => l.poolAvg && l.entries.has('avg_pool') && !l.entries.has('max_pool')),
    poolStride: L.map((l) => pair(l.poolStride)),
    poolDilation: L.map((l) => pair(l.poolDilation)),
    padding: L.map((l) => pair(l.pad)),
    outputPadding: L.map((l) => pair(l.outputPad)),
    stride: L.map((l) => pair(l.stride)),
    dilation: L.map((l) => pair(l.dilation)),
    kernelSize: L.map((l) => pair(l.kernelSize)),
    bigData: L.map((l) => l.dataFormat === 'chw'),
    outputWidth: L.map((l) => l.outputWidth),
    streaming: L.map((l) => l.streaming),
    flatten: L.map((l) => l.flatten),
    poolFirst: L.map((l) => l.poolFirst),
    groups: L.map((l) => l.groups),
    bypass: L.map((l) => l.bypass),
    biasGroupMap: L.map((l) => l.biasGroup),
    calcx4: L.map((l) => l.calcx4),
    readahead: L.map((l) => l.readahead),
    tcalc: L.map((l) => l.tcalc),
    outputLayer: L.map((l) => l.output),
    bufferShift: L.map((l) => l.bufferShift),
    bufferInsert: L.map((l) => l.bufferInsert),
    weightSource: L.map((l) => ref(l.weightSource)),
    avgpoolResetLayer: L.map(() => false),
    emulated1x1: L.map(() => false),
    inExpand: L.map(() => 0),
    inExpandThresh: L.map(() => 0),
    outExpand: L.map(() => 0),
    outExpandThresh: L.map(() => 0),
    hwOperator: L.map((l) => l.op),
    hwInputDim: L.map(() => null),
    hwPooledDim: L.map(() => null),
    hwOutputDim: L.map(() => [0, 0] as Pair),
    hwKernelSize: L.map((l) => pair(l.kernelSize)),
    hwPadding: L.map((l) => pair(l.pad)),
    hwDilation: L.map((l) => pair(l.dilation)),
    hwWeights: L.map(() => null),
    outPad: L.map(() => 0),
    outIgnore: L.map(() => 0),
    broadcastMode: L.map(() => false),
    emulateEltwise: L.map(() => false),
    groupsUsed: [],
    snoopSequence: L.map((l) => l.snoopSequence),
    fifoFlag: false,
  };
}
