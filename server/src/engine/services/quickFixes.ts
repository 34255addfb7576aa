// Quick fixes for the diagnostics under the cursor, as minimal text edits: processor masks with the right count
// (keeping the lowest processor, or aligned to where the data is; one per data memory for CHW input), output maps
// that match the next layer, a ping-pong `out_offset` that fits, the normal written form of a mask, did-you-mean
// for unknown keys, and the fix hints the passes attach (replace a value, remove an entry).
import type { CheckResult } from '../check';
import type { Diagnostic } from '../diagnostic';
import type { LayerSpec } from '../model/network';
import { maskHex } from '../model/processorMask';
import { parseMaskValue } from '../yaml/pyValue';
import type { Range, YNode } from '../yaml/yamlTree';
import { isNormalMaskText, MaskKey, maskAdvice } from './maskSuggestions';
import { offsetFix, Recheck } from './offsetFixes';
import { codesConcerning } from '../rules';
import { removalRange, type TextEditSpec } from '../textEdits';

export type { Recheck };

export interface FixAction {
  title: string;
  edits: TextEditSpec[];
  /** The diagnostics it fixes (none for a clean-up, the normal form of a mask). */
  diagnostics: Diagnostic[];
  isPreferred: boolean;
}

const MASK_CODES = codesConcerning('processorMask');
export const OFFSET_CODES = codesConcerning('outputOffset');

const touches = (a: Range, b: Range) => a[0] <= b[1] && b[0] <= a[1];

/** Fixes for the diagnostics touching `range`, and mask clean-ups there. `recheck` verifies offset fixes. */
export function quickFixes(result: CheckResult, range: Range, recheck?: Recheck): FixAction[] {
  const out: FixAction[] = [];
  const key = (f: FixAction) => JSON.stringify(f.edits);
  for (const d of result.diagnostics) {
    if (!touches(d.range, range)) continue;
    for (const f of fixesFor(result, d, recheck)) {
      // Two findings on one value (e.g. IZ171 and IZ222) share the same fix: offer it once, for both.
      const same = out.find((x) => key(x) === key(f));
      if (same) {
        same.diagnostics.push(...f.diagnostics);
        same.isPreferred ||= f.isPreferred;
      } else out.push(f);
    }
  }
  for (const f of maskFormFixes(result, range)) if (!out.some((x) => key(x) === key(f))) out.push(f);
  return out;
}

/** All fixes for one diagnostic, the preferred first. */
export function fixesFor(result: CheckResult, d: Diagnostic, recheck?: Recheck): FixAction[] {
  const text = result.lines.text;
  const hint = d.fix;
  const list: Omit<FixAction, 'isPreferred' | 'diagnostics'>[] = [];
  // A knock-on of a typo: its own fix would suit the network as mistyped, not as meant; fix the cause instead.
  if (d.causes?.length)
    return d.causes.map((c, i) => ({ title: c.fix.title, edits: [{ range: c.fix.range, newText: c.fix.newText }], diagnostics: [d], isPreferred: i === 0 }));
  const mask = maskAt(result, d.range);
  if (mask && (MASK_CODES.has(d.code) || hint?.kind === 'processorCount')) {
    const expected = hint?.kind === 'processorCount' ? hint.expected : undefined;
    const advice = maskAdvice(result, mask.layer, mask.key, mask.value, expected);
    for (const sgg of advice.suggestions)
      list.push({ title: `Use ${maskHex(sgg.mask)}: ${sgg.why}`, edits: [{ range: mask.node.range, newText: maskHex(sgg.mask) }] });
  } else if (d.code === 'IZ040') {
    list.push(...kernelSizeFixes(result, d));
  } else if (hint?.kind === 'replaceValue') {
    list.push({ title: hint.title, edits: [{ range: hint.range, newText: hint.newText }] });
  } else if (hint?.kind === 'renameKey') {
    for (const c of hint.candidates.slice(0, 3)) list.push({ title: `Change to \`${c}\``, edits: [{ range: hint.range, newText: c }] });
  } else if (hint?.kind === 'edits') {
    list.push({ title: hint.title, edits: hint.edits });
  } else if (hint?.kind === 'removeEntry') {
    list.push({ title: hint.title, edits: [{ range: removalRange(text, hint.range), newText: '' }] });
  } else if (hint?.kind === 'processorCount') {
    // A count on a value we could not place (no layer context): keep the lowest processor.
    list.push({
      title: `Use ${hint.expected} processors`,
      edits: [{ range: hint.valueRange, newText: maskHex(((1n << BigInt(hint.expected)) - 1n) << BigInt(Math.min(hint.lowest, 64 - hint.expected))) }],
    });
  }
  if (OFFSET_CODES.has(d.code) && recheck) {
    const f = offsetFix(result, d, recheck);
    if (f) list.push(f);
  }
  return list.map((a, i) => ({ ...a, diagnostics: [d], isPreferred: i === 0 }));
}

/**
 * `kernel_size: 5x5` on a Conv2d: the sizes the hardware has (3x3, 1x1; ConvTranspose2d 3x3 only), each only when
 * the checkpoint's weights for the layer have that size (all of them without a checkpoint).
 */
function kernelSizeFixes(result: CheckResult, d: Diagnostic): Omit<FixAction, 'isPreferred' | 'diagnostics'>[] {
  const layer = result.model.layers.find((l) => l.yamlIndex === d.layer);
  if (!layer || (layer.op !== 'conv2d' && layer.op !== 'convtranspose2d')) return [];
  const sizes = layer.op === 'conv2d' ? ['3x3', '1x1'] : ['3x3'];
  const w = result.analysis?.checkpoint?.weights[layer.ll];
  const trained = w && w.shape.length === 3 ? `${w.shape[1]}x${w.shape[2]}` : null;
  return sizes
    .filter((k) => trained === null || k === trained)
    .map((k) => ({
      title: `Use kernel_size ${k}${trained === k ? ' (the size of its weights in the checkpoint)' : ''}`,
      edits: [{ range: d.range, newText: k }],
    }));
}

interface MaskAt {
  layer: LayerSpec;
  key: MaskKey;
  node: YNode;
  value: bigint;
}

/** The mask value whose range is exactly `range`. */
export function maskAt(result: CheckResult, range: Range): MaskAt | null {
  for (const l of result.model.layers) {
    for (const key of ['processors', 'output_processors'] as const) {
      const v = l.entries.get(key)?.value;
      if (v && v.range[0] === range[0] && v.range[1] === range[1]) {
        const m = parseMaskValue(v);
        return typeof m === 'bigint' ? { layer: l, key, node: v, value: m } : null;
      }
    }
  }
  const g = result.model.globals.get('output_map')?.value;
  const s = result.analysis?.state;
  if (g && s && g.range[0] === range[0] && g.range[1] === range[1]) {
    const m = parseMaskValue(g);
    const fin = result.model.layers[s.finalLayer];
    return typeof m === 'bigint' && fin ? { layer: fin, key: 'output_map', node: g, value: m } : null;
  }
  return null;
}

/** Every mask value in the file (layer maps and the global output map), for clean-ups. */
export function maskNodes(result: CheckResult): YNode[] {
  const out: YNode[] = [];
  for (const l of result.model.layers) {
    for (const key of ['processors', 'output_processors']) {
      const v = l.entries.get(key)?.value;
      if (v) out.push(v);
    }
  }
  const g = result.model.globals.get('output_map')?.value;
  if (g) out.push(g);
  return out;
}

/** "Write the mask as 0x…" for masks in `range` written in another form (short, decimal, dotted, quoted). */
export function maskFormFixes(result: CheckResult, range: Range): FixAction[] {
  const out: FixAction[] = [];
  for (const v of maskNodes(result)) {
    if (!touches(v.range, range) || v.type !== 'scalar' || isNormalMaskText(v.text, v.quoted)) continue;
    const m = parseMaskValue(v);
    if (typeof m !== 'bigint' || m < 1n || m >= 1n << 64n) continue;
    out.push({ title: `Write the mask as ${maskHex(m)}`, edits: [{ range: v.range, newText: maskHex(m) }], diagnostics: [], isPreferred: false });
  }
  return out;
}
