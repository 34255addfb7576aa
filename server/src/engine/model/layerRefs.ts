// Resolving a reference to a layer, written as a number or a name, to izer's layer number.
import type { LayerRef, NetworkModel } from './network';

/** The layer index a reference resolves to: −1 input, −2 data buffer, null when unknown. */
export function resolveRef(model: NetworkModel, ref: LayerRef): number | null {
  if (ref.kind === 'index') return ref.value;
  const low = ref.value.toLowerCase();
  if (low === 'input') return -1;
  const hit = model.layers.find((l) => l.name !== null && l.name.toLowerCase() === low);
  if (hit) return hit.ll;
  if (model.dataBuffer && model.dataBuffer.name === low) return -2;
  return null;
}
