// What forward() does to symbolic tensors, recorded in the forward graph: element-wise operations, concatenation,
// reshapes (flatten, view, host-side ones) and the tensor methods model files call.
import { ForwardGraph, Shape } from './forwardGraph';
import { iterate } from './pythonSemantics';
import { describe, isObject, ModelReadError, TensorValue, Value } from './values';

/** An element-wise operation of two or more tensors of one shape. */
export function eltwise(g: ForwardGraph, op: 'add' | 'sub' | 'xor' | 'or', args: Value[], line: number, file: string, path: string): Value {
  const inputs = args.map((a) => {
    if (!isObject(a) || a.t !== 'tensor') throw new ModelReadError(`an element-wise ${op} of ${describe(a)}`, line, file);
    return a.node;
  });
  if (inputs.length < 2) throw new ModelReadError(`an element-wise ${op} needs at least two tensors`, line, file);
  const shape = g.shapeOf(inputs[0]);
  for (const i of inputs) {
    const s = g.shapeOf(i);
    if (s.c !== shape.c || s.h !== shape.h || s.w !== shape.w)
      throw new ModelReadError(`the operands of the element-wise ${op} have different shapes`, line, file);
  }
  return { t: 'tensor', node: g.add({ kind: 'eltwise', op, path, inputs, shape: { ...shape }, line, file }) };
}

/** torch.cat: along the channels a concatenation the accelerator does; along anything else host-side work. */
export function concatenate(g: ForwardGraph | null, args: Value[], kwargs: Map<string, Value>, line: number, file: string): Value {
  if (!g) return { t: 'unknown', why: 'torch.cat outside forward()', line };
  const list = iterate(args[0] ?? null, line, file);
  const dim = kwargs.get('dim') ?? args[1] ?? 0;
  const inputs = list.map((a) => {
    if (!isObject(a) || a.t !== 'tensor') throw new ModelReadError(`torch.cat of ${describe(a)}`, line, file);
    return a.node;
  });
  const first = g.shapeOf(inputs[0]);
  if (dim !== 1 || inputs.some((i) => g.shapeOf(i).c < 0)) {
    // Concatenating along anything but channels is host-side post-processing (e.g. detection boxes).
    return { t: 'tensor', node: g.add({ kind: 'cat', inputs, shape: { c: -1, h: first.h, w: first.w, oneD: first.oneD }, line, file }) };
  }
  const c = inputs.reduce((a, i) => a + g.shapeOf(i).c, 0);
  for (const i of inputs) {
    const s = g.shapeOf(i);
    if (s.h !== first.h || s.w !== first.w) throw new ModelReadError('torch.cat of tensors with different heights or widths', line, file);
  }
  return { t: 'tensor', node: g.add({ kind: 'cat', inputs, shape: { c, h: first.h, w: first.w, oneD: first.oneD }, line, file }) };
}

/** Flatten, a re-tiling that keeps the channels (dims), or a reshape only the host can do. */
export function reshape(
  g: ForwardGraph | null,
  x: Value,
  flatten: boolean,
  line: number,
  file: string,
  dims: [number, number] | null = null,
  oneD = false,
): Value {
  if (!g || !isObject(x) || x.t !== 'tensor') return { t: 'unknown', why: 'a reshape', line };
  const s = g.shapeOf(x.node);
  const shape: Shape = flatten ? { c: s.c * s.h * s.w, h: 1, w: 1, oneD: false } : dims ? { c: s.c, h: dims[0], w: dims[1], oneD } : { ...s, c: -1 };
  return { t: 'tensor', node: g.add({ kind: 'reshape', input: x.node, flatten, dims, shape, line, file }) };
}

/** view()/reshape() without the batch dimension: flatten, a re-tiling that keeps the channels, or host-side. */
function viewAs(g: ForwardGraph, x: TensorValue, target: Value[], line: number, file: string): Value {
  const s = g.shapeOf(x.node);
  const total = s.c * s.h * s.w;
  const dims = target.slice(1);
  if (!dims.every((d) => typeof d === 'number')) return reshape(g, x, false, line, file);
  const known = (dims as number[]).filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const sizes = (dims as number[]).map((d) => (d === -1 ? total / known : d));
  if (sizes.length === 1 && sizes[0] === total) return reshape(g, x, true, line, file);
  if (sizes[0] === s.c && sizes.length === 3 && sizes[1] * sizes[2] * s.c === total) return reshape(g, x, false, line, file, [sizes[1], sizes[2]], false);
  if (sizes[0] === s.c && sizes.length === 2 && sizes[1] * s.c === total) return reshape(g, x, false, line, file, [sizes[1], 1], true);
  return reshape(g, x, false, line, file);
}

/** `x.size()`, `x.view(…)`, `x.flatten()` … on a symbolic tensor. */
export function tensorMethod(g: ForwardGraph, x: TensorValue, name: string, line: number, file: string): Value {
  const s = g.shapeOf(x.node);
  const dims = s.oneD ? [1, s.c, s.h] : [1, s.c, s.h, s.w];
  switch (name) {
    case 'size':
      return {
        t: 'builtin',
        name: 'size',
        call: (args) => (typeof args[0] === 'number' ? (dims[args[0] < 0 ? dims.length + args[0] : args[0]] ?? 1) : { t: 'tuple', items: dims }),
      };
    case 'shape':
      return { t: 'tuple', items: dims };
    case 'view':
    case 'reshape':
      return {
        t: 'builtin',
        name,
        call: (args) => {
          const shape = args.length === 1 && isObject(args[0]) && (args[0].t === 'tuple' || args[0].t === 'list') ? args[0].items : args;
          return viewAs(g, x, shape, line, file);
        },
      };
    case 'flatten':
      return { t: 'builtin', name, call: () => reshape(g, x, true, line, file) };
    case 'permute':
    case 'transpose':
    case 'squeeze':
    case 'unsqueeze':
      return { t: 'builtin', name, call: () => reshape(g, x, false, line, file) };
    case 'contiguous':
    case 'clone':
    case 'detach':
    case 'float':
      return { t: 'builtin', name, call: () => x };
    default:
      return { t: 'unknown', why: `tensor.${name}`, line };
  }
}
