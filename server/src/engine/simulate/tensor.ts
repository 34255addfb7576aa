// A channel-first integer tensor as izer's simulation holds it (numpy int64, C×H×W; 1-D data is C×L×1).
// Values are plain integers stored in a Float64Array: exact up to 2^53, which covers every 8-bit value,
// every 32-bit accumulator and the products of a layer that reads 32-bit data (see conv2d.ts).

export interface Tensor3 {
  readonly c: number;
  readonly h: number;
  readonly w: number;
  /** C order: data[(c·H + h)·W + w]. */
  readonly data: Float64Array;
}

export function tensor3(c: number, h: number, w: number, data?: Float64Array): Tensor3 {
  const n = c * h * w;
  if (data && data.length !== n) throw new RangeError(`tensor ${c}x${h}x${w} needs ${n} values, got ${data.length}`);
  return { c, h, w, data: data ?? new Float64Array(n) };
}

export function shapeOf(t: Tensor3): [number, number, number] {
  return [t.c, t.h, t.w];
}

export function shapeText(t: Tensor3): string {
  return `${t.c}x${t.h}x${t.w}`;
}

/** The same values viewed with another shape (numpy C-order reshape); null when the sizes differ. */
export function reshape(t: Tensor3, c: number, h: number, w: number): Tensor3 | null {
  return c * h * w === t.data.length ? { c, h, w, data: t.data } : null;
}

/** Channels [from, to) as a view. */
export function channelSlice(t: Tensor3, from: number, to: number): Tensor3 {
  const plane = t.h * t.w;
  return { c: to - from, h: t.h, w: t.w, data: t.data.subarray(from * plane, to * plane) };
}

/** Concatenation along channels (all H and W equal). */
export function concatChannels(parts: readonly Tensor3[]): Tensor3 {
  const { h, w } = parts[0];
  let c = 0;
  for (const p of parts) c += p.c;
  const out = tensor3(c, h, w);
  let at = 0;
  for (const p of parts) {
    out.data.set(p.data, at);
    at += p.data.length;
  }
  return out;
}

/**
 * Concatenation along the pixel axis: every part viewed as (C, H·W), the rows joined end to end (equal C),
 * so channel k of the result is channel k of each part, one after the other.
 */
export function concatPixels(parts: readonly Tensor3[]): { c: number; pixels: number; data: Float64Array } {
  const c = parts[0].c;
  let pixels = 0;
  for (const p of parts) pixels += p.h * p.w;
  const data = new Float64Array(c * pixels);
  for (let ch = 0; ch < c; ch++) {
    let at = ch * pixels;
    for (const p of parts) {
      const n = p.h * p.w;
      data.set(p.data.subarray(ch * n, ch * n + n), at);
      at += n;
    }
  }
  return { c, pixels, data };
}

export function allZero(t: Tensor3): boolean {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) return false;
  return true;
}
