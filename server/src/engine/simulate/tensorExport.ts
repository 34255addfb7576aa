// Export of simulated layer outputs as arrays for a .npy writer.
// NOTE: the project's writer (writeNpy in server/src/engine/sample/) did not exist when this was written; the
// export is expressed against the small NpyWriter interface below so that the caller passes writeNpy in.
import type { SimulatedLayer } from './simulateNetwork';

/** An int64 array as izer's simulation holds it (the same shape izer's --result-numpy file has: C×H×W). */
export interface NpyArray {
  shape: number[];
  dtype: 'int64';
  values: Float64Array;
}

export type NpyWriter = (array: NpyArray) => Uint8Array;

/** The layer output as an int64 C×H×W array, or null when its values were not kept. */
export function layerOutputArray(layer: SimulatedLayer): NpyArray | null {
  if (!layer.values) return null;
  return { shape: [...layer.shape], dtype: 'int64', values: layer.values };
}

export function exportLayerNpy(layer: SimulatedLayer, write: NpyWriter): Uint8Array | null {
  const a = layerOutputArray(layer);
  return a ? write(a) : null;
}
