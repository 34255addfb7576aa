// A new `out_offset` for a layer whose output overflows the data memory or overwrites data still needed:
// the other half of the memory first (ping-pong), then other offsets where the output fits. Each candidate is
// checked by running the check again on the edited text, so the fix is only offered when it helps and breaks
// nothing else; layers that read this output with an explicit `in_offset` move along.
import type { CheckResult } from '../check';
import type { Diagnostic } from '../diagnostic';
import type { LayerSpec } from '../model/network';
import { codesConcerning } from '../rules';
import type { TextEditSpec } from '../textEdits';
import { applyEdits } from '../textEdits';

export type Recheck = (text: string) => CheckResult;

const CODES = codesConcerning('outputOffset');
const MAX_TRIES = 12;

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');

/** Bytes of the layer's output in each data memory (izer's rule #189 arithmetic). */
export function outputBytes(result: CheckResult, ll: number): number | null {
  const s = result.analysis?.state;
  if (!s || !s.channelsKnown || !s.dimsKnown) return null;
  const [h, w] = s.outputDim[ll];
  return Math.floor(((h * w + s.outPad[ll]) * s.outExpand[ll] * 4 * s.outputWidth[ll]) / 8);
}

/** Offsets to try, ping-pong first, all with room for the output. */
export function offsetCandidates(result: CheckResult, ll: number): number[] {
  const s = result.analysis!.state;
  const size = outputBytes(result, ll) ?? 0;
  const mem = result.device.dataMemoryBytes;
  const half = mem / 2;
  const cur = s.outputOffset[ll];
  const list = [cur < half ? half : 0, 0, half];
  for (let k = 1; k < 16; k++) list.push((k * mem) / 16);
  list.push((mem - size) & ~3);
  return list.filter((o, i) => o >= 0 && o !== cur && o + size <= mem && list.indexOf(o) === i);
}

function score(r: CheckResult): number {
  return r.diagnostics.filter((d) => d.severity === 'error' || d.code === 'AX305').length;
}

function errorKeys(r: CheckResult): Set<string> {
  return new Set(r.diagnostics.filter((d) => d.severity === 'error' || d.code === 'AX305').map((d) => `${d.code}@${d.layer}`));
}

/** The edits that give layer `l` the output offset `off` (inserting the key when it is missing). */
export function setOutOffsetEdits(result: CheckResult, l: LayerSpec, off: number): TextEditSpec[] {
  const text = result.lines.text;
  const s = result.analysis!.state;
  const edits: TextEditSpec[] = [];
  const entry = l.entries.get('out_offset');
  if (entry?.value) edits.push({ range: entry.value.range, newText: hex(off) });
  else {
    const first = l.node.entries[0];
    const last = l.node.entries[l.node.entries.length - 1];
    if (!first || !last) return [];
    const indent = ' '.repeat(result.lines.position(first.key.range[0]).character);
    const nl = text.indexOf('\n', last.range[1]);
    const at = nl < 0 ? text.length : nl;
    edits.push({ range: [at, at], newText: `\n${indent}out_offset: ${hex(off)}` });
  }
  // Readers that name the old offset explicitly keep reading this layer's output.
  const old = s.outputOffset[l.ll];
  for (const r of result.model.layers) {
    if (r.ll === l.ll) continue;
    const ins = s.inSequences[r.ll];
    const readsThis = ins ? ins.length === 1 && ins[0] === l.ll : s.prevSequence[r.ll] === l.ll;
    const e = r.entries.get('in_offset');
    if (readsThis && e?.value && s.inputOffset[r.ll] === old) edits.push({ range: e.value.range, newText: hex(off) });
  }
  return edits;
}

type OffsetFix = { title: string; edits: TextEditSpec[] } | null;
// The editor asks for code actions on every cursor move; the re-checks run once per check result.
const cache = new WeakMap<CheckResult, Map<string, OffsetFix>>();

/** A verified `out_offset` fix for a data-memory diagnostic, or null when no candidate helps. */
export function offsetFix(result: CheckResult, d: Diagnostic, recheck: Recheck): OffsetFix {
  let perResult = cache.get(result);
  if (!perResult) cache.set(result, (perResult = new Map()));
  const key = `${d.code}@${d.layer}@${d.range[0]}-${d.range[1]}`;
  if (perResult.has(key)) return perResult.get(key)!;
  const fix = findOffsetFix(result, d, recheck);
  perResult.set(key, fix);
  return fix;
}

function findOffsetFix(result: CheckResult, d: Diagnostic, recheck: Recheck): OffsetFix {
  if (!CODES.has(d.code) || d.layer === null) return null;
  const s = result.analysis?.state;
  const l = result.model.layers.find((x) => x.yamlIndex === d.layer);
  if (!s || !l || l.ll < 0 || !s.channelsKnown) return null;
  const before = score(result);
  const known = errorKeys(result);
  const text = result.lines.text;
  const size = outputBytes(result, l.ll);
  for (const off of offsetCandidates(result, l.ll).slice(0, MAX_TRIES)) {
    const edits = setOutOffsetEdits(result, l, off);
    if (!edits.length) return null;
    let r: CheckResult;
    try {
      r = recheck(applyEdits(text, edits));
    } catch {
      continue;
    }
    const still = r.diagnostics.some((x) => x.layer === d.layer && CODES.has(x.code));
    const fresh = [...errorKeys(r)].some((k) => !known.has(k));
    if (!still && !fresh && score(r) < before) {
      const half = result.device.dataMemoryBytes / 2;
      const cur = s.outputOffset[l.ll];
      const why = (off === 0 && cur >= half) || (off === half && cur < half) ? 'ping-pong: the other half of the data memory' : 'where the output fits';
      return { title: `Use out_offset: ${hex(off)} (${why}${size !== null ? `, ${size} bytes` : ''})`, edits };
    }
  }
  return null;
}
