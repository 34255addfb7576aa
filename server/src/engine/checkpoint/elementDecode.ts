// Raw element bytes (torch storages, numpy arrays, .npy data) → float64 values. Shared by the checkpoint and .npy readers.
import type { DirectValues, TensorDType } from './types';

export const ELEMENT_SIZE: Record<TensorDType, number> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let halfTable: Float64Array | null = null;

/** All 65536 IEEE half-precision values, built once. */
function halfValues(): Float64Array {
  if (halfTable) return halfTable;
  const t = new Float64Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac ? NaN : sign * Infinity;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  halfTable = t;
  return t;
}

/**
 * `count` consecutive elements from byte `offset` of `bytes` as a typed view of those bytes, without copying, where
 * the dtype has a typed array, the bytes are in the host's order and the offset is aligned; otherwise undefined.
 */
export function directView(bytes: Uint8Array, offset: number, count: number, dtype: TensorDType, littleEndian = true): DirectValues | undefined {
  const size = ELEMENT_SIZE[dtype];
  const at = bytes.byteOffset + offset;
  if ((littleEndian !== HOST_LITTLE_ENDIAN && size > 1) || at % size !== 0) return undefined;
  switch (dtype) {
    case 'float64':
      return new Float64Array(bytes.buffer, at, count);
    case 'float32':
      return new Float32Array(bytes.buffer, at, count);
    case 'int32':
      return new Int32Array(bytes.buffer, at, count);
    case 'int16':
      return new Int16Array(bytes.buffer, at, count);
    case 'int8':
      return new Int8Array(bytes.buffer, at, count);
    case 'uint8':
      return new Uint8Array(bytes.buffer, at, count);
    default:
      return undefined;
  }
}

/**
 * Decodes `count` consecutive elements starting at byte `offset` of `bytes`.
 * int64 values beyond ±2^53 lose precision (the Tensor contract says so).
 */
export function decodeElements(bytes: Uint8Array, offset: number, count: number, dtype: TensorDType, littleEndian = true): Float64Array {
  const size = ELEMENT_SIZE[dtype];
  const out = new Float64Array(count);
  if (count === 0) return out;
  const start = bytes.byteOffset + offset;
  if (littleEndian === HOST_LITTLE_ENDIAN || size === 1) {
    // Typed-array views need aligned offsets; copy the range once when it is not aligned.
    let buf = bytes.buffer;
    let at = start;
    if (at % size !== 0) {
      const copy = new Uint8Array(count * size);
      copy.set(bytes.subarray(offset, offset + count * size));
      buf = copy.buffer;
      at = 0;
    }
    // The dtypes JavaScript has a typed array for are converted by one copy out of a view of the bytes.
    const view = directView(new Uint8Array(buf), at, count, dtype, HOST_LITTLE_ENDIAN);
    if (view) {
      out.set(view);
      return out;
    }
    switch (dtype) {
      case 'bool': {
        const u = new Uint8Array(buf, at, count);
        for (let i = 0; i < count; i++) out[i] = u[i] ? 1 : 0;
        return out;
      }
      case 'int64': {
        const w = new Int32Array(buf, at, count * 2);
        const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
        for (let i = 0; i < count; i++) out[i] = w[2 * i + 1 - lo] * 4294967296 + (w[2 * i + lo] >>> 0);
        return out;
      }
      case 'float16': {
        const t = halfValues();
        const u = new Uint16Array(buf, at, count);
        for (let i = 0; i < count; i++) out[i] = t[u[i]];
        return out;
      }
      case 'bfloat16': {
        const u = new Uint16Array(buf, at, count);
        const f = new Float32Array(1);
        const fw = new Uint32Array(f.buffer);
        for (let i = 0; i < count; i++) {
          fw[0] = u[i] << 16;
          out[i] = f[0];
        }
        return out;
      }
    }
  }
  // Foreign byte order: the slow, portable path.
  const dv = new DataView(bytes.buffer, start, count * size);
  const le = littleEndian;
  for (let i = 0; i < count; i++) {
    const p = i * size;
    switch (dtype) {
      case 'float64':
        out[i] = dv.getFloat64(p, le);
        break;
      case 'float32':
        out[i] = dv.getFloat32(p, le);
        break;
      case 'int64':
        out[i] = dv.getInt32(le ? p + 4 : p, le) * 4294967296 + dv.getUint32(le ? p : p + 4, le);
        break;
      case 'int32':
        out[i] = dv.getInt32(p, le);
        break;
      case 'int16':
        out[i] = dv.getInt16(p, le);
        break;
      case 'float16':
        out[i] = halfValues()[dv.getUint16(p, le)];
        break;
      case 'bfloat16': {
        const f = new DataView(new ArrayBuffer(4));
        f.setUint32(0, dv.getUint16(p, le) << 16);
        out[i] = f.getFloat32(0);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Exact int64 element (as bigint) at byte `offset`, for values where float64 would round. */
export function readInt64(bytes: Uint8Array, offset: number, littleEndian = true): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigInt64(0, littleEndian);
}

/** Element strides of a C-ordered (row-major) array of this shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Gathers a strided view into C order. `base` holds the storage elements from `baseIndex` on;
 * element (i0, i1, …) of the view is base[offset + Σ ik·stride_k − baseIndex].
 */
export function gatherStrided(
  base: Float64Array,
  baseIndex: number,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  numel: number,
): Float64Array {
  const out = new Float64Array(numel);
  if (numel === 0) return out;
  const nd = shape.length;
  if (nd === 0) {
    out[0] = base[offset - baseIndex];
    return out;
  }
  const idx = new Array<number>(nd).fill(0);
  let pos = offset - baseIndex;
  const last = nd - 1;
  const lastStride = strides[last];
  const lastSize = shape[last];
  let o = 0;
  for (;;) {
    for (let j = 0; j < lastSize; j++) out[o++] = base[pos + j * lastStride];
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      pos += strides[d];
      if (idx[d] < shape[d]) break;
      pos -= strides[d] * shape[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) break;
  }
  return out;
}

/** Reorders Fortran-ordered (column-major) values into C order. */
export function fortranToC(values: Float64Array, shape: readonly number[]): Float64Array {
  const out = new Float64Array(values.length);
  const nd = shape.length;
  const fStrides = new Array<number>(nd);
  let acc = 1;
  for (let i = 0; i < nd; i++) {
    fStrides[i] = acc;
    acc *= shape[i];
  }
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0; o < values.length; o++) {
    let src = 0;
    for (let i = 0; i < nd; i++) src += idx[i] * fStrides[i];
    out[o] = values[src];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}
