// Export of simulated layer outputs as .npy (int64, C×H×W — the shape izer's --result-numpy file has).
import { writeNpy } from '../sample/npy';
import type { SimulatedLayer } from './simulateNetwork';

export interface LayerArray {
  shape: [number, number, number];
  values: Float64Array;
}

/** The layer output as a C×H×W array, or null when its values were not kept. */
export function layerOutputArray(layer: SimulatedLayer): LayerArray | null {
  return layer.values ? { shape: [...layer.shape], values: layer.values } : null;
}

/** The bytes of an int64 .npy file holding the layer output, or null when its values were not kept. */
export function exportLayerNpy(layer: SimulatedLayer): Uint8Array | null {
  const a = layerOutputArray(layer);
  return a ? writeNpy(a.shape, a.values) : null;
}
