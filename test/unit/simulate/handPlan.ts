// Small NetworkPlans written by hand for the simulator tests: every field a test does not name gets the value
// izer would resolve for a plain, sequential, 8-bit layer.
import type { LayerPlan, NetworkPlan } from '../../../server/src/engine/analysis/networkPlan';
import type { SampleInput } from '../../../server/src/engine/sample/npy';
import type { Pair } from '../../../server/src/engine/model/network';

type LayerFields = Partial<Omit<LayerPlan, 'weights' | 'bias'>> & {
  inChannels: number;
  outChannels: number;
  inDim: Pair;
  /** Kernel values in izer's stored order (O × Cin/g × kh × kw), or omitted for weightless layers. */
  weights?: number[];
  bias?: number[] | null;
};

/** Output pass arithmetic of izer for C channels: out_expand and out_expand_thresh. */
function passes(c: number): { expand: number; thresh: number } {
  const expand = Math.ceil(c / 64);
  let thresh = Math.ceil(c / expand);
  if (c > 64) thresh = Math.min(Math.ceil(thresh / 4) * 4, 64);
  return { expand, thresh };
}

export function layer(ll: number, f: LayerFields): LayerPlan {
  const op = f.op ?? 'conv2d';
  const kernelSize: Pair = f.kernelSize ?? (op === 'conv1d' ? [9, 1] : op === 'none' || op === 'linear' ? [1, 1] : [3, 3]);
  const { expand, thresh } = passes(f.outChannels);
  const inPasses = passes(f.inChannels);
  const base: LayerPlan = {
    ll,
    yamlIndex: ll,
    name: null,
    op,
    hwOp: op,
    eltwise: null,
    operands: 1,
    poolFirst: true,
    activation: null,
    inChannels: f.inChannels,
    outChannels: f.outChannels,
    inDim: f.inDim,
    pooledDim: f.pooledDim ?? f.inDim,
    outDim: f.outDim ?? f.pooledDim ?? f.inDim,
    inCrop: [0, 0],
    pool: [1, 1],
    poolAverage: false,
    poolStride: [1, 1],
    poolDilation: [1, 1],
    pad: op === 'none' || op === 'linear' ? [0, 0] : [1, 1],
    outputPad: op === 'convtranspose2d' ? [1, 1] : [0, 0],
    stride: op === 'convtranspose2d' ? [2, 2] : [1, 1],
    dilation: [1, 1],
    kernelSize,
    groups: 1,
    flatten: false,
    streaming: false,
    bypass: false,
    bigData: false,
    quantization: op === 'none' ? 0 : 8,
    outputShift: 0,
    outputWidth: 8,
    weights: null,
    bias: null,
    processors: (1n << BigInt(inPasses.thresh)) - 1n,
    outputProcessors: (1n << BigInt(thresh)) - 1n,
    inOffset: 0,
    outOffset: 0,
    writeGap: 0,
    readGap: 0,
    inExpand: inPasses.expand,
    inExpandThresh: inPasses.thresh,
    outExpand: expand,
    outExpandThresh: thresh,
    inSequences: null,
    nextSequence: ll + 1,
    prevSequence: ll - 1,
    simulatedSequence: null,
    outputLayer: false,
  };
  const { weights, bias, ...rest } = f;
  const l: LayerPlan = { ...base, ...rest, weights: null, bias: null };
  if (weights) l.weights = { shape: [weights.length], data: Int32Array.from(weights) };
  if (bias) l.bias = Int32Array.from(bias);
  return l;
}

/** A plan that runs the layers in list order (unless they set nextSequence), the last one being final. */
export function network(layers: LayerPlan[], inputShape: [number, number, number], opts: Partial<NetworkPlan> = {}): NetworkPlan {
  const last = layers.length - 1;
  if (layers[last].nextSequence === last + 1) layers[last].nextSequence = -1;
  const order: number[] = [];
  for (let ll = opts.startLayer ?? 0; ll !== -1 && order.length <= layers.length; ll = layers[ll].nextSequence) order.push(ll);
  const finalLayer = order[order.length - 1];
  return {
    layers,
    layerCount: layers.length,
    startLayer: 0,
    finalLayer,
    terminatingLayer: finalLayer,
    order,
    inputShape,
    hasCheckpoint: true,
    ...opts,
  };
}

export function sample(shape: number[], values: number[]): SampleInput {
  return {
    shape,
    dtype: 'int64',
    values: Float64Array.from(values),
    min: values.reduce((a, b) => Math.min(a, b), Infinity),
    max: values.reduce((a, b) => Math.max(a, b), -Infinity),
  };
}

/** Output values of a result layer as a plain array (for deepStrictEqual). */
export function values(v: Float64Array | null): number[] {
  if (!v) throw new Error('layer values were not kept');
  return Array.from(v);
}
