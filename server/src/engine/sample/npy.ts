// Reads and writes numpy .npy files (format versions 1.0, 2.0 and 3.0) the way np.load(allow_pickle=False) does.
import { valueRange } from '../valueRange';
import { decodeElements, fortranToC } from '../checkpoint/elementDecode';
import type { TensorDType } from '../checkpoint/types';

export class NpyError extends Error {
  constructor(
    message: string,
    readonly code: 'format' | 'unsupported' | 'limit',
  ) {
    super(message);
    this.name = 'NpyError';
  }
}

/** numpy's default `max_header_size` (numpy ≥ 1.24 refuses longer headers without allow_pickle). */
export const MAX_HEADER_SIZE = 10000;
/** Elements a sample input may have (a 352×352×3 image has 371,712; this leaves ample room). */
export const MAX_ELEMENTS = 1 << 26;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface DTypeInfo {
  /** numpy's name for the dtype, as `str(array.dtype)` prints it. */
  name: string;
  size: number;
  decode: TensorDType | 'uint16' | 'uint32' | 'uint64';
}

const KINDS = new Map<string, DTypeInfo>([
  ['i8', { name: 'int64', size: 8, decode: 'int64' }],
  ['i4', { name: 'int32', size: 4, decode: 'int32' }],
  ['i2', { name: 'int16', size: 2, decode: 'int16' }],
  ['i1', { name: 'int8', size: 1, decode: 'int8' }],
  ['u8', { name: 'uint64', size: 8, decode: 'uint64' }],
  ['u4', { name: 'uint32', size: 4, decode: 'uint32' }],
  ['u2', { name: 'uint16', size: 2, decode: 'uint16' }],
  ['u1', { name: 'uint8', size: 1, decode: 'uint8' }],
  ['f8', { name: 'float64', size: 8, decode: 'float64' }],
  ['f4', { name: 'float32', size: 4, decode: 'float32' }],
  ['f2', { name: 'float16', size: 2, decode: 'float16' }],
  ['b1', { name: 'bool', size: 1, decode: 'bool' }],
]);

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * An array as np.load returns it: its shape, numpy's name for its dtype, and its values in C order (an int64
 * array's are decoded on first use: reading `values` costs a pass, `min`, `max` and `shape` do not).
 */
export interface NpyArray {
  shape: number[];
  dtype: string;
  values: Float64Array;
  min: number;
  max: number;
}

/** A sample input as izer loads it (np.load of an int64 array, C×H×W or C×L). */
export type SampleInput = NpyArray;

/** The first array of an .npy file, as np.load reads it. */
export function readNpy(bytes: Uint8Array): NpyArray {
  return readArrayAt(bytes, 0).array;
}

/** What a file of arrays stored one after another holds, and why reading stopped before its end (null: at the end). */
export interface NpyArrays {
  arrays: NpyArray[];
  stoppedBy: string | null;
}

/**
 * Every array stored one after another in the file, the way izer reads its sample weights: np.load in a loop
 * until it fails (an empty file holds no array; reading stops at the first thing that is not a whole array).
 */
export function readNpyArrays(bytes: Uint8Array): NpyArrays {
  const arrays: NpyArray[] = [];
  let at = 0;
  while (at < bytes.length) {
    try {
      const next = readArrayAt(bytes, at);
      arrays.push(next.array);
      at = next.end;
    } catch (e) {
      if (e instanceof NpyError) return { arrays, stoppedBy: e.message };
      throw e;
    }
  }
  return { arrays, stoppedBy: null };
}

function readArrayAt(file: Uint8Array, offset: number): { array: NpyArray; end: number } {
  const bytes = offset === 0 ? file : file.subarray(offset);
  if (!isNpy(bytes)) {
    if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b)
      throw new NpyError(
        'This is a zip archive (an .npz file or a checkpoint), not an .npy array; izer needs a single array saved with np.save.',
        'unsupported',
      );
    throw new NpyError('This is not a numpy .npy file (the magic string \\x93NUMPY is missing).', 'format');
  }
  if (bytes.length < 10) throw new NpyError('The .npy file ends inside its header.', 'format');
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0)
    throw new NpyError(`Unknown .npy format version ${major}.${minor} (numpy knows 1.0, 2.0 and 3.0).`, 'unsupported');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? dv.getUint16(8, true) : bytes.length >= 12 ? dv.getUint32(8, true) : -1;
  if (headerLen < 0) throw new NpyError('The .npy file ends inside its header.', 'format');
  if (headerLen > MAX_HEADER_SIZE)
    throw new NpyError(`The .npy header is ${headerLen} bytes long; numpy refuses headers over ${MAX_HEADER_SIZE} bytes.`, 'limit');
  const start = 8 + lenSize;
  if (start + headerLen > bytes.length) throw new NpyError('The .npy file ends inside its header.', 'format');
  const headerBytes = bytes.subarray(start, start + headerLen);
  const header = major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : String.fromCharCode(...headerBytes);
  const dict = parseHeader(header);

  const descr = dict.get('descr');
  if (typeof descr !== 'string')
    throw new NpyError(`This .npy file holds a structured array (${header.trim().slice(0, 80)}); izer needs a plain int64 array.`, 'unsupported');
  const m = /^([<>|=])?([a-zA-Z])(\d*)$/.exec(descr);
  if (!m) throw new NpyError(`The .npy dtype \`${descr}\` is not a plain number type; izer needs int64.`, 'unsupported');
  if (m[2] === 'O') throw new NpyError('This .npy file holds Python objects (it needs allow_pickle=True, which izer does not use).', 'unsupported');
  const info = KINDS.get(m[2] + m[3]);
  if (!info) throw new NpyError(`The .npy dtype \`${descr}\` is not supported here; izer needs int64 (\`<i8\`).`, 'unsupported');
  const littleEndian = m[1] !== '>';
  const fortran = dict.get('fortran_order');
  if (typeof fortran !== 'boolean') throw new NpyError('The .npy header lacks a valid `fortran_order`.', 'format');
  const shapeV = dict.get('shape');
  if (!Array.isArray(shapeV)) throw new NpyError('The .npy header lacks a valid `shape`.', 'format');
  const shape = shapeV as number[];
  let numel = 1;
  for (const d of shape) {
    numel *= d;
    if (numel > MAX_ELEMENTS)
      throw new NpyError(`The .npy shape (${shape.join(', ')}) has more than ${MAX_ELEMENTS} elements; that is no sample input.`, 'limit');
  }
  const dataStart = start + headerLen;
  if (dataStart + numel * info.size > bytes.length) {
    throw new NpyError(
      `The .npy data is truncated: shape (${shape.join(', ')}) needs ${numel * info.size} bytes, the file has ${bytes.length - dataStart}.`,
      'format',
    );
  }
  const end = offset + dataStart + numel * info.size;
  if (info.decode === 'int64' && littleEndian && HOST_LITTLE_ENDIAN && (!fortran || shape.length <= 1) && numel > 0)
    return { array: lazyInt64Array(bytes, dataStart, numel, shape, info.name), end };
  let values = decodeNpy(bytes, dataStart, numel, info, littleEndian);
  if (fortran && shape.length > 1) values = fortranToC(values, shape);
  const { min, max } = valueRange(values);
  return { array: { shape, dtype: info.name, values, min, max }, end };
}

/**
 * A little-endian int64 array in C order (izer's sample inputs): its range is read from the file's words at once,
 * its float64 values only when something asks for them (a check needs the range, the simulator the values).
 */
function lazyInt64Array(bytes: Uint8Array, at: number, count: number, shape: number[], dtype: string): NpyArray {
  const start = bytes.byteOffset + at;
  // The words need 4-byte alignment; copy the data once when the file's bytes do not have it.
  const words = start % 4 === 0 ? new Int32Array(bytes.buffer, start, count * 2) : new Int32Array(bytes.slice(at, at + count * 8).buffer, 0, count * 2);
  const { min, max } = int64Range(words, count);
  const array = { shape, dtype, min, max } as NpyArray;
  Object.defineProperty(array, 'values', {
    configurable: true,
    enumerable: true,
    get(this: NpyArray) {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) values[i] = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
      Object.defineProperty(this, 'values', { value: values, writable: true, enumerable: true, configurable: true });
      return values;
    },
    set(this: NpyArray, v: Float64Array) {
      Object.defineProperty(this, 'values', { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
  return array;
}

/**
 * The range of `count` little-endian int64 values given as pairs of Int32 words. Samples hold small values, whose
 * high word only repeats the low word's sign: that pass reads half the words as plain integers; any other value
 * sends it to the full 64-bit pass.
 */
function int64Range(words: Int32Array, count: number): { min: number; max: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let j = 0;
  for (; j < 2 * count; j += 2) {
    const low = words[j];
    if (words[j + 1] !== low >> 31) break;
    if (low < lo) lo = low;
    if (low > hi) hi = low;
  }
  if (j >= 2 * count) return { min: lo, max: hi };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The number of elements of an array of this shape (1 for a 0-d array). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function decodeNpy(bytes: Uint8Array, at: number, count: number, info: DTypeInfo, littleEndian: boolean): Float64Array {
  if (info.decode !== 'uint16' && info.decode !== 'uint32' && info.decode !== 'uint64') return decodeElements(bytes, at, count, info.decode, littleEndian);
  const out = new Float64Array(count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + at, count * info.size);
  for (let i = 0; i < count; i++) {
    const p = i * info.size;
    out[i] =
      info.decode === 'uint16'
        ? dv.getUint16(p, littleEndian)
        : info.decode === 'uint32'
          ? dv.getUint32(p, littleEndian)
          : Number(dv.getBigUint64(p, littleEndian));
  }
  return out;
}

type HeaderValue = string | boolean | number[] | null;

/** Parses the header's Python dict literal: {'descr': '<i8', 'fortran_order': False, 'shape': (1, 28, 28), }. */
function parseHeader(text: string): Map<string, HeaderValue> {
  let p = 0;
  const bad = (what: string): never => {
    throw new NpyError(`The .npy header is not a valid dictionary (${what}): \`${text.trim().slice(0, 80)}\`.`, 'format');
  };
  const ws = () => {
    while (p < text.length && /\s/.test(text[p])) p++;
  };
  const expect = (c: string) => {
    ws();
    if (text[p] !== c) bad(`expected \`${c}\``);
    p++;
  };
  const str = (): string => {
    ws();
    const q = text[p];
    if (q !== "'" && q !== '"') bad('expected a quoted string');
    const end = text.indexOf(q, p + 1);
    if (end < 0) bad('unterminated string');
    const s = text.slice(p + 1, end);
    p = end + 1;
    return s;
  };
  const value = (): HeaderValue => {
    ws();
    const c = text[p];
    if (c === "'" || c === '"') return str();
    if (text.startsWith('True', p)) {
      p += 4;
      return true;
    }
    if (text.startsWith('False', p)) {
      p += 5;
      return false;
    }
    if (text.startsWith('None', p)) {
      p += 4;
      return null;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      p++;
      const items: number[] = [];
      for (;;) {
        ws();
        if (text[p] === close) {
          p++;
          return items;
        }
        const m = /^(\d+)L?/.exec(text.slice(p, p + 32));
        if (!m) {
          if (c === '[') return skipList();
          bad('a shape entry is not a non-negative integer');
        }
        items.push(Number(m![1]));
        p += m![0].length;
        ws();
        if (text[p] === ',') p++;
        else if (text[p] !== close) bad('malformed shape');
      }
    }
    return bad('unexpected value');
  };
  // A structured dtype's descr is a list of fields: skip it, readNpy reports it as unsupported.
  const skipList = (): null => {
    let depth = 1;
    while (p < text.length && depth > 0) {
      if (text[p] === '[') depth++;
      else if (text[p] === ']') depth--;
      p++;
    }
    return null;
  };
  const out = new Map<string, HeaderValue>();
  expect('{');
  for (;;) {
    ws();
    if (text[p] === '}') break;
    const k = str();
    expect(':');
    out.set(k, value());
    ws();
    if (text[p] === ',') p++;
    else if (text[p] !== '}') bad('expected `,` or `}`');
  }
  return out;
}

/** An .npy (version 1.0, little-endian int64, C order) of these values, as np.save writes it. */
export function writeNpy(shape: readonly number[], values: ArrayLike<number> | BigInt64Array): Uint8Array {
  const numel = shape.reduce((a, b) => a * b, 1);
  if (values.length !== numel) throw new Error(`writeNpy: shape (${shape.join(', ')}) needs ${numel} values, got ${values.length}.`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<i8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads the header with spaces so that the data starts on a 64-byte boundary, and ends it with '\n'.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + numel * 8);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  dv.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const base = 10 + header.length;
  for (let i = 0; i < numel; i++) {
    const v = values[i];
    dv.setBigInt64(base + i * 8, typeof v === 'bigint' ? v : BigInt(Math.trunc(v)), true);
  }
  return out;
}
