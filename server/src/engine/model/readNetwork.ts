// Reads a network YAML the way izer's yamlcfg.parse does, reporting every YAML-level finding (rules 12–63)
// instead of stopping at the first one.
import type { Device } from '../device/devices';
import { DiagnosticSink } from '../diagnosticSink';
import { YamlTree, YEntry, YMap, YNode, Range } from '../yaml/yamlTree';
import { parseMaskValue, pyInt, pyIntNumber, pyNumber, pyRepr, pyStr, pyStrLower, pyTruthy } from '../yaml/pyValue';
import { ALIAS_GROUPS, DATA_BUFFER_KEYS, DATA_BUFFER_REQUIRED, GLOBAL_KEY_NAMES, LAYER_KEY_NAMES, UNLOAD_KEYS, UNLOAD_REQUIRED } from './keyCatalog';
import { closestKeys } from './didYouMean';
import { Activation, DataBufferSpec, EltwiseOp, LayerRef, LayerSpec, NetworkModel, Operator, Pair, UnloadSpec } from './network';

export interface ReadOptions {
  /** izer's --skip-yaml-layers */
  skipYamlLayers?: number;
  /** izer's --ignore-activation */
  ignoreActivation?: boolean;
}

const MASK_LIMIT = 1n << 64n;

export function readNetwork(tree: YamlTree, device: Device, sink: DiagnosticSink, options: ReadOptions = {}): NetworkModel {
  const model: NetworkModel = {
    root: null,
    arch: null,
    dataset: null,
    outputMap: null,
    hasSnoop: false,
    snoopLength: null,
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
    const r = firstLineRange(root);
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
  // Later syntax errors are usually consequences of the first, so only the first is reported.
  const [first, ...rest] = [...tree.problems].sort((x, y) => x.range[0] - y.range[0]);
  const more = rest.length ? ` (${rest.length} more syntax problem${rest.length === 1 ? '' : 's'} after this one may be consequences of it)` : '';
  sink.add(
    first.code === 'MULTIPLE_DOCS' ? 'YAML002' : 'YAML001',
    'error',
    first.range,
    null,
    `YAML syntax error: ${first.message}. izer cannot read the file until this is fixed${more}.`,
  );
}

function scalarText(n: YNode): string | null {
  if (n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'null') return null;
  return v.kind === 'str' ? v.value : pyRepr(n, true);
}

function firstLineRange(root: YMap): Range {
  const first = root.entries[0];
  return first ? first.key.range : [root.range[0], root.range[0]];
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

function readGlobals(model: NetworkModel, sink: DiagnosticSink): void {
  const om = model.globals.get('output_map');
  if (om) {
    const v = om.value;
    const i = pyInt(v);
    if (i === null || i < 1n || i >= MASK_LIMIT) {
      sink.add(
        'AX001',
        'error',
        (v ?? om.key).range,
        null,
        '`output_map` must be an integer processor map from 0x1 to 0xffffffffffffffff. izer uses this value as it is (a dotted or quoted string is not converted here) and would fail later.',
      );
    } else model.outputMap = i;
  }
  const snoop = model.globals.get('snoop');
  if (snoop) {
    model.hasSnoop = true;
    model.snoopLength = snoop.value && snoop.value.type === 'seq' ? snoop.value.items.length : null;
  }
  const db = model.globals.get('data_buffer');
  if (db) readDataBuffer(model, db, sink);
  const un = model.globals.get('unload');
  if (un) readUnload(model, un, sink);
}

function readDataBuffer(model: NetworkModel, entry: YEntry, sink: DiagnosticSink): void {
  const v = entry.value;
  if (!v || v.type !== 'seq') {
    sink.add('AX001', 'error', (v ?? entry.key).range, null, '`data_buffer` must be a list of buffer descriptions.');
    return;
  }
  for (const item of v.items) {
    if (item.type !== 'map') {
      sink.add('AX001', 'error', item.range, null, 'Each `data_buffer` item must be a mapping.');
      continue;
    }
    const keys = new Map(item.entries.filter((e) => e.keyName !== null).map((e) => [e.keyName as string, e]));
    for (const e of item.entries) {
      if (e.keyName === null || !DATA_BUFFER_KEYS.includes(e.keyName)) {
        sink.izer(56, 'error', e.key.range, null, `Unknown \`data_buffer\` key \`${e.keyName ?? pyRepr(e.key)}\`; allowed: ${DATA_BUFFER_KEYS.join(', ')}.`);
      }
    }
    const miss = DATA_BUFFER_REQUIRED.filter((k) => !keys.has(k));
    if (miss.length) {
      sink.izer(
        57,
        'error',
        item.range,
        null,
        `This \`data_buffer\` item lacks ${miss.map((k) => '`' + k + '`').join(', ')}; it needs processors, channels, dim, offset and name.`,
      );
      continue;
    }
    if (model.dataBuffer) continue; // izer only uses the first buffer
    const procs = parseMaskValue(keys.get('processors')!.value);
    const dimNode = keys.get('dim')!.value;
    const dim = readIntOrPairLoose(dimNode, true);
    model.dataBuffer = {
      name: scalarText(keys.get('name')!.value!) ?? '',
      processors: typeof procs === 'bigint' ? procs : 0n,
      dim: dim ?? [0, 1],
      channels: pyIntNumber(keys.get('channels')!.value) ?? 0,
      offset: pyIntNumber(keys.get('offset')!.value) ?? 0,
      range: item.range,
    } satisfies DataBufferSpec;
  }
}

function readUnload(model: NetworkModel, entry: YEntry, sink: DiagnosticSink): void {
  const v = entry.value;
  if (!v || v.type !== 'seq') {
    sink.add('AX001', 'error', (v ?? entry.key).range, null, '`unload` must be a list of unload descriptions.');
    return;
  }
  for (const item of v.items) {
    if (item.type !== 'map') {
      sink.add('AX001', 'error', item.range, null, 'Each `unload` item must be a mapping.');
      continue;
    }
    const keys = new Map(item.entries.filter((e) => e.keyName !== null).map((e) => [e.keyName as string, e]));
    for (const e of item.entries) {
      if (e.keyName === null || !UNLOAD_KEYS.includes(e.keyName)) {
        sink.izer(62, 'error', e.key.range, null, `Unknown \`unload\` key \`${e.keyName ?? pyRepr(e.key)}\`; allowed: ${UNLOAD_KEYS.join(', ')}.`);
      }
    }
    const miss = UNLOAD_REQUIRED.filter((k) => !keys.has(k));
    if (miss.length) {
      sink.izer(
        63,
        'error',
        item.range,
        null,
        `This \`unload\` item lacks ${miss.map((k) => '`' + k + '`').join(', ')}; it needs processors, channels, dim and offset.`,
      );
      continue;
    }
    const procs = parseMaskValue(keys.get('processors')!.value);
    model.unload.push({
      processors: typeof procs === 'bigint' ? procs : 0n,
      dim: readIntOrPairLoose(keys.get('dim')!.value, true) ?? [0, 1],
      channels: pyIntNumber(keys.get('channels')!.value) ?? 0,
      offset: pyIntNumber(keys.get('offset')!.value) ?? 0,
      writeGap: keys.has('write_gap') ? (pyIntNumber(keys.get('write_gap')!.value) ?? 0) : 0,
      range: item.range,
    } satisfies UnloadSpec);
  }
}

/** int n → [n, 1] (dimOnly) or [n, n]; list of two ints → as is. */
function readIntOrPairLoose(n: YNode | null, dimOnly: boolean): Pair | null {
  const i = pyNumber(n);
  if (i !== null) return dimOnly ? [i, 1] : [i, i];
  if (n && n.type === 'seq') {
    const a = n.items.map((x) => pyNumber(x));
    if (a.length === 2 && a[0] !== null && a[1] !== null) return [a[0], a[1]];
    if (a.length === 1 && a[0] !== null) return [a[0], dimOnly ? 1 : a[0]];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// layers

interface LayerCtx {
  sink: DiagnosticSink;
  layer: LayerSpec;
  device: Device;
}

function layerHead(map: YMap): Range {
  const first = map.entries[0];
  return first ? first.key.range : [map.range[0], map.range[0]];
}

function readLayers(model: NetworkModel, items: YNode[], device: Device, sink: DiagnosticSink, options: ReadOptions): void {
  const skip = options.skipYamlLayers ?? 0;
  let sequence = 0;
  const bySeq = new Map<number, LayerSpec>();
  const names: { name: string; layer: LayerSpec }[] = [];
  let lastOpText: string | null = null;
  let conv1dUsesDefaultPad = false;
  const defaultPadUsers: LayerSpec[] = [];
  const raw: LayerSpec[] = [];

  items.forEach((item, yamlIndex) => {
    if (yamlIndex < skip) return;
    if (item.type !== 'map') {
      sink.add(
        'AX001',
        'error',
        item.range,
        yamlIndex,
        `Layer ${yamlIndex} must be a mapping of layer keys (for example \`processors: 0x1\`), not a ${item.type === 'seq' ? 'list' : 'plain value'}.`,
      );
      sequence++;
      return;
    }
    const entries = new Map<string, YEntry>();
    for (const e of item.entries) if (e.keyName !== null && !entries.has(e.keyName)) entries.set(e.keyName, e);
    const layer = newLayer(item, yamlIndex, entries);
    const ctx: LayerCtx = { sink, layer, device };

    for (const e of item.entries) {
      if (e.keyName === null || !LAYER_KEY_NAMES.has(e.keyName)) {
        const cands = e.keyName ? closestKeys(e.keyName, [...LAYER_KEY_NAMES]) : [];
        sink.izer(
          16,
          'error',
          e.key.range,
          yamlIndex,
          `Unknown layer key \`${e.keyName ?? pyRepr(e.key)}\`.${cands.length ? ` Did you mean \`${cands[0]}\`?` : ''}`,
          {
            fix: cands.length ? { kind: 'renameKey', range: e.key.range, candidates: cands } : undefined,
          },
        );
      }
    }
    for (const group of ALIAS_GROUPS) {
      const present = group.filter((k) => entries.has(k)).sort((a, b) => entries.get(a)!.key.range[0] - entries.get(b)!.key.range[0]);
      if (present.length > 1) {
        const rule = group[0] === 'convolution' ? 28 : group[0] === 'activate' ? 26 : group[0] === 'groups' ? 44 : group[0] === 'in_skip' ? 24 : 45;
        for (const k of present.slice(1)) {
          sink.izer(
            rule,
            'error',
            entries.get(k)!.key.range,
            yamlIndex,
            `\`${k}\` and \`${present[0]}\` are the same setting; give only one of ${group.map((g) => '`' + g + '`').join('/')}.`,
            {
              related: [{ range: entries.get(present[0])!.key.range, message: `\`${present[0]}\` is given here` }],
            },
          );
        }
      }
    }

    const seqEntry = entries.get('sequence');
    if (seqEntry) {
      const s = pyIntNumber(seqEntry.value);
      if (s === null)
        sink.add('AX001', 'error', (seqEntry.value ?? seqEntry.key).range, yamlIndex, '`sequence` must be an integer (izer would crash on this value).');
      else sequence = s - skip;
    }
    layer.seq = sequence;
    const seqRange = seqEntry ? (seqEntry.value ?? seqEntry.key).range : layerHead(item);
    if (sequence >= device.maxLayers) {
      sink.izer(17, 'error', seqRange, yamlIndex, `${device.name} has at most ${device.maxLayers} layers, but this layer would be number ${sequence}.`);
    } else if (sequence < 0) {
      sink.add('AX001', 'error', seqRange, yamlIndex, `Sequence number ${sequence} is negative.`);
    }
    const earlier = bySeq.get(sequence);
    if (earlier) {
      sink.izer(18, 'error', seqRange, yamlIndex, `Sequence number ${sequence} is already used by the layer at list position ${earlier.yamlIndex}.`, {
        related: [{ range: earlier.range, message: 'the other layer' }],
      });
    } else bySeq.set(sequence, layer);

    readProcessors(ctx);
    readPooling(ctx);
    readQuantization(ctx);
    readSimpleInts(ctx);
    readActivation(ctx, options);
    lastOpText = readOperation(ctx, lastOpText);
    readPadDilation(ctx);
    readEltwise(ctx);
    readBooleans(ctx);
    readOperands(ctx);
    readDataFormat(ctx);
    readOutputWidth(ctx);
    readKernel(ctx);
    readStride(ctx);
    readReferences(ctx, skip);
    readGroupsAndBias(ctx);
    readPoolDilationOutputPad(ctx);
    readName(ctx, names, model);
    readBuffers(ctx);

    // Operator fix-ups (izer applies them at the end of each layer).
    if (layer.op === 'conv1d') {
      if (!layer.padGiven) conv1dUsesDefaultPad = true;
      layer.pad = [layer.pad[0], 0];
      layer.pool = [layer.pool[0], 1];
      layer.poolStride = [layer.poolStride[0], 1];
      layer.stride = [layer.stride[0], 1];
      layer.dilation = [layer.dilation[0], 1];
      layer.poolDilation = [layer.poolDilation[0], 1];
    } else if (layer.op === 'none') {
      layer.kernelSize = [1, 1];
    } else if (layer.op === 'convtranspose2d') {
      layer.stride = [2, 2];
    }
    if (!layer.padGiven && layer.op !== 'none' && layer.op !== 'linear') defaultPadUsers.push(layer);
    raw.push(layer);
    sequence++;
  });

  // izer quirk: Conv1d's fix-up writes into the shared default padding, so every layer that relies on the
  // default padding ends up with [1, 0] once any Conv1d layer lacks `pad`.
  if (conv1dUsesDefaultPad) {
    for (const l of defaultPadUsers) {
      if (l.op !== 'conv1d') {
        l.pad = [1, 0];
        sink.add(
          'AX004',
          'warning',
          layerHead(l.node),
          l.yamlIndex,
          'This layer has no `pad`, and a Conv1d layer in this file has no `pad` either. Because of an izer quirk the shared default padding then becomes [1, 0] (no padding of the width). Give `pad` explicitly to get the padding you mean.',
        );
      }
    }
  }

  // Contract the sequence numbers to izer's layer numbers.
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  ordered.forEach((l, i) => (l.ll = i));
  model.layers = ordered;
  for (const l of raw) if (!bySeq.has(l.seq) || bySeq.get(l.seq) !== l) l.ll = -1;

  resolveNames(model, names, sink);
  for (const l of model.layers) {
    if (l.poolStrideGiven === false && (l.entries.has('max_pool') || l.entries.has('avg_pool'))) {
      const e = l.entries.get('max_pool') ?? l.entries.get('avg_pool')!;
      sink.izer(
        60,
        'warning',
        e.key.range,
        l.yamlIndex,
        'Pooling without `pool_stride`: izer uses a pool stride of 1, which is rarely intended. Add `pool_stride` (usually equal to the pool size).',
      );
    }
    if (!l.poolFirst && (l.operands === 1 || (l.pool[0] === 1 && l.pool[1] === 1))) {
      sink.izer(
        61,
        'error',
        l.entries.get('pool_first')!.key.range,
        l.yamlIndex,
        '`pool_first: false` only makes sense for an element-wise operation with pooling; this layer has ' +
          (l.operands === 1 ? 'no element-wise operation.' : 'no pooling.'),
      );
    }
  }
  if (model.dataBuffer) {
    for (const l of raw) {
      if (l.inSequences && l.inSequences.length === 1 && l.inSequences[0].kind === 'name' && l.inSequences[0].value.toLowerCase() === model.dataBuffer.name) {
        const miss = ['in_offset', 'out_offset', 'in_dim', 'in_channels'].filter((k) => !l.entries.has(k));
        if (miss.length)
          sink.izer(
            58,
            'error',
            l.entries.get('in_sequences')!.key.range,
            l.yamlIndex,
            `A layer that reads the data buffer must give ${miss.map((k) => '`' + k + '`').join(', ')}.`,
          );
      }
    }
  }
}

function newLayer(item: YMap, yamlIndex: number, entries: Map<string, YEntry>): LayerSpec {
  return {
    yamlIndex,
    seq: yamlIndex,
    ll: yamlIndex,
    node: item,
    range: item.range,
    entries,
    name: null,
    processors: null,
    outputProcessors: null,
    op: 'conv2d',
    opText: null,
    opKey: null,
    eltwise: null,
    operands: 1,
    activation: null,
    pool: [1, 1],
    poolAvg: false,
    poolStride: [1, 1],
    poolStrideGiven: false,
    poolDilation: [1, 1],
    quantization: null,
    outputShift: null,
    inChannels: null,
    outChannels: null,
    inDim: null,
    inCrop: [0, 0],
    readGap: 0,
    inChannelSkip: 0,
    inOffset: null,
    outOffset: null,
    pad: [1, 1],
    padGiven: false,
    outputPad: [0, 0],
    dilation: [1, 1],
    poolFirst: true,
    dataFormat: 'hwc',
    outputWidth: 8,
    kernelSize: [3, 3],
    kernelGiven: false,
    stride: [1, 1],
    streaming: false,
    flatten: false,
    inSequences: null,
    nextSequence: null,
    simulatedSequence: null,
    snoopSequence: null,
    groups: 1,
    writeGap: 0,
    bypass: false,
    biasGroup: null,
    calcx4: false,
    readahead: false,
    tcalc: null,
    output: false,
    weightSource: null,
    bufferShift: null,
    bufferInsert: null,
  };
}

function valueRange(e: YEntry): Range {
  return (e.value ?? e.key).range;
}

function typeError(ctx: LayerCtx, e: YEntry, what: string): void {
  ctx.sink.add(
    'AX001',
    'error',
    valueRange(e),
    ctx.layer.yamlIndex,
    `\`${e.keyName}\` must be ${what}; izer would stop with a Python exception on \`${e.value ? pyRepr(e.value) : 'None'}\`.`,
  );
}

function readProcessors(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('processors');
  const v = e?.value;
  const m = parseMaskValue(v);
  if (!e || m === null) {
    sink.izer(
      19,
      'error',
      e ? valueRange(e) : layerHead(layer.node),
      layer.yamlIndex,
      'Every layer needs `processors`: the 64-bit map of processors that read its input.',
    );
  } else if (typeof m !== 'bigint' || m < 1n || m >= MASK_LIMIT) {
    sink.izer(
      20,
      'error',
      valueRange(e),
      layer.yamlIndex,
      `\`processors\` must be a processor map from 0x1 to 0xffffffffffffffff (64 processors); \`${pyRepr(v!, true)}\` is ${describeMaskProblem(m)}.`,
    );
  } else layer.processors = m;

  const o = layer.entries.get('output_processors');
  if (o) {
    const om = parseMaskValue(o.value);
    if (typeof om !== 'bigint' || om < 1n || om >= MASK_LIMIT) {
      sink.izer(
        21,
        'error',
        valueRange(o),
        layer.yamlIndex,
        `\`output_processors\` must be a processor map from 0x1 to 0xffffffffffffffff; \`${o.value ? pyRepr(o.value, true) : 'None'}\` is ${describeMaskProblem(om)}.`,
      );
    } else layer.outputProcessors = om;
  }
}

function describeMaskProblem(m: bigint | string | null): string {
  if (m === null) return 'empty';
  if (typeof m === 'string') return 'not a hexadecimal number';
  if (m < 1n) return m === 0n ? 'zero (no processor)' : 'negative';
  return 'wider than 64 bits';
}

function readPairValue(ctx: LayerCtx, e: YEntry): Pair | null {
  const v = e.value;
  if (v && v.type === 'seq') {
    const nums = v.items.map((i) => pyNumber(i));
    if (nums.length === 0 || nums.some((x) => x === null)) {
      typeError(ctx, e, 'an integer or a list of two integers');
      return null;
    }
    if (nums.length === 1) return [nums[0]!, nums[0]!];
    return [nums[0]!, nums[1]!];
  }
  const n = pyNumber(v);
  if (n === null) {
    typeError(ctx, e, 'an integer or a list of two integers');
    return null;
  }
  return [n, n];
}

function readPooling(ctx: LayerCtx): void {
  const { layer } = ctx;
  const mp = layer.entries.get('max_pool');
  const ap = layer.entries.get('avg_pool');
  const e = mp ?? ap;
  if (e) {
    const p = readPairValue(ctx, e);
    if (p) layer.pool = p;
    layer.poolAvg = !mp;
    if (mp && ap) {
      ctx.sink.add(
        'AX005',
        'warning',
        ap.key.range,
        layer.yamlIndex,
        'Both `max_pool` and `avg_pool` are given; izer silently uses `max_pool` and ignores `avg_pool`.',
        {
          related: [{ range: mp.key.range, message: '`max_pool` wins' }],
        },
      );
    }
  }
  const ps = layer.entries.get('pool_stride');
  if (ps) {
    const p = readPairValue(ctx, ps);
    if (p) layer.poolStride = p;
    layer.poolStrideGiven = true;
  }
}

function readQuantization(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('quantization');
  if (!e) return;
  const v = e.value;
  const s = pyStr(v)?.toLowerCase();
  const n = v && v.type === 'scalar' && (v.value.kind === 'int' || v.value.kind === 'bool' || v.value.kind === 'float') ? pyNumber(v) : null;
  if (s === 'bin' || s === 'binary') layer.quantization = -1;
  else if (n !== null && [1, 2, 4, 8].includes(n)) layer.quantization = n;
  else {
    sink.izer(
      22,
      'error',
      valueRange(e),
      layer.yamlIndex,
      `\`quantization\` must be 1, 2, 4 or 8 (unquoted) or \`binary\`; \`${v ? pyRepr(v) : 'None'}\` is not one of them.`,
    );
  }
}

function readSimpleInts(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const num = (key: string, what = 'an integer'): number | null => {
    const e = layer.entries.get(key);
    if (!e) return null;
    const n = pyNumber(e.value);
    if (n === null) {
      typeError(ctx, e, what);
      return null;
    }
    return n;
  };
  layer.outputShift = num('output_shift');
  layer.inChannels = num('in_channels');
  layer.outChannels = num('out_channels');
  const rg = num('in_skip') ?? num('read_gap');
  if (rg !== null) layer.readGap = rg;
  const ics = num('in_channel_skip');
  if (ics !== null) layer.inChannelSkip = ics;
  layer.inOffset = num('in_offset', 'a byte offset (an integer such as 0x4000)');
  layer.outOffset = num('out_offset', 'a byte offset (an integer such as 0x4000)');
  const wg = num('write_gap');
  if (wg !== null) layer.writeGap = wg;

  const d = layer.entries.get('in_dim');
  if (d) {
    const v = d.value;
    const i = pyInt(v);
    if (i !== null) layer.inDim = [Number(i), 1];
    else if (v && v.type === 'seq' && v.items.length <= 2) {
      const nums = v.items.map((x) => pyNumber(x));
      if (nums.length === 2 && nums[0] !== null && nums[1] !== null) layer.inDim = [nums[0], nums[1]];
      else if (nums.length < 2)
        sink.add(
          'AX001',
          'error',
          valueRange(d),
          layer.yamlIndex,
          '`in_dim` as a list needs two dimensions `[H, W]`; izer accepts a shorter list here but crashes on it later.',
        );
      else typeError(ctx, d, 'a list of integers');
    } else {
      sink.izer(23, 'error', valueRange(d), layer.yamlIndex, '`in_dim` must be an integer (read as L×1) or a list `[H, W]` of at most two dimensions.');
    }
  }
  const c = layer.entries.get('in_crop');
  if (c) {
    const v = c.value;
    const nums = v && v.type === 'seq' ? v.items.map((x) => pyNumber(x)) : [];
    if (nums.length === 2 && nums[0] !== null && nums[1] !== null) layer.inCrop = [nums[0], nums[1]];
    else typeError(ctx, c, 'a list `[start, end]` of two integers');
  }
  if (!layer.entries.has('out_offset')) {
    sink.izer(
      25,
      'warning',
      layerHead(layer.node),
      layer.yamlIndex,
      "No `out_offset`: izer writes this layer's output at offset 0. Give it explicitly (usually alternating between 0 and half the data memory).",
    );
  }
}

function readActivation(ctx: LayerCtx, options: ReadOptions): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('activate') ?? layer.entries.get('activation');
  if (!e) return;
  const s = pyStr(e.value);
  if (s === null) {
    typeError(ctx, e, 'one of `ReLU`, `Abs` or `None` as text');
    return;
  }
  const low = s.toLowerCase();
  let act: Activation = null;
  if (low === 'relu') act = 'relu';
  else if (low === 'abs') act = 'abs';
  else if (low !== 'none') {
    sink.izer(27, 'error', valueRange(e), layer.yamlIndex, `Unknown activation \`${s}\`; the accelerator supports \`ReLU\`, \`Abs\` and \`None\`.`, {
      fix: { kind: 'replaceValue', range: valueRange(e), newText: 'ReLU', title: 'Use ReLU' },
    });
  }
  layer.activation = options.ignoreActivation ? null : act;
}

const OP_TABLE: Record<string, { op: Operator; eltwise?: EltwiseOp }> = {
  conv1d: { op: 'conv1d' },
  conv2d: { op: 'conv2d' },
  convtranspose2d: { op: 'convtranspose2d' },
  none: { op: 'none' },
  passthrough: { op: 'none' },
  add: { op: 'none', eltwise: 'add' },
  or: { op: 'none', eltwise: 'or' },
  bitwiseor: { op: 'none', eltwise: 'or' },
  bitwise_or: { op: 'none', eltwise: 'or' },
  sub: { op: 'none', eltwise: 'sub' },
  xor: { op: 'none', eltwise: 'xor' },
  bitwisexor: { op: 'none', eltwise: 'xor' },
  bitwise_xor: { op: 'none', eltwise: 'xor' },
  linear: { op: 'linear' },
  fc: { op: 'linear' },
  mlp: { op: 'linear' },
};

function readOperation(ctx: LayerCtx, lastOpText: string | null): string | null {
  const { layer, sink } = ctx;
  const key = ['convolution', 'operation', 'operator', 'op'].find((k) => layer.entries.has(k));
  if (key) {
    const e = layer.entries.get(key)!;
    layer.opKey = key;
    const s = pyStr(e.value);
    if (s === null) {
      typeError(ctx, e, 'an operation name such as `conv2d`');
    } else {
      const low = s.toLowerCase();
      layer.opText = low;
      lastOpText = low;
      const hit = OP_TABLE[low];
      if (!hit) {
        const cands = closestKeys(low, Object.keys(OP_TABLE));
        sink.izer(
          29,
          'error',
          valueRange(e),
          layer.yamlIndex,
          `Unknown operation \`${s}\`.${cands.length ? ` Did you mean \`${cands[0]}\`?` : ''} izer knows conv1d, conv2d, convtranspose2d, linear (fc, mlp), passthrough (none), add, sub, or, xor.`,
          {
            fix: cands.length ? { kind: 'replaceValue', range: valueRange(e), newText: cands[0], title: `Change to \`${cands[0]}\`` } : undefined,
          },
        );
      } else {
        layer.op = hit.op;
        if (hit.eltwise) {
          layer.eltwise = hit.eltwise;
          layer.operands = 2;
        }
        if (hit.op === 'none' || hit.op === 'linear') layer.pad = [0, 0];
        if (hit.op === 'linear') layer.kernelSize = [1, 1];
      }
    }
  } else {
    sink.izer(30, 'warning', layerHead(layer.node), layer.yamlIndex, 'No operation given: izer assumes `op: conv2d`. Say it explicitly.');
  }
  const hasAct = layer.entries.has('activate') || layer.entries.has('activation');
  if (layer.op !== 'none' && !hasAct) {
    if (lastOpText === null) {
      sink.add(
        'AX003',
        'error',
        layerHead(layer.node),
        layer.yamlIndex,
        'izer crashes (UnboundLocalError) on a first layer that has neither an operation key nor an activation key. Add `op:` or `activate:`.',
      );
    } else {
      sink.izer(
        31,
        'information',
        layerHead(layer.node),
        layer.yamlIndex,
        `No activation given for this ${layer.op === 'linear' ? 'linear' : layer.op} layer: izer uses none. Add \`activate: None\` (or ReLU/Abs) to say so.`,
      );
    }
  }
  return lastOpText;
}

function readPadDilation(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const p = layer.entries.get('pad');
  if (p) {
    const n = pyNumber(p.value);
    if (n === null) typeError(ctx, p, 'a non-negative integer');
    else if (n < 0)
      sink.izer(32, 'error', valueRange(p), layer.yamlIndex, `\`pad\` cannot be negative (${n}).`, {
        fix: { kind: 'replaceValue', range: valueRange(p), newText: '0', title: 'Use pad: 0' },
      });
    else {
      layer.pad = [n, n];
      layer.padGiven = true;
    }
  }
  const d = layer.entries.get('dilation');
  if (d) {
    const v = readPairValue(ctx, d);
    if (v) layer.dilation = v;
    if (layer.op === 'none')
      sink.izer(33, 'error', d.key.range, layer.yamlIndex, '`dilation` needs a convolution; this layer is a passthrough or element-wise layer.');
  }
}

function readEltwise(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('eltwise');
  if (!e) return;
  const s = pyStr(e.value);
  if (s === null) {
    typeError(ctx, e, 'one of `add`, `sub`, `or`, `xor`');
    return;
  }
  const low = s.toLowerCase();
  if (low === 'add' || low === 'or' || low === 'sub' || low === 'xor') {
    layer.eltwise = low;
    layer.operands = 2;
  } else {
    sink.izer(
      34,
      'error',
      valueRange(e),
      layer.yamlIndex,
      `Unknown \`eltwise\` value \`${s}\`; use add, sub, or or xor (the long forms like \`bitwise_or\` are only accepted in \`op\`).`,
    );
  }
}

function readBooleans(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const flag = (key: string): boolean | null => {
    const e = layer.entries.get(key);
    if (!e) return null;
    const v = e.value;
    const truthy = pyTruthy(v);
    if (v && v.type === 'scalar' && v.value.kind === 'str') {
      const low = v.value.value.toLowerCase();
      if (['false', 'no', 'off', '0', 'none'].includes(low)) {
        sink.add(
          'AX002',
          'warning',
          valueRange(e),
          layer.yamlIndex,
          `\`${key}: "${v.value.value}"\` is a string, and izer treats every non-empty string as true. Write \`${key}: false\` without quotes if you mean false.`,
          {
            fix: { kind: 'replaceValue', range: valueRange(e), newText: 'false', title: `Use ${key}: false` },
          },
        );
      }
    }
    return truthy;
  };
  layer.poolFirst = flag('pool_first') ?? true;
  layer.streaming = flag('streaming') ?? false;
  layer.flatten = flag('flatten') ?? false;
  layer.bypass = flag('bypass') ?? false;
  layer.calcx4 = flag('calcx4') ?? false;
  layer.tcalc = flag('tcalc');
  layer.readahead = flag('readahead') ?? false;
  layer.output = flag('output') ?? false;
}

function readOperands(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('operands');
  if (!e) return;
  if (layer.eltwise === null) {
    sink.izer(35, 'error', e.key.range, layer.yamlIndex, '`operands` only applies to element-wise operations (`op: add/sub/or/xor` or `eltwise`).');
    return;
  }
  const n = pyNumber(e.value);
  if (n === null) typeError(ctx, e, 'an integer from 2 to 16');
  else if (n < 2 || n > 16) sink.izer(36, 'error', valueRange(e), layer.yamlIndex, `\`operands\` must be 2 to 16, not ${n}.`);
  else layer.operands = n;
}

function readDataFormat(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('data_format');
  if (!e) return;
  const s = pyStr(e.value);
  if (s === null) {
    typeError(ctx, e, '`HWC` or `CHW`');
    return;
  }
  const low = s.toLowerCase();
  if (low === 'chw' || low === 'big') layer.dataFormat = 'chw';
  else if (low !== 'hwc' && low !== 'little') {
    sink.izer(37, 'error', valueRange(e), layer.yamlIndex, `Unknown \`data_format\` \`${s}\`; use \`HWC\` (or \`little\`) or \`CHW\` (or \`big\`).`, {
      fix: {
        kind: 'replaceValue',
        range: valueRange(e),
        newText: closestKeys(low, ['hwc', 'chw'])[0]?.toUpperCase() ?? 'HWC',
        title: 'Use a valid data format',
      },
    });
  }
}

function readOutputWidth(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('output_width');
  if (!e) return;
  const n = e.value && e.value.type === 'scalar' && e.value.value.kind !== 'str' ? pyNumber(e.value) : null;
  if (n !== 8 && n !== 32)
    sink.izer(38, 'error', valueRange(e), layer.yamlIndex, `\`output_width\` must be 8 or 32, not \`${e.value ? pyRepr(e.value) : 'None'}\`.`);
  else layer.outputWidth = n;
}

function readKernel(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('kernel_size');
  if (!e) {
    if (layer.op === 'conv1d') layer.kernelSize = [9, 1];
    return;
  }
  if (layer.op === 'linear') {
    sink.izer(39, 'error', e.key.range, layer.yamlIndex, 'A linear (fc/mlp) layer always uses 1×1 kernels; remove `kernel_size`.', {
      fix: { kind: 'removeEntry', range: e.range, title: 'Remove kernel_size' },
    });
    return;
  }
  const val = e.value ? pyStrLower(e.value) : 'none';
  if (layer.op === 'conv2d' || layer.op === 'convtranspose2d') {
    const allowed = layer.op === 'conv2d' ? ['1x1', '3x3'] : ['3x3'];
    if (!allowed.includes(val)) {
      sink.izer(
        40,
        'error',
        valueRange(e),
        layer.yamlIndex,
        `${layer.op === 'conv2d' ? 'Conv2d' : 'ConvTranspose2d'} supports \`kernel_size\` ${allowed.join(' or ')} only, not \`${val}\`.`,
      );
      return;
    }
    layer.kernelSize = [Number(val[0]), Number(val[2])];
  } else {
    const n = /^\s*[-+]?\d+\s*$/.test(val) ? Number(val) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 9) {
      sink.izer(
        40,
        'error',
        valueRange(e),
        layer.yamlIndex,
        `This ${layer.op === 'conv1d' ? 'Conv1d' : 'passthrough'} layer needs \`kernel_size\` as an integer from 1 to 9, not \`${val}\`.`,
      );
      return;
    }
    layer.kernelSize = [n, 1];
  }
  layer.kernelGiven = true;
}

function readStride(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('stride');
  if (!e) return;
  const v = e.value;
  let s: number | null;
  if (v && v.type === 'seq') {
    const nums = v.items.map((x) => pyNumber(x));
    if (nums.length < 2 || nums[0] === null || nums[1] === null) {
      typeError(ctx, e, 'an integer or a list of two equal integers');
      return;
    }
    if (nums[0] !== nums[1]) {
      sink.izer(41, 'error', valueRange(e), layer.yamlIndex, '`stride` must be the same in both dimensions.');
      return;
    }
    s = nums[0];
  } else {
    s = pyNumber(v);
    if (s === null) {
      typeError(ctx, e, 'an integer');
      return;
    }
  }
  const pooling = layer.entries.has('max_pool') || layer.entries.has('avg_pool');
  if (pooling) {
    if (s !== 1) sink.izer(42, 'error', valueRange(e), layer.yamlIndex, 'A layer that pools must use `stride: 1`; use `pool_stride` to downsample.');
  } else {
    if (layer.op === 'convtranspose2d' && s !== 2)
      sink.izer(43, 'error', valueRange(e), layer.yamlIndex, 'ConvTranspose2d always uses stride 2; remove `stride` or set it to 2.');
    layer.stride = [s, s];
  }
}

function parseRef(n: YNode, skip: number): LayerRef | null {
  if (n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'int' || v.kind === 'bool') return { kind: 'index', value: Number(pyInt(n)!) - skip, range: n.range };
  if (v.kind === 'str') return { kind: 'name', value: v.value, range: n.range };
  if (v.kind === 'float') return { kind: 'index', value: v.value - skip, range: n.range };
  return null;
}

function readReferences(ctx: LayerCtx, skip: number): void {
  const { layer } = ctx;
  const ins = layer.entries.get('in_sequences');
  if (ins) {
    const v = ins.value;
    const items = v && v.type === 'seq' ? v.items : v ? [v] : [];
    const refs: LayerRef[] = [];
    for (const it of items) {
      const r = parseRef(it, skip);
      if (!r) typeError(ctx, ins, 'a layer number, a layer name, `input`, or a list of those');
      else refs.push(r);
    }
    layer.inSequences = refs;
  }
  const seqRef = (key: string) => {
    const e = layer.entries.get(key);
    if (!e || !e.value) return null;
    const r = parseRef(e.value, skip);
    if (!r) {
      typeError(ctx, e, 'a layer number, a layer name or `stop`');
      return null;
    }
    if (r.kind === 'name' && r.value.toLowerCase() === 'stop') return { kind: 'stop' as const, range: r.range };
    return r;
  };
  layer.nextSequence = seqRef('next_sequence');
  layer.simulatedSequence = seqRef('simulated_sequence');
  const sn = layer.entries.get('snoop_sequence');
  if (sn) {
    const n = pyNumber(sn.value);
    if (n === null) typeError(ctx, sn, 'an integer');
    else layer.snoopSequence = n - skip;
  }
  const ws = layer.entries.get('weight_source');
  if (ws && ws.value) {
    const r = parseRef(ws.value, skip);
    if (!r) typeError(ctx, ws, 'a layer number or name');
    else layer.weightSource = r;
  }
}

function readGroupsAndBias(ctx: LayerCtx): void {
  const { layer } = ctx;
  const g = layer.entries.get('conv_groups') ?? layer.entries.get('groups');
  if (g) {
    const n = pyNumber(g.value);
    if (n === null) typeError(ctx, g, 'an integer');
    else layer.groups = n;
  }
  const b = layer.entries.get('bias_quadrant') ?? layer.entries.get('bias_group');
  if (b) {
    const v = b.value;
    const i = pyNumber(v);
    if (i !== null) layer.biasGroup = [i];
    else if (v && v.type === 'seq' && v.items.every((x) => pyNumber(x) !== null)) layer.biasGroup = v.items.map((x) => pyNumber(x)!);
    else typeError(ctx, b, 'a quadrant number 0–3 or a list of them');
  }
}

function readPoolDilationOutputPad(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  const pd = layer.entries.get('pool_dilation');
  if (pd) {
    const v = readPairValue(ctx, pd);
    if (v) layer.poolDilation = v;
    if (!(layer.entries.has('max_pool') || layer.entries.has('avg_pool'))) {
      sink.izer(46, 'error', pd.key.range, layer.yamlIndex, '`pool_dilation` needs `max_pool` or `avg_pool` in the same layer.');
    }
  }
  const op = layer.entries.get('output_pad');
  if (op) {
    const n = pyNumber(op.value);
    if (n === null) typeError(ctx, op, 'a non-negative integer');
    else if (n < 0) sink.izer(47, 'error', valueRange(op), layer.yamlIndex, `\`output_pad\` cannot be negative (${n}).`);
    else layer.outputPad = [n, n];
  } else if (layer.op === 'convtranspose2d') layer.outputPad = [1, 1];
}

function readName(ctx: LayerCtx, names: { name: string; layer: LayerSpec }[], model: NetworkModel): void {
  const { layer, sink } = ctx;
  const e = layer.entries.get('name');
  if (!e) return;
  const s = e.value ? scalarText(e.value) : null;
  if (s === null || (e.value && e.value.type === 'scalar' && e.value.value.kind !== 'str')) {
    typeError(ctx, e, 'a text name');
    return;
  }
  const low = s.toLowerCase();
  const dup = names.find((n) => n.name.toLowerCase() === low);
  if (dup || low === 'input' || (model.dataBuffer && model.dataBuffer.name === low)) {
    sink.izer(
      48,
      'error',
      valueRange(e),
      layer.yamlIndex,
      low === 'input'
        ? '`input` is reserved for the network input; choose another layer name.'
        : `The layer name \`${s}\` is already used${dup ? ` by layer ${dup.layer.yamlIndex}` : ''} (names compare without case).`,
      {
        related: dup ? [{ range: valueRange(dup.layer.entries.get('name')!), message: 'first use' }] : undefined,
      },
    );
  } else if (low === 'stop') {
    sink.izer(49, 'error', valueRange(e), layer.yamlIndex, '`stop` is reserved (it ends `next_sequence`); choose another layer name.');
  }
  layer.name = s;
  names.push({ name: s, layer });
}

function readBuffers(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  for (const [key, rules, needs] of [
    ['buffer_shift', [50, 51, 52], 'in_sequences'],
    ['buffer_insert', [53, 54, 55], 'out_offset'],
  ] as const) {
    const e = layer.entries.get(key);
    if (!e) continue;
    const v = e.value;
    const i = pyInt(v);
    if (i === null) sink.izer(rules[0], 'error', valueRange(e), layer.yamlIndex, `\`${key}\` must be an integer.`);
    else if (i <= 0n) sink.izer(rules[1], 'error', valueRange(e), layer.yamlIndex, `\`${key}\` must be a positive integer.`);
    else if (!layer.entries.has(needs))
      sink.izer(
        rules[2],
        'error',
        e.key.range,
        layer.yamlIndex,
        key === 'buffer_shift'
          ? '`buffer_shift` needs `in_sequences` naming the data buffer in the same layer.'
          : '`buffer_insert` needs `out_offset` in the same layer.',
      );
    else if (key === 'buffer_shift') layer.bufferShift = Number(i);
    else layer.bufferInsert = Number(i);
  }
}

function resolveNames(model: NetworkModel, names: { name: string; layer: LayerSpec }[], sink: DiagnosticSink): void {
  const lookup = (ref: LayerRef, keyword: string, layer: LayerSpec): void => {
    if (ref.kind !== 'name') return;
    const low = ref.value.toLowerCase();
    if (low === 'input') return;
    if (names.some((n) => n.name.toLowerCase() === low)) return;
    if (model.dataBuffer && model.dataBuffer.name === low) return;
    const cands = closestKeys(
      low,
      names.map((n) => n.name),
    );
    sink.izer(
      59,
      'error',
      ref.range,
      layer.yamlIndex,
      `No layer is named \`${ref.value}\` (used in \`${keyword}\`).${cands.length ? ` Did you mean \`${cands[0]}\`?` : ''}`,
      {
        fix: cands.length ? { kind: 'replaceValue', range: ref.range, newText: cands[0], title: `Change to \`${cands[0]}\`` } : undefined,
      },
    );
  };
  for (const l of model.layers) {
    for (const r of l.inSequences ?? []) lookup(r, 'in_sequences', l);
    if (l.nextSequence && l.nextSequence.kind === 'name') lookup(l.nextSequence, 'next_sequence', l);
    if (l.simulatedSequence && l.simulatedSequence.kind === 'name') lookup(l.simulatedSequence, 'simulated_sequence', l);
    if (l.weightSource) lookup(l.weightSource, 'weight_source', l);
  }
}
