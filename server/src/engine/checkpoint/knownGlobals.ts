// The Python globals the checkpoint reader models, each as a pure data constructor. Every other global (os.system,
// builtins.eval, a model class, …) stays an inert marker: the pickle machine never imports or runs anything.
import { COST, ReadBudget } from './budget';
import { CheckpointError, PyObject, Tensor, TensorDType } from './types';
import { ELEMENT_SIZE, contiguousStrides, decodeElements, fortranToC, readInt64 } from './elementDecode';
import { Internal, KnownGlobal, Value, isDict, isSet, newDict, sequenceItems } from './pickleValues';
import { TensorStore, storageDType, tensorCost } from './tensorStore';

/** A torch storage class (used in persistent ids; never instantiated). */
export class StorageType extends KnownGlobal {
  constructor(module: string, name: string) {
    super(module, name, {});
  }
}

/** What the modelled globals work with: the read's tensors and its budget. */
export interface ReadContext {
  store: TensorStore;
  budget: ReadBudget;
}

export function globalResolver(ctx: ReadContext): (module: string, name: string) => KnownGlobal | null {
  return (module, name) => {
    if ((module === 'torch' || module === 'torch.cuda' || module === 'torch.storage') && storageDType(name) !== null) return new StorageType(module, name);
    const make = TABLE.get(module + '.' + name);
    return make ? new KnownGlobal(module, name, make(ctx)) : null;
  };
}

type Maker = (ctx: ReadContext) => KnownGlobal['behaviour'];

const dictFrom =
  ({ budget }: ReadContext) =>
  (args: Value[]): Value => {
    budget.charge(COST.object + COST.array);
    const d = newDict();
    const src = args[0];
    if (src === undefined) return d;
    if (isDict(src)) {
      budget.step(src.entries.length);
      for (const [k, v] of src.entries) budget.keys.dictSet(d, k, v);
      return d;
    }
    const pairs = sequenceItems(src);
    if (!pairs) throw new CheckpointError('OrderedDict/dict is built from something that is not a list of pairs.', 'format');
    budget.step(pairs.length);
    for (const p of pairs) {
      const kv = sequenceItems(p);
      if (!kv || kv.length !== 2) throw new CheckpointError('OrderedDict/dict is built from something that is not a list of pairs.', 'format');
      budget.keys.dictSet(d, kv[0], kv[1]);
    }
    return d;
  };

const setFrom =
  (frozen: boolean) =>
  ({ budget }: ReadContext) =>
  (args: Value[]): Value => {
    budget.charge(COST.object + COST.array);
    const s: Extract<PyObject, { kind: 'set' }> = { kind: 'set', items: [], frozen };
    const src = args[0];
    const items = src === undefined ? [] : isSet(src) ? src.items : sequenceItems(src);
    if (!items) throw new CheckpointError('set/frozenset is built from something that is not a sequence.', 'format');
    budget.step(items.length);
    for (const x of items) budget.keys.setAdd(s, x);
    return s;
  };

/** A copy of a list or tuple argument's items (list(x), tuple(x), torch.Size(x)). */
const copyItems = (budget: ReadBudget, src: Value | undefined): PyObject[] => {
  const items = (src !== undefined && sequenceItems(src)) || [];
  budget.reserve(COST.object + COST.array + items.length * COST.slot, 'a copied list');
  budget.step(items.length);
  return items.slice() as PyObject[];
};

const encodeText =
  ({ budget }: ReadContext) =>
  (args: Value[]): Value => {
    const [text, encoding] = args;
    if (text instanceof Uint8Array) {
      budget.reserve(COST.view + text.length, 'a copy of bytes');
      return text.slice();
    }
    if (text === undefined) return new Uint8Array(0);
    if (Array.isArray(text)) {
      budget.reserve(COST.view + text.length, 'bytes from a list');
      budget.step(text.length);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = Number(text[i]) & 0xff;
      return out;
    }
    if (typeof text !== 'string') throw new CheckpointError('bytes/bytearray/_codecs.encode is given something that is not text.', 'format');
    const enc = typeof encoding === 'string' ? encoding.toLowerCase().replace('_', '-') : 'utf-8';
    budget.step(text.length / 16);
    if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1') return latin1Bytes(budget, text);
    budget.reserve(COST.view + 3 * text.length, 'encoded text');
    return new TextEncoder().encode(text);
  };

function latin1Bytes(budget: ReadBudget, text: string): Uint8Array {
  budget.reserve(COST.view + text.length, 'encoded text');
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const rebuildTensor = ({ store }: ReadContext) => ({
  call: (args: Value[]): Value => store.makeTensor(args[0], args[1] ?? 0, args[2] ?? null, args[3] ?? null),
});

/** A Parameter or tensor subclass wrapper: the data tensor is what counts. */
const firstArg = () => ({ call: (args: Value[]): Value => (args[0] === undefined ? null : args[0]) });

/** torch nests _rebuild_from_type once (a tensor subclass around a tensor); deeper nesting is forged. */
const MAX_REBUILD_NESTING = 16;
let rebuildNesting = 0;

const rebuildFromType = () => ({
  call: (args: Value[]): Value => {
    const [fn, , fnArgs] = args;
    const inner = fnArgs === undefined ? null : sequenceItems(fnArgs);
    if (fn instanceof KnownGlobal && fn.behaviour.call && inner) {
      if (rebuildNesting >= MAX_REBUILD_NESTING)
        throw new CheckpointError(`The pickle nests tensor rebuilds more than ${MAX_REBUILD_NESTING} deep; torch never does.`, 'limit');
      rebuildNesting++;
      try {
        return fn.behaviour.call(inner);
      } finally {
        rebuildNesting--;
      }
    }
    return { kind: 'global', module: 'torch._tensor', name: '_rebuild_from_type_v2', args: args as PyObject[] };
  },
});

// ---- numpy ------------------------------------------------------------------------------------------------------

const NUMPY_DTYPES = new Map<string, TensorDType>([
  ['f8', 'float64'],
  ['f4', 'float32'],
  ['f2', 'float16'],
  ['i8', 'int64'],
  ['i4', 'int32'],
  ['i2', 'int16'],
  ['i1', 'int8'],
  ['u1', 'uint8'],
  ['b1', 'bool'],
]);

/** numpy.dtype('<descr>', align, copy), completed by BUILD (byte order). */
class NumpyDType extends Internal {
  byteOrder = '=';
  constructor(readonly descr: string) {
    super();
  }
  build(state: Value): void {
    const items = sequenceItems(state);
    if (items && typeof items[1] === 'string') this.byteOrder = items[1];
  }
  get dtype(): TensorDType | null {
    return NUMPY_DTYPES.get(this.descr) ?? null;
  }
  get littleEndian(): boolean {
    return this.byteOrder !== '>';
  }
  toPy(): PyObject {
    return { kind: 'global', module: 'numpy', name: 'dtype', args: [this.descr] };
  }
}

/** numpy.core.multiarray._reconstruct(ndarray, (0,), b'b'), completed by BUILD with (version, shape, dtype, fortran, data). */
class NumpyArray extends Internal {
  private result: PyObject | null = null;
  private state: Value = null;
  constructor(private readonly ctx: ReadContext) {
    super();
  }
  build(state: Value): void {
    const { store, budget } = this.ctx;
    this.state = state;
    const s = sequenceItems(state);
    if (!s || s.length < 5) return;
    const [, shapeV, dt, fortran, raw] = s;
    const shape = sequenceItems(shapeV);
    if (!(dt instanceof NumpyDType) || !dt.dtype || !shape || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) return;
    const dims = shape as number[];
    const numel = dims.reduce((a, b) => a * b, 1);
    if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return;
    const size = ELEMENT_SIZE[dt.dtype];
    if (raw.length !== numel * size)
      throw new CheckpointError(`A numpy array of shape [${dims.join(', ')}] carries ${raw.length} bytes instead of ${numel * size}.`, 'format');
    store.countElements(numel);
    const fortranOrder = fortran === true && dims.length > 1;
    budget.reserve(
      COST.view + (typeof raw === 'string' ? raw.length : 0) + 8 * numel * (fortranOrder ? 2 : 1) + tensorCost(dims.length),
      `a numpy array of ${numel} elements`,
    );
    budget.step(numel / 16);
    const bytes = typeof raw === 'string' ? latin1Bytes(budget, raw) : raw;
    let values = decodeElements(bytes, 0, numel, dt.dtype, dt.littleEndian);
    if (fortranOrder) values = fortranToC(values, dims);
    const tensor: Tensor = { dtype: dt.dtype, shape: dims, strides: contiguousStrides(dims), values };
    this.result = { kind: 'tensor', tensor };
  }
  toPy(): PyObject {
    return this.result ?? { kind: 'global', module: 'numpy', name: 'ndarray', state: this.state as PyObject };
  }
}

const numpyScalar = ({ budget }: ReadContext) => ({
  call: (args: Value[]): Value => {
    const [dt, raw] = args;
    if (dt instanceof NumpyDType && dt.dtype) {
      const size = ELEMENT_SIZE[dt.dtype];
      const bytes = typeof raw === 'string' && raw.length === size ? latin1Bytes(budget, raw) : raw instanceof Uint8Array ? raw : null;
      if (bytes && bytes.length === size) {
        if (dt.dtype === 'bool') return bytes[0] !== 0;
        if (dt.dtype === 'int64') {
          const big = readInt64(bytes, 0, dt.littleEndian);
          return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
        }
        return decodeElements(bytes, 0, 1, dt.dtype, dt.littleEndian)[0];
      }
    }
    if (dt instanceof NumpyDType && dt.descr.startsWith('O')) return raw ?? null;
    budget.charge(COST.array + args.length * COST.slot);
    return { kind: 'global', module: 'numpy', name: 'scalar', args: args.map((a) => (a instanceof Internal ? a.toPy() : a)) };
  },
});

const TABLE = new Map<string, Maker>([
  ['collections.OrderedDict', (ctx) => ({ call: (a) => ordered(dictFrom(ctx)(a)), newObj: () => ordered(emptyDict(ctx)) })],
  ['builtins.dict', (ctx) => ({ call: dictFrom(ctx), newObj: () => emptyDict(ctx) })],
  ['builtins.set', (ctx) => ({ call: setFrom(false)(ctx), newObj: () => setFrom(false)(ctx)([]) })],
  ['builtins.frozenset', (ctx) => ({ call: setFrom(true)(ctx) })],
  ['builtins.list', ({ budget }) => ({ call: (a) => copyItems(budget, a[0]), newObj: () => copyItems(budget, undefined) })],
  ['builtins.tuple', ({ budget }) => ({ call: (a) => ({ kind: 'tuple', items: copyItems(budget, a[0]) }) })],
  ['builtins.bytes', (ctx) => ({ call: encodeText(ctx) })],
  ['builtins.bytearray', (ctx) => ({ call: encodeText(ctx) })],
  ['_codecs.encode', (ctx) => ({ call: encodeText(ctx) })],
  ['torch._utils._rebuild_tensor_v2', rebuildTensor],
  ['torch._utils._rebuild_tensor', rebuildTensor],
  ['torch._utils._rebuild_parameter', firstArg],
  ['torch._utils._rebuild_parameter_with_state', firstArg],
  ['torch.nn.parameter.Parameter', firstArg],
  ['torch._tensor._rebuild_from_type_v2', rebuildFromType],
  ['torch._tensor._rebuild_from_type', rebuildFromType],
  ['torch.tensor._rebuild_from_type_v2', rebuildFromType],
  ['torch.tensor._rebuild_from_type', rebuildFromType],
  ['torch.Size', ({ budget }) => ({ call: (a) => ({ kind: 'tuple', items: copyItems(budget, a[0]) }) })],
  [
    'numpy.dtype',
    ({ budget }) => ({
      call: (a) => {
        budget.charge(COST.object);
        return new NumpyDType(typeof a[0] === 'string' ? a[0] : '?');
      },
    }),
  ],
  ['numpy.core.multiarray.scalar', numpyScalar],
  ['numpy._core.multiarray.scalar', numpyScalar],
  ['numpy.core.multiarray._reconstruct', newNumpyArray],
  ['numpy._core.multiarray._reconstruct', newNumpyArray],
]);

function ordered(d: Value): Value {
  if (isDict(d)) d.ordered = true;
  return d;
}

function emptyDict({ budget }: ReadContext): Value {
  budget.charge(COST.object + COST.array);
  return newDict();
}

function newNumpyArray(ctx: ReadContext): KnownGlobal['behaviour'] {
  return {
    call: () => {
      ctx.budget.charge(COST.object * 2);
      return new NumpyArray(ctx);
    },
  };
}
