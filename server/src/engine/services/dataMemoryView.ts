// The data-memory map: for each data-memory instance (one per group of 4 processors), the byte ranges the input
// loader and every layer write and read, in execution order; overflows; and the overwrites that destroy data a
// later layer still needs — the ones izer checks (rule #280) and the ones it does not (AX305, older outputs
// read through `in_sequences`). Writes come from the analysis's data-memory walk (izer's own address walk).
import type { CheckResult } from '../check';
import { layerLabel, LayerSpec } from '../model/network';
import { memoriesOf, rangesText } from '../model/processorMask';
import { codesConcerning, type Code } from '../rules';
import { ByteRange, dataMemoryTraceOf, layerReads, wordsToRanges } from './layerMemory';
import { outputBytes } from './offsetFixes';

export interface DataMemoryProblem {
  code: Code;
  severity: 'error' | 'warning' | 'information';
  message: string;
}

export interface DataMemoryStep {
  index: number;
  kind: 'input' | 'layer';
  ll: number | null;
  label: string;
  yamlIndex: number | null;
  line: number;
  character: number;
  writes: ByteRange[];
  /** True when `writes` were merged across small gaps (interleaved output, `write_gap`) to stay readable. */
  writesMerged: boolean;
  writtenBytes: number;
  reads: ByteRange[];
  /** Steps whose output this step reads. */
  readsFrom: number[];
  streaming: boolean;
  /** `in_offset` and `out_offset` as written in the YAML (e.g. "0x4000"), or null when the layer leaves them out. */
  inOffsetText: string | null;
  outOffsetText: string | null;
  /** Bytes that fall past the end of the data memory. */
  overflowBytes: number;
  problems: DataMemoryProblem[];
}

export interface DataMemoryConflict {
  /** The step whose output overwrites... */
  writer: number;
  /** ...the output of this step... */
  producer: number;
  /** ...which this later step still reads. */
  reader: number;
  ranges: ByteRange[];
  bytes: number;
  /** izer checks this overwrite (rule #280); otherwise only we do (AX305). */
  checkedByIzer: boolean;
  code: 'IZ280' | 'AX305';
  /** izer's --overlap-data is on: izer accepts the overwrite. */
  allowedByFlag: boolean;
}

export interface DataMemoryModel {
  kind: 'dataMemory';
  device: string;
  /** Bytes of each data-memory instance. */
  instanceBytes: number;
  instances: { index: number; processors: string; used: boolean }[];
  steps: DataMemoryStep[];
  conflicts: DataMemoryConflict[];
  overlapData: boolean;
  /** The walk stopped early (izer stops at the first layer it cannot place). */
  incomplete: string | null;
}

export type DataMemoryAnswer = { model: DataMemoryModel } | { unavailable: string };

const MEMORY_CODES = codesConcerning('dataMemory');
const MAX_RANGES_PER_INSTANCE = 48;

export function dataMemoryModel(result: CheckResult): DataMemoryAnswer {
  const s = result.analysis?.state;
  const trace = dataMemoryTraceOf(result);
  if (!s || !trace) return { unavailable: whyNoTrace(result) };
  const dev = result.device;
  const qw = trace.quadrantWords;
  const total = dev.quadrants * qw;
  const steps: DataMemoryStep[] = [];
  const wordsOf: Int32Array[] = [];
  const stepOfLayer = new Map<number, number>();
  const position = (yamlIndex: number | null) => {
    const spec = yamlIndex === null ? null : result.model.layers.find((l) => l.yamlIndex === yamlIndex);
    const first = spec?.node.entries[0];
    return result.lines.position(first ? first.key.range[0] : (spec?.node.range[0] ?? 0));
  };
  const problemsOf = (yamlIndex: number | null) =>
    result.diagnostics
      .filter((d) => d.layer === yamlIndex && yamlIndex !== null && MEMORY_CODES.has(d.code))
      .map((d) => ({ code: d.code, severity: d.severity, message: d.message }));
  const addStep = (kind: 'input' | 'layer', ll: number | null, words: Int32Array) => {
    const spec = ll === null ? null : result.model.layers[ll];
    const yamlIndex = spec ? spec.yamlIndex : null;
    const pos = position(kind === 'input' ? (result.model.layers[s.startLayer]?.yamlIndex ?? null) : yamlIndex);
    const exact = wordsToRanges(dev, qw, words);
    const { ranges, merged } = limitRanges(exact);
    let overflow = 0;
    for (let i = 0; i < words.length; i++) if (words[i] < 0 || words[i] >= total) overflow += 4;
    for (const r of exact) if (r.end > dev.dataMemoryBytes) overflow += r.end - Math.max(r.start, dev.dataMemoryBytes);
    // izer's size rule (#189): past the end of a memory the addresses run on into the next one.
    if (ll !== null) {
      const size = outputBytes(result, ll);
      const past = size === null ? 0 : s.outputOffset[ll] + size - dev.dataMemoryBytes;
      if (past > 0) overflow = Math.max(overflow, past * memoriesOf(s.outputProcessorMap[ll] ?? 0n).length);
    }
    steps.push({
      index: steps.length,
      kind,
      ll,
      label: kind === 'input' ? 'input loader' : layerLabel(spec!),
      yamlIndex,
      line: pos.line,
      character: pos.character,
      writes: ranges,
      writesMerged: merged,
      writtenBytes: exact.reduce((a, r) => a + r.end - r.start, 0),
      reads: kind === 'layer' && ll !== null ? (layerReads(result, ll) ?? []) : [],
      readsFrom: [],
      streaming: ll !== null && s.streaming[ll],
      inOffsetText: valueText(spec, 'in_offset'),
      outOffsetText: valueText(spec, 'out_offset'),
      overflowBytes: overflow,
      problems: kind === 'layer' ? problemsOf(yamlIndex) : [],
    });
    wordsOf.push(words);
    if (ll !== null) stepOfLayer.set(ll, steps.length - 1);
  };
  const inputStep = trace.input.length > 0 ? 0 : -1;
  if (trace.input.length > 0) addStep('input', null, trace.input);
  for (const l of trace.layers) addStep('layer', l.layer, l.words);

  for (const st of steps) {
    if (st.ll === null) continue;
    const ins = s.inSequences[st.ll];
    const sources = ins ?? [s.prevSequence[st.ll]];
    st.readsFrom = sources.map((k) => (k === -1 ? inputStep : k >= 0 ? (stepOfLayer.get(k) ?? -1) : -1)).filter((i) => i >= 0 && i < st.index);
  }

  const conflicts = findConflicts(result, steps, wordsOf, total);
  const usedInstances = new Set<number>();
  for (const st of steps) for (const r of [...st.writes, ...st.reads]) usedInstances.add(r.instance);
  const lastLayer = trace.layers[trace.layers.length - 1]?.layer;
  const stoppedEarly = lastLayer !== undefined && lastLayer !== s.finalLayer && lastLayer !== s.terminatingLayer && s.simulatedSequence[lastLayer] !== -1;
  return {
    model: {
      kind: 'dataMemory',
      device: dev.name,
      instanceBytes: dev.dataMemoryBytes,
      instances: Array.from({ length: dev.quadrants * 4 }, (_, i) => ({
        index: i,
        processors: rangesText([4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]),
        used: usedInstances.has(i),
      })),
      steps,
      conflicts,
      overlapData: result.flags.overlapData,
      incomplete:
        trace.layers.length === 0
          ? 'izer stops before the first layer runs (see the Problems view).'
          : stoppedEarly
            ? `izer's walk stops after ${layerLabel(result.model.layers[lastLayer])} (see the Problems view).`
            : null,
    },
  };
}

function valueText(spec: LayerSpec | null, key: string): string | null {
  const v = spec?.entries.get(key)?.value;
  return v && v.type === 'scalar' ? v.text : null;
}

function whyNoTrace(result: CheckResult): string {
  if (!result.model.isNetwork || result.model.layers.length === 0) return 'This file has no layers to map.';
  const s = result.analysis?.state;
  if (!result.analysis?.checkpoint)
    return "The data-memory map needs the network's checkpoint (for the channel counts) and its sample input (for the sizes). Choose a checkpoint (ai8x: Choose Checkpoint for This Network) or add a `# ai8x: checkpoint=…` comment.";
  if (s && !s.channelsKnown) return 'The checkpoint does not fit this network; see the Problems view.';
  if (s && !s.inputSize) return "The data-memory map needs the sample input (izer's --sample-input, or `# ai8x: sample-input=…`) to know the data sizes.";
  return 'izer stops before it places any data (see the Problems view).';
}

/** Overwrites of data that a later step still reads: for every producer, every write before its last reader. */
function findConflicts(result: CheckResult, steps: DataMemoryStep[], wordsOf: Int32Array[], total: number): DataMemoryConflict[] {
  const s = result.analysis!.state;
  const dev = result.device;
  const qw = Math.floor(total / dev.quadrants);
  const lastReader = new Map<number, number>();
  for (const st of steps) for (const p of st.readsFrom) lastReader.set(p, Math.max(lastReader.get(p) ?? -1, st.index));
  const stamp = new Int32Array(total);
  const out: DataMemoryConflict[] = [];
  let serial = 0;
  for (const producer of steps) {
    const pll = producer.ll;
    const keptToEnd = pll !== null && s.outputLayer[pll];
    const until = keptToEnd ? steps.length - 1 : (lastReader.get(producer.index) ?? -1);
    if (until <= producer.index || producer.streaming) continue;
    serial++;
    for (const w of wordsOf[producer.index]) if (w >= 0 && w < total) stamp[w] = serial;
    for (let i = producer.index + 1; i <= until; i++) {
      const writer = steps[i];
      if (writer.streaming) continue;
      const hit: number[] = [];
      for (const w of wordsOf[i]) if (w >= 0 && w < total && stamp[w] === serial) hit.push(w);
      if (!hit.length) continue;
      // izer protects the previous step's output and the outputs of `output` layers (unload.verify's in_map).
      const checkedByIzer = producer.index === i - 1 || keptToEnd;
      const reader = steps.find((x) => x.index >= i && x.readsFrom.includes(producer.index))?.index ?? until;
      const ranges = wordsToRanges(dev, qw, Int32Array.from(hit));
      out.push({
        writer: i,
        producer: producer.index,
        reader,
        ranges: limitRanges(ranges).ranges,
        bytes: hit.length * 4,
        checkedByIzer,
        code: checkedByIzer ? 'IZ280' : 'AX305',
        allowedByFlag: result.flags.overlapData,
      });
      // Later writes over the same words are reported once, at the first writer.
      for (const w of hit) stamp[w] = 0;
    }
  }
  return out;
}

/** Keeps the ranges of each instance readable: merges across the smallest gaps until few enough remain. */
function limitRanges(ranges: ByteRange[]): { ranges: ByteRange[]; merged: boolean } {
  const byInstance = new Map<number, ByteRange[]>();
  for (const r of ranges) {
    const list = byInstance.get(r.instance);
    if (list) list.push(r);
    else byInstance.set(r.instance, [r]);
  }
  let merged = false;
  const out: ByteRange[] = [];
  for (const [, rs] of byInstance) {
    let cur = rs.map((r) => ({ ...r }));
    let gap = 4;
    while (cur.length > MAX_RANGES_PER_INSTANCE) {
      merged = true;
      const next: ByteRange[] = [];
      for (const r of cur) {
        const last = next[next.length - 1];
        if (last && r.start - last.end <= gap) last.end = Math.max(last.end, r.end);
        else next.push({ ...r });
      }
      cur = next;
      gap *= 2;
    }
    out.push(...cur);
  }
  return { ranges: out, merged };
}
