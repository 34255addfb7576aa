// Places izer's messages on the YAML they are about: "Layer N" (izer's layer number), "layer sequence N",
// the key names izer quotes in backticks, unknown keys in `{'…'}` sets, and yamllint/PyYAML line numbers.
import type { DeviceName } from '../engine/device/devices';
import { deviceByName } from '../engine/device/devices';
import type { Code, Diagnostic } from '../engine/diagnostic';
import { DiagnosticSink } from '../engine/diagnosticSink';
import { LineIndex } from '../engine/lineIndex';
import { ALIAS_GROUPS, GLOBAL_KEY_NAMES, LAYER_KEY_NAMES } from '../engine/model/keyCatalog';
import type { LayerSpec, NetworkModel } from '../engine/model/network';
import { readNetwork } from '../engine/model/readNetwork';
import { parseYamlTree, Range, YEntry, YMap } from '../engine/yaml/yamlTree';
import type { IzerMessage } from './izerOutput';

/** AX500–549 are synthesis codes. */
export const SYNTHESIS_CODES = {
  izerError: 'AX500',
  izerWarning: 'AX501',
  izerCrash: 'AX502',
  yamllint: 'AX503',
  usage: 'AX504',
} as const satisfies Record<string, Code>;

export interface MapOptions {
  skipYamlLayers?: number;
}

export function mapIzerMessages(messages: readonly IzerMessage[], yamlText: string, device: DeviceName, opts: MapOptions = {}): Diagnostic[] {
  const lines = new LineIndex(yamlText);
  const tree = parseYamlTree(yamlText);
  const model = readNetwork(tree, deviceByName(device), new DiagnosticSink(), { skipYamlLayers: opts.skipYamlLayers });
  const rawItems = layerItems(model);
  const out: Diagnostic[] = [];
  for (const m of messages) {
    const code =
      m.kind === 'yamllint'
        ? SYNTHESIS_CODES.yamllint
        : m.kind === 'exception'
          ? SYNTHESIS_CODES.izerCrash
          : m.kind === 'usage'
            ? SYNTHESIS_CODES.usage
            : m.severity === 'error'
              ? SYNTHESIS_CODES.izerError
              : SYNTHESIS_CODES.izerWarning;
    const message = m.kind === 'exception' ? `izer stopped with a Python exception: ${m.text}` : `izer: ${m.text}`;
    for (const place of placesFor(m, model, rawItems, lines, yamlText)) {
      out.push({ code, severity: m.severity, message, range: place.range, layer: place.layer });
    }
  }
  return out;
}

interface Place {
  range: Range;
  layer: number | null;
}

function placesFor(m: IzerMessage, model: NetworkModel, items: YMap[], lines: LineIndex, text: string): Place[] {
  if (m.line !== undefined) {
    const start = lines.offset(m.line - 1, Math.max(0, (m.column ?? 1) - 1));
    return [{ range: [start, lineEnd(lines, text, m.line - 1)], layer: layerAt(model, start) }];
  }
  const unknownKeys = /unknown key\(s\)( for `layers`)?: \{([^}]*)\}/.exec(m.text);
  if (unknownKeys) {
    const names = [...unknownKeys[2].matchAll(/'([^']*)'|"([^"]*)"/g)].map((x) => x[1] ?? x[2]);
    const places: Place[] = [];
    if (unknownKeys[1]) {
      items.forEach((item, i) => {
        for (const e of item.entries) if (e.keyName !== null && names.includes(e.keyName)) places.push({ range: e.key.range, layer: i });
      });
    } else if (model.root) {
      for (const e of model.root.entries) if (e.keyName !== null && names.includes(e.keyName)) places.push({ range: e.key.range, layer: null });
    }
    if (places.length) return places;
  }
  const keys = quotedKeys(m.text);
  const layer = referencedLayer(m.text, model, items);
  if (layer) {
    const key = keys.find((k) => LAYER_KEY_NAMES.has(k));
    const entry = key ? findEntry(layer.node, key) : undefined;
    if (entry) return [{ range: entry.range, layer: layer.index }];
    return [{ range: [layer.node.range[0], lineEnd(lines, text, lines.lineOf(layer.node.range[0]))], layer: layer.index }];
  }
  if (/network architecture of configuration file/i.test(m.text) && model.globals.has('arch')) {
    return [{ range: model.globals.get('arch')!.range, layer: null }];
  }
  if (model.root && model.root.type === 'map') {
    for (const k of keys) {
      if (!GLOBAL_KEY_NAMES.has(k)) continue;
      const e = model.globals.get(k);
      if (e) return [{ range: e.range, layer: null }];
    }
  }
  const first = firstContentLine(lines, text);
  return [{ range: [lines.lineStart(first), lineEnd(lines, text, first)], layer: null }];
}

/** The layer a message names, preferring "layer sequence N" (parse-time messages) over izer's "Layer N". */
function referencedLayer(text: string, model: NetworkModel, items: YMap[]): { node: YMap; index: number } | null {
  const bySeq = /\blayer sequence (\d+)/i.exec(text);
  if (bySeq) {
    const n = Number(bySeq[1]);
    const l = model.layers.find((x) => x.seq === n);
    if (l) return { node: l.node, index: l.yamlIndex };
    return items[n] ? { node: items[n], index: n } : null;
  }
  const byNumber = /\blayer (\d+)\b/i.exec(text);
  if (byNumber) {
    const n = Number(byNumber[1]);
    const l: LayerSpec | undefined = model.layers.find((x) => x.ll === n);
    if (l) return { node: l.node, index: l.yamlIndex };
    return items[n] ? { node: items[n], index: n } : null;
  }
  return null;
}

/** Identifiers izer quotes in backticks, in order (`output_width: 32` counts as output_width). */
function quotedKeys(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`]*)`/g)) {
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(m[1].trim());
    if (id) out.push(id[0]);
    // "`activation`/`activate`" style pairs are covered by the alias lookup below.
  }
  return out;
}

function findEntry(node: YMap, key: string): YEntry | undefined {
  const group = ALIAS_GROUPS.find((g) => g.includes(key)) ?? [key];
  return node.entries.find((e) => e.keyName !== null && group.includes(e.keyName));
}

function layerItems(model: NetworkModel): YMap[] {
  const layers = model.globals.get('layers')?.value;
  if (!layers || layers.type !== 'seq') return [];
  return layers.items.map((i) => (i.type === 'map' ? i : { type: 'map', range: i.range, entries: [], flow: false }));
}

function layerAt(model: NetworkModel, offset: number): number | null {
  const l = model.layers.find((x) => x.range[0] <= offset && offset < x.range[1]);
  return l ? l.yamlIndex : null;
}

function lineEnd(lines: LineIndex, text: string, line: number): number {
  const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
  let e = next;
  while (e > lines.lineStart(line) && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  return e;
}

/** The first line that is not blank, a comment or a document marker (where a file-level problem is shown). */
function firstContentLine(lines: LineIndex, text: string): number {
  for (let i = 0; i < lines.lineCount; i++) {
    const l = text.slice(lines.lineStart(i), lineEnd(lines, text, i)).trim();
    if (l && !l.startsWith('#') && l !== '---') return i;
  }
  return 0;
}
