// Layer references: a layer's `name` and every `in_sequences`, `next_sequence`, `simulated_sequence` and
// `weight_source` item that names it or gives its number. Definition, references and rename work from
// either end. Names compare without case, as izer does.
import type { CheckResult } from '../check';
import type { LayerRef, LayerSpec } from '../model/network';
import { resolveRef } from '../model/layerRefs';
import type { Range, YNode } from '../yaml/yamlTree';
import type { TextEditSpec } from '../textEdits';

export type RefKey = 'in_sequences' | 'next_sequence' | 'simulated_sequence' | 'weight_source';

export interface RefSite {
  range: Range;
  kind: 'name' | 'index';
  key: RefKey;
  /** The layer holding the reference. */
  from: LayerSpec;
  /** The referenced layer (izer layer number). */
  target: number;
}

const inside = (r: Range, o: number) => o >= r[0] && o <= r[1];

/** Every reference to a layer in the file (the input, the data buffer and `stop` are left out). */
export function referenceSites(result: CheckResult): RefSite[] {
  const out: RefSite[] = [];
  const add = (from: LayerSpec, key: RefKey, r: LayerRef | { kind: 'stop' } | null) => {
    if (!r || r.kind === 'stop') return;
    const target = resolveRef(result.model, r);
    if (target === null || target < 0) return;
    out.push({ range: r.range, kind: r.kind, key, from, target });
  };
  for (const l of result.model.layers) {
    for (const r of l.inSequences ?? []) add(l, 'in_sequences', r);
    add(l, 'next_sequence', l.nextSequence);
    add(l, 'simulated_sequence', l.simulatedSequence);
    add(l, 'weight_source', l.weightSource);
  }
  return out;
}

function layerByNumber(result: CheckResult, ll: number): LayerSpec | null {
  return result.model.layers.find((l) => l.ll === ll) ?? null;
}

function nameNode(l: LayerSpec): YNode | null {
  const v = l.entries.get('name')?.value;
  return v && v.type === 'scalar' ? v : null;
}

/** What the cursor is on: a layer's `name` value, or a reference. */
export function referenceAt(result: CheckResult, offset: number): { target: LayerSpec; range: Range; site: RefSite | null } | null {
  for (const l of result.model.layers) {
    const n = nameNode(l);
    if (n && inside(n.range, offset) && l.name !== null) return { target: l, range: n.range, site: null };
  }
  for (const site of referenceSites(result)) {
    if (!inside(site.range, offset)) continue;
    const target = layerByNumber(result, site.target);
    if (target) return { target, range: site.range, site };
  }
  return null;
}

/** Where a layer is defined: its `name` value, else its first key. */
export function layerDefinitionRange(l: LayerSpec): Range {
  const n = nameNode(l);
  if (n) return n.range;
  const first = l.node.entries[0];
  return first ? first.key.range : l.node.range;
}

export function definitionAt(result: CheckResult, offset: number): Range | null {
  const at = referenceAt(result, offset);
  if (!at || !at.site) return null;
  return layerDefinitionRange(at.target);
}

export function referencesAt(result: CheckResult, offset: number, includeDeclaration: boolean): Range[] {
  const at = referenceAt(result, offset);
  if (!at) return [];
  const sites = referenceSites(result)
    .filter((s) => s.target === at.target.ll)
    .map((s) => s.range);
  return includeDeclaration ? [layerDefinitionRange(at.target), ...sites] : sites;
}

export type PrepareRename = { range: Range; placeholder: string } | { error: string };

export function prepareRenameAt(result: CheckResult, offset: number): PrepareRename | null {
  const at = referenceAt(result, offset);
  if (!at) return null;
  if (at.site && at.site.kind === 'index')
    return { error: `This refers to layer ${at.site.target} by its number; rename the layer at its \`name\` or at a reference by name.` };
  if (at.target.name === null) return { error: 'This layer has no `name` to rename.' };
  return { range: innerRange(result.lines.text, at.range), placeholder: at.target.name };
}

const YAML_SPECIAL = /^(y|n|yes|no|on|off|true|false|null|stop|input)$/i;

/** Why `name` cannot be a layer name here, or null when it can. */
export function invalidLayerName(result: CheckResult, name: string, self: LayerSpec): string | null {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return `\`${name}\` is not a plain layer name (letters, digits, _ and -, starting with a letter or _).`;
  if (YAML_SPECIAL.test(name)) return `\`${name}\` cannot be a layer name: YAML or izer reads it as something else.`;
  const low = name.toLowerCase();
  const clash = result.model.layers.find((l) => l !== self && l.name !== null && l.name.toLowerCase() === low);
  if (clash) return `Layer ${clash.ll} is already named \`${clash.name}\` (names compare without case).`;
  if (result.model.dataBuffer && result.model.dataBuffer.name === low) return `\`${name}\` is the name of the data buffer.`;
  return null;
}

export function renameAt(result: CheckResult, offset: number, newName: string): { edits: TextEditSpec[] } | { error: string } | null {
  const prep = prepareRenameAt(result, offset);
  if (!prep) return null;
  if ('error' in prep) return prep;
  const at = referenceAt(result, offset)!;
  const bad = invalidLayerName(result, newName, at.target);
  if (bad) return { error: bad };
  const text = result.lines.text;
  const edits: TextEditSpec[] = [{ range: innerRange(text, nameNode(at.target)!.range), newText: newName }];
  for (const s of referenceSites(result))
    if (s.target === at.target.ll && s.kind === 'name') edits.push({ range: innerRange(text, s.range), newText: newName });
  return { edits };
}

/** A scalar's range without its quotes. */
function innerRange(text: string, r: Range): Range {
  const q = text[r[0]];
  return (q === '"' || q === "'") && r[1] - r[0] >= 2 && text[r[1] - 1] === q ? [r[0] + 1, r[1] - 1] : r;
}
