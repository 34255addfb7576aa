// Storages and the tensors viewing them. Tensors are checked when the pickle creates them and filled with values
// once every storage's bytes are known (legacy files append the storages after the pickle).
import { COST, ReadBudget } from './budget';
import { CheckpointError, DirectValues, PyObject, Tensor, TensorDType } from './types';
import { ELEMENT_SIZE, contiguousStrides, decodeElements, directView, gatherStrided } from './elementDecode';
import { Internal, Value, sequenceItems } from './pickleValues';

/** torch storage class name → element type (cuda variants map to the same; map_location='cpu'). */
const STORAGE_DTYPES = new Map<string, TensorDType>([
  ['FloatStorage', 'float32'],
  ['DoubleStorage', 'float64'],
  ['HalfStorage', 'float16'],
  ['BFloat16Storage', 'bfloat16'],
  ['LongStorage', 'int64'],
  ['IntStorage', 'int32'],
  ['ShortStorage', 'int16'],
  ['CharStorage', 'int8'],
  ['ByteStorage', 'uint8'],
  ['BoolStorage', 'bool'],
  ['UntypedStorage', 'uint8'],
]);

export function storageDType(name: string): TensorDType | null {
  return STORAGE_DTYPES.get(name) ?? null;
}

/** What a decoded tensor costs besides its values: the Tensor, its shape and strides, the wrapper, the Float64Array. */
export function tensorCost(rank: number): number {
  return 3 * COST.object + 2 * (COST.array + rank * COST.slot) + COST.view;
}

/** The bytes of one saved storage (filled in when they are read). */
export class RootStorage {
  bytes: Uint8Array | null = null;
  /** The zip member the bytes came from. */
  member: string | null = null;
  constructor(
    readonly key: string,
    readonly typeName: string,
    readonly dtype: TensorDType | null,
    readonly numel: number,
    readonly littleEndian: boolean,
  ) {}
}

/** A storage as the pickle sees it: a root storage or an element range of one (legacy views). */
export class StorageRef extends Internal {
  constructor(
    readonly root: RootStorage,
    readonly elementOffset: number,
    readonly numel: number,
  ) {
    super();
  }
  toPy(): PyObject {
    return { kind: 'global', module: 'torch', name: this.root.typeName, args: [this.root.key] };
  }
}

interface Pending {
  tensor: Tensor;
  storage: StorageRef;
  offset: number;
  numel: number;
}

export class TensorStore {
  private readonly pending: Pending[] = [];
  /** The storage behind each tensor, to name the tensors a damaged zip member holds. */
  readonly storageOf = new WeakMap<Tensor, RootStorage>();
  private elements = 0;
  readonly roots = new Map<string, RootStorage>();
  private readonly limits: ReadBudget['limits'];

  constructor(private readonly budget: ReadBudget) {
    this.limits = budget.limits;
  }

  /** A root storage, created on first reference; later references must agree on type and size. */
  root(key: string, typeName: string, numel: number, littleEndian: boolean): RootStorage {
    const have = this.roots.get(key);
    if (have) {
      if (have.typeName !== typeName)
        throw new CheckpointError(`Storage \`${key}\` is referenced as both ${have.typeName} and ${typeName}: the file is damaged.`, 'format');
      return have;
    }
    if (!Number.isSafeInteger(numel) || numel < 0) throw new CheckpointError(`Storage \`${key}\` declares an impossible size (${numel}).`, 'format');
    this.budget.charge(2 * COST.object + COST.entry + COST.string + 2 * key.length);
    const r = new RootStorage(key, typeName, storageDType(typeName), numel, littleEndian);
    this.roots.set(key, r);
    return r;
  }

  /** torch._utils._rebuild_tensor(_v2)(storage, storage_offset, size, stride). */
  makeTensor(storage: Value, offset: Value, size: Value, stride: Value): PyObject {
    if (!(storage instanceof StorageRef))
      throw new CheckpointError('A tensor in the pickle has no storage: the file is damaged or not a torch checkpoint.', 'format');
    const shape = intList(size, 'size');
    const strides = stride === null ? contiguousStrides(shape) : intList(stride, 'stride');
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
      throw new CheckpointError(`A tensor has an invalid storage offset (${String(offset)}).`, 'format');
    if (shape.length !== strides.length)
      throw new CheckpointError(`A tensor has ${shape.length} sizes but ${strides.length} strides: the file is damaged.`, 'format');
    if (shape.length > this.limits.maxTensorRank)
      throw new CheckpointError(`A tensor has ${shape.length} dimensions; more than ${this.limits.maxTensorRank} is absurd.`, 'limit');
    let numel = 1;
    for (const d of shape) {
      numel *= d;
      if (numel > this.limits.maxTensorElements)
        throw new CheckpointError(
          `A tensor of shape [${shape.join(', ')}] has more elements than the reader's limit of ${this.limits.maxTensorElements}.`,
          'limit',
        );
    }
    if (numel > 0) {
      let last = offset;
      for (let i = 0; i < shape.length; i++) last += (shape[i] - 1) * strides[i];
      if (last >= storage.numel) {
        throw new CheckpointError(
          `A tensor of shape [${shape.join(', ')}] (offset ${offset}, strides [${strides.join(', ')}]) reaches element ${last} of storage \`${storage.root.key}\`, which holds only ${storage.numel}: the file is damaged or forged.`,
          'format',
        );
      }
    }
    this.elements += numel;
    if (this.elements > this.limits.maxTensorElements)
      throw new CheckpointError(`The tensors of this file hold more than ${this.limits.maxTensorElements} elements (the reader's limit).`, 'limit');
    if (!storage.root.dtype) {
      this.budget.charge(4 * COST.object + 3 * COST.array + 2 * shape.length * COST.slot);
      return {
        kind: 'global',
        module: 'torch._utils',
        name: '_rebuild_tensor_v2',
        args: [storage.toPy(), offset, { kind: 'tuple', items: shape }, { kind: 'tuple', items: strides }],
      };
    }
    // The values are charged now, also for tensors decoded later on first use; a strided view first decodes the span
    // of storage it covers.
    const span = numel > 0 && !isContiguous(shape, strides) ? spanOf(offset, shape, strides) : 0;
    this.budget.reserve(tensorCost(shape.length) + COST.object + 8 * (numel + span), () => `a tensor of shape [${shape.join(', ')}]`);
    const tensor: Tensor = { dtype: storage.root.dtype, shape, strides, values: new Float64Array(0) };
    this.pending.push({ tensor, storage, offset, numel });
    this.storageOf.set(tensor, storage.root);
    return { kind: 'tensor', tensor };
  }

  /** A tensor whose values are already known (numpy arrays inside the pickle). */
  countElements(n: number): void {
    this.elements += n;
    if (this.elements > this.limits.maxTensorElements)
      throw new CheckpointError(`The tensors of this file hold more than ${this.limits.maxTensorElements} elements (the reader's limit).`, 'limit');
  }

  /**
   * Checks that every tensor's storage has its bytes, then gives each tensor its values: a `direct` view of the
   * bytes where one is possible, with `values` decoded on first use; otherwise decoded now when `eager` says so (the
   * state_dict, which izer reads), else on first use (a checkpoint's optimizer state is large and rarely looked at).
   * Nothing can fail after the check. A decoded `values` becomes a plain data property, so hot loops stay fast.
   */
  materialize(eager: (t: Tensor) => boolean = () => true): void {
    for (const p of this.pending) {
      const root = p.storage.root;
      const size = ELEMENT_SIZE[root.dtype!];
      if (!root.bytes) throw new CheckpointError(`The data of storage \`${root.key}\` is missing from the file.`, 'format');
      if (root.bytes.length < root.numel * size) {
        throw new CheckpointError(
          `Storage \`${root.key}\` holds ${root.bytes.length} bytes, fewer than the ${root.numel} × ${size} its tensors need: the file is truncated or damaged.`,
          'format',
        );
      }
    }
    for (const p of this.pending) {
      this.budget.step(1 + p.numel / 64);
      const direct = directViewOf(p);
      if (direct) p.tensor.direct = direct;
      else if (eager(p.tensor)) {
        p.tensor.values = decodeView(p);
        continue;
      }
      Object.defineProperty(p.tensor, 'values', {
        configurable: true,
        enumerable: true,
        get(this: Tensor) {
          const values = decodeView(p);
          Object.defineProperty(this, 'values', { value: values, writable: true, enumerable: true, configurable: true });
          return values;
        },
        set(this: Tensor, v: Float64Array) {
          Object.defineProperty(this, 'values', { value: v, writable: true, enumerable: true, configurable: true });
        },
      });
    }
    this.pending.length = 0;
  }
}

function directViewOf(p: Pending): DirectValues | undefined {
  const root = p.storage.root;
  if (p.numel === 0 || !isContiguous(p.tensor.shape, p.tensor.strides)) return undefined;
  return directView(root.bytes!, (p.storage.elementOffset + p.offset) * ELEMENT_SIZE[root.dtype!], p.numel, root.dtype!, root.littleEndian);
}

function decodeView(p: Pending): Float64Array {
  const root = p.storage.root;
  const dtype = root.dtype!;
  const size = ELEMENT_SIZE[dtype];
  const bytes = root.bytes!;
  if (p.numel === 0) return new Float64Array(0);
  const base = p.storage.elementOffset;
  const { shape, strides } = p.tensor;
  if (isContiguous(shape, strides)) return decodeElements(bytes, (base + p.offset) * size, p.numel, dtype, root.littleEndian);
  const span = decodeElements(bytes, (base + p.offset) * size, spanOf(p.offset, shape, strides), dtype, root.littleEndian);
  return gatherStrided(span, p.offset, p.offset, shape, strides, p.numel);
}

function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  const cStrides = contiguousStrides(shape);
  return strides.every((s, i) => shape[i] === 1 || s === cStrides[i]);
}

/** Storage elements a non-empty view covers: strides are non-negative, so it spans offset … offset + Σ (size−1)·stride. */
function spanOf(offset: number, shape: readonly number[], strides: readonly number[]): number {
  let hi = offset;
  for (let i = 0; i < shape.length; i++) hi += (shape[i] - 1) * strides[i];
  return hi - offset + 1;
}

function intList(v: Value, what: string): number[] {
  const items = sequenceItems(v);
  if (!items) throw new CheckpointError(`A tensor's ${what} is not a tuple: the file is damaged.`, 'format');
  return items.map((x) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0)
      throw new CheckpointError(`A tensor's ${what} holds ${String(x)}, which is not a non-negative integer.`, 'format');
    return x;
  });
}
