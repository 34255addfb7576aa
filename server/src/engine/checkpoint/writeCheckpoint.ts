// Writes PyTorch checkpoints that torch.load accepts: the zip format (default, what torch ≥ 1.6 writes) and, for
// reader tests, the raw legacy format (torch 0.4–1.5) and the tar format (torch < 0.4). Used for fixtures, for the
// project's built-in example network and for quantized checkpoints (writeCheckpointObject).
import type { PyObject, Tensor, TensorDType } from './types';
import { ByteSink, PickleWriter } from './pickleWriter';
import { encodeElements } from './elementEncode';
import { contiguousStrides } from './elementDecode';
import { writeStoredZip } from './zipWriter';
import { writeTar } from './tarWriter';

/** A tensor to write. Without `storage`, `values` are the C-order elements and the tensor is contiguous. */
export interface TensorSpec {
  dtype: TensorDType;
  shape: number[];
  values?: ArrayLike<number>;
  /** With `storage`: the view's element strides (default contiguous) and offset into the storage. */
  strides?: number[];
  storageOffset?: number;
  /** The whole storage; tensors that pass the same object share one storage. */
  storage?: { values: ArrayLike<number> };
}

export interface CheckpointSpec {
  /** `undefined` leaves the key out (for fixtures of broken checkpoints). */
  arch?: string | null;
  epoch?: PyObject;
  stateDict?: { key: string; tensor?: TensorSpec | Tensor; value?: PyObject }[];
  extras?: PyObject;
  /** More top-level entries, written after the usual ones. */
  more?: [string, PyObject][];
  format?: 'zip' | 'legacy' | 'tar';
  /** The zip's folder name (torch writes `archive`). */
  archiveName?: string;
}

const STORAGE_NAMES: Record<TensorDType, string> = {
  float32: 'FloatStorage',
  float64: 'DoubleStorage',
  float16: 'HalfStorage',
  bfloat16: 'BFloat16Storage',
  int64: 'LongStorage',
  int32: 'IntStorage',
  int16: 'ShortStorage',
  int8: 'CharStorage',
  uint8: 'ByteStorage',
  bool: 'BoolStorage',
};

interface StorageOut {
  key: string;
  dtype: TensorDType;
  values: ArrayLike<number>;
}

interface TensorOut {
  key: string;
  storage: StorageOut;
  offset: number;
  shape: number[];
  strides: number[];
}

/** Collects the storages of the tensors a pickle mentions, in first-use order. */
class StorageTable {
  readonly storages: StorageOut[] = [];
  readonly tensors: TensorOut[] = [];
  private byIdentity = new Map<object, StorageOut>();

  add(t: TensorSpec | Tensor): TensorOut {
    const spec = t as TensorSpec;
    const ident: object = spec.storage ?? t;
    let s = this.byIdentity.get(ident);
    if (!s) {
      // A tensor read from a file is written from the file's bytes where the reader can view them (no decoding).
      const values = spec.storage ? spec.storage.values : ((t as Tensor).direct ?? t.values ?? []);
      const numel = t.shape.reduce((a, b) => a * b, 1);
      if (!spec.storage && values.length !== numel) throw new Error(`A tensor of shape [${t.shape.join(', ')}] needs ${numel} values, not ${values.length}.`);
      s = { key: String(this.storages.length), dtype: t.dtype, values };
      this.storages.push(s);
      this.byIdentity.set(ident, s);
    } else if (s.dtype !== t.dtype) throw new Error(`Tensors sharing a storage must share its dtype (${s.dtype} vs ${t.dtype}).`);
    const shape = [...t.shape];
    const out: TensorOut = {
      // Distinct from storage keys: the tar format keeps both in one table.
      key: String(1e12 + this.tensors.length),
      storage: s,
      offset: spec.storage ? (spec.storageOffset ?? 0) : 0,
      shape,
      strides: spec.storage && spec.strides ? [...spec.strides] : contiguousStrides(shape),
    };
    this.tensors.push(out);
    return out;
  }
}

function topLevel(spec: CheckpointSpec): [PyObject, PyObject][] {
  const entries: [PyObject, PyObject][] = [];
  if (spec.epoch !== undefined) entries.push(['epoch', spec.epoch]);
  if (spec.stateDict !== undefined) entries.push(['state_dict', STATE_DICT]);
  if (spec.arch !== undefined) entries.push(['arch', spec.arch]);
  if (spec.extras !== undefined) entries.push(['extras', spec.extras]);
  for (const e of spec.more ?? []) entries.push(e);
  return entries;
}

/** Placeholder replaced by the OrderedDict state_dict while pickling. */
const STATE_DICT: PyObject = { kind: 'global', module: '<state_dict>', name: '<state_dict>' };

type TensorPid = (w: PickleWriter, t: TensorOut) => void;

/** A tensor as torch pickles it: `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`, or (tar) its id. */
function emitTensor(w: PickleWriter, table: StorageTable, t: TensorSpec | Tensor, tensorPid: TensorPid, rebuild: boolean): void {
  const out = table.add(t);
  if (!rebuild) {
    tensorPid(w, out);
    return;
  }
  w.global('torch._utils', '_rebuild_tensor_v2');
  w.tuple([
    () => tensorPid(w, out),
    () => w.int(out.offset),
    () => w.tuple(out.shape.map((d) => () => w.int(d))),
    () => w.tuple(out.strides.map((d) => () => w.int(d))),
    () => w.bool(false),
    () => w.global('collections', 'OrderedDict').op(0x29).op(0x52),
  ]);
  w.op(0x52);
}

function pickleCheckpoint(spec: CheckpointSpec, table: StorageTable, tensorPid: TensorPid, rebuild: boolean): Uint8Array {
  const w = new PickleWriter(2);
  const emit = (t: TensorSpec | Tensor): void => emitTensor(w, table, t, tensorPid, rebuild);
  w.tensorHook = (v) => emit(v.tensor);
  w.op(0x7d); // EMPTY_DICT
  w.mark();
  for (const [k, v] of topLevel(spec)) {
    w.value(k);
    if (v === STATE_DICT) {
      w.global('collections', 'OrderedDict').op(0x29).op(0x52);
      for (const e of spec.stateDict ?? []) {
        w.mark();
        w.str(e.key);
        if (e.tensor) emit(e.tensor);
        else w.value(e.value ?? null);
        w.op(0x75);
      }
    } else w.value(v);
  }
  w.op(0x75); // SETITEMS
  return w.finish();
}

/** A tensor's storage as a persistent id (BINPERSID); the legacy format adds a view-metadata slot (None). */
function storageId(w: PickleWriter, t: TensorOut, legacy: boolean): void {
  const fields = [
    () => w.str('storage'),
    () => w.global('torch', STORAGE_NAMES[t.storage.dtype]),
    () => w.str(t.storage.key),
    () => w.str('cpu'),
    () => w.int(t.storage.values.length),
  ];
  w.tuple(legacy ? [...fields, () => w.none()] : fields);
  w.op(0x51); // BINPERSID
}

/** torch's zip layout: `<dir>/data.pkl`, one `<dir>/data/<key>` record per storage, `<dir>/version`. */
function zipArchive(pkl: Uint8Array, table: StorageTable, dir: string): Uint8Array {
  return writeStoredZip([
    { name: `${dir}/data.pkl`, data: pkl },
    ...table.storages.map((s) => ({ name: `${dir}/data/${s.key}`, data: encodeElements(s.values, s.dtype) })),
    { name: `${dir}/version`, data: new TextEncoder().encode('3\n') },
  ]);
}

/**
 * Writes a whole checkpoint value (a checkpoint read with `exactFloats`, changed) in the zip format, as torch.save
 * does: every tensor gets a storage of its own, contiguous. `archiveName` is the zip's folder (torch names it after
 * the file: `name-q.pth` for `name-q.pth.tar`).
 */
export function writeCheckpointObject(root: PyObject, archiveName = 'archive'): Uint8Array {
  const table = new StorageTable();
  const w = new PickleWriter(2);
  w.tensorHook = (v) => emitTensor(w, table, v.tensor, (pw, t) => storageId(pw, t, false), true);
  w.value(root);
  return zipArchive(w.finish(), table, archiveName);
}

export function writeTorchCheckpoint(spec: CheckpointSpec): Uint8Array {
  const format = spec.format ?? 'zip';
  const table = new StorageTable();
  if (format === 'zip') {
    const pkl = pickleCheckpoint(spec, table, (w, t) => storageId(w, t, false), true);
    return zipArchive(pkl, table, spec.archiveName ?? 'archive');
  }
  if (format === 'legacy') {
    const pkl = pickleCheckpoint(spec, table, (w, t) => storageId(w, t, true), true);
    const out = new ByteSink();
    out.bytes(new PickleWriter(2).int(0x1950a86a20f9469cfc6cn).finish());
    out.bytes(new PickleWriter(2).int(1001).finish());
    out.bytes(
      new PickleWriter(2)
        .value({
          kind: 'dict',
          entries: [
            ['protocol_version', 1001],
            ['little_endian', true],
            [
              'type_sizes',
              {
                kind: 'dict',
                entries: [
                  ['short', 2],
                  ['int', 4],
                  ['long', 4],
                ],
              },
            ],
          ],
        })
        .finish(),
    );
    out.bytes(pkl);
    out.bytes(new PickleWriter(2).value(table.storages.map((s) => s.key)).finish());
    for (const s of table.storages) {
      out.i64(s.values.length);
      out.bytes(encodeElements(s.values, s.dtype));
    }
    return out.result();
  }
  // tar (torch < 0.4): tensors are persistent ids into the `tensors` member.
  const pkl = pickleCheckpoint(
    spec,
    table,
    (w, t) => {
      w.str(t.key);
      w.op(0x51);
    },
    false,
  );
  const storages = new ByteSink();
  storages.bytes(new PickleWriter(2).int(table.storages.length).finish());
  for (const s of table.storages) {
    const w = new PickleWriter(2);
    w.tuple([() => w.str(s.key), () => w.str('cpu'), () => w.global('torch', STORAGE_NAMES[s.dtype])]);
    storages.bytes(w.finish());
    storages.i64(s.values.length);
    storages.bytes(encodeElements(s.values, s.dtype));
  }
  storages.bytes(new PickleWriter(2).value([]).finish());
  const tensors = new ByteSink();
  tensors.bytes(new PickleWriter(2).int(table.tensors.length).finish());
  for (const t of table.tensors) {
    const w = new PickleWriter(2);
    w.tuple([() => w.str(t.key), () => w.str(t.storage.key), () => w.global('torch', STORAGE_NAMES[t.storage.dtype].replace('Storage', 'Tensor'))]);
    tensors.bytes(w.finish());
    tensors.i32(t.shape.length);
    tensors.i32(0);
    for (const d of t.shape) tensors.i64(d);
    for (const d of t.strides) tensors.i64(d);
    tensors.i64(t.offset);
  }
  return writeTar([
    {
      name: 'sys_info',
      data: new PickleWriter(2)
        .value({
          kind: 'dict',
          entries: [
            ['protocol_version', 1001],
            ['little_endian', true],
          ],
        })
        .finish(),
    },
    { name: 'pickle', data: pkl },
    { name: 'tensors', data: tensors.result() },
    { name: 'storages', data: storages.result() },
  ]);
}
