// Minimal text edits that set, add or remove one key of a layer: a changed value replaces only the value, a
// new key is a new line after the layer's last key (with the layer's indentation), a removed key removes its
// line. Comments, key order and the formatting of everything else stay as they are.
import type { LineIndex } from '../lineIndex';
import type { LayerSpec } from '../model/network';
import type { TextEditSpec } from '../textEdits';

/** `removed`: keys removed in the same change (a new key never goes on a line that is removed). */
export function setLayerKey(
  text: string,
  lines: LineIndex,
  layer: LayerSpec,
  key: string,
  value: string | null,
  removed: ReadonlySet<string> = new Set(),
): TextEditSpec[] {
  const entry = layer.entries.get(key);
  if (value === null) {
    if (!entry) return [];
    return [{ range: lineSpan(text, entry.range[0], entry.range[1]), newText: '' }];
  }
  if (entry?.value) return entry.value.type === 'scalar' && entry.value.text === value ? [] : [{ range: entry.value.range, newText: value }];
  if (entry) return [{ range: [entry.key.range[1], entry.range[1]], newText: `: ${value}` }];
  const first = layer.node.entries[0];
  const kept = layer.node.entries.filter((e) => e.keyName === null || !removed.has(e.keyName));
  const last = kept[kept.length - 1] ?? layer.node.entries[0];
  if (!first || !last) return [];
  const indent = ' '.repeat(lines.position(first.key.range[0]).character);
  const end = endOfLine(text, last.range[1]);
  return [{ range: [end, end], newText: `\n${indent}${key}: ${value}` }];
}

/** The end of the line holding `offset` (before its newline, after any trailing comment). */
function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** The whole lines from `start` to `end`, with the newline that ends them, when nothing else is on them. */
function lineSpan(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const lineEnd = endOfLine(text, end);
  if (before.trim() !== '') return [start, lineEnd]; // the key shares its line (e.g. `- processors: …`)
  return [lineStart, lineEnd < text.length ? lineEnd + 1 : lineEnd];
}
