// The common output stage of Conv1d/Conv2d/ConvTranspose2d/Linear (izer-compute §2.1), in place on the raw
// accumulators (bias already added at ×128).
//   8-bit:  y = floor(0.5 + acc / 2^(7−shift)) — half toward +∞ — then clip to [−128, 127];
//           a negative exponent (shift > 7) is a plain left shift.
//   32-bit: y = acc, untouched: no shift (not even the implicit 8−|bits|), no rounding, no clamp.
//   Then ReLU clips to [0, 127] and Abs takes |y| clipped to 127, for both widths (32-bit + activation is only
//   legal on intermediate layers, where izer clips the raw accumulator).
import type { Activation } from '../model/network';

export function applyOutputStage(acc: Float64Array, shift: number, width: 8 | 32, activation: Activation): void {
  const n = acc.length;
  if (width === 8) {
    const e = 7 - shift;
    if (e >= 1) {
      // acc is an exact integer below 2^53, so acc + 2^(e−1) and the division by a power of two are exact.
      const div = 2 ** e;
      const half = div / 2;
      for (let i = 0; i < n; i++) {
        const y = Math.floor((acc[i] + half) / div);
        acc[i] = y < -128 ? -128 : y > 127 ? 127 : y;
      }
    } else {
      const mul = 2 ** -e;
      for (let i = 0; i < n; i++) {
        const y = acc[i] * mul;
        acc[i] = y < -128 ? -128 : y > 127 ? 127 : y;
      }
    }
  }
  if (activation === 'relu') {
    for (let i = 0; i < n; i++) {
      const y = acc[i];
      acc[i] = y < 0 ? 0 : y > 127 ? 127 : y;
    }
  } else if (activation === 'abs') {
    for (let i = 0; i < n; i++) {
      const y = Math.abs(acc[i]);
      acc[i] = y > 127 ? 127 : y;
    }
  }
}
