// The network description as izer understands it after reading the YAML (yamlcfg.parse), with source ranges.
import type { YEntry, YMap, Range, YamlComment } from '../yaml/yamlTree';

export type Operator = 'conv2d' | 'conv1d' | 'convtranspose2d' | 'linear' | 'none';
export type EltwiseOp = 'add' | 'sub' | 'or' | 'xor';
export type Activation = 'relu' | 'abs' | null;
export type Pair = [number, number];

/** A reference to another layer as written in the YAML: a number or a name. */
export type LayerRef = { kind: 'index'; value: number; range: Range } | { kind: 'name'; value: string; range: Range };

export interface LayerSpec {
  /** 0-based position in the YAML `layers` list. */
  yamlIndex: number;
  /** Sequence number while parsing (after `sequence` overrides). */
  seq: number;
  /** izer's layer number after unused sequence numbers were removed. */
  ll: number;
  node: YMap;
  /** Range of the whole list item. */
  range: Range;
  entries: Map<string, YEntry>;

  name: string | null;
  processors: bigint | null;
  outputProcessors: bigint | null;
  op: Operator;
  /** The operation text as written (lower case), or null when the layer has no operation key. */
  opText: string | null;
  opKey: string | null;
  eltwise: EltwiseOp | null;
  operands: number;
  activation: Activation;
  pool: Pair;
  poolAvg: boolean;
  poolStride: Pair;
  poolStrideGiven: boolean;
  poolDilation: Pair;
  quantization: number | null; // -1 = binary
  outputShift: number | null;
  inChannels: number | null;
  outChannels: number | null;
  inDim: Pair | null;
  inCrop: Pair;
  readGap: number;
  inChannelSkip: number;
  inOffset: number | null;
  outOffset: number | null;
  pad: Pair;
  /** True when `pad` was given; false means the default (possibly altered by the Conv1d aliasing quirk). */
  padGiven: boolean;
  outputPad: Pair;
  dilation: Pair;
  poolFirst: boolean;
  dataFormat: 'hwc' | 'chw';
  outputWidth: number;
  kernelSize: Pair;
  kernelGiven: boolean;
  stride: Pair;
  streaming: boolean;
  flatten: boolean;
  inSequences: LayerRef[] | null;
  nextSequence: LayerRef | { kind: 'stop'; range: Range } | null;
  simulatedSequence: LayerRef | { kind: 'stop'; range: Range } | null;
  snoopSequence: number | null;
  groups: number;
  writeGap: number;
  bypass: boolean;
  biasGroup: number[] | null;
  calcx4: boolean;
  readahead: boolean;
  tcalc: boolean | null;
  output: boolean;
  weightSource: LayerRef | null;
  bufferShift: number | null;
  bufferInsert: number | null;
}

export interface DataBufferSpec {
  name: string;
  processors: bigint;
  dim: Pair;
  channels: number;
  offset: number;
  range: Range;
}

export interface UnloadSpec {
  processors: bigint;
  dim: Pair;
  channels: number;
  offset: number;
  writeGap: number;
  range: Range;
}

export interface NetworkModel {
  root: YMap | null;
  arch: string | null;
  dataset: string | null;
  outputMap: bigint | null;
  hasSnoop: boolean;
  snoopLength: number | null;
  /** The `snoop` register values, when every item is an integer. */
  snoopValues: number[] | null;
  dataBuffer: DataBufferSpec | null;
  unload: UnloadSpec[];
  /** Layers in izer order (by sequence number). */
  layers: LayerSpec[];
  /** Ranges of the global entries. */
  globals: Map<string, YEntry>;
  comments: YamlComment[];
  /** False when the file is not a network description at all (no `layers` list, or not a mapping). */
  isNetwork: boolean;
}

export function layerLabel(l: LayerSpec): string {
  return l.name ? `layer ${l.ll} (${l.name})` : `layer ${l.ll}`;
}
