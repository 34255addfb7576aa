// What every analysis pass shares: the model, the device, the flags, the sink, and helpers that place a
// finding on the most useful YAML range of a layer.
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { FixHint, RelatedInfo, Severity } from '../diagnostic';
import type { IzerFlags } from '../izerFlags';
import type { Code, IzerRuleNumber } from '../rules';
import type { LayerSpec, NetworkModel } from '../model/network';
import type { Range } from '../yaml/yamlTree';

export interface PassContext {
  model: NetworkModel;
  device: Device;
  flags: IzerFlags;
  sink: DiagnosticSink;
}

/** The range of the first of `keys` present in the layer (its value, or the key when `onKey`), else the layer's first key. */
export function layerRange(layer: LayerSpec, keys: readonly string[] = [], onKey = false): Range {
  for (const k of keys) {
    const e = layer.entries.get(k);
    if (e) return onKey || !e.value ? e.key.range : e.value.range;
  }
  const first = layer.node.entries[0];
  return first ? first.key.range : [layer.node.range[0], layer.node.range[0]];
}

/** Reports a finding about layer `ll` on the first present key of `keys`. */
export function reportLayer(
  ctx: PassContext,
  ll: number,
  rule: IzerRuleNumber | Code,
  severity: Severity,
  keys: readonly string[],
  message: string,
  extra?: { fix?: FixHint; related?: RelatedInfo[]; onKey?: boolean },
): void {
  const layer = ctx.model.layers[ll];
  const range: Range = layer ? layerRange(layer, keys, extra?.onKey) : fileRange(ctx);
  const yamlIndex = layer ? layer.yamlIndex : null;
  if (typeof rule === 'number') ctx.sink.izer(rule, severity, range, yamlIndex, message, extra);
  else ctx.sink.add(rule, severity, range, yamlIndex, message, extra);
}

/** Range for network-level findings: the `layers` key, else the start of the file. */
export function fileRange(ctx: PassContext): Range {
  const e = ctx.model.globals.get('layers') ?? ctx.model.globals.get('arch');
  return e ? e.key.range : [0, 0];
}

export function reportNetwork(
  ctx: PassContext,
  rule: IzerRuleNumber | Code,
  severity: Severity,
  message: string,
  range?: Range,
  extra?: { fix?: FixHint; related?: RelatedInfo[] },
): void {
  const r = range ?? fileRange(ctx);
  if (typeof rule === 'number') ctx.sink.izer(rule, severity, r, null, message, extra);
  else ctx.sink.add(rule, severity, r, null, message, extra);
}

/** Python list indexing (negative indexes count from the end), as izer does with −1/−2 references. */
export function pyAt<T>(arr: readonly T[], i: number): T | undefined {
  return i < 0 ? arr[arr.length + i] : arr[i];
}

export function layerName(ctx: PassContext, ll: number): string {
  if (ll === -1) return 'the input';
  if (ll === -2) return 'the data buffer';
  const l = ctx.model.layers[ll];
  return l?.name ? `layer ${ll} (${l.name})` : `layer ${ll}`;
}

export function plural(n: number, word: string, suffix = 's'): string {
  return `${n} ${word}${n === 1 ? '' : suffix}`;
}
