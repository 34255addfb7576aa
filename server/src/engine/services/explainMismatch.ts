// Explains a failed known-answer test from the board. The firmware izer generates compares the accelerator's output
// with sampleoutput.h and prints `Data mismatch (i/n) at address 0x…: Expected 0x…, read 0x….` for the first word
// that differs (izer's apbaccess.verify). We know where every checked layer's output lives and what it should be
// (the simulation and izer's known-answer layout), so each such line becomes: which layer, which channels and
// pixel, which bytes differ, and what is worth checking — the firmware's known answer against this YAML's,
// a later write to the same memory, the inputs the firmware was made from.
import type { CheckResult } from '../check';
import { memoryPlaceText, wordIndex, wordLocation } from '../analysis/dataMemory';
import type { NetworkPlan } from '../analysis/networkPlan';
import { layerLabel } from '../model/network';
import { dataMemoryLayout, hex32, locateKnownAnswerWord, outputLayout } from '../simulate/knownAnswer';
import type { SimulationResult } from '../simulate';
import { dataMemoryTraceOf } from './layerMemory';

/** One `Data mismatch` line of the board's serial output. */
export interface BoardMismatch {
  /** 1-based line in the log. */
  line: number;
  /** The word's place in its known-answer block (1-based) and the block's length. */
  index: number;
  count: number;
  address: number;
  expected: number;
  read: number;
}

export interface BoardLog {
  mismatches: BoardMismatch[];
  /** The log says the test passed (`*** PASS ***`). */
  passed: boolean;
}

const MISMATCH = /Data mismatch \((\d+)\/(\d+)\) at address (0x[0-9a-fA-F]+): Expected (0x[0-9a-fA-F]+), read (0x[0-9a-fA-F]+)/;

/** Picks the mismatch lines out of serial output (any line endings, terminal noise around them). */
export function parseBoardLog(text: string): BoardLog {
  const mismatches: BoardMismatch[] = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    const m = MISMATCH.exec(l);
    if (!m) return;
    mismatches.push({
      line: i + 1,
      index: Number(m[1]),
      count: Number(m[2]),
      address: parseInt(m[3], 16),
      expected: parseInt(m[4], 16),
      read: parseInt(m[5], 16),
    });
  });
  return { mismatches, passed: /\*\*\* PASS \*\*\*/.test(text) };
}

/** A byte lane (8-bit output) or the word (32-bit output) that differs. */
export interface DifferingValue {
  channel: number;
  /** Byte lane 0–3 (8-bit) or null (a 32-bit word). */
  lane: number | null;
  expected: number;
  read: number;
}

export interface MismatchExplanation {
  line: number;
  address: string;
  expected: string;
  read: string;
  /** 0-based index in the YAML `layers` list of the layer whose output is at the address; null when none is. */
  layer: number | null;
  /** izer's layer number and name, for the editor. */
  ll: number | null;
  name: string | null;
  /** "data memory 3 (processors 12–15) at offset 0x0010", or null for an address outside data memory. */
  memory: string | null;
  /** The channels whose values differ (all channels of the word when the difference is masked away). */
  channels: number[];
  position: { row: number; column: number } | null;
  differences: DifferingValue[];
  /** What this YAML, checkpoint and sample put at the address (masked), or null when it is not checked. */
  knownAnswer: string | null;
  message: string;
  /** What is worth checking, most likely first. */
  causes: string[];
}

interface Context {
  result: CheckResult;
  plan: NetworkPlan;
  sim: SimulationResult;
}

const signed8 = (b: number) => (b >= 128 ? b - 256 : b);

/** Where an address is in data memory (instance and byte offset), or null outside it. */
function memoryPlace(result: CheckResult, address: number): { instance: number; byte: number; word: number } | null {
  const dev = result.device;
  const mem = dataMemoryLayout(dev);
  const rel = address - mem.base;
  if (rel < 0 || rel >= dev.quadrants * dev.quadrantStride) return null;
  const instanceBytes = 16 * dev.instanceSize;
  const inQuadrant = rel % dev.quadrantStride;
  if (inQuadrant >= 4 * instanceBytes || rel % 4 !== 0) return null;
  const word = wordIndex(dev, rel);
  const loc = wordLocation(dev, dev.memSize * 4, word);
  return { ...loc, word };
}

export function explainMismatches(mismatches: readonly BoardMismatch[], ctx: Context): MismatchExplanation[] {
  return mismatches.map((m) => explainOne(m, ctx));
}

function explainOne(m: BoardMismatch, { result, plan, sim }: Context): MismatchExplanation {
  const dev = result.device;
  const mem = dataMemoryLayout(dev);
  const place = memoryPlace(result, m.address);
  const memory = place ? memoryPlaceText(place.instance, place.byte) : null;
  const base: MismatchExplanation = {
    line: m.line,
    address: hex32(m.address),
    expected: hex32(m.expected),
    read: hex32(m.read),
    layer: null,
    ll: null,
    name: null,
    memory,
    channels: [],
    position: null,
    differences: [],
    knownAnswer: null,
    message: '',
    causes: [],
  };
  // Our known answer at this address.
  let ours: { mask: number; value: number } | null = null;
  let block: { start: number; count: number } | null = null;
  for (const r of sim.knownAnswer) {
    const start = parseInt(r.address, 16);
    const i = (m.address - start) / 4;
    if (Number.isInteger(i) && i >= 0 && i < r.words.length) {
      ours = { mask: parseInt(r.mask, 16), value: parseInt(r.words[i], 16) };
      block = { start, count: r.words.length };
      break;
    }
  }
  // The checked layer whose output word this is.
  let found: { ll: number; place: NonNullable<ReturnType<typeof locateKnownAnswerWord>> } | null = null;
  for (const l of sim.layers) {
    if (!l.checked) continue;
    const layout = outputLayout(plan.layers[l.index], l.shape);
    const p = locateKnownAnswerWord(layout, m.address, mem, l.index);
    if (p) {
      found = { ll: l.index, place: p };
      break;
    }
  }
  if (!found || !ours) {
    const writers = place ? writersOf(result, place.word) : [];
    const where = memory ? `${memory}` : `outside the ${dev.name}'s data memory`;
    return {
      ...base,
      message:
        `${hex32(m.address)} (${where}) is not an address the known answer of this network checks` +
        (writers.length ? `; ${writers.map((w) => layerLabel(result.model.layers[w])).join(' and ')} write${writers.length === 1 ? 's' : ''} there` : '') +
        '. The firmware was made from another network, device or izer flags.',
      causes: [
        `Synthesize the project again from this YAML and checkpoint for ${dev.name} (the firmware's sampleoutput.h is not this network's).`,
        'Check that the board runs the firmware built from this project (make clean, then make and flash again).',
      ],
    };
  }
  const spec = result.model.layers[found.ll];
  const label = spec ? layerLabel(spec) : `layer ${found.ll}`;
  const p = found.place;
  const differences: DifferingValue[] = [];
  const allChannels = p.lanes.filter((c) => c >= 0);
  if (p.width === 8) {
    for (let lane = 0; lane < 4; lane++) {
      const ch = p.lanes[lane];
      if (ch < 0) continue;
      const e = (m.expected >>> (8 * lane)) & 0xff;
      const r = (m.read >>> (8 * lane)) & 0xff;
      if (e !== r) differences.push({ channel: ch, lane, expected: signed8(e), read: signed8(r) });
    }
  } else if (m.expected !== m.read) {
    differences.push({ channel: p.lanes[0], lane: null, expected: m.expected | 0, read: m.read | 0 });
  }
  const channels = differences.length ? differences.map((d) => d.channel) : allChannels;
  const at = `row ${p.row}, column ${p.column}`;
  const what = differences.length
    ? differences
        .map((d) =>
          d.lane === null
            ? `channel ${d.channel} (32-bit) is ${d.read} instead of ${d.expected}`
            : `channel ${d.channel} (byte ${d.lane}) is ${d.read} instead of ${d.expected} (bits ${hex2(((d.read ^ d.expected) & 0xff) >>> 0)} differ)`,
        )
        .join('; ')
    : 'the words differ only in bits the check masks away';
  const causes: string[] = [];
  const oursMasked = (ours.value & ours.mask) >>> 0;
  const expectedMatches = oursMasked === (m.expected & ours.mask) >>> 0;
  if (!expectedMatches)
    causes.push(
      `The firmware expects ${hex32(m.expected)} here, but this YAML, checkpoint and sample give ${hex32(oursMasked)}: the project was generated from other inputs (a changed YAML or checkpoint, another --sample-input) — synthesize it again from these.`,
    );
  else if (block && (block.start !== m.address - 4 * (m.index - 1) || block.count !== m.count))
    causes.push(
      `The firmware's known-answer block (${m.count} words from ${hex32(m.address - 4 * (m.index - 1))}) is not this network's (${block.count} words from ${hex32(block.start)}): the project was generated with other izer flags or another version of the YAML.`,
    );
  const later = place ? laterWriters(result, place.word, found.ll) : [];
  if (later.length)
    causes.push(
      `${later.map((w) => layerLabel(result.model.layers[w])).join(' and ')} ${later.length === 1 ? 'writes' : 'write'} the same word (${memory}) after ${label}: its output is overwritten before the check (see AX305/IZ280 in the Problems view; move an out_offset).`,
    );
  if (expectedMatches) {
    causes.push(
      `The firmware's known answer agrees with this YAML, checkpoint and sample, so the accelerator wrote something else: check that the board runs the firmware of this project (make clean, build and flash again), then find the first layer that differs — synthesize with izer's --stop-after N for a layer N before ${label} and run that firmware, halving until the mismatch appears.`,
    );
    causes.push(
      'If the sample input was replaced after synthesis, sampleinput.h and sampleoutput.h no longer match the data the firmware loads: synthesize again.',
    );
  }
  const word = p.width === 8 ? `${allChannels.length} channel${allChannels.length === 1 ? '' : 's'} ${allChannels.join(', ')}` : `channel ${p.lanes[0]}`;
  return {
    ...base,
    layer: spec ? spec.yamlIndex : null,
    ll: found.ll,
    name: spec?.name ?? null,
    channels,
    position: { row: p.row, column: p.column },
    differences,
    knownAnswer: hex32(oursMasked),
    message: `${cap(label)} output at ${at}, ${word} (${memory ?? hex32(m.address)}): ${what}.`,
    causes,
  };
}

/** The layers that write a data-memory word, in execution order (from izer's data-memory walk). */
function writersOf(result: CheckResult, word: number): number[] {
  const trace = dataMemoryTraceOf(result);
  if (!trace) return [];
  return trace.layers.filter((l) => l.words.includes(word)).map((l) => l.layer);
}

/** The layers that write the word after `ll` has (execution order). */
function laterWriters(result: CheckResult, word: number, ll: number): number[] {
  const trace = dataMemoryTraceOf(result);
  if (!trace) return [];
  const at = trace.layers.findIndex((l) => l.layer === ll);
  if (at < 0) return [];
  return trace.layers
    .slice(at + 1)
    .filter((l) => l.words.includes(word))
    .map((l) => l.layer);
}

const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The explanation as text (the CLI's and the editor's output channel). */
export function explanationText(e: MismatchExplanation): string {
  const head = `line ${e.line}: ${e.address} expected ${e.expected}, read ${e.read}`;
  return [`${head}\n  ${e.message}`, ...e.causes.map((c) => `  - ${c}`)].join('\n');
}
