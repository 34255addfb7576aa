// What is under the cursor: which key of which layer (or global), on the key or on its value.
import type { LayerSpec, NetworkModel } from '../model/network';
import type { YEntry, YNode } from '../yaml/yamlTree';

export interface Location {
  scope: 'global' | 'layer' | 'unload' | 'data_buffer';
  layer: LayerSpec | null;
  entry: YEntry;
  onKey: boolean;
  /** The innermost value node under the cursor (e.g. one item of an `in_sequences` list). */
  valueNode: YNode | null;
}

const inside = (r: readonly [number, number], o: number) => o >= r[0] && o <= r[1];

export function locate(model: NetworkModel, offset: number): Location | null {
  const root = model.root;
  if (!root) return null;
  for (const e of root.entries) {
    if (!inside(e.range, offset) && !(e.value && inside(e.value.range, offset))) continue;
    if (inside(e.key.range, offset)) return { scope: 'global', layer: null, entry: e, onKey: true, valueNode: null };
    if (e.keyName === 'layers') {
      for (const l of model.layers) {
        if (!inside(l.node.range, offset)) continue;
        const hit = entryAt(l.node.entries, offset);
        if (hit) return { scope: 'layer', layer: l, ...hit };
      }
      return null;
    }
    if ((e.keyName === 'unload' || e.keyName === 'data_buffer') && e.value && e.value.type === 'seq') {
      for (const item of e.value.items) {
        if (item.type !== 'map' || !inside(item.range, offset)) continue;
        const hit = entryAt(item.entries, offset);
        if (hit) return { scope: e.keyName, layer: null, ...hit };
      }
      return null;
    }
    return { scope: 'global', layer: null, entry: e, onKey: false, valueNode: innermost(e.value, offset) };
  }
  return null;
}

function entryAt(entries: readonly YEntry[], offset: number): Omit<Location, 'scope' | 'layer'> | null {
  for (const e of entries) {
    if (inside(e.key.range, offset)) return { entry: e, onKey: true, valueNode: null };
    if (e.value && inside(e.value.range, offset)) return { entry: e, onKey: false, valueNode: innermost(e.value, offset) };
  }
  return null;
}

function innermost(n: YNode | null, offset: number): YNode | null {
  if (!n || !inside(n.range, offset)) return null;
  if (n.type === 'seq') {
    for (const it of n.items) {
      const hit = innermost(it, offset);
      if (hit) return hit;
    }
  }
  return n;
}
