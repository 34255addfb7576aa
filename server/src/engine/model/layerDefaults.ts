// izer's defaults for the keys a layer does not give. Every layer starts from LAYER_DEFAULTS (a Conv2d layer's);
// the readers switch to OPERATOR_DEFAULTS where the operation changes a default. The key catalogue states the
// defaults it documents from these tables.
import type { YEntry, YMap } from '../yaml/yamlTree';
import type { LayerSpec, Operator } from './network';

/** A layer's settings: its spec without its place in the YAML. */
export type LayerSettings = Omit<LayerSpec, 'yamlIndex' | 'seq' | 'll' | 'node' | 'range' | 'entries'>;

export const LAYER_DEFAULTS: Readonly<LayerSettings> = {
  name: null,
  processors: null,
  outputProcessors: null,
  op: 'conv2d',
  opText: null,
  opKey: null,
  eltwise: null,
  operands: 1,
  activation: null,
  pool: [1, 1],
  poolAvg: false,
  poolStride: [1, 1],
  poolStrideGiven: false,
  poolDilation: [1, 1],
  quantization: null,
  outputShift: null,
  inChannels: null,
  outChannels: null,
  inDim: null,
  inCrop: [0, 0],
  readGap: 0,
  inChannelSkip: 0,
  inOffset: null,
  outOffset: null,
  pad: [1, 1],
  padGiven: false,
  outputPad: [0, 0],
  dilation: [1, 1],
  poolFirst: true,
  dataFormat: 'hwc',
  outputWidth: 8,
  kernelSize: [3, 3],
  kernelGiven: false,
  stride: [1, 1],
  streaming: false,
  flatten: false,
  inSequences: null,
  nextSequence: null,
  simulatedSequence: null,
  snoopSequence: null,
  groups: 1,
  writeGap: 0,
  bypass: false,
  biasGroup: null,
  calcx4: false,
  readahead: false,
  tcalc: null,
  output: false,
  weightSource: null,
  bufferShift: null,
  bufferInsert: null,
};

/**
 * What an operation changes: its defaults (Conv1d's kernel, a ConvTranspose2d's output padding, no padding for
 * linear and passthrough layers) and what it fixes (a linear or passthrough layer's 1×1 kernel, a ConvTranspose2d's
 * stride 2). Conv2d keeps LAYER_DEFAULTS.
 */
export const OPERATOR_DEFAULTS = {
  conv1d: { kernelSize: [9, 1] },
  convtranspose2d: { stride: [2, 2], outputPad: [1, 1] },
  linear: { kernelSize: [1, 1], pad: [0, 0] },
  none: { kernelSize: [1, 1], pad: [0, 0] },
} satisfies Partial<Record<Operator, Partial<LayerSettings>>>;

/** The operand count of an element-wise operation when `operands` is not given. */
export const ELTWISE_OPERANDS = 2;

export function newLayer(node: YMap, yamlIndex: number, entries: Map<string, YEntry>): LayerSpec {
  const layer = { yamlIndex, seq: yamlIndex, ll: yamlIndex, node, range: node.range, entries, ...LAYER_DEFAULTS } as LayerSpec;
  // The defaults are primitives and number pairs: copying the pairs makes the layer's settings its own, at a small
  // part of what structuredClone costs (paid for every layer on every check).
  for (const key of PAIR_KEYS) (layer[key] as number[]) = (LAYER_DEFAULTS[key] as number[]).slice();
  return layer;
}

const PAIR_KEYS = (Object.keys(LAYER_DEFAULTS) as (keyof LayerSettings)[]).filter((k) => Array.isArray(LAYER_DEFAULTS[k]));
