// Numbers as numpy prints them in quantize.py's `-v` lines: the shortest digits that read back as the same float32
// (or float64), positional between 1e-4 and 1e16, otherwise in e-notation with a two-digit exponent.
import type { FloatDType } from './torchArithmetic';

export function floatRepr(x: number, dtype: FloatDType): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const same = dtype === 'float32' ? (s: string) => Math.fround(Number(s)) === x : (s: string) => Number(s) === x;
  let digits = '';
  for (let p = 1; p <= 17; p++) {
    digits = x.toPrecision(p);
    if (same(digits)) break;
  }
  const [mantissa, exp] = Number(digits).toExponential().split('e');
  const e = Number(exp);
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    const text = Number(digits).toFixed(Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - e));
    return text.includes('.') ? text : `${text}.0`;
  }
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
