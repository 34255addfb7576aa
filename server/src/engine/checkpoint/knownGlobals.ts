// The Python globals the checkpoint reader models, each as a pure data constructor. Every other global (os.system,
// builtins.eval, a model class, …) stays an inert marker: the pickle machine never imports or runs anything.
import { CheckpointError, PyObject, Tensor, TensorDType } from './types';
import { ELEMENT_SIZE, contiguousStrides, decodeElements, fortranToC, readInt64 } from './elementDecode';
import { Internal, KnownGlobal, Value, dictSet, isDict, isSet, newDict, sequenceItems, setAdd } from './pickleValues';
import { TensorStore, storageDType } from './tensorStore';

/** A torch storage class (used in persistent ids; never instantiated). */
export class StorageType extends KnownGlobal {
  constructor(module: string, name: string) {
    super(module, name, {});
  }
}

export function globalResolver(store: TensorStore): (module: string, name: string) => KnownGlobal | null {
  return (module, name) => {
    if ((module === 'torch' || module === 'torch.cuda' || module === 'torch.storage') && storageDType(name) !== null) return new StorageType(module, name);
    const make = TABLE.get(module + '.' + name);
    return make ? new KnownGlobal(module, name, make(store)) : null;
  };
}

type Maker = (store: TensorStore) => KnownGlobal['behaviour'];

const dictFrom = (args: Value[]): Value => {
  const d = newDict();
  const src = args[0];
  if (src === undefined) return d;
  if (isDict(src)) {
    for (const [k, v] of src.entries) dictSet(d, k, v);
    return d;
  }
  const pairs = sequenceItems(src);
  if (!pairs) throw new CheckpointError('OrderedDict/dict is built from something that is not a list of pairs.', 'format');
  for (const p of pairs) {
    const kv = sequenceItems(p);
    if (!kv || kv.length !== 2) throw new CheckpointError('OrderedDict/dict is built from something that is not a list of pairs.', 'format');
    dictSet(d, kv[0], kv[1]);
  }
  return d;
};

const setFrom =
  (frozen: boolean) =>
  (args: Value[]): Value => {
    const s: Extract<PyObject, { kind: 'set' }> = { kind: 'set', items: [], frozen };
    const src = args[0];
    const items = src === undefined ? [] : isSet(src) ? src.items : sequenceItems(src);
    if (!items) throw new CheckpointError('set/frozenset is built from something that is not a sequence.', 'format');
    for (const x of items) setAdd(s, x);
    return s;
  };

const encodeText = (args: Value[]): Value => {
  const [text, encoding] = args;
  if (text instanceof Uint8Array) return text.slice();
  if (text === undefined) return new Uint8Array(0);
  if (Array.isArray(text)) return Uint8Array.from(text.map((x) => Number(x) & 0xff));
  if (typeof text !== 'string') throw new CheckpointError('bytes/bytearray/_codecs.encode is given something that is not text.', 'format');
  const enc = typeof encoding === 'string' ? encoding.toLowerCase().replace('_', '-') : 'utf-8';
  if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1') {
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }
  return new TextEncoder().encode(text);
};

const rebuildTensor = (store: TensorStore) => ({
  call: (args: Value[]): Value => store.makeTensor(args[0], args[1] ?? 0, args[2] ?? null, args[3] ?? null),
});

/** A Parameter or tensor subclass wrapper: the data tensor is what counts. */
const firstArg = () => ({ call: (args: Value[]): Value => (args[0] === undefined ? null : args[0]) });

const rebuildFromType = () => ({
  call: (args: Value[]): Value => {
    const [fn, , fnArgs] = args;
    const inner = fnArgs === undefined ? null : sequenceItems(fnArgs);
    if (fn instanceof KnownGlobal && fn.behaviour.call && inner) return fn.behaviour.call(inner);
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
  constructor(private readonly store: TensorStore) {
    super();
  }
  build(state: Value): void {
    this.state = state;
    const s = sequenceItems(state);
    if (!s || s.length < 5) return;
    const [, shapeV, dt, fortran, raw] = s;
    const shape = sequenceItems(shapeV);
    if (!(dt instanceof NumpyDType) || !dt.dtype || !shape || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) return;
    const dims = shape as number[];
    const numel = dims.reduce((a, b) => a * b, 1);
    const bytes = typeof raw === 'string' ? (encodeText([raw, 'latin1']) as Uint8Array) : raw instanceof Uint8Array ? raw : null;
    if (!bytes) return;
    const size = ELEMENT_SIZE[dt.dtype];
    if (bytes.length !== numel * size)
      throw new CheckpointError(`A numpy array of shape [${dims.join(', ')}] carries ${bytes.length} bytes instead of ${numel * size}.`, 'format');
    this.store.countElements(numel);
    let values = decodeElements(bytes, 0, numel, dt.dtype, dt.littleEndian);
    if (fortran === true && dims.length > 1) values = fortranToC(values, dims);
    const tensor: Tensor = { dtype: dt.dtype, shape: dims, strides: contiguousStrides(dims), values };
    this.result = { kind: 'tensor', tensor };
  }
  toPy(): PyObject {
    return this.result ?? { kind: 'global', module: 'numpy', name: 'ndarray', state: this.state as PyObject };
  }
}

const numpyScalar = () => ({
  call: (args: Value[]): Value => {
    const [dt, raw] = args;
    if (dt instanceof NumpyDType && dt.dtype) {
      const bytes = typeof raw === 'string' ? (encodeText([raw, 'latin1']) as Uint8Array) : raw instanceof Uint8Array ? raw : null;
      if (bytes && bytes.length === ELEMENT_SIZE[dt.dtype]) {
        if (dt.dtype === 'bool') return bytes[0] !== 0;
        if (dt.dtype === 'int64') {
          const big = readInt64(bytes, 0, dt.littleEndian);
          return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
        }
        return decodeElements(bytes, 0, 1, dt.dtype, dt.littleEndian)[0];
      }
    }
    if (dt instanceof NumpyDType && dt.descr.startsWith('O')) return raw ?? null;
    return { kind: 'global', module: 'numpy', name: 'scalar', args: args.map((a) => (a instanceof Internal ? a.toPy() : a)) };
  },
});

const TABLE = new Map<string, Maker>([
  ['collections.OrderedDict', () => ({ call: dictFrom, newObj: () => newDict() })],
  ['builtins.dict', () => ({ call: dictFrom, newObj: () => newDict() })],
  ['builtins.set', () => ({ call: setFrom(false), newObj: () => ({ kind: 'set', items: [], frozen: false }) })],
  ['builtins.frozenset', () => ({ call: setFrom(true) })],
  ['builtins.list', () => ({ call: (a) => [...((a[0] !== undefined && sequenceItems(a[0])) || [])] as PyObject[], newObj: () => [] })],
  ['builtins.tuple', () => ({ call: (a) => ({ kind: 'tuple', items: [...((a[0] !== undefined && sequenceItems(a[0])) || [])] as PyObject[] }) })],
  ['builtins.bytes', () => ({ call: encodeText })],
  ['builtins.bytearray', () => ({ call: encodeText })],
  ['_codecs.encode', () => ({ call: encodeText })],
  ['torch._utils._rebuild_tensor_v2', rebuildTensor],
  ['torch._utils._rebuild_tensor', rebuildTensor],
  ['torch._utils._rebuild_parameter', firstArg],
  ['torch._utils._rebuild_parameter_with_state', firstArg],
  ['torch.nn.parameter.Parameter', firstArg],
  ['torch._tensor._rebuild_from_type_v2', rebuildFromType],
  ['torch._tensor._rebuild_from_type', rebuildFromType],
  ['torch.tensor._rebuild_from_type_v2', rebuildFromType],
  ['torch.tensor._rebuild_from_type', rebuildFromType],
  ['torch.Size', () => ({ call: (a) => ({ kind: 'tuple', items: [...((a[0] !== undefined && sequenceItems(a[0])) || [])] as PyObject[] }) })],
  ['numpy.dtype', () => ({ call: (a) => new NumpyDType(typeof a[0] === 'string' ? a[0] : '?') })],
  ['numpy.core.multiarray.scalar', numpyScalar],
  ['numpy._core.multiarray.scalar', numpyScalar],
  ['numpy.core.multiarray._reconstruct', (store) => ({ call: () => new NumpyArray(store) })],
  ['numpy._core.multiarray._reconstruct', (store) => ({ call: () => new NumpyArray(store) })],
]);
