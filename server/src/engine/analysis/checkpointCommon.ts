// What the steps of izer's checkpoint.load share: how they report (an error means izer stops), the weight tensor a
// step works on (matched to a YAML layer by position), tests on the pickled values, and where findings are anchored.
import type { DiagnosticSink } from '../diagnosticSink';
import type { Code, IzerRuleNumber } from '../rules';
import { LayerSpec } from '../model/network';
import type { Range } from '../yaml/yamlTree';
import type { PyObject, Tensor } from '../checkpoint/types';
import type { ReportError } from './weightlessLayers';

/** Reports findings; any error marks the load fatal (izer stops at it, with a message or a Python exception). */
export class CheckpointFindings {
  fatal = false;

  constructor(readonly sink: DiagnosticSink) {}

  readonly error: ReportError = (rule, range, layer, message) => {
    this.fatal = true;
    this.report(rule, 'error', range, layer, message);
  };

  readonly warn: ReportError = (rule, range, layer, message) => this.report(rule, 'warning', range, layer, message);

  private report(rule: IzerRuleNumber | Code, severity: 'error' | 'warning', range: Range, layer: LayerSpec | null, message: string): void {
    if (typeof rule === 'number') this.sink.izer(rule, severity, range, layer ? layer.yamlIndex : null, message);
    else this.sink.add(rule, severity, range, layer ? layer.yamlIndex : null, message);
  }
}

/** A `<layer>[.<op>].weight` entry of the state_dict and the YAML layer izer matched it to. */
export interface MatchedWeight {
  /** The full state_dict key. */
  key: string;
  /** The key without its last two parts (`<layer>`), where izer looks up `weight_bits` and `output_shift`. */
  layerName: string;
  /** The part before `weight` (`op`, `bn`, …), or null for a two-part key. */
  thisOp: string | null;
  /** izer's layer index (`ll`, equal to the YAML index here: insertion comes later). */
  seq: number;
  layer: LayerSpec;
  /** `layerLabel(layer)`, for messages. */
  label: string;
}

/** Python's `key.rsplit('.', 2)` as checkpoint.load uses it: [layer, op or null, parameter], or null without a dot. */
export function splitStateKey(key: string): [string, string | null, string] | null {
  const a = key.lastIndexOf('.');
  if (a < 0) return null;
  const parameter = key.slice(a + 1);
  const rest = key.slice(0, a);
  const b = rest.lastIndexOf('.');
  if (b < 0) return [rest, null, parameter];
  return [rest.slice(0, b), rest.slice(b + 1), parameter];
}

export function isTensor(v: Tensor | PyObject | undefined): v is Tensor {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && 'dtype' in v && 'values' in v;
}

export function isPyDict(v: PyObject): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'dict';
}

/** A pickled value as a message names it: "None", "a list", "a `module.Name` object", … */
export function describeValue(v: Tensor | PyObject | undefined): string {
  if (v === undefined || v === null) return 'None';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') {
    if ('dtype' in v) return 'a tensor';
    if (v.kind === 'global') return `a \`${v.module}.${v.name}\` object`;
    return `a ${v.kind}`;
  }
  return `a ${typeof v}`;
}

/** A layer's first key: where findings about the layer as a whole go. */
export function layerAnchor(l: LayerSpec): Range {
  const first = l.node.entries[0];
  return first ? first.key.range : l.range;
}

/** The layer's operator value (`op: conv2d`), else its first key. */
export function opRange(l: LayerSpec): Range {
  const e = l.opKey ? l.entries.get(l.opKey) : undefined;
  return e ? (e.value ?? e.key).range : layerAnchor(l);
}

/** A layer key's value (the key itself when it has none), else `fallback`. */
export function keyRange(l: LayerSpec, key: string, fallback: Range): Range {
  const e = l.entries.get(key);
  return e ? (e.value ?? e.key).range : fallback;
}
