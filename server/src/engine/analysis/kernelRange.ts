// The value range of a kernel (rule #102 compares it with the quantization): the one the checkpoint loader handed
// over with the kernel (it has just looked at every weight), else computed once from the values and kept.
import type { KernelRange, KernelTensor } from './networkPlan';

export function kernelRange(w: KernelTensor): KernelRange {
  if (w.range) return w.range;
  const data = w.data;
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
  return (w.range = { min, max, absMin, absMax });
}
