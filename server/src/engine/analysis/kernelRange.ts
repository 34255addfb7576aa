// The value range of a kernel array (rule #102 compares it with the quantization). Computed once per array and
// kept while the array lives; the checkpoint loader, which has just looked at every weight, hands it over.

export interface KernelRange {
  min: number;
  max: number;
  absMin: number;
  absMax: number;
}

const ranges = new WeakMap<Int32Array, KernelRange>();

export function kernelRange(data: Int32Array): KernelRange {
  let r = ranges.get(data);
  if (!r) {
    let min = Infinity;
    let max = -Infinity;
    let absMin = Infinity;
    let absMax = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < min) min = v;
      if (v > max) max = v;
      const a = v < 0 ? -v : v;
      if (a < absMin) absMin = a;
      if (a > absMax) absMax = a;
    }
    r = { min, max, absMin, absMax };
    ranges.set(data, r);
  }
  return r;
}

/** Records the range of `data` known from elsewhere; it must be exactly what kernelRange would compute. */
export function rememberKernelRange(data: Int32Array, r: KernelRange): void {
  ranges.set(data, r);
}
