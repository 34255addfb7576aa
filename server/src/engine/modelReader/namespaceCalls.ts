// Calls into the libraries model files use (ai8x, torch.nn, torch, torch.nn.functional, math), as values the model
// reader understands; nothing of them is run.
import { ai8xClass, makeLayer, SIGNATURES } from './ai8xModules';
import type { ForwardGraph } from './forwardGraph';
import { bindLayerArgs, iterate } from './pythonSemantics';
import { concatenate, eltwise, reshape } from './tensorOps';
import { isObject, ModelReadError, TensorValue, toPlain, Value } from './values';

/**
 * A call of `ai8x.*`, `nn.*`, `torch.*`, `F.*` or `math.*`: a layer, container or element-wise module in a constructor,
 * a recorded tensor operation in forward() (graph), a number, or an unknown value naming the call.
 */
export function callNamespace(g: ForwardGraph | null, name: string, args: Value[], kwargs: Map<string, Value>, line: number, file: string): Value {
  const short = name.replace(/^torch\.nn\./, 'nn.').replace(/^torch\.nn$/, 'nn');
  const [ns, member] = [short.slice(0, short.lastIndexOf('.')), short.slice(short.lastIndexOf('.') + 1)];
  if (ns === 'ai8x' || ns.endsWith('.ai8x')) {
    if (member === 'Empty') return { t: 'torch', kind: 'identity', name: 'ai8x.Empty', line };
    if (member === 'SoftwareLinear' || member === 'FusedSoftwareLinearReLU') return { t: 'torch', kind: 'software', name: `ai8x.${member}`, line };
    const c = ai8xClass(member);
    if (!c) throw new ModelReadError(`\`ai8x.${member}\` is not a layer the model reader knows`, line, file);
    if (c.kind === 'eltwise') return { t: 'eltwise', op: c.op, line };
    const values = bindLayerArgs(SIGNATURES[c.family], args, kwargs);
    const plain = new Map<string, unknown>();
    for (const [k, v] of values) {
      if (isObject(v) && v.t === 'unknown')
        throw new ModelReadError(`argument \`${k}\` of ai8x.${member} is not known statically: ${v.why} (line ${v.line})`, line, file);
      plain.set(k, toPlain(v));
    }
    const layer = makeLayer(member, c.family, plain);
    if (typeof layer === 'string') throw new ModelReadError(`ai8x.${member}: ${layer}`, line, file);
    return { t: 'layer', layer, line, file };
  }
  if (ns === 'nn') {
    if (member === 'ModuleList' || member === 'Sequential' || member === 'ModuleDict') {
      const items: [string, Value][] =
        member === 'Sequential'
          ? args.map((a, i): [string, Value] => [String(i), a])
          : iterate(args[0] ?? { t: 'list', items: [] }, line, file).map((a, i): [string, Value] => [String(i), a]);
      return { t: 'container', kind: member, items, line };
    }
    if (member === 'Dropout' || member === 'Dropout2d' || member === 'Dropout1d' || member === 'Identity')
      return { t: 'torch', kind: 'identity', name: `nn.${member}`, line };
    if (member === 'Flatten') return { t: 'torch', kind: 'flatten', name: 'nn.Flatten', line };
    if (member === 'Softmax' || member === 'LogSoftmax') return { t: 'torch', kind: 'softmax', name: `nn.${member}`, line };
    return { t: 'torch', kind: 'other', name: `nn.${member}`, line };
  }
  if (name === 'torch.cat' || name === 'torch.concat') return concatenate(g, args, kwargs, line, file);
  if (name === 'torch.flatten') return reshape(g, args[0], true, line, file);
  if (name === 'torch.add' && args.length >= 2) return eltwise(g!, 'add', args, line, file, `torch.add`);
  if (/^(F|torch)\.(dropout|softmax|log_softmax|relu)$/.test(name) && args[0] !== undefined) return args[0];
  // Any other torch function of a tensor runs on the host (e.g. F.normalize of an embedding): what feeds it is
  // an output of the network.
  if (/^(F|torch)\./.test(name) && isObject(args[0] ?? null) && (args[0] as TensorValue).t === 'tensor') return reshape(g, args[0], false, line, file);
  if (name.startsWith('math.')) {
    const x = args[0];
    if (typeof x === 'number') {
      const fns: Record<string, (v: number) => number> = {
        sqrt: Math.sqrt,
        ceil: Math.ceil,
        floor: Math.floor,
        log2: Math.log2,
        log: Math.log,
        exp: Math.exp,
      };
      const f = fns[member];
      if (f) return f(x);
    }
  }
  return { t: 'unknown', why: `${name}(…)`, line };
}
