// Contract between the checkpoint reader and the analysis passes.

export type TensorDType = 'float64' | 'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export interface Tensor {
  dtype: TensorDType;
  shape: number[];
  /** Element strides of the view (as torch stores them). */
  strides: number[];
  /** The tensor's values in C (row-major) order, converted to float64 (exact for every dtype here except int64 beyond 2^53). */
  values: Float64Array;
  /**
   * The same values read in place from the file's bytes, where JavaScript can view them without decoding: a
   * contiguous, aligned tensor in the host's byte order of a dtype with a typed array (float64, float32, int32, int16,
   * int8, uint8). A pass that only scans the values uses this and spares decoding them into `values`.
   */
  direct?: DirectValues;
}

export type DirectValues = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** The tensor's values without decoding them where the file's bytes can be read as they are. */
export function scanValues(t: Tensor): ArrayLike<number> {
  return t.direct ?? t.values;
}

/** The number of elements, known without decoding the values. */
export function elementCount(t: Tensor): number {
  return t.direct ? t.direct.length : t.values.length;
}

/** An unpickled Python value, as plain data. Unknown globals become inert markers; nothing is ever executed. */
export type PyObject =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyObject[]
  | { kind: 'tuple'; items: PyObject[] }
  | {
      kind: 'dict';
      entries: [PyObject, PyObject][];
      /** Instance attributes a BUILD gave the dict (e.g. a state_dict's `_metadata`). */
      attrs?: PyObject;
      /** A `collections.OrderedDict` (torch's state_dict type) rather than a plain dict. */
      ordered?: boolean;
    }
  | { kind: 'set'; items: PyObject[]; frozen: boolean }
  | { kind: 'tensor'; tensor: Tensor }
  /**
   * A Python float whose value is a whole number (or −0.0), kept apart from an int only when the checkpoint is read
   * with `exactFloats` (for rewriting it: `0.0` stays `0.0`). Other floats, and all floats by default, are numbers.
   */
  | { kind: 'float'; value: number }
  | PyGlobal;

/**
 * An inert stand-in for a Python global the reader does not model (a class, a function, or the result of "calling"
 * one): the call's arguments and any BUILD state, list or dict items are kept as data, nothing is imported or run.
 */
export interface PyGlobal {
  kind: 'global';
  module: string;
  name: string;
  args?: PyObject[];
  kwargs?: PyObject;
  state?: PyObject;
  items?: PyObject[];
  entries?: [PyObject, PyObject][];
}

export interface TorchCheckpoint {
  /** The format that was read: 'zip' (torch ≥ 1.6), 'tar' or 'legacy' (raw pickle + storages). */
  format: 'zip' | 'tar' | 'legacy';
  /** Top-level dictionary keys in file order. */
  topKeys: string[];
  hasStateDict: boolean;
  hasArch: boolean;
  /** `arch` when it is a string. */
  arch: string | null;
  hasEpoch: boolean;
  epoch: PyObject;
  /** `state_dict` entries in iteration order; non-tensor values are kept as PyObject. */
  stateDict: { key: string; value: Tensor | PyObject }[];
  /** File size in bytes, for the bench's MB/s figure. */
  byteLength: number;
  /**
   * Zip members whose data fails its CRC-32, with the state_dict keys of the tensors stored there: the file is
   * damaged. torch.load (and so izer) does not check and uses the bytes as they are.
   */
  damaged: { member: string; keys: string[] }[];
  /**
   * Memory the read charged to its budget (limits.maxMemoryBytes): an upper bound of what the result holds, tensors
   * decoded later on first use included. Caches charge a checkpoint this plus the file size.
   */
  memoryBytes: number;
  /** The whole top-level dictionary as read (for `extras`, optimizer data and other keys izer does not read). */
  root?: PyObject;
}

export class CheckpointError extends Error {
  constructor(
    message: string,
    readonly code: 'io' | 'format' | 'hostile' | 'unsupported' | 'limit',
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}
