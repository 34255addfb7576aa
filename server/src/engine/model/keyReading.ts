// What the readers of a network's keys share: where a finding points, the type error izer would raise, and the
// values several keys take (processor maps, pairs, plain text).
import type { DiagnosticSink } from '../diagnosticSink';
import type { YEntry, YMap, YNode, Range } from '../yaml/yamlTree';
import { pyNumber, pyRepr } from '../yaml/pyValue';
import type { LayerSpec, Pair } from './network';

export const MASK_LIMIT = 1n << 64n;

export function scalarText(n: YNode): string | null {
  if (n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'null') return null;
  return v.kind === 'str' ? v.value : pyRepr(n, true);
}

export interface LayerCtx {
  sink: DiagnosticSink;
  layer: LayerSpec;
}

export function layerHead(map: YMap): Range {
  const first = map.entries[0];
  return first ? first.key.range : [map.range[0], map.range[0]];
}

export function valueRange(e: YEntry): Range {
  return (e.value ?? e.key).range;
}

export function typeError(ctx: LayerCtx, e: YEntry, what: string): void {
  ctx.sink.add(
    'AX001',
    'error',
    valueRange(e),
    ctx.layer.yamlIndex,
    `\`${e.keyName}\` must be ${what}; izer would stop with a Python exception on \`${e.value ? pyRepr(e.value) : 'None'}\`.`,
  );
}

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
