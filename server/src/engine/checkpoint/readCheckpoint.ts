// Reads a PyTorch checkpoint (torch.save output) in pure TypeScript: the zip format of torch ≥ 1.6, the raw
// "legacy" format of torch 0.4–1.5 and the tar format of torch < 0.4. Nothing in the file is ever executed.
import { CheckpointError, PyObject, Tensor, TorchCheckpoint } from './types';
import { CheckpointLimits, defaultLimits } from './limits';
import { COST, ReadBudget } from './budget';
import { PickleHooks, unpickle, utf8OrNull } from './pickleMachine';
import { Value, dictGet, isDict, isMarker, latin1, sequenceItems } from './pickleValues';
import { StorageType, globalResolver } from './knownGlobals';
import { StorageRef, TensorStore } from './tensorStore';
import { ELEMENT_SIZE } from './elementDecode';
import { finalizeValue } from './finalizeValue';
import { ZipArchive, isZip } from './zipReader';
import { looksLikeTar, readTarMembers } from './tarReader';

export interface ReadCheckpointOptions {
  /** The file's name, only to recognise `.onnx` files the way izer does (by extension). */
  fileName?: string;
  limits?: Partial<CheckpointLimits>;
  /** Keep Python floats with whole values (`0.0`) apart from ints, for rewriting the checkpoint (see PyObject). */
  exactFloats?: boolean;
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

export function readCheckpoint(bytes: Uint8Array, options: ReadCheckpointOptions = {}): TorchCheckpoint {
  const limits: CheckpointLimits = { ...defaultLimits(bytes.length), ...options.limits };
  if (options.fileName && /\.onnx$/i.test(options.fileName)) {
    throw new CheckpointError(
      'This is an ONNX file; izer reads `.onnx` checkpoints with its separate ONNX loader, which this tool does not model.',
      'unsupported',
    );
  }
  if (bytes.length === 0) throw new CheckpointError('The checkpoint file is empty.', 'format');
  const budget = new ReadBudget(limits);
  const store = new TensorStore(budget);
  const resolve = globalResolver({ store, budget });
  const exactFloats = options.exactFloats === true;
  let format: TorchCheckpoint['format'];
  let value: Value;
  let damaged: string[] = [];
  if (isZip(bytes)) {
    format = 'zip';
    ({ value, damaged } = readZipFormat(bytes, limits, budget, store, resolve, exactFloats));
  } else if (looksLikeTar(bytes)) {
    format = 'tar';
    value = readTarFormat(bytes, limits, budget, store, resolve, exactFloats);
  } else if (bytes[0] === 0x80) {
    format = 'legacy';
    value = readLegacyFormat(bytes, budget, store, resolve, exactFloats);
  } else {
    throw notACheckpoint(bytes);
  }
  const data = finalizeValue(value, budget);
  store.materialize(stateDictTensors(data));
  const checkpoint = toCheckpoint(data, format, bytes.length, budget);
  checkpoint.damaged = damaged.map((member) => ({
    member,
    keys: checkpoint.stateDict.filter((e) => e.value && store.storageOf.get(e.value as Tensor)?.member === member).map((e) => e.key),
  }));
  budget.checkTime();
  checkpoint.memoryBytes = budget.memoryBytes;
  return checkpoint;
}

/** The tensors of the top-level `state_dict` (what izer reads): decoded at once, the others on first use. */
function stateDictTensors(root: PyObject): (t: Tensor) => boolean {
  const set = new Set<Tensor>();
  const sd = isDict(root) ? dictGet(root, 'state_dict') : undefined;
  if (sd !== undefined && isDict(sd)) for (const [, v] of sd.entries) if (isTensorObj(v)) set.add(v.tensor);
  return (t) => set.has(t);
}

type Resolver = ReturnType<typeof globalResolver>;

function readZipFormat(
  bytes: Uint8Array,
  limits: CheckpointLimits,
  budget: ReadBudget,
  store: TensorStore,
  findGlobal: Resolver,
  exactFloats: boolean,
): { value: Value; damaged: string[] } {
  const zip = new ZipArchive(bytes, { maxInflatedBytes: limits.maxInflatedBytes, maxEntries: limits.maxZipEntries, verifyCrc: limits.verifyCrc, budget });
  const pkl = zip.entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name)) ?? zip.byName.get('data.pkl');
  if (!pkl) {
    if (zip.entries.some((e) => /(^|\/)constants\.pkl$/.test(e.name))) throw torchScript();
    throw new CheckpointError('This zip archive has no `data.pkl`: it is not a PyTorch checkpoint.', 'format');
  }
  const prefix = pkl.name.slice(0, pkl.name.length - 'data.pkl'.length);
  if (zip.byName.has(prefix + 'constants.pkl') || zip.entries.some((e) => e.name.startsWith(prefix + 'code/'))) throw torchScript();
  const order = zip.byName.get(prefix + 'byteorder');
  const littleEndian = order ? utf8OrNull(zip.read(order))?.trim() !== 'big' : true;
  const hooks: PickleHooks = {
    findGlobal,
    exactFloats,
    persistentLoad(pid) {
      const items = sequenceItems(pid);
      const tag = items ? asText(items[0]) : null;
      if (!items || tag !== 'storage' || items.length < 5)
        throw new CheckpointError(`The pickle refers to external data of an unknown kind (${tag ?? typeof pid}).`, 'format');
      const [, stype, keyV, , numelV] = items;
      // Zip storage keys name archive records: used verbatim.
      const key = keyText(keyV, false);
      const typeName = storageTypeName(stype);
      if (typeof numelV !== 'number') throw new CheckpointError(`Storage \`${key}\` has no element count.`, 'format');
      const root = store.root(key, typeName, numelV, littleEndian);
      if (!root.bytes && root.dtype) {
        const entry = zip.byName.get(prefix + 'data/' + key);
        if (!entry) throw new CheckpointError(`The archive lacks \`${prefix}data/${key}\`, the data of a tensor: the file is incomplete.`, 'format');
        root.bytes = zip.read(entry);
        root.member = entry.name;
      }
      budget.charge(COST.object);
      return new StorageRef(root, 0, root.numel);
    },
  };
  const value = unpickle(zip.read(pkl), 0, hooks, budget).value;
  return { value, damaged: [...zip.damaged] };
}

function readLegacyFormat(bytes: Uint8Array, budget: ReadBudget, store: TensorStore, findGlobal: Resolver, exactFloats: boolean): Value {
  const plain: PickleHooks = { findGlobal };
  const magic = unpickle(bytes, 0, plain, budget);
  if (magic.value !== LEGACY_MAGIC)
    throw new CheckpointError('This is a Python pickle but not a PyTorch checkpoint (no torch magic number); izer cannot load it.', 'format');
  const proto = unpickle(bytes, magic.end, plain, budget);
  if (proto.value !== LEGACY_PROTOCOL)
    throw new CheckpointError(`Unknown legacy torch serialization protocol ${String(proto.value)} (expected ${LEGACY_PROTOCOL}).`, 'unsupported');
  const sysInfo = unpickle(bytes, proto.end, plain, budget);
  const le = isDict(sysInfo.value) ? dictGet(sysInfo.value, 'little_endian') : undefined;
  const littleEndian = le !== false;
  const hooks: PickleHooks = {
    findGlobal,
    exactFloats,
    persistentLoad(pid) {
      const items = sequenceItems(pid);
      const tag = items ? asText(items[0]) : null;
      if (items && tag === 'module') return items[1] ?? null;
      if (!items || tag !== 'storage' || items.length < 6)
        throw new CheckpointError(`The pickle refers to external data of an unknown kind (${tag ?? typeof pid}).`, 'format');
      const [, stype, rootKeyV, , numelV, view] = items;
      const typeName = storageTypeName(stype);
      if (typeof numelV !== 'number') throw new CheckpointError('A legacy storage reference has no element count.', 'format');
      const root = store.root(keyText(rootKeyV), typeName, numelV, littleEndian);
      const v = view === null ? null : sequenceItems(view);
      if (v) {
        const [, off, size] = v;
        if (typeof off !== 'number' || typeof size !== 'number' || off < 0 || size < 0 || off + size > root.numel) {
          throw new CheckpointError(`A storage view reaches past the end of storage \`${root.key}\`: the file is damaged or forged.`, 'format');
        }
        budget.charge(COST.object);
        return new StorageRef(root, off, size);
      }
      budget.charge(COST.object);
      return new StorageRef(root, 0, root.numel);
    },
  };
  const main = unpickle(bytes, sysInfo.end, hooks, budget);
  const keys = unpickle(bytes, main.end, plain, budget);
  const keyList = sequenceItems(keys.value);
  if (!keyList) throw new CheckpointError('The legacy checkpoint has no storage key list after its data.', 'format');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keys.end;
  for (const k of keyList) {
    const key = keyText(k);
    const root = store.roots.get(key);
    if (!root) throw new CheckpointError(`The legacy checkpoint lists storage \`${key}\`, which its data never uses.`, 'format');
    if (!root.dtype) throw new CheckpointError(`Storage \`${key}\` has the element type ${root.typeName}, which this reader does not know.`, 'unsupported');
    if (pos + 8 > bytes.length) throw truncatedLegacy();
    const count = dv.getBigInt64(pos, littleEndian);
    pos += 8;
    if (count !== BigInt(root.numel))
      throw new CheckpointError(`Storage \`${key}\` declares ${root.numel} elements in the pickle but ${count} in the data.`, 'format');
    const n = root.numel * ELEMENT_SIZE[root.dtype];
    if (pos + n > bytes.length) throw truncatedLegacy();
    budget.step(1);
    budget.charge(COST.view);
    root.bytes = bytes.subarray(pos, pos + n);
    pos += n;
  }
  return main.value;
}

function readTarFormat(bytes: Uint8Array, limits: CheckpointLimits, budget: ReadBudget, store: TensorStore, findGlobal: Resolver, exactFloats: boolean): Value {
  const members = readTarMembers(bytes, limits.maxZipEntries);
  const storages = members.get('storages');
  const tensors = members.get('tensors');
  const pickle = members.get('pickle');
  if (!storages || !tensors || !pickle)
    throw new CheckpointError('This tar archive lacks the `storages`, `tensors` and `pickle` members of an old (torch < 0.4) checkpoint.', 'format');
  const plain: PickleHooks = { findGlobal };
  const objects = new Map<string, Value>();

  const sdv = new DataView(storages.buffer, storages.byteOffset, storages.byteLength);
  let r = unpickle(storages, 0, plain, budget);
  const numStorages = r.value;
  if (typeof numStorages !== 'number' || numStorages < 0) throw new CheckpointError('The `storages` member does not start with a storage count.', 'format');
  let pos = r.end;
  for (let i = 0; i < numStorages; i++) {
    r = unpickle(storages, pos, plain, budget);
    const args = sequenceItems(r.value);
    if (!args || args.length < 3) throw new CheckpointError('A storage record in `storages` is damaged.', 'format');
    const key = keyText(args[0]);
    const typeName = storageTypeName(args[2]);
    pos = r.end;
    if (pos + 8 > storages.length) throw truncatedLegacy();
    const count = Number(sdv.getBigInt64(pos, true));
    pos += 8;
    const root = store.root(key, typeName, count, true);
    if (!root.dtype) throw new CheckpointError(`Storage \`${key}\` has the element type ${typeName}, which this reader does not know.`, 'unsupported');
    const n = count * ELEMENT_SIZE[root.dtype];
    if (pos + n > storages.length) throw truncatedLegacy();
    budget.charge(COST.view + 2 * COST.object + COST.entry);
    root.bytes = storages.subarray(pos, pos + n);
    pos += n;
    objects.set(key, new StorageRef(root, 0, count));
  }
  r = unpickle(storages, pos, plain, budget);
  for (const view of sequenceItems(r.value) ?? []) {
    const v = sequenceItems(view);
    if (!v || v.length < 4) throw new CheckpointError('A storage view record in `storages` is damaged.', 'format');
    const base = objects.get(keyText(v[1]));
    const [off, size] = [v[2], v[3]];
    if (!(base instanceof StorageRef) || typeof off !== 'number' || typeof size !== 'number' || off < 0 || size < 0 || off + size > base.numel) {
      throw new CheckpointError('A storage view in `storages` reaches outside its storage: the file is damaged or forged.', 'format');
    }
    budget.step(1);
    budget.charge(COST.object + COST.entry + COST.string);
    objects.set(keyText(v[0]), new StorageRef(base.root, base.elementOffset + off, size));
  }

  const tdv = new DataView(tensors.buffer, tensors.byteOffset, tensors.byteLength);
  r = unpickle(tensors, 0, plain, budget);
  const numTensors = r.value;
  if (typeof numTensors !== 'number' || numTensors < 0) throw new CheckpointError('The `tensors` member does not start with a tensor count.', 'format');
  pos = r.end;
  for (let i = 0; i < numTensors; i++) {
    r = unpickle(tensors, pos, plain, budget);
    const args = sequenceItems(r.value);
    if (!args || args.length < 2) throw new CheckpointError('A tensor record in `tensors` is damaged.', 'format');
    pos = r.end;
    if (pos + 8 > tensors.length) throw truncatedLegacy();
    const ndim = tdv.getInt32(pos, true);
    pos += 8;
    if (ndim < 0 || ndim > limits.maxTensorRank) throw new CheckpointError(`A tensor record claims ${ndim} dimensions.`, 'limit');
    if (pos + 16 * ndim + 8 > tensors.length) throw truncatedLegacy();
    const nums = (n: number): number[] => {
      const out: number[] = [];
      for (let j = 0; j < n; j++, pos += 8) out.push(Number(tdv.getBigInt64(pos, true)));
      return out;
    };
    budget.step(1);
    budget.charge(COST.entry + COST.string);
    const size = nums(ndim);
    const stride = nums(ndim);
    const [offset] = nums(1);
    const storage = objects.get(keyText(args[1]));
    if (!storage) throw new CheckpointError(`A tensor refers to storage \`${keyText(args[1])}\`, which \`storages\` does not hold.`, 'format');
    objects.set(keyText(args[0]), store.makeTensor(storage, offset, { kind: 'tuple', items: size }, { kind: 'tuple', items: stride }));
  }

  const hooks: PickleHooks = {
    findGlobal,
    exactFloats,
    persistentLoad(pid) {
      const items = sequenceItems(pid);
      if (items) return items[0] ?? null;
      const key = keyText(pid);
      const obj = objects.get(key);
      if (obj === undefined) throw new CheckpointError(`The pickle refers to tensor or storage \`${key}\`, which the file does not hold.`, 'format');
      return obj;
    },
  };
  return unpickle(pickle, 0, hooks, budget).value;
}

function toCheckpoint(root: PyObject, format: TorchCheckpoint['format'], byteLength: number, budget: ReadBudget): TorchCheckpoint {
  if (!isDict(root)) {
    if (isMarker(root)) {
      throw new CheckpointError(
        `The file holds a pickled Python object (\`${root.module}.${root.name}\`) instead of a checkpoint dictionary; izer needs a dict with \`state_dict\`, \`arch\` and \`epoch\` (save the checkpoint dict, not the model).`,
        'unsupported',
      );
    }
    throw new CheckpointError(
      `The file holds ${describe(root)} instead of a checkpoint dictionary; izer needs a dict with \`state_dict\`, \`arch\` and \`epoch\`.`,
      'format',
    );
  }
  budget.charge(COST.array + root.entries.length * COST.slot);
  const topKeys = root.entries.map(([k]) => keyLabel(k));
  const sd = dictGet(root, 'state_dict');
  const archV = dictGet(root, 'arch');
  const epochV = dictGet(root, 'epoch');
  const stateDict: TorchCheckpoint['stateDict'] = [];
  if (sd !== undefined && isDict(sd)) {
    budget.charge(sd.entries.length * (COST.object + COST.slot));
    for (const [k, v] of sd.entries) {
      const key = keyLabel(k);
      stateDict.push({ key, value: isTensorObj(v) ? v.tensor : v });
    }
  }
  return {
    format,
    topKeys,
    hasStateDict: sd !== undefined,
    hasArch: archV !== undefined,
    arch: typeof archV === 'string' ? archV : null,
    hasEpoch: epochV !== undefined,
    epoch: epochV === undefined ? null : epochV,
    stateDict,
    byteLength,
    damaged: [],
    memoryBytes: 0,
    root,
  };
}

/** A dictionary key as text: strings as they are, numbers as Python prints them, other values by their kind. */
function keyLabel(k: PyObject): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint') return String(k);
  if (typeof k === 'boolean') return k ? 'True' : 'False';
  return `<${describe(k)}>`;
}

function isTensorObj(v: PyObject): v is { kind: 'tensor'; tensor: Tensor } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'tensor';
}

function describe(v: PyObject): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return v.kind === 'tensor' ? 'a single tensor' : `a ${v.kind}`;
  return `a ${typeof v}`;
}

function asText(v: Value | undefined): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return latin1(v);
  return null;
}

/** Longest storage or tensor key accepted (torch numbers them: `0`, `1`, … or `140234…`). */
const MAX_KEY_LENGTH = 4096;

/** A storage or tensor key as text; numeric text is normalized unless `normalize` is false (zip keys name records). */
function keyText(v: Value | undefined, normalize = true): string {
  let key: string;
  if (typeof v === 'string') key = normalize && /^-?\d+$/.test(v) && v.length <= MAX_KEY_LENGTH ? BigInt(v).toString() : v;
  else if (typeof v === 'number' || typeof v === 'bigint') key = String(v);
  else if (v instanceof Uint8Array) key = latin1(v.subarray(0, MAX_KEY_LENGTH + 1));
  else throw new CheckpointError('A storage key in the file is neither text nor a number.', 'format');
  if (key.length > MAX_KEY_LENGTH)
    throw new CheckpointError(`A storage key of ${key.length} characters is absurd (torch numbers its storages); the file is forged.`, 'limit');
  return key;
}

function storageTypeName(v: Value | undefined): string {
  if (v instanceof StorageType) return v.name;
  if (isMarker(v as Value)) return (v as { name: string }).name;
  throw new CheckpointError('A storage reference does not name a torch storage type.', 'format');
}

function truncatedLegacy(): CheckpointError {
  return new CheckpointError('The checkpoint ends in the middle of its tensor data: the file is truncated.', 'format');
}

function torchScript(): CheckpointError {
  return new CheckpointError(
    'This is a TorchScript archive (torch.jit.save), not a checkpoint; izer needs torch.save of a dict with `state_dict`, `arch` and `epoch`.',
    'unsupported',
  );
}

function notACheckpoint(bytes: Uint8Array): CheckpointError {
  const head = latin1(bytes.subarray(0, 256));
  if (bytes[0] === 0x1f && bytes[1] === 0x8b)
    return new CheckpointError('This file is gzip-compressed; torch.load (and izer) cannot read a compressed checkpoint. Decompress it first.', 'unsupported');
  if (bytes[0] === 0x08 && /onnx|pytorch|tf2onnx|keras|skl2onnx/i.test(head)) {
    return new CheckpointError(
      'This looks like an ONNX model. izer reads ONNX only from files whose name ends in `.onnx` (with its separate ONNX loader); under any other name torch.load fails on it.',
      'unsupported',
    );
  }
  if (head.startsWith('\x89HDF')) return new CheckpointError('This is an HDF5 file (Keras/TensorFlow), not a PyTorch checkpoint.', 'unsupported');
  if (head.startsWith('\x93NUMPY')) return new CheckpointError('This is a numpy .npy file, not a PyTorch checkpoint (is it the sample input?).', 'format');
  return new CheckpointError('This is not a PyTorch checkpoint (neither a torch zip archive nor a legacy torch file).', 'format');
}
