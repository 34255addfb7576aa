// The network-wide keys besides arch, dataset and layers: output_map, snoop, data_buffer and unload.
import type { DiagnosticSink } from '../diagnosticSink';
import type { IzerRuleNumber } from '../rules';
import type { Range, YEntry, YNode } from '../yaml/yamlTree';
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
    if (snoop.value && snoop.value.type === 'seq') {
      const values = snoop.value.items.map((item) => pyIntNumber(item));
      if (values.every((v): v is number => v !== null)) model.snoopValues = values;
    }
  }
  const db = model.globals.get('data_buffer');
  if (db) readDataBuffer(model, db, sink);
  const un = model.globals.get('unload');
  if (un) readUnload(model, un, sink);
}

/** A list of mappings such as `unload`: its keys, the required ones, and the rules and wording of its findings. */
interface ItemList {
  key: 'data_buffer' | 'unload';
  /** What the list holds, for the finding that it is not a list. */
  holds: string;
  keys: string[];
  required: string[];
  unknownKeyRule: IzerRuleNumber;
  missingKeyRule: IzerRuleNumber;
  /** The required keys as the missing-key finding names them. */
  needs: string;
}

const DATA_BUFFER: ItemList = {
  key: 'data_buffer',
  holds: 'buffer descriptions',
  keys: DATA_BUFFER_KEYS,
  required: DATA_BUFFER_REQUIRED,
  unknownKeyRule: 56,
  missingKeyRule: 57,
  needs: 'processors, channels, dim, offset and name',
};

const UNLOAD: ItemList = {
  key: 'unload',
  holds: 'unload descriptions',
  keys: UNLOAD_KEYS,
  required: UNLOAD_REQUIRED,
  unknownKeyRule: 62,
  missingKeyRule: 63,
  needs: 'processors, channels, dim and offset',
};

function readDataBuffer(model: NetworkModel, entry: YEntry, sink: DiagnosticSink): void {
  for (const { keys, range } of readItems(entry, DATA_BUFFER, sink)) {
    if (model.dataBuffer) break; // izer only uses the first buffer
    model.dataBuffer = { name: scalarText(keys.get('name')!.value!) ?? '', ...readPlacement(keys), range } satisfies DataBufferSpec;
  }
}

function readUnload(model: NetworkModel, entry: YEntry, sink: DiagnosticSink): void {
  for (const { keys, range } of readItems(entry, UNLOAD, sink)) {
    const writeGap = keys.has('write_gap') ? (pyIntNumber(keys.get('write_gap')!.value) ?? 0) : 0;
    model.unload.push({ ...readPlacement(keys), writeGap, range } satisfies UnloadSpec);
  }
}

/** The items of the list that are mappings with every required key, after reporting the ones that are not. */
function readItems(entry: YEntry, list: ItemList, sink: DiagnosticSink): { keys: Map<string, YEntry>; range: Range }[] {
  const v = entry.value;
  if (!v || v.type !== 'seq') {
    sink.add('AX001', 'error', (v ?? entry.key).range, null, `\`${list.key}\` must be a list of ${list.holds}.`);
    return [];
  }
  const items: { keys: Map<string, YEntry>; range: Range }[] = [];
  for (const item of v.items) {
    if (item.type !== 'map') {
      sink.add('AX001', 'error', item.range, null, `Each \`${list.key}\` item must be a mapping.`);
      continue;
    }
    const keys = new Map(item.entries.filter((e) => e.keyName !== null).map((e) => [e.keyName as string, e]));
    for (const e of item.entries) {
      if (e.keyName === null || !list.keys.includes(e.keyName)) {
        sink.izer(
          list.unknownKeyRule,
          'error',
          e.key.range,
          null,
          `Unknown \`${list.key}\` key \`${e.keyName ?? pyRepr(e.key)}\`; allowed: ${list.keys.join(', ')}.`,
        );
      }
    }
    const miss = list.required.filter((k) => !keys.has(k));
    if (miss.length) {
      sink.izer(
        list.missingKeyRule,
        'error',
        item.range,
        null,
        `This \`${list.key}\` item lacks ${miss.map((k) => '`' + k + '`').join(', ')}; it needs ${list.needs}.`,
      );
      continue;
    }
    items.push({ keys, range: item.range });
  }
  return items;
}

/** Where a data_buffer or unload item sits: its processors, dimensions, channels and offset. */
function readPlacement(keys: Map<string, YEntry>): { processors: bigint; dim: Pair; channels: number; offset: number } {
  const procs = parseMaskValue(keys.get('processors')!.value);
  return {
    processors: typeof procs === 'bigint' ? procs : 0n,
    dim: readDim(keys.get('dim')!.value) ?? [0, 1],
    channels: pyIntNumber(keys.get('channels')!.value) ?? 0,
    offset: pyIntNumber(keys.get('offset')!.value) ?? 0,
  };
}

/** int n → [n, 1]; a list of one or two ints → [a, 1] or [a, b]. */
function readDim(n: YNode | null): Pair | null {
  const i = pyNumber(n);
  if (i !== null) return [i, 1];
  if (n && n.type === 'seq') {
    const a = n.items.map((x) => pyNumber(x));
    if (a.length === 2 && a[0] !== null && a[1] !== null) return [a[0], a[1]];
    if (a.length === 1 && a[0] !== null) return [a[0], 1];
  }
  return null;
}
