// The layer keys that link layers: in_sequences, next_sequence, simulated_sequence, snoop_sequence,
// weight_source, the layer names they may use, and the data buffer's buffer_shift and buffer_insert.
import type { DiagnosticSink } from '../diagnosticSink';
import type { IzerRuleNumber } from '../rules';
import type { YNode } from '../yaml/yamlTree';
import { pyInt, pyNumber } from '../yaml/pyValue';
import { closestKeys } from './didYouMean';
import type { LayerRef, LayerSpec, NetworkModel } from './network';
import { scalarText, type LayerCtx, valueRange, typeError } from './keyReading';

/** A layer name and the layer that gives it, as collected while reading. */
export interface NamedLayer {
  name: string;
  layer: LayerSpec;
}

function parseRef(n: YNode, skip: number): LayerRef | null {
  if (n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'int' || v.kind === 'bool') return { kind: 'index', value: Number(pyInt(n)!) - skip, range: n.range };
  if (v.kind === 'str') return { kind: 'name', value: v.value, range: n.range };
  if (v.kind === 'float') return { kind: 'index', value: v.value - skip, range: n.range };
  return null;
}

export function readReferences(ctx: LayerCtx, skip: number): void {
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

export function readName(ctx: LayerCtx, names: NamedLayer[], model: NetworkModel): void {
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

export function readBuffers(ctx: LayerCtx): void {
  const { layer, sink } = ctx;
  for (const [key, rules, needs] of [
    ['buffer_shift', [50, 51, 52], 'in_sequences'],
    ['buffer_insert', [53, 54, 55], 'out_offset'],
  ] as const satisfies readonly (readonly [string, readonly [IzerRuleNumber, IzerRuleNumber, IzerRuleNumber], string])[]) {
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

/** Rule 59: a reference by name to no layer, the network input or the data buffer. */
export function reportUnknownNames(model: NetworkModel, names: NamedLayer[], sink: DiagnosticSink): void {
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
        fix: cands.length ? { kind: 'replaceValue', range: ref.range, newText: cands[0], title: `Change to \`${cands[0]}\``, typo: true } : undefined,
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
