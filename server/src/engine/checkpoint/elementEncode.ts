// float64 values → little-endian element bytes of a torch/numpy dtype (the writers' half of elementDecode).
import type { TensorDType } from './types';
import { ELEMENT_SIZE } from './elementDecode';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The typed array whose elements are already the dtype's little-endian bytes on this host, if `values` is one. */
function sameLayout(values: ArrayLike<number>, dtype: TensorDType): ArrayBufferView | null {
  if (!HOST_LITTLE_ENDIAN && ELEMENT_SIZE[dtype] > 1) return null;
  if (dtype === 'float32' && values instanceof Float32Array) return values;
  if (dtype === 'float64' && values instanceof Float64Array) return values;
  if (dtype === 'int32' && values instanceof Int32Array) return values;
  if (dtype === 'int16' && values instanceof Int16Array) return values;
  if (dtype === 'int8' && values instanceof Int8Array) return values;
  if (dtype === 'uint8' && values instanceof Uint8Array) return values;
  return null;
}

export function encodeElements(values: ArrayLike<number>, dtype: TensorDType): Uint8Array {
  const same = sameLayout(values, dtype);
  if (same) return new Uint8Array(same.buffer, same.byteOffset, same.byteLength).slice();
  const n = values.length;
  const out = new Uint8Array(n * ELEMENT_SIZE[dtype]);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (dtype) {
      case 'float64':
        dv.setFloat64(i * 8, v, true);
        break;
      case 'float32':
        dv.setFloat32(i * 4, v, true);
        break;
      case 'float16':
        dv.setUint16(i * 2, toHalf(v), true);
        break;
      case 'bfloat16':
        dv.setUint16(i * 2, toBFloat16(v), true);
        break;
      case 'int64': {
        const hi = Math.floor(v / 4294967296);
        dv.setUint32(i * 8, v - hi * 4294967296, true);
        dv.setInt32(i * 8 + 4, hi, true);
        break;
      }
      case 'int32':
        dv.setInt32(i * 4, v, true);
        break;
      case 'int16':
        dv.setInt16(i * 2, v, true);
        break;
      case 'int8':
        dv.setInt8(i, v);
        break;
      case 'uint8':
        dv.setUint8(i, v);
        break;
      case 'bool':
        dv.setUint8(i, v ? 1 : 0);
        break;
    }
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function toBFloat16(v: number): number {
  f32[0] = v;
  const bits = u32[0];
  if (Number.isNaN(v)) return 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Nearest IEEE half (round half to even). */
function toHalf(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -24 / 2) return sign;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (e < -14) {
    const m = roundEven(a / 2 ** -24);
    return sign | m;
  }
  let m = roundEven((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

function roundEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
