// The network-wide keys besides arch, dataset and layers: output_map, snoop, data_buffer and unload.
import type { DiagnosticSink } from '../diagnosticSink';
import type { YEntry, YNode } from '../yaml/yamlTree';
import { parseMaskValue, pyInt, pyIntNumber, pyNumber, pyRepr } from '../yaml/pyValue';
import { DATA_BUFFER_KEYS, DATA_BUFFER_REQUIRED, UNLOAD_KEYS, UNLOAD_REQUIRED } from './keyCatalog';
import type { DataBufferSpec, NetworkModel, Pair, UnloadSpec } from './network';
import { MASK_LIMIT, scalarText } from './keyReading';

export function readGlobals(model: NetworkModel, sink: DiagnosticSink): void {
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
