// Element-wise operators (izer-compute §2.7): operands combined left to right at full precision, then one clip
// to [−128, 127] at the end (unless the layer writes 32-bit data, which only a passthrough may ask for).
import type { EltwiseOp } from '../model/network';
import { Tensor3, tensor3 } from './tensor';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function eltwise(op: EltwiseOp, operands: readonly Tensor3[], width: 8 | 32): Tensor3 {
  const first = operands[0];
  const out = tensor3(first.c, first.h, first.w, Float64Array.from(first.data));
  const r = out.data;
  for (let k = 1; k < operands.length; k++) {
    const x = operands[k].data;
    switch (op) {
      case 'add':
        for (let i = 0; i < r.length; i++) r[i] += x[i];
        break;
      case 'sub':
        for (let i = 0; i < r.length; i++) r[i] -= x[i];
        break;
      case 'or':
        for (let i = 0; i < r.length; i++) r[i] = bitwise(r[i], x[i], false);
        break;
      case 'xor':
        for (let i = 0; i < r.length; i++) r[i] = bitwise(r[i], x[i], true);
        break;
    }
  }
  if (width !== 32) {
    for (let i = 0; i < r.length; i++) {
      const v = r[i];
      r[i] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
  return out;
}

/** OR / XOR on two's-complement integers (int32 fast path; BigInt for the rare wider values). */
function bitwise(a: number, b: number, xor: boolean): number {
  if (a >= INT32_MIN && a <= INT32_MAX && b >= INT32_MIN && b <= INT32_MAX) return xor ? a ^ b : a | b;
  const r = xor ? BigInt(a) ^ BigInt(b) : BigInt(a) | BigInt(b);
  return Number(r);
}
