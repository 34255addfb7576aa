// What the readers of a network's keys share: where a finding points, the type error izer would raise, and the
// values several keys take (processor maps, pairs, plain text).
import type { DiagnosticSink } from '../diagnosticSink';
import type { YEntry, YMap, YNode, Range } from '../yaml/yamlTree';
import { pyNumber, pyRepr } from '../yaml/pyValue';
import type { LayerSpec, Pair } from './network';

/** One past the largest 64-bit processor map. */
export const MASK_LIMIT = 1n << 64n;

/** The text izer sees in a plain value (a number as Python prints it); null for null, a list or a mapping. */
export function scalarText(n: YNode): string | null {
  if (n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'null') return null;
  return v.kind === 'str' ? v.value : pyRepr(n, true);
}

/** What a layer key's reader works on. */
export interface LayerCtx {
  sink: DiagnosticSink;
  layer: LayerSpec;
}

/** Where a finding about a whole mapping (the document, a layer) points: its first key. */
export function firstKeyRange(map: YMap): Range {
  const first = map.entries[0];
  return first ? first.key.range : [map.range[0], map.range[0]];
}

/** Where a finding about a key's value points: the value, or the key when the value is missing. */
export function valueRange(e: YEntry): Range {
  return (e.value ?? e.key).range;
}

/** The value has a type on which izer would raise a Python exception. */
export function typeError(ctx: LayerCtx, e: YEntry, what: string): void {
  ctx.sink.add(
    'AX001',
    'error',
    valueRange(e),
    ctx.layer.yamlIndex,
    `\`${e.keyName}\` must be ${what}; izer would stop with a Python exception on \`${e.value ? pyRepr(e.value) : 'None'}\`.`,
  );
}

/** An integer n as [n, n], or a list of one or two integers. */
export function readPairValue(ctx: LayerCtx, e: YEntry): Pair | null {
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
