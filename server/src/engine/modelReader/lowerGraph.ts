// From what forward() does to the network layers izer needs: one layer per ai8x layer call; an element-wise
// operation fused into the convolution that alone reads it (else a pass-through layer of its own), with its
// operands written word-interleaved (write_gap) — through a pass-through copy when an operand is also read
// elsewhere; channel concatenations as in_sequences; a flatten before a Linear layer; several returned tensors as
// `output` layers.
import type { Ai8xLayer, EltwiseOperation } from './ai8xModules';
import type { ForwardGraph, GraphNode, Shape } from './forwardGraph';
import { ModelReadError } from './values';

export interface NetworkLayer {
  /** Where it comes from, for the comment. */
  origin:
    | { kind: 'layer'; path: string; className: string; line: number; file: string }
    | { kind: 'eltwise'; path: string; line: number; file: string }
    | { kind: 'copy'; of: NetworkLayer | 'input'; reason: string };
  layer: Ai8xLayer | null;
  /** The layers (or the network input) this one reads, in order. */
  inputs: (NetworkLayer | 'input')[];
  eltwise: EltwiseOperation | null;
  poolFirst: boolean;
  flatten: boolean;
  /** Words skipped between the words read (the input is another layer's interleaved operand). */
  readGap: number;
  /** The input re-tiled by a view() that keeps the channels (izer's in_dim). */
  inDim: [number, number] | null;
  streaming: boolean;
  writeGap: number;
  output: boolean;
  inShape: Shape;
  outShape: Shape;
  /** The checkpoint's module path for layers with weights. */
  weightPath: string | null;
}

type Source = {
  layers: (NetworkLayer | 'input')[];
  flattenedFrom: Shape | null;
  inDim: [number, number] | null;
  eltwise: { node: number; op: EltwiseOperation; inputs: number[] } | null;
};

export interface LoweringOptions {
  /** Whether an element-wise operation may share the layer of the convolution at `path`. */
  fuseEltwise?: (path: string) => boolean;
  /** The device reads with `read_gap` (MAX78002, single pass): operands read elsewhere need no copy. */
  readGap?: boolean;
}

export function lowerGraph(g: ForwardGraph, options: LoweringOptions = {}): NetworkLayer[] {
  const fuseEltwise = options.fuseEltwise ?? (() => true);
  const out: NetworkLayer[] = [];
  const made = new Map<number, NetworkLayer | 'input'>();
  made.set(0, 'input');
  const consumers = new Map<number, number[]>();
  g.nodes.forEach((n, i) => {
    for (const s of inputsOf(n)) consumers.set(s, [...(consumers.get(s) ?? []), i]);
  });
  const isOutput = (i: number) => g.outputs.includes(i);

  /** What a node's value is made of in memory (through reshapes and concatenations). */
  const source = (i: number): Source => {
    const n = g.nodes[i];
    if (n.kind === 'reshape') {
      const s = source(n.input);
      if (n.dims) return { ...s, inDim: n.dims };
      if (!n.flatten) throw new ModelReadError('a reshape or permute that feeds another layer cannot run on the accelerator', n.line, n.file);
      return { ...s, flattenedFrom: g.shapeOf(n.input) };
    }
    if (n.kind === 'cat') {
      const parts = n.inputs.map(source);
      if (n.shape.c < 0) throw new ModelReadError('a concatenation along height or width cannot run on the accelerator', n.line, n.file);
      return { layers: parts.flatMap((p) => p.layers), flattenedFrom: null, inDim: null, eltwise: null };
    }
    if (n.kind === 'eltwise' && !made.has(i)) return { layers: [], flattenedFrom: null, inDim: null, eltwise: { node: i, op: n.op, inputs: n.inputs } };
    const m = made.get(i);
    if (!m) throw new ModelReadError('a value is used before it is computed', 'line' in n ? n.line : 0, 'file' in n ? n.file : '');
    return { layers: [m], flattenedFrom: null, inDim: null, eltwise: null };
  };

  const fusable = (i: number): boolean => {
    const n = g.nodes[i];
    if (n.kind !== 'eltwise' || isOutput(i)) return false;
    const users = consumers.get(i) ?? [];
    if (users.length !== 1) return false;
    const u = g.nodes[users[0]];
    return u.kind === 'layer' && u.layer.op !== 'none' && u.layer.op !== 'linear' && fuseEltwise(u.path);
  };

  g.nodes.forEach((n, i) => {
    if (n.kind === 'layer') {
      const s = source(n.input);
      let inputs = s.layers;
      let eltwise: EltwiseOperation | null = null;
      if (s.eltwise) {
        inputs = s.eltwise.inputs.map((x) => only(source(x), n));
        eltwise = s.eltwise.op;
      }
      const l: NetworkLayer = {
        origin: { kind: 'layer', path: n.path, className: n.layer.className, line: n.defLine, file: n.defFile },
        layer: n.layer,
        inputs,
        eltwise,
        poolFirst: !(eltwise && n.layer.pooling),
        flatten: n.layer.op === 'linear' && s.flattenedFrom !== null && s.flattenedFrom.h * s.flattenedFrom.w > 1,
        inDim: s.inDim,
        readGap: 0,
        streaming: false,
        writeGap: 0,
        output: false,
        inShape: g.shapeOf(n.input),
        outShape: n.shape,
        weightPath: n.layer.op === 'none' ? null : n.path,
      };
      if (n.layer.op === 'linear' && s.flattenedFrom === null && g.shapeOf(n.input).h * g.shapeOf(n.input).w > 1) {
        throw new ModelReadError(
          `\`${n.path}\` (a Linear layer) reads a ${g.shapeOf(n.input).h}×${g.shapeOf(n.input).w} input without a flatten/view before it`,
          n.line,
          n.file,
        );
      }
      out.push(l);
      made.set(i, l);
    } else if (n.kind === 'eltwise' && !fusable(i)) {
      const l: NetworkLayer = {
        origin: { kind: 'eltwise', path: n.path, line: n.line, file: n.file },
        layer: null,
        inputs: n.inputs.map((x) => only(source(x), n)),
        eltwise: n.op,
        poolFirst: true,
        flatten: false,
        inDim: null,
        readGap: 0,
        streaming: false,
        writeGap: 0,
        output: false,
        inShape: g.shapeOf(n.inputs[0]),
        outShape: n.shape,
        weightPath: null,
      };
      out.push(l);
      made.set(i, l);
    }
  });

  // What forward() returns may pass through host-side reshapes and concatenations (detection heads): the layers
  // behind them are the network's outputs.
  const outputsBehind = (i: number): void => {
    const n = g.nodes[i];
    if (n.kind === 'reshape') return outputsBehind(n.input);
    if (n.kind === 'cat') return n.inputs.forEach(outputsBehind);
    const m = made.get(i);
    if (m && m !== 'input') m.output = true;
    else if (n.kind === 'eltwise') throw new ModelReadError('forward() returns the result of an element-wise operation that no layer computes', n.line, n.file);
  };
  g.outputs.forEach(outputsBehind);
  interleaveOperands(out, options.readGap ?? false);
  const last = out[out.length - 1];
  if (out.filter((l) => l.output).length === 1 && last?.output) last.output = false; // the final layer is izer's output anyway
  return out;
}

function inputsOf(n: GraphNode): number[] {
  switch (n.kind) {
    case 'layer':
    case 'reshape':
      return [n.input];
    case 'eltwise':
    case 'cat':
      return n.inputs;
    default:
      return [];
  }
}

function only(s: Source, at: GraphNode): NetworkLayer | 'input' {
  if (s.layers.length !== 1 || s.eltwise) {
    const where = 'line' in at ? at.line : 0;
    throw new ModelReadError(
      'an element-wise operand must be a single layer output (not a concatenation or another element-wise result)',
      where,
      'file' in at ? at.file : '',
    );
  }
  return s.layers[0];
}

/**
 * izer reads element-wise operands word-interleaved: each operand layer writes with `write_gap` = operands − 1.
 * An operand also read by other layers keeps that layout when they can read it with `read_gap` (MAX78002, one
 * pass, a single input); else it gets a pass-through copy that writes with the gap, right after it. The input
 * and outputs always get a copy.
 */
function interleaveOperands(layers: NetworkLayer[], readGap: boolean): void {
  const readers = (x: NetworkLayer | 'input') => layers.filter((l) => l.inputs.includes(x));
  for (const l of [...layers]) {
    if (!l.eltwise) continue;
    const gap = l.inputs.length - 1;
    l.inputs = l.inputs.map((src) => {
      const others = src === 'input' ? [] : readers(src).filter((r) => r !== l);
      const gapFits = src !== 'input' && !src.output && (src.writeGap === 0 || src.writeGap === gap);
      const ownUse = gapFits && others.length === 0;
      const readable =
        gapFits && readGap && others.every((r) => !r.eltwise && r.inputs.length === 1 && r.inShape.c <= 64 && (r.readGap === 0 || r.readGap === gap));
      if (ownUse || readable) {
        (src as NetworkLayer).writeGap = gap;
        for (const r of others) r.readGap = gap;
        return src;
      }
      const copy: NetworkLayer = {
        origin: { kind: 'copy', of: src, reason: 'an element-wise operand needs its data word-interleaved' },
        layer: null,
        inputs: [src],
        eltwise: null,
        poolFirst: true,
        flatten: false,
        inDim: null,
        readGap: 0,
        streaming: false,
        writeGap: gap,
        output: false,
        inShape: src === 'input' ? l.inShape : src.outShape,
        outShape: src === 'input' ? l.inShape : src.outShape,
        weightPath: null,
      };
      const at = src === 'input' ? 0 : layers.indexOf(src) + 1;
      layers.splice(at, 0, copy);
      return copy;
    });
  }
}
