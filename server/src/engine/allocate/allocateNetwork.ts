// Allocation of a whole network: from its structure (the layers with their operations, and the checkpoint and
// sample input behind them) to `processors`, `output_processors`, `in_offset` and `out_offset` for every layer,
// written into the YAML with minimal edits and proven by the full check of the result.
import type { CheckResult } from '../check';
import { allocateKernels } from '../analysis/kernelAllocation';
import { kernelAllocationInput } from '../analysis/memoryAllocation';
import { contiguousMask, maskHex, processorsOf } from '../model/processorMask';
import type { LayerSpec } from '../model/network';
import { codesConcerning } from '../rules';
import { applyEdits, TextEditSpec } from '../textEdits';
import { readDataFlow, DataFlow } from './dataFlow';
import { setLayerKey } from './layerKeyEdits';
import { OffsetPlan, planOffsets } from './offsetPlan';
import { AvoidMemories, planProcessors, PlanFailure, ProcessorPins, ProcessorPlan } from './processorPlan';

/** Runs the full check (with the network's checkpoint, sample input and izer flags) on a version of the text. */
export type Recheck = (text: string) => CheckResult;

export interface AllocateOptions {
  /** Leave the values of layers that are already valid. */
  keep?: boolean;
}

export interface LayerAllocation {
  ll: number;
  yamlIndex: number;
  name: string | null;
  processors: bigint;
  /** Set only where the default (the next layer's processors; packed from 0 for the last) is not what is needed. */
  outputProcessors: bigint | null;
  inOffset: number | null;
  outOffset: number;
  reason: string;
}

export type AllocationOutcome =
  | { ok: true; text: string; layers: LayerAllocation[]; result: CheckResult; changed: boolean }
  | { ok: false; layer: number | null; message: string; remaining?: string[] };

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');

export function allocateNetwork(text: string, recheck: Recheck, options: AllocateOptions = {}): AllocationOutcome {
  const original = recheck(text);
  if (!original.model.isNetwork || original.model.layers.length === 0)
    return { ok: false, layer: null, message: 'the file is not a network description with layers' };
  if (options.keep && isClean(original)) return { ok: true, text, layers: describeCurrent(original), result: original, changed: false };

  // The analysis needs some processors on every layer to run; any will do for reading the structure.
  const scaffold = applyEdits(
    text,
    original.model.layers.flatMap((l) => (l.processors === null ? setLayerKey(text, original.lines, l, 'processors', maskHex(1n)) : [])),
  );
  const structure = scaffold === text ? original : recheck(scaffold);
  const s = structure.analysis?.state;
  const problem = structureProblem(structure);
  if (problem) return { ok: false, layer: null, message: problem };
  const flow = readDataFlow(structure)!;
  if (flow.problems.length) return { ok: false, layer: flow.problems[0].layer, message: `layer ${flow.problems[0].layer} ${flow.problems[0].message}` };

  const kernLen = kernelLengths(structure, flow);
  // When an output finds no room in data memory, plan the processors again with that output kept clear of the
  // memories that were full at that time.
  const avoid: AvoidMemories = new Map();
  let procs: ProcessorPlan | PlanFailure;
  let offsets: OffsetPlan | PlanFailure;
  const pins = options.keep ? keptValues(original) : null;
  for (let attempt = 0; ; attempt++) {
    procs = planProcessors(flow, s!, structure.device, structure.flags, kernLen, avoid, pins?.procs);
    if (isFailure(procs)) return { ok: false, layer: procs.layer, message: procs.message };
    offsets = planOffsets(flow, s!, structure.device, structure.flags, procs, structure.analysis?.streaming ?? [], pins?.offsets);
    if (!isFailure(offsets)) break;
    const hint = offsets.avoid;
    const known = hint ? avoid.get(hint.layer) : undefined;
    if (!hint || attempt >= 8 || (known && hint.memories.every((m) => known.has(m)))) return { ok: false, layer: offsets.layer, message: offsets.message };
    avoid.set(hint.layer, new Set([...(known ?? []), ...hint.memories]));
  }

  const layers: LayerAllocation[] = [];
  const byLl = new Map(flow.layers.map((l) => [l.ll, l]));
  for (const l of original.model.layers) {
    const f = byLl.get(l.ll);
    if (!f) {
      // Not executed (before --start-layer or after the final layer): izer only needs its values to be present.
      if (l.processors === null || l.outOffset === null) layers.push(notExecuted(l, s!));
      continue;
    }
    const inProcs = procs.inProcs.get(l.ll)!;
    const outProcs = procs.outProcs.get(l.ll)!;
    const outMask = maskOf(outProcs);
    const next = s!.nextSequence[l.ll];
    const defaultOut = next >= 0 && next < s!.layers ? maskOf(procs.inProcs.get(next) ?? []) : finalDefault(s!.outputChannels[l.ll]);
    const prev = s!.prevSequence[l.ll];
    const inOffset = offsets.inOffset.get(l.ll)!;
    const defaultIn = prev >= 0 ? offsets.outOffset.get(prev) : (structure.flags.inputOffset ?? 0);
    layers.push({
      ll: l.ll,
      yamlIndex: l.yamlIndex,
      name: l.name,
      processors: maskOf(inProcs),
      outputProcessors: outMask === defaultOut ? null : outMask,
      inOffset: inOffset === defaultIn ? null : inOffset,
      outOffset: offsets.outOffset.get(l.ll)!,
      reason: `${procs.reasons.get(l.ll)}; ${offsets.reasons.get(l.ll)}`,
    });
  }

  const edits = allocationEdits(text, original, layers);
  const allocated = applyEdits(text, edits);
  const result = recheck(allocated);
  // Kept values that do not fit the rest: allocate everything afresh instead.
  if (!isClean(result) && options.keep) return allocateNetwork(text, recheck, { ...options, keep: false });
  if (!isClean(result)) {
    const remaining = blocking(result).map((d) => `${d.code}${d.layer !== null ? ` (layer ${d.layer})` : ''}: ${d.message}`);
    return { ok: false, layer: blocking(result)[0]?.layer ?? null, message: `the allocation does not pass the check: ${remaining[0]}`, remaining };
  }
  return { ok: true, text: allocated, layers, result, changed: allocated !== text };
}

function isFailure(x: object): x is PlanFailure {
  return 'message' in x && !('inProcs' in x) && !('outOffset' in x);
}

/** Errors, and the overwrites of data still needed that izer does not catch (AX305). */
function blocking(r: CheckResult) {
  return r.diagnostics.filter((d) => d.severity === 'error' || d.code === 'AX305');
}

function isClean(r: CheckResult): boolean {
  return blocking(r).length === 0 && r.analysis?.plan !== null && r.analysis?.plan !== undefined;
}

function structureProblem(r: CheckResult): string | null {
  const s = r.analysis?.state;
  if (!s || !s.channelsKnown) return "the allocation needs the network's weights (a checkpoint, or a test network's sample weights) for the channel counts";
  if (!s.dimsKnown) return 'the allocation needs the sample input (for the data sizes)';
  const fatal = r.diagnostics.find((d) => d.severity === 'error' && !ALLOCATION_CODES.has(d.code));
  if (fatal) return `fix this first: ${fatal.code}${fatal.layer !== null ? ` (layer ${fatal.layer})` : ''} ${fatal.message}`;
  return null;
}

/** Findings an allocation can fix: processor counts and maps, memory offsets and sizes, kernel and bias memory. */
const ALLOCATION_CODES = codesConcerning('allocation');

/** Kernel columns per processor of every layer, from izer's allocation of that layer alone. */
function kernelLengths(r: CheckResult, flow: DataFlow): number[] {
  const s = r.analysis!.state;
  const base = kernelAllocationInput(s, r.device, r.flags, s.hwWeights);
  const inMap = s.processorMap.map((_, ll) => contiguousMask(0, Math.max(1, s.inExpandThresh[ll])));
  const outMap = s.processorMap.map((_, ll) => contiguousMask(0, Math.max(1, s.outExpandThresh[ll])));
  const out = new Array<number>(s.layers).fill(0);
  for (const l of flow.layers) {
    if (!l.weighted) continue;
    const alone = allocateKernels({
      ...base,
      weightStart: 0,
      processorMap: inMap,
      outputProcessorMap: outMap,
      kernels: base.kernels.map((k, i) => (i === l.ll ? k : null)),
    });
    out[l.ll] = alone.kernLen[l.ll];
  }
  return out;
}

function maskOf(procs: readonly number[]): bigint {
  let m = 0n;
  for (const p of procs) m |= 1n << BigInt(p);
  return m;
}

/** izer's output map of the final layer when none is given: packed from processor 0. */
function finalDefault(outCh: number): bigint {
  const expand = Math.ceil(outCh / 64);
  let chunk = Math.ceil(outCh / expand);
  if (outCh > 64) chunk = Math.min((chunk + 3) & ~3, 64);
  return (1n << BigInt(chunk)) - 1n;
}

function allocationEdits(text: string, r: CheckResult, layers: LayerAllocation[]): TextEditSpec[] {
  const edits: TextEditSpec[] = [];
  const byYaml = new Map(r.model.layers.map((l) => [l.yamlIndex, l]));
  for (const a of layers) {
    const l: LayerSpec | undefined = byYaml.get(a.yamlIndex);
    if (!l) continue;
    const removed = new Set<string>();
    if (a.outputProcessors === null) removed.add('output_processors');
    if (a.inOffset === null) removed.add('in_offset');
    // A value that is already right stays as written (its spelling too).
    const same = (key: string, now: bigint | number | null, want: bigint | number | null) => l.entries.has(key) && now !== null && now === want;
    if (!same('processors', l.processors, a.processors)) edits.push(...setLayerKey(text, r.lines, l, 'processors', maskHex(a.processors), removed));
    if (!same('output_processors', l.outputProcessors, a.outputProcessors))
      edits.push(...setLayerKey(text, r.lines, l, 'output_processors', a.outputProcessors === null ? null : maskHex(a.outputProcessors), removed));
    if (!same('in_offset', l.inOffset, a.inOffset))
      edits.push(...setLayerKey(text, r.lines, l, 'in_offset', a.inOffset === null ? null : hex(a.inOffset), removed));
    if (!same('out_offset', l.outOffset, a.outOffset)) edits.push(...setLayerKey(text, r.lines, l, 'out_offset', hex(a.outOffset), removed));
  }
  return mergeInsertions(edits);
}

/** Several keys added to one layer insert at the same place: join them into one edit, in order. */
function mergeInsertions(edits: TextEditSpec[]): TextEditSpec[] {
  const out: TextEditSpec[] = [];
  for (const e of edits) {
    const prev = out.find((o) => o.range[0] === o.range[1] && e.range[0] === e.range[1] && o.range[0] === e.range[0]);
    if (prev) prev.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

function notExecuted(l: LayerSpec, s: NonNullable<CheckResult['analysis']>['state']): LayerAllocation {
  return {
    ll: l.ll,
    yamlIndex: l.yamlIndex,
    name: l.name,
    processors: l.processors ?? contiguousMask(0, Math.max(1, s.inExpandThresh[l.ll] || 1)),
    outputProcessors: l.outputProcessors,
    inOffset: l.inOffset,
    outOffset: l.outOffset ?? 0,
    reason: 'not executed with these izer flags; only given the values izer requires',
  };
}

/**
 * The values a layer already has and that the check finds nothing wrong with (no finding an allocation would fix
 * on that layer): its processors, output processors and output offset are kept.
 */
function keptValues(r: CheckResult): { procs: ProcessorPins; offsets: Map<number, number> } {
  const s = r.analysis?.state;
  const procs: ProcessorPins = { inProcs: new Map(), outProcs: new Map() };
  const offsets = new Map<number, number>();
  if (!s) return { procs, offsets };
  const troubled = new Set(r.diagnostics.filter((d) => ALLOCATION_CODES.has(d.code) && d.layer !== null).map((d) => d.layer));
  for (const l of r.model.layers) {
    if (troubled.has(l.yamlIndex) || l.processors === null) continue;
    procs.inProcs.set(l.ll, processorsOf(l.processors));
    const out = s.outputProcessorMap[l.ll];
    if (out) procs.outProcs.set(l.ll, processorsOf(out));
    if (l.outOffset !== null) offsets.set(l.ll, l.outOffset);
  }
  return { procs, offsets };
}

/** The current values, for a network that needs no change. */
function describeCurrent(r: CheckResult): LayerAllocation[] {
  const s = r.analysis!.state;
  return r.model.layers.map((l) => ({
    ll: l.ll,
    yamlIndex: l.yamlIndex,
    name: l.name,
    processors: s.processorMap[l.ll],
    outputProcessors: l.outputProcessors,
    inOffset: l.inOffset,
    outOffset: s.outputOffset[l.ll],
    reason: 'already valid (kept)',
  }));
}
