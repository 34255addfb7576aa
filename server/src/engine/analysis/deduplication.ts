// Weight and bias sharing between identical layers (izer's kdedup, on unless --no-deduplicate-weights).
// A layer whose kernels equal an earlier layer's (same shape, values, quantization and processors)
// uses that layer's kernel memory; identical bias arrays share bias memory.
import type { KernelTensor } from './networkPlan';

export interface Deduplicated<T> {
  /** For each layer: the layer whose data it uses (itself when unique), or null when it has none. */
  pointers: (number | null)[];
  /** The data with duplicates removed (null where a layer reuses another's). */
  unique: (T | null)[];
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function deduplicateKernels(
  kernels: (KernelTensor | null)[],
  layers: number,
  quantization: number[],
  processorMap: bigint[],
): Deduplicated<KernelTensor> {
  return dedup(
    kernels,
    layers,
    (w) => w.data,
    (w) => w.shape.join('x'),
    (a, b) => quantization[a] === quantization[b] && processorMap[a] === processorMap[b],
    knownToDiffer,
  );
}

/** Kernels whose known sums or ranges differ cannot be equal; their values need not be built to tell. */
function knownToDiffer(a: KernelTensor, b: KernelTensor): boolean {
  if (a.sum !== undefined && b.sum !== undefined && a.sum !== b.sum) return true;
  return !!a.range && !!b.range && (a.range.min !== b.range.min || a.range.max !== b.range.max);
}

export function deduplicateBias(bias: (Int32Array | null)[], layers: number): Deduplicated<Int32Array> {
  return dedup(
    bias,
    layers,
    (b) => b,
    (b) => String(b.length),
    () => true,
  );
}

function dedup<T>(
  items: (T | null)[],
  layers: number,
  data: (t: T) => ArrayLike<number>,
  shape: (t: T) => string,
  compatible: (a: number, b: number) => boolean,
  differ: (a: T, b: T) => boolean = () => false,
): Deduplicated<T> {
  const pointers: (number | null)[] = [];
  const unique: (T | null)[] = [];
  items.forEach((w, ll) => {
    if (w === null || ll >= layers) {
      pointers.push(w === null ? null : ll);
      unique.push(w);
      return;
    }
    let dup = -1;
    for (let i = 0; i < ll; i++) {
      const u = unique[i];
      if (u === null || pointers[i] !== i || i >= layers) continue;
      if (shape(u) === shape(w) && compatible(ll, i) && !differ(u, w) && sameArray(data(u), data(w))) {
        dup = i;
        break;
      }
    }
    if (dup >= 0) {
      pointers.push(dup);
      unique.push(null);
    } else {
      pointers.push(ll);
      unique.push(w);
    }
  });
  return { pointers, unique };
}
