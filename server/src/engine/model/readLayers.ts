// Reads the `layers` list: each item's keys in izer's order, then the fix-ups izer makes (layerFixups) and the
// checks that need every layer.
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { IzerRuleNumber } from '../rules';
import type { YEntry, YMap, YNode } from '../yaml/yamlTree';
import { pyIntNumber, pyRepr } from '../yaml/pyValue';
import { ALIAS_GROUPS, LAYER_KEY_NAMES } from './keyCatalog';
import { closestKeys } from './didYouMean';
import type { LayerSpec, NetworkModel } from './network';
import type { ReadOptions } from './readNetwork';
import { type NamedLayer, readReferences, readName, readBuffers, reportUnknownNames } from './readLinkKeys';
import {
  readPooling,
  readActivation,
  readOperation,
  readPadDilation,
  readEltwise,
  readOperands,
  readKernel,
  readStride,
  readPoolDilationOutputPad,
} from './readOperationKeys';
import { readProcessors, readQuantization, readSimpleInts, readBooleans, readDataFormat, readOutputWidth, readGroupsAndBias } from './readDataKeys';
import { type LayerCtx, firstKeyRange } from './keyReading';
import { newLayer } from './layerDefaults';
import { applyConv1dPaddingQuirk, contractSequence, fixUpOperator } from './layerFixups';

export function readLayers(model: NetworkModel, items: YNode[], device: Device, sink: DiagnosticSink, options: ReadOptions): void {
  const skip = options.skipYamlLayers ?? 0;
  let sequence = 0;
  const bySeq = new Map<number, LayerSpec>();
  const names: NamedLayer[] = [];
  let lastOpText: string | null = null;
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
    reportUnknownKeys(item, yamlIndex, sink);
    reportAliasesGivenTwice(entries, yamlIndex, sink);

    const seqEntry = entries.get('sequence');
    if (seqEntry) {
      const s = pyIntNumber(seqEntry.value);
      if (s === null)
        sink.add('AX001', 'error', (seqEntry.value ?? seqEntry.key).range, yamlIndex, '`sequence` must be an integer (izer would crash on this value).');
      else sequence = s - skip;
    }
    layer.seq = sequence;
    const seqRange = seqEntry ? (seqEntry.value ?? seqEntry.key).range : firstKeyRange(item);
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

    lastOpText = readLayerKeys({ sink, layer }, model, names, lastOpText, options);
    fixUpOperator(layer);
    raw.push(layer);
    sequence++;
  });

  applyConv1dPaddingQuirk(raw, sink);
  model.layers = contractSequence(bySeq, raw);
  reportUnknownNames(model, names, sink);
  reportPoolingKeys(model.layers, sink);
  if (model.dataBuffer) reportDataBufferReaders(raw, model.dataBuffer.name, sink);
}

function reportUnknownKeys(item: YMap, yamlIndex: number, sink: DiagnosticSink): void {
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
}

function reportAliasesGivenTwice(entries: Map<string, YEntry>, yamlIndex: number, sink: DiagnosticSink): void {
  for (const group of ALIAS_GROUPS) {
    const present = group.filter((k) => entries.has(k)).sort((a, b) => entries.get(a)!.key.range[0] - entries.get(b)!.key.range[0]);
    if (present.length > 1) {
      const rule: IzerRuleNumber =
        group[0] === 'convolution' ? 28 : group[0] === 'activate' ? 26 : group[0] === 'groups' ? 44 : group[0] === 'in_skip' ? 24 : 45;
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
}

/** Reads the layer's keys in izer's order (later readers depend on what earlier ones set); returns the last operation text. */
function readLayerKeys(ctx: LayerCtx, model: NetworkModel, names: NamedLayer[], lastOpText: string | null, options: ReadOptions): string | null {
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
  readReferences(ctx, options.skipYamlLayers ?? 0);
  readGroupsAndBias(ctx);
  readPoolDilationOutputPad(ctx);
  readName(ctx, names, model);
  readBuffers(ctx);
  return lastOpText;
}

function reportPoolingKeys(layers: LayerSpec[], sink: DiagnosticSink): void {
  for (const l of layers) {
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
}

function reportDataBufferReaders(layers: LayerSpec[], bufferName: string, sink: DiagnosticSink): void {
  for (const l of layers) {
    if (l.inSequences && l.inSequences.length === 1 && l.inSequences[0].kind === 'name' && l.inSequences[0].value.toLowerCase() === bufferName) {
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
