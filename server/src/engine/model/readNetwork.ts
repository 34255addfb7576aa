// Reads a network YAML the way izer's yamlcfg.parse does, reporting every YAML-level finding (rules 12–63)
// instead of stopping at the first one. This file reads the document as a whole (syntax, duplicate and unknown
// top-level keys); readGlobals and readLayers read the rest.
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { YamlProblem, YamlTree, YEntry, YNode } from '../yaml/yamlTree';
import type { FixHint } from '../diagnostic';
import { pyRepr } from '../yaml/pyValue';
import { GLOBAL_KEY_NAMES } from './keyCatalog';
import { closestKeys } from './didYouMean';
import type { NetworkModel } from './network';
import { readGlobals } from './readGlobals';
import { readLayers } from './readLayers';
import { firstKeyRange, scalarText } from './keyReading';
import { expandMergeKeys } from './mergeKeyExpansion';
import { tabFixEdits } from './tabFix';

export interface ReadOptions {
  /** izer's --skip-yaml-layers */
  skipYamlLayers?: number;
  /** izer's --ignore-activation */
  ignoreActivation?: boolean;
}

export function readNetwork(tree: YamlTree, device: Device, sink: DiagnosticSink, options: ReadOptions = {}): NetworkModel {
  const model: NetworkModel = {
    root: null,
    arch: null,
    dataset: null,
    outputMap: null,
    hasSnoop: false,
    snoopLength: null,
    snoopValues: null,
    dataBuffer: null,
    unload: [],
    layers: [],
    globals: new Map(),
    comments: tree.comments,
    isNetwork: false,
  };
  if (tree.problems.length) {
    // izer cannot load a file with a syntax error at all; checking the remains would only add noise.
    reportSyntaxProblems(tree, sink);
    // A value PyYAML cannot build stops izer only after yamllint has checked the file, as it checks a network.
    if (tree.problems.every((p) => p.stage === 'construct') && tree.root?.type === 'map')
      model.isNetwork = tree.root.entries.some((e) => e.keyName === 'layers' && e.value?.type === 'seq');
    return model;
  }
  const root = tree.root;
  if (!root) return model;
  const layerItems = root.type === 'map' ? root.entries.find((e) => e.keyName === 'layers')?.value : undefined;
  const layerOf = (offset: number): number | null => {
    if (!layerItems || layerItems.type !== 'seq') return null;
    const i = layerItems.items.findIndex((it) => offset >= it.range[0] && offset <= it.range[1]);
    return i >= 0 ? i : null;
  };
  reportDuplicateKeys(root, sink, layerOf);
  if (root.type !== 'map') {
    sink.add('AX001', 'error', root.range, null, 'A network description must be a YAML mapping with `arch`, `dataset` and `layers`.');
    return model;
  }
  model.root = root;
  for (const e of root.entries) if (e.keyName !== null && !model.globals.has(e.keyName)) model.globals.set(e.keyName, e);

  const unknown = root.entries.filter((e) => e.keyName === null || !GLOBAL_KEY_NAMES.has(e.keyName));
  for (const e of unknown) {
    const cands = e.keyName ? closestKeys(e.keyName, [...GLOBAL_KEY_NAMES]) : [];
    sink.izer(
      14,
      'error',
      e.key.range,
      null,
      `Unknown top-level key \`${e.keyName ?? pyRepr(e.key)}\`.${cands.length ? ` Did you mean \`${cands[0]}\`?` : ''} izer accepts only ${[...GLOBAL_KEY_NAMES].map((k) => '`' + k + '`').join(', ')}.`,
      {
        fix: cands.length ? { kind: 'renameKey', range: e.key.range, candidates: cands } : undefined,
      },
    );
  }
  const missing = ['arch', 'dataset', 'layers'].filter((k) => !model.globals.has(k));
  if (missing.length) {
    const r = firstKeyRange(root);
    sink.izer(
      15,
      'error',
      r,
      null,
      `The network description lacks ${missing.map((k) => '`' + k + '`').join(' and ')}; izer needs \`arch\`, \`dataset\` and \`layers\`.`,
    );
  }
  const archNode = model.globals.get('arch')?.value;
  model.arch = archNode ? scalarText(archNode) : null;
  const dsNode = model.globals.get('dataset')?.value;
  model.dataset = dsNode ? scalarText(dsNode) : null;

  const layersEntry = model.globals.get('layers');
  const layersNode = layersEntry?.value ?? null;
  model.isNetwork = !!layersNode && layersNode.type === 'seq';
  readGlobals(model, sink);

  if (layersEntry && (!layersNode || layersNode.type !== 'seq')) {
    sink.add('AX001', 'error', (layersNode ?? layersEntry.key).range, null, '`layers` must be a list of layer mappings (each item starts with `- `).');
  }
  if (layersNode && layersNode.type === 'seq') readLayers(model, layersNode.items, device, sink, options);
  return model;
}

function reportSyntaxProblems(tree: YamlTree, sink: DiagnosticSink): void {
  // PyYAML checks every character before it parses, and parses the whole document before it constructs any value.
  const stage = (['read', undefined, 'construct'] as const).find((st) => tree.problems.some((p) => p.stage === st));
  const [first, ...rest] = tree.problems.filter((p) => p.stage === stage).sort((x, y) => x.range[0] - y.range[0]);
  if (first.stage === 'read') {
    sink.add('YAML001', 'error', first.range, null, `${first.message}. izer cannot read the file until it is removed.`);
    return;
  }
  if (first.stage === 'construct') {
    const expansion = first.code === 'MERGE_KEY' ? expandMergeKeys(tree) : null;
    const fix = expansion && {
      kind: 'edits' as const,
      edits: expansion.edits,
      title: expansion.count === 1 ? 'Write out the merged keys' : `Write out the merged keys of all ${expansion.count} merge keys`,
    };
    sink.add('YAML003', 'error', first.range, null, `${first.message}. izer cannot load the file until this is fixed.`, { fix: fix ?? undefined });
    return;
  }
  if (first.izerReads) {
    sink.add('YAML004', 'error', first.range, null, `${first.message}.`, { fix: replacementFix(first) });
    return;
  }
  // Later syntax errors are usually consequences of the first, so only the first is reported.
  const more = rest.length ? ` (${rest.length} more syntax problem${rest.length === 1 ? '' : 's'} after this one may be consequences of it)` : '';
  const tabs = first.code === 'TAB' ? tree.tabs : [];
  sink.add(
    first.code === 'MULTIPLE_DOCS' ? 'YAML002' : 'YAML001',
    'error',
    first.range,
    null,
    `YAML syntax error: ${first.message}. izer cannot read the file until this is fixed${more}.`,
    {
      fix: tabs.length
        ? {
            kind: 'edits',
            edits: tabFixEdits(tree.text, tabs),
            title: tabs.length === 1 ? 'Replace the tab with spaces' : `Replace the ${tabs.length} tabs with spaces`,
          }
        : replacementFix(first),
    },
  );
}

function replacementFix(p: YamlProblem): FixHint | undefined {
  return p.replacement && { kind: 'edits', edits: p.replacement.edits, title: p.replacement.title };
}

function reportDuplicateKeys(node: YNode, sink: DiagnosticSink, layerOf: (offset: number) => number | null): void {
  if (node.type === 'seq') {
    for (const it of node.items) reportDuplicateKeys(it, sink, layerOf);
    return;
  }
  if (node.type !== 'map') return;
  const seen = new Map<string, YEntry>();
  for (const e of node.entries) {
    if (e.key.type !== 'scalar') {
      sink.izer(13, 'error', e.key.range, layerOf(e.key.range[0]), 'A mapping key must be a plain value; izer cannot use a list or mapping as a key.');
    } else if (e.keyName !== null) {
      const first = seen.get(e.keyName);
      if (first) {
        sink.izer(12, 'error', e.key.range, layerOf(e.key.range[0]), `Duplicate key \`${e.keyName}\`: izer rejects a mapping that repeats a key.`, {
          related: [{ range: first.key.range, message: 'first occurrence' }],
          fix: { kind: 'removeEntry', range: e.range, title: `Remove the second \`${e.keyName}\`` },
        });
      } else seen.set(e.keyName, e);
    }
    if (e.value) reportDuplicateKeys(e.value, sink, layerOf);
  }
}
