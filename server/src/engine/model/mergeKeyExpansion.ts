// Writing out YAML merge keys (`<<: *base`), which izer's loader cannot read (see yaml/pyyamlTags.ts): each is
// replaced by the keys it merges, with PyYAML's precedence (the mapping's own keys first, then the merged
// mappings in order), copied as written and indented where the merge key was.
import { removalRange, type TextEditSpec } from '../textEdits';
import type { Range, YamlTree, YEntry, YMap, YNode } from '../yaml/yamlTree';

export interface MergeKeyExpansion {
  edits: TextEditSpec[];
  /** How many merge keys the edits write out. */
  count: number;
}

const MAX_DEPTH = 200;

export function isMergeKey(e: YEntry): boolean {
  return e.key.type === 'scalar' && !e.key.quoted && e.key.text === '<<';
}

/**
 * Edits that write out every merge key of the file, or null when one of them cannot be written out as text: in a
 * flow mapping, merging something other than mappings, twice in one mapping, or copying text that holds an anchor
 * (PyYAML refuses an anchor name defined twice).
 */
export function expandMergeKeys(tree: YamlTree): MergeKeyExpansion | null {
  const edits: TextEditSpec[] = [];
  const done = new Set<number>();
  // Aliases copy the anchored nodes into the tree, so one merge key can be met more than once.
  const pending: { node: YNode; depth: number }[] = tree.root ? [{ node: tree.root, depth: 0 }] : [];
  while (pending.length) {
    const { node, depth } = pending.pop()!;
    if (depth > MAX_DEPTH || node.type === 'scalar') continue;
    if (node.type === 'seq') {
      for (const it of node.items) pending.push({ node: it, depth: depth + 1 });
      continue;
    }
    for (const e of node.entries) if (e.value) pending.push({ node: e.value, depth: depth + 1 });
    const merges = node.entries.filter(isMergeKey);
    if (!merges.length || done.has(merges[0].range[0])) continue;
    done.add(merges[0].range[0]);
    const edit = writeOut(tree, node, merges);
    if (!edit) return null;
    edits.push(edit);
  }
  return edits.length ? { edits: edits.sort((a, b) => a.range[0] - b.range[0]), count: edits.length } : null;
}

function writeOut(tree: YamlTree, map: YMap, merges: YEntry[]): TextEditSpec | null {
  if (map.flow || merges.length !== 1) return null;
  const [merge] = merges;
  const merged = mergedEntries(map, 0);
  if (!merged) return null;
  const inserted = merged.filter((e) => !map.entries.includes(e));
  if (!inserted.length) return { range: removalRange(tree.text, merge.range), newText: '' };
  const column = columnOf(tree.text, merge.range[0]);
  const newline = tree.text.includes('\r\n') ? '\r\n' : '\n';
  const texts: string[] = [];
  for (const e of inserted) {
    const range: Range = [e.range[0], trimmedEnd(tree.text, e)];
    if (tree.anchors.some((a) => a.offset >= range[0] && a.offset < range[1])) return null;
    const text = reindent(tree.text.slice(range[0], range[1]), columnOf(tree.text, range[0]), column);
    if (text === null) return null;
    texts.push(e.value ? text : text + ':');
  }
  return { range: [merge.range[0], trimmedEnd(tree.text, merge)], newText: texts.join(newline + ' '.repeat(column)) };
}

/** The mapping's entries after PyYAML's merge: its own (merge keys left out), then each merged mapping's new keys. */
function mergedEntries(map: YMap, depth: number): YEntry[] | null {
  if (depth > MAX_DEPTH) return null;
  const out = map.entries.filter((e) => !isMergeKey(e));
  const seen = new Set(out.map((e) => e.keyName));
  for (const merge of map.entries.filter(isMergeKey)) {
    const value = merge.value;
    const sources = value?.type === 'map' ? [value] : value?.type === 'seq' ? value.items : null;
    if (!sources) return null;
    for (const source of sources) {
      if (source.type !== 'map') return null;
      const entries = mergedEntries(source, depth + 1);
      if (!entries) return null;
      for (const e of entries) {
        if (e.keyName === null || seen.has(e.keyName)) continue;
        seen.add(e.keyName);
        out.push(e);
      }
    }
  }
  return out;
}

/** Where the entry's text ends: a block collection's range runs on past its last line end. */
function trimmedEnd(text: string, e: YEntry): number {
  let end = e.value ? e.value.range[1] : e.key.range[1];
  while (end > e.range[0] && /\s/.test(text[end - 1])) end--;
  return end;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The lines after the first moved from column `from` to column `to`; null when a line is indented less. */
function reindent(text: string, from: number, to: number): string | null {
  if (from === to || !text.includes('\n')) return text;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    if (to > from) lines[i] = ' '.repeat(to - from) + line;
    else if (/^ */.exec(line)![0].length >= from - to) lines[i] = line.slice(from - to);
    else return null;
  }
  return lines.join('\n');
}
