// What a model's forward() does to its input, recorded while the reader runs it on symbolic tensors: layer
// calls, element-wise operations, concatenations and reshapes, each with the shape it produces.
import type { Ai8xLayer, EltwiseOperation } from './ai8xModules';

export interface Shape {
  c: number;
  h: number;
  w: number;
  /** Conv1d data: h is the length, w is 1. */
  oneD: boolean;
}

export type GraphNode =
  | { kind: 'input'; shape: Shape }
  /** line: where forward() calls it; defLine/defFile: where the module is built. */
  | { kind: 'layer'; layer: Ai8xLayer; path: string; input: number; shape: Shape; pooled: Shape; line: number; file: string; defLine: number; defFile: string }
  | { kind: 'eltwise'; op: EltwiseOperation; path: string; inputs: number[]; shape: Shape; line: number; file: string }
  | { kind: 'cat'; inputs: number[]; shape: Shape; line: number; file: string }
  /** flatten: to C·H·W channels; dims: the same channels re-tiled (izer's in_dim); neither: host-side only. */
  | { kind: 'reshape'; input: number; flatten: boolean; dims: [number, number] | null; shape: Shape; line: number; file: string };

export class ForwardGraph {
  readonly nodes: GraphNode[] = [];
  outputs: number[] = [];

  constructor(input: Shape) {
    this.nodes.push({ kind: 'input', shape: input });
  }

  shapeOf(node: number): Shape {
    return this.nodes[node].shape;
  }

  add(n: GraphNode): number {
    this.nodes.push(n);
    return this.nodes.length - 1;
  }
}

/** The output shape of a layer on an input, izer's arithmetic (pooling, then the operation); or why it fails. */
export function layerShapes(l: Ai8xLayer, x: Shape): { pooled: Shape; out: Shape } | string {
  if (l.op !== 'none' && l.op !== 'linear' && l.inChannels !== x.c) {
    return `expects ${l.inChannels} input channels but receives ${x.c}`;
  }
  const pooledDim = (d: number, i: 0 | 1) => (l.pooling ? Math.floor((d + l.poolStride[i] - l.poolSize[i] - l.poolDilation[i] + 1) / l.poolStride[i]) : d);
  const oneD = x.oneD || l.op === 'conv1d';
  const pooled: Shape = { c: x.c, h: pooledDim(x.h, 0), w: oneD ? 1 : pooledDim(x.w, 1), oneD };
  const conv = (d: number, i: 0 | 1) => Math.floor((d - l.dilation[i] * (l.kernel[i] - 1) - 1 + 2 * l.padding[i]) / l.stride[i]) + 1;
  const transpose = (d: number, i: 0 | 1) => (d - 1) * l.stride[i] - 2 * l.padding[i] + l.dilation[i] * (l.kernel[i] - 1) + (l.stride[i] - 1) + 1;
  let out: Shape;
  switch (l.op) {
    case 'none':
      out = pooled;
      break;
    case 'linear': {
      const features = pooled.c * pooled.h * pooled.w;
      if (features !== l.inChannels) return `expects ${l.inChannels} input features but receives ${features} (${pooled.c}×${pooled.h}×${pooled.w})`;
      out = { c: l.outChannels, h: 1, w: 1, oneD: false };
      break;
    }
    case 'conv1d':
      out = { c: l.outChannels, h: conv(pooled.h, 0), w: 1, oneD: true };
      break;
    case 'convtranspose2d':
      out = { c: l.outChannels, h: transpose(pooled.h, 0), w: transpose(pooled.w, 1), oneD: false };
      break;
    default:
      out = { c: l.outChannels, h: conv(pooled.h, 0), w: oneD ? 1 : conv(pooled.w, 1), oneD };
  }
  if (out.h <= 0 || out.w <= 0) return `produces an empty output (${out.c}×${out.h}×${out.w}) from ${x.c}×${x.h}×${x.w}`;
  return { pooled, out };
}
