// Completion of keys and enumerated values, from the text around the cursor (works on half-typed lines).
import { GLOBAL_KEYS, KeyDoc, LAYER_KEYS, findKeyDoc } from '../model/keyCatalog';
import type { NetworkModel } from '../model/network';

export interface CompletionEntry {
  label: string;
  kind: 'key' | 'value';
  detail: string;
  documentation: string;
  insertText: string;
  /** Offsets of the text the completion replaces. */
  replace: [number, number];
}

export function completeAt(text: string, offset: number, model: NetworkModel): CompletionEntry[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const valueMatch = /^(\s*)(-\s+)?([A-Za-z_]\w*)\s*:\s*([^#\s]*)$/.exec(before);
  if (valueMatch) {
    const key = valueMatch[3];
    const typed = valueMatch[4];
    const scope = scopeAt(text, lineStart, indentOf(valueMatch));
    const doc = findKeyDoc(scope === 'global' ? 'global' : 'layer', key);
    const values = doc?.enumValues ?? (doc?.shape === 'bool' ? ['true', 'false'] : []);
    return values
      .filter((v) => v.toLowerCase().startsWith(typed.toLowerCase()))
      .map((v) => ({
        label: v,
        kind: 'value',
        detail: `${key} value`,
        documentation: doc?.summary ?? '',
        insertText: v,
        replace: [offset - typed.length, offset],
      }));
  }
  const keyMatch = /^(\s*)(-\s+)?([A-Za-z_]*)$/.exec(before);
  if (!keyMatch) return [];
  const typed = keyMatch[3];
  const scope = scopeAt(text, lineStart, indentOf(keyMatch));
  const present = presentKeys(text, lineStart, scope, model, offset);
  const list: KeyDoc[] = scope === 'global' ? GLOBAL_KEYS : scope === 'layer' ? LAYER_KEYS : [];
  return list
    .filter((d) => !present.has(d.key) && d.key.startsWith(typed))
    .map((d) => ({
      label: d.key,
      kind: 'key',
      detail: d.scope === 'global' ? 'top-level key' : 'layer key',
      documentation: d.summary,
      insertText: d.key + ': ',
      replace: [offset - typed.length, offset],
    }));
}

function indentOf(m: RegExpExecArray): number {
  return m[1].length + (m[2] ? m[2].length : 0);
}

/** Global at indent 0; layer when the nearest less-indented line above belongs to `layers:`. */
function scopeAt(text: string, lineStart: number, indent: number): 'global' | 'layer' | 'other' {
  if (indent === 0) return 'global';
  let pos = lineStart;
  while (pos > 0) {
    const prevStart = text.lastIndexOf('\n', pos - 2) + 1;
    const line = text.slice(prevStart, pos - 1);
    pos = prevStart;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^(\S[^:]*):/.exec(line);
    if (m) return m[1].trim() === 'layers' ? 'layer' : 'other';
    if (prevStart === 0) break;
  }
  return 'other';
}

function presentKeys(text: string, lineStart: number, scope: string, model: NetworkModel, offset: number): Set<string> {
  if (scope === 'global') return new Set(model.globals.keys());
  if (scope !== 'layer') return new Set();
  // The layer item the cursor line belongs to: the last one starting before it, unless a new item
  // (`- `) starts on this line.
  if (/^\s*-\s/.test(text.slice(lineStart, offset))) return new Set();
  const before = [...model.layers].filter((l) => l.node.range[0] <= lineStart).sort((a, b) => b.node.range[0] - a.node.range[0]);
  const layer = before[0];
  return layer ? new Set(layer.entries.keys()) : new Set();
}
