// The known-answer test izer writes to sampleoutput.h (izer-compute §4): every checked layer's output placed at
// the data-memory addresses the accelerator writes it to, as (mask, address, word) checks, sorted, merged into
// blocks of consecutive addresses and printed as `#define SAMPLE_OUTPUT { … }`.
import type { LayerPlan } from '../analysis/networkPlan';
import type { Device } from '../device/devices';
import { SimulationError, SIM } from './simulationError';
import { Tensor3, tensor3 } from './tensor';

/** One block of sampleoutput.h, hex as izer prints it (lower case, 8 digits): `addr, mask, count, words…`. */
export interface KnownAnswerRecord {
  address: string;
  mask: string;
  words: string[];
}

/** Where and how one layer's output sits in data memory. */
export interface OutputLayout {
  c: number;
  h: number;
  w: number;
  /** The layer's output processor map. */
  processorMap: bigint;
  /** out_offset in bytes. */
  outOffset: number;
  writeGap: number;
  width: 8 | 32;
  /** out_expand = ceil(C/64). */
  outExpand: number;
  /** out_expand_thresh: channels per pass. */
  outExpandThresh: number;
}

/** One verify entry before packing; all three are uint32. */
export interface KnownAnswerEntry {
  mask: number;
  address: number;
  value: number;
}

/** Device constants the addresses depend on. */
export interface DataMemoryLayout {
  /** APB base + C_SRAM_BASE: 0x5040_0000 (MAX78000), 0x5180_0000 (MAX78002). */
  base: number;
  /** INSTANCE_SIZE in 32-bit words: stride between the 16 memories of a quadrant. */
  instanceWords: number;
  /** C_GROUP_OFFS in bytes: stride between quadrants. */
  quadrantBytes: number;
}

export function dataMemoryLayout(device: Device): DataMemoryLayout {
  return { base: device.cnnBase + device.sramOffset, instanceWords: device.instanceSize, quadrantBytes: device.quadrantStride };
}

export function outputLayout(layer: LayerPlan, shape: readonly [number, number, number]): OutputLayout {
  return {
    c: shape[0],
    h: shape[1],
    w: shape[2],
    processorMap: layer.outputProcessors,
    outOffset: layer.outOffset,
    writeGap: layer.writeGap,
    width: layer.outputWidth,
    outExpand: layer.outExpand,
    outExpandThresh: layer.outExpandThresh,
  };
}

const U32 = 2 ** 32;

function toU32(v: number): number {
  const r = v % U32;
  return r < 0 ? r + U32 : r + 0;
}

function lowestSetBit(x: bigint): number {
  if (x === 0n) return -1;
  let i = 0;
  while (((x >> BigInt(i)) & 1n) === 0n) i++;
  return i;
}

/** Byte address of the memory of processor quad Q (Q = a multiple of 4). */
function quadBase(mem: DataMemoryLayout, q: number): number {
  return mem.base + 4 * ((q % 16) * mem.instanceWords + Math.floor(q / 16) * (mem.quadrantBytes / 4));
}

/**
 * izer's per-layer verify walk (unload.verify with apbaccess.verify): for every pixel, the channels are dealt
 * to the processors of the output map four lanes (one memory word) at a time, wrapping to the first processor
 * at each pass (every outExpandThresh channels). 8-bit data gives one masked word per quad; 32-bit data one
 * word per channel, numbered by count rather than by lane (izer quirk).
 */
export function knownAnswerEntries(layout: OutputLayout, values: Float64Array, mem: DataMemoryLayout, layer: number | null = null): KnownAnswerEntry[] {
  const { c: C, h: H, w: W, processorMap, outOffset, writeGap, width, outExpand, outExpandThresh: T } = layout;
  if (values.length !== C * H * W) throw new RangeError(`output of ${values.length} values for a ${C}x${H}x${W} layout`);
  const first = lowestSetBit(processorMap);
  if (first < 0 || T < 1) {
    throw new SimulationError(SIM.outputMap, `Layer ${layer ?? '?'}: the output processor map is empty; the known answer has nowhere to go.`, layer);
  }
  const start = first & ~3;
  const startMap = processorMap >> BigInt(start);
  const ob = width / 8;
  const stride = outExpand * ob;
  const gap = writeGap + 1;
  const plane = H * W;
  const out: KnownAnswerEntry[] = [];
  const lanes = [0, 0, 0, 0];

  for (let d = 0; d < plane; d++) {
    let m = startMap;
    let po = start;
    let c = 0;
    while (c < C) {
      if (c % T === 0) {
        po = start;
        m = startMap;
      }
      const c0 = c;
      const e = Math.floor(c / T);
      const q = po;
      let used = false;
      for (let i = 0; i < 4; i++) {
        lanes[i] = 0;
        if (m & 1n) {
          used = true;
          if (c < C) lanes[i] = values[c * plane + d];
          c++;
        }
        m >>= 1n;
      }
      const address = quadBase(mem, q) + outOffset + 4 * (d * stride + e * ob) * gap;
      if (used) {
        const n = Math.min(c - c0, C - c0);
        if (ob === 1) {
          let word = 0;
          for (let i = 0; i < 4; i++) word += ((((lanes[i] % 256) + 256) % 256) * 2 ** (8 * i));
          const fp = lowestSetBit(processorMap >> BigInt(q)) % 4;
          const mask = n === 4 ? 0xffffffff : (2 ** (8 * n) - 1) * 2 ** (8 * fp);
          out.push({ mask, address, value: (word & mask) >>> 0 });
        } else {
          for (let i = 0; i < Math.min(n, 4); i++) out.push({ mask: 0xffffffff, address: address + 4 * i, value: toU32(lanes[i]) });
        }
      } else if (m === 0n) {
        throw new SimulationError(SIM.outputMap,
          `Layer ${layer ?? '?'}: the output processor map 0x${processorMap.toString(16)} has too few processors for ` +
          `${Math.min(C, T)} channels per pass (izer would not finish writing the known answer).`, layer);
      }
      po += 4;
    }
  }
  return out;
}

/**
 * Sorts the entries of all checked layers by mask, then address (then value), and merges runs of consecutive
 * addresses with the same mask into blocks. --max-verify-length N stops after N + 1 words (izer appends the
 * word that crosses the limit before it stops).
 */
export function packKnownAnswer(entries: KnownAnswerEntry[], maxChecklines: number | null = null): KnownAnswerRecord[] {
  const sorted = [...entries].sort((a, b) => a.mask - b.mask || a.address - b.address || a.value - b.value);
  const records: KnownAnswerRecord[] = [];
  let cur: KnownAnswerRecord | null = null;
  let curMask = -1;
  let next = -1;
  let total = 0;
  for (const e of sorted) {
    if (cur === null || e.mask !== curMask || e.address !== next) {
      cur = { address: hex32(e.address), mask: hex32(e.mask), words: [] };
      records.push(cur);
      curMask = e.mask;
      next = e.address;
    }
    cur.words.push(hex32(e.value));
    next += 4;
    total++;
    if (maxChecklines !== null && total > maxChecklines) break;
  }
  return records;
}

export interface CheckedLayer {
  layout: OutputLayout;
  values: Float64Array;
  layer?: number;
}

export function encodeKnownAnswer(layers: readonly CheckedLayer[], device: Device, maxChecklines: number | null = null): KnownAnswerRecord[] {
  const mem = dataMemoryLayout(device);
  const entries: KnownAnswerEntry[] = [];
  for (const l of layers) for (const e of knownAnswerEntries(l.layout, l.values, mem, l.layer ?? null)) entries.push(e);
  return packKnownAnswer(entries, maxChecklines);
}

export function hex32(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

/** The SAMPLE_OUTPUT array: addr, mask, count, words… per block, then a 0 terminator (none when empty). */
export function knownAnswerWords(records: readonly KnownAnswerRecord[]): number[] {
  const out: number[] = [];
  for (const r of records) {
    out.push(parseInt(r.address, 16), parseInt(r.mask, 16), r.words.length);
    for (const w of r.words) out.push(parseInt(w, 16));
  }
  if (out.length > 0) out.push(0);
  return out;
}

/** sampleoutput.h as izer writes it: 8 items per line, `0x%08x`, continuation backslashes. */
export function knownAnswerHeader(records: readonly KnownAnswerRecord[]): string {
  let s = '// This file was @generated automatically\n\n';
  const items = knownAnswerWords(records);
  if (items.length === 0) return s;
  s += '#define SAMPLE_OUTPUT { \\\n  ';
  for (let i = 0; i < items.length; i++) {
    s += hex32(items[i]);
    if (i + 1 < items.length) {
      s += ', ';
      if ((i + 1) % 8 === 0) s += '\\\n  ';
    }
  }
  return s + ' \\\n}\n';
}

/** Reads the blocks back from a sampleoutput.h text (ours or izer's). Throws on a malformed array. */
export function parseKnownAnswerHeader(text: string): KnownAnswerRecord[] {
  const at = text.indexOf('SAMPLE_OUTPUT');
  if (at < 0) return [];
  const open = text.indexOf('{', at);
  const close = text.indexOf('}', open);
  if (open < 0 || close < 0) throw new Error('SAMPLE_OUTPUT has no { … } array');
  const nums = text.slice(open + 1, close).split(',').map((t) => t.replace(/\\/g, '').trim()).filter((t) => t !== '')
    .map((t) => {
      const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? parseInt(t, 10) : NaN;
      if (Number.isNaN(n)) throw new Error(`SAMPLE_OUTPUT item "${t}" is not a number`);
      return n;
    });
  const records: KnownAnswerRecord[] = [];
  let i = 0;
  while (i < nums.length && nums[i] !== 0) {
    if (i + 2 >= nums.length) throw new Error('SAMPLE_OUTPUT ends inside a block header');
    const count = nums[i + 2];
    if (i + 3 + count > nums.length) throw new Error('SAMPLE_OUTPUT ends inside a block');
    records.push({ address: hex32(nums[i]), mask: hex32(nums[i + 1]), words: nums.slice(i + 3, i + 3 + count).map(hex32) });
    i += 3 + count;
  }
  return records;
}

/**
 * Reads one layer's output back out of known-answer records (izer-compute §4.5). Channel c lives on the
 * (c mod T)-th processor of the map in pass c div T. Values the records do not cover (truncated by
 * --max-verify-length, masked away by a sparse map, or beyond the map) are NaN.
 */
export function decodeKnownAnswer(records: readonly KnownAnswerRecord[], layout: OutputLayout, device: Device): Tensor3 {
  const mem = dataMemoryLayout(device);
  const words = new Map<number, { mask: number; value: number }>();
  for (const r of records) {
    const base = parseInt(r.address, 16);
    const mask = parseInt(r.mask, 16);
    r.words.forEach((w, i) => words.set(base + 4 * i, { mask, value: parseInt(w, 16) }));
  }
  const { c: C, h: H, w: W, processorMap, outOffset, writeGap, width, outExpand: X, outExpandThresh: T } = layout;
  const procs: number[] = [];
  for (let p = 0; p < 64; p++) if ((processorMap >> BigInt(p)) & 1n) procs.push(p);
  const out = tensor3(C, H, W);
  out.data.fill(NaN);
  const gap = writeGap + 1;
  const plane = H * W;
  for (let c = 0; c < C; c++) {
    const e = Math.floor(c / T);
    const proc = procs[c % T];
    if (proc === undefined) continue;
    const q = proc & ~3;
    const lane = proc % 4;
    const b = quadBase(mem, q) + outOffset;
    for (let d = 0; d < plane; d++) {
      if (width === 8) {
        const w = words.get(b + 4 * (d * X + e) * gap);
        if (!w || ((w.mask >>> (8 * lane)) & 0xff) !== 0xff) continue;
        const byte = (w.value >>> (8 * lane)) & 0xff;
        out.data[c * plane + d] = byte >= 128 ? byte - 256 : byte;
      } else {
        const w = words.get(b + 4 * (d * 4 * X + 4 * e) * gap + 4 * lane);
        if (!w) continue;
        out.data[c * plane + d] = w.value | 0;
      }
    }
  }
  return out;
}

/** First difference between two record lists, in words, or null when they are identical. */
export function knownAnswerDifference(expected: readonly KnownAnswerRecord[], actual: readonly KnownAnswerRecord[]): string | null {
  const a = knownAnswerWords(expected);
  const b = knownAnswerWords(actual);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (v: number | undefined) => (v === undefined ? 'end of data' : hex32(v));
      return `SAMPLE_OUTPUT item ${i}: expected ${show(a[i])}, got ${show(b[i])} (expected ${a.length} items, got ${b.length})`;
    }
  }
  return null;
}
