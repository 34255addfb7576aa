// The structure an allocation must respect, read from a checked network: who reads whose output and how the
// inputs of a layer are arranged, how many processors each side of a layer needs, how many bytes each output
// takes in a data memory, and when each output is written and last read.
import type { CheckResult } from '../check';
import type { IzerState } from '../analysis/izerState';

/** How a layer's inputs sit in memory (izer's in_sequences cases). */
export type Arrangement =
  /** One source (the previous layer, or one in_sequences entry). */
  | 'single'
  /** Several sources on the same processors, word-interleaved (`write_gap` = sources − 1): element-wise operands, or channels. */
  | 'interleaved'
  /** Several sources on the same processors, one after another in memory (multi-pass concatenation). */
  | 'sequential'
  /** Several sources on neighbouring processors at the same offset (concatenation by processors). */
  | 'byProcessors';

export const INPUT = -1;

export interface FlowLayer {
  ll: number;
  /** Position in the execution order. */
  step: number;
  sources: number[];
  arrangement: Arrangement;
  readers: number[];
  /** Processors the layer's input needs (izer's in_expand_thresh), and the output (out_expand_thresh). */
  inCount: number;
  outCount: number;
  /** Whether the layer has kernels (and so needs kernel memory in its input processors). */
  weighted: boolean;
  /** CHW input (only the first layer): one processor per data memory. */
  chw: boolean;
  /** Bytes of the output in each data memory it uses (izer's rule #189 size), before any write gap. */
  outBytes: number;
  writeGap: number;
  streaming: boolean;
  /** The output must survive to the end (an `output` layer or the final layer). */
  keep: boolean;
  /** Step of the last layer that reads this output (Infinity when kept). */
  lastRead: number;
}

export interface DataFlow {
  layers: FlowLayer[];
  /** Execution order. */
  order: number[];
  /** Bytes of the network input in each data memory, and its last reader's step. */
  inputBytes: number;
  inputLastRead: number;
  finalLayer: number;
  problems: { layer: number | null; message: string }[];
}

export function readDataFlow(result: CheckResult): DataFlow | null {
  const s = result.analysis?.state;
  if (!s || !s.channelsKnown || !s.dimsKnown || !s.inputSize) return null;
  const order = s.order.slice();
  const step = new Map(order.map((ll, i) => [ll, i]));
  const problems: DataFlow['problems'] = [];
  const layers: FlowLayer[] = order.map((ll) => {
    const ins = s.inSequences[ll];
    const sources = ins && ins.length ? ins.slice() : [s.prevSequence[ll] < 0 ? INPUT : s.prevSequence[ll]];
    if (sources.some((x) => x < INPUT)) problems.push({ layer: ll, message: 'reads a `data_buffer`, which the allocator does not place' });
    return {
      ll,
      step: step.get(ll)!,
      sources,
      arrangement: arrangementOf(s, ll, sources),
      readers: [],
      inCount: s.inExpandThresh[ll],
      outCount: s.outExpandThresh[ll],
      weighted: s.hwOperator[ll] !== 'none' && !s.bypass[ll] && s.hwWeights[ll] !== null,
      chw: s.bigData[ll],
      outBytes: outputBytes(s, ll),
      writeGap: s.writeGap[ll],
      streaming: s.streaming[ll],
      keep: s.outputLayer[ll] || ll === s.finalLayer,
      lastRead: -1,
    };
  });
  const byLl = new Map(layers.map((l) => [l.ll, l]));
  let inputLastRead = -1;
  for (const r of layers) {
    for (const src of r.sources) {
      if (src === INPUT) inputLastRead = Math.max(inputLastRead, r.step);
      const p = byLl.get(src);
      if (!p) continue;
      if (!p.readers.includes(r.ll)) p.readers.push(r.ll);
      p.lastRead = Math.max(p.lastRead, r.step);
    }
  }
  for (const l of layers) if (l.keep) l.lastRead = Infinity;
  const first = order[0];
  const [h, w] = s.inputDim[first] ?? [s.inputSize[1], s.inputSize[2]];
  const inputBytes = h * w * s.inExpand[first] * s.operands[first] * (s.bigData[first] ? 1 : 4);
  return { layers, order, inputBytes, inputLastRead, finalLayer: s.finalLayer, problems };
}

function arrangementOf(s: IzerState, ll: number, sources: number[]): Arrangement {
  if (sources.length < 2) return 'single';
  const gap = sources[0] >= 0 ? s.writeGap[sources[0]] : 0;
  if ((s.eltwise[ll] && s.operands[ll] > 1) || gap > 0) return 'interleaved';
  const total = sources.reduce((a, x) => a + (x >= 0 ? s.outputChannels[x] : (s.inputSize?.[0] ?? 0)), 0);
  return total > 64 ? 'sequential' : 'byProcessors';
}

/** izer's rule #189 size: (H·W + out_pad) · out_expand · 4 · output_width / 8 bytes per data memory. */
export function outputBytes(s: IzerState, ll: number): number {
  const [h, w] = s.outputDim[ll];
  return Math.floor(((h * w + s.outPad[ll]) * s.outExpand[ll] * 4 * s.outputWidth[ll]) / 8);
}
