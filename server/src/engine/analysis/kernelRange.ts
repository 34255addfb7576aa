// The value range of a kernel (rule #102 compares it with the quantization): the one the checkpoint loader handed
// over with the kernel (it has just looked at every weight), else computed once from the values and kept.
import type { KernelRange, KernelTensor } from './networkPlan';

export function kernelRange(w: KernelTensor): KernelRange {
  if (w.range) return w.range;
  const data = w.data;
  let min = Infinity;
  let max = -Infinity;
  let zero = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zero = true;
  }
  return (w.range = { min, max, binary: data.length > 0 && min >= -1 && max <= 1 && !zero });
}
