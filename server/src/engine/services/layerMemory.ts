// Where a layer lives in the accelerator's memories: its kernel-map cells, its bias bytes, and the data-memory
// byte ranges it reads and writes (per data-memory instance, one instance per group of 4 processors).
// Everything comes from the analysis (izer's allocation and its data-memory walk); nothing is re-derived.
import type { CheckResult } from '../check';
import type { Device } from '../device/devices';
import { maskWidth } from '../device/devices';
import { traceDataMemory, DataMemoryTrace, wordLocation } from '../analysis/dataMemory';
import { DiagnosticSink } from '../diagnosticSink';
import { ffs, memoriesOf, rangesText } from '../model/processorMask';

/** Bytes [start, end) of one data-memory instance (0–15). */
export interface ByteRange {
  instance: number;
  start: number;
  end: number;
}

export interface KernelUse {
  /** The layer whose kernels this layer uses (deduplicated weights), or null when it is its own. */
  sharedWith: number | null;
  /** Per group of processors with the same columns: the processors and the column span [first, last]. */
  spans: { processors: number[]; first: number; last: number; columns: number }[];
  /** Kernel-map cells (72-bit words) the layer occupies. */
  cells: number;
}

export interface BiasUse {
  quadrant: number;
  offset: number;
  bytes: number;
}

const kernelIndexes = new WeakMap<CheckResult, Map<number, KernelUse>>();

/** Every layer's kernel-map cells, from one scan of the map (cached per check result). */
function kernelIndex(result: CheckResult): Map<number, KernelUse> | null {
  const mem = result.analysis?.memory;
  if (!mem) return null;
  let index = kernelIndexes.get(result);
  if (index) return index;
  index = new Map();
  const map = mem.kernels.map;
  const dev = result.device;
  const W = dev.maskWidthLarge;
  const perRow = new Map<number, { first: number; last: number; n: number }>();
  const groups = new Map<number, Map<string, { processors: number[]; first: number; last: number; columns: number }>>();
  for (let p = 0; p < 64; p++) {
    perRow.clear();
    for (let c = 0; c < maskWidth(dev, p); c++) {
      const v = map[p * W + c];
      if (v < 0) continue;
      const r = perRow.get(v);
      if (r) {
        r.last = c;
        r.n++;
      } else perRow.set(v, { first: c, last: c, n: 1 });
    }
    for (const [ll, r] of perRow) {
      let g = groups.get(ll);
      if (!g) groups.set(ll, (g = new Map()));
      const key = `${r.first}:${r.last}:${r.n}`;
      const span = g.get(key);
      if (span) span.processors.push(p);
      else g.set(key, { processors: [p], first: r.first, last: r.last, columns: r.n });
    }
  }
  for (const [ll, g] of groups) {
    const spans = [...g.values()];
    index.set(ll, { sharedWith: null, spans, cells: spans.reduce((a, x) => a + x.columns * x.processors.length, 0) });
  }
  kernelIndexes.set(result, index);
  return index;
}

/** The processors and columns a layer holds in the kernel map, or null without an allocation or kernels. */
export function kernelUse(result: CheckResult, ll: number): KernelUse | null {
  const mem = result.analysis?.memory;
  const index = kernelIndex(result);
  if (!mem || !index) return null;
  const owner = mem.kernelPointers[ll] ?? ll;
  const u = index.get(owner);
  return u ? { ...u, sharedWith: owner !== ll ? owner : null } : null;
}

/** Where the layer's bias bytes are (one entry per quadrant holding them), or null when it has no bias. */
export function biasUse(result: CheckResult, ll: number): BiasUse[] | null {
  const mem = result.analysis?.memory;
  const s = result.analysis?.state;
  if (!mem || !s) return null;
  const owner = mem.biasPointers[ll] ?? ll;
  const group = mem.bias.group[owner];
  if (group === null || group === undefined) return null;
  const om = s.outputProcessorMap[ll] ?? 0n;
  const bytes = s.outputChannels[ll] + (group === 'all' ? 0 : (Math.max(0, ffs(om)) % 4) * s.outExpand[ll]);
  const out: BiasUse[] = [];
  mem.bias.offsets[owner].forEach((o, q) => {
    if (o !== null && (group === 'all' || q === group)) out.push({ quadrant: q, offset: o, bytes });
  });
  return out.length ? out : null;
}

const traces = new WeakMap<CheckResult, DataMemoryTrace | null>();

/** The data-memory trace of the check (computed on demand when the check ran with --overlap-data). */
export function dataMemoryTraceOf(result: CheckResult): DataMemoryTrace | null {
  if (result.analysis?.dataMemory) return result.analysis.dataMemory;
  if (traces.has(result)) return traces.get(result)!;
  const s = result.analysis?.state;
  let trace: DataMemoryTrace | null = null;
  if (s && s.channelsKnown && s.dimsKnown) {
    try {
      trace = traceDataMemory({ model: result.model, device: result.device, flags: result.flags, sink: new DiagnosticSink() }, s);
    } catch {
      trace = null;
    }
  }
  traces.set(result, trace);
  return trace;
}

export { wordLocation } from '../analysis/dataMemory';

/** Contiguous byte ranges per instance covered by `words` (−1 entries, words past the memory, are skipped). */
export function wordsToRanges(dev: Device, quadrantWords: number, words: Int32Array): ByteRange[] {
  const sorted = Int32Array.from(words).sort();
  const out: ByteRange[] = [];
  let cur: ByteRange | null = null;
  let prev = -2;
  for (let i = 0; i < sorted.length; i++) {
    const w = sorted[i];
    if (w < 0 || w === prev) continue;
    const loc = wordLocation(dev, quadrantWords, w);
    if (cur && w === prev + 1 && loc.instance === cur.instance && loc.byte === cur.end) cur.end += 4;
    else {
      cur = { instance: loc.instance, start: loc.byte, end: loc.byte + 4 };
      out.push(cur);
    }
    prev = w;
  }
  return out;
}

/** The bytes a layer reads: `in_offset` plus izer's input size on every memory of its processors (rule #173). */
export function layerReads(result: CheckResult, ll: number): ByteRange[] | null {
  const s = result.analysis?.state;
  if (!s || !s.channelsKnown || !s.dimsKnown) return null;
  const dim = s.inputDim[ll];
  if (!dim) return null;
  const size = dim[0] * dim[1] * s.inExpand[ll] * s.operands[ll] * (s.bigData[ll] ? 1 : 4);
  const start = s.inputOffset[ll] ?? 0;
  return memoriesOf(s.processorMap[ll]).map((instance) => ({ instance, start, end: start + size }));
}

/** The bytes a layer's output occupies, from the data-memory walk (null when the walk did not reach it). */
export function layerWrites(result: CheckResult, ll: number): ByteRange[] | null {
  const trace = dataMemoryTraceOf(result);
  const w = trace?.layers.find((l) => l.layer === ll);
  return w && trace ? wordsToRanges(result.device, trace.quadrantWords, w.words) : null;
}

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');

/** "memories 0–3: 0x4000–0x40ff" — instances with identical ranges are listed together. */
export function byteRangesText(ranges: readonly ByteRange[], limit = 4): string {
  const perInstance = new Map<number, ByteRange[]>();
  for (const r of ranges) {
    const list = perInstance.get(r.instance);
    if (list) list.push(r);
    else perInstance.set(r.instance, [r]);
  }
  const groups = new Map<string, number[]>();
  for (const [instance, rs] of [...perInstance.entries()].sort((a, b) => a[0] - b[0])) {
    const shown = rs.slice(0, limit).map((r) => `${hex(r.start)}–${hex(r.end - 1)}`);
    if (rs.length > limit) shown.push(`… ${rs.length - limit} more`);
    const key = shown.join(', ');
    groups.set(key, [...(groups.get(key) ?? []), instance]);
  }
  return [...groups.entries()].map(([text, inst]) => `memor${inst.length === 1 ? 'y' : 'ies'} ${rangesText(inst)}: ${text}`).join('; ');
}

export function totalBytes(ranges: readonly ByteRange[]): number {
  return ranges.reduce((a, r) => a + r.end - r.start, 0);
}
