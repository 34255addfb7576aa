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

/** The verify checks of one or more layers before packing (parallel arrays of uint32 values). */
export interface KnownAnswerEntries {
  length: number;
  mask: Uint32Array;
  address: Uint32Array;
  value: Uint32Array;
}

function entryBuffer(capacity: number): KnownAnswerEntries {
  return { length: 0, mask: new Uint32Array(capacity), address: new Uint32Array(capacity), value: new Uint32Array(capacity) };
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

/** Byte address of the memory of processor quad Q (Q = a multiple of 4). */
function quadBase(mem: DataMemoryLayout, q: number): number {
  return mem.base + 4 * ((q % 16) * mem.instanceWords + Math.floor(q / 16) * (mem.quadrantBytes / 4));
}

/** One memory word of the per-pixel walk: which channels go to which byte lanes of which quad, in which pass. */
interface QuadStep {
  q: number;
  e: number;
  /** Per lane: the channel stored there, −1 for an unused lane, −2 for a used lane past the last channel (0). */
  lanes: [number, number, number, number];
  /** Channels this word carries: min(used lanes, C − first channel). */
  n: number;
  /** 8-bit mask (izer assumes the used lanes start at the first set bit of the map at or after the quad). */
  mask: number;
}

/**
 * The walk izer repeats for every pixel (unload.verify): channels are dealt to the processors of the output map
 * four lanes (one word) at a time, wrapping to the first processor at each pass (every outExpandThresh
 * channels). It does not depend on the pixel, so it is worked out once.
 */
function quadSteps(layout: OutputLayout, layer: number | null): QuadStep[] {
  const { c: C, processorMap, outExpandThresh: T } = layout;
  // The 64-bit map as one flag per processor: BigInt shifts in this loop cost more than the rest of a small layer.
  const bit = new Uint8Array(64);
  for (let i = 0; i < 64; i++) bit[i] = Number((processorMap >> BigInt(i)) & 1n);
  const lowestFrom = (from: number) => {
    for (let i = from; i < 64; i++) if (bit[i]) return i - from;
    return -1;
  };
  const first = lowestFrom(0);
  if (first < 0 || T < 1) {
    throw new SimulationError(SIM.outputMap, `Layer ${layer ?? '?'}: the output processor map is empty; the known answer has nowhere to go.`, layer);
  }
  const start = first & ~3;
  const steps: QuadStep[] = [];
  let bitPos = start;
  let po = start;
  let c = 0;
  while (c < C) {
    if (c % T === 0) {
      po = start;
      bitPos = start;
    }
    const c0 = c;
    const lanes: [number, number, number, number] = [-1, -1, -1, -1];
    for (let i = 0; i < 4; i++) {
      if (bitPos < 64 && bit[bitPos]) {
        lanes[i] = c < C ? c : -2;
        c++;
      }
      bitPos++;
    }
    if (c > c0) {
      const n = Math.min(c - c0, C - c0);
      const fp = (po < 64 ? lowestFrom(po) : -1) % 4;
      const mask = n === 4 ? 0xffffffff : (2 ** (8 * n) - 1) * 2 ** (8 * fp);
      steps.push({ q: po, e: Math.floor(c0 / T), lanes, n, mask });
    } else if (lowestFrom(Math.min(bitPos, 64)) < 0) {
      throw new SimulationError(
        SIM.outputMap,
        `Layer ${layer ?? '?'}: the output processor map 0x${processorMap.toString(16)} has too few processors for ` +
          `${Math.min(C, T)} channels per pass (izer would not finish writing the known answer).`,
        layer,
      );
    }
    po += 4;
  }
  return steps;
}

/**
 * The (mask, address, value) checks izer emits for one layer (unload.verify with apbaccess.verify): 8-bit data
 * gives one masked word per quad and pixel; 32-bit data one word per channel, numbered by count rather than by
 * lane (izer quirk: a map that does not start at lane 0 checks lanes 0…n−1).
 */
export function knownAnswerEntries(layout: OutputLayout, values: Float64Array, mem: DataMemoryLayout, layer: number | null = null): KnownAnswerEntries {
  const { c: C, h: H, w: W, outOffset, writeGap, width, outExpand } = layout;
  if (values.length !== C * H * W) throw new RangeError(`output of ${values.length} values for a ${C}x${H}x${W} layout`);
  const steps = quadSteps(layout, layer);
  const ob = width / 8;
  const stride = outExpand * ob;
  const gap = writeGap + 1;
  const plane = H * W;
  let perPixel = 0;
  for (const st of steps) perPixel += ob === 1 ? 1 : Math.min(st.n, 4);
  const out = entryBuffer(perPixel * plane);
  let k = 0;
  for (const st of steps) {
    const base = quadBase(mem, st.q) + outOffset + 4 * st.e * ob * gap;
    const step = 4 * stride * gap;
    const [l0, l1, l2, l3] = st.lanes;
    if (ob === 1) {
      for (let d = 0; d < plane; d++) {
        const word =
          byteOf(values, l0, plane, d) | (byteOf(values, l1, plane, d) << 8) | (byteOf(values, l2, plane, d) << 16) | (byteOf(values, l3, plane, d) << 24);
        out.mask[k] = st.mask;
        out.address[k] = base + d * step;
        out.value[k++] = word & st.mask;
      }
    } else {
      // izer fills a 4-slot list by lane and then emits slots 0…n−1.
      for (let i = 0; i < Math.min(st.n, 4); i++) {
        const ch = st.lanes[i];
        for (let d = 0; d < plane; d++) {
          out.mask[k] = 0xffffffff;
          out.address[k] = base + d * step + 4 * i;
          out.value[k++] = ch >= 0 ? toU32(values[ch * plane + d]) : 0;
        }
      }
    }
  }
  out.length = k;
  return out;
}

/** Which word of a layer's known answer an address is: the pixel, and the channel in each byte lane (8-bit) or the channel of the word (32-bit). */
export interface KnownAnswerWordPlace {
  /** Pixel index (row × W + column). */
  pixel: number;
  row: number;
  column: number;
  width: 8 | 32;
  /** 8-bit: the channel in each byte lane (−1 none, −2 a used lane past the last channel); 32-bit: one entry. */
  lanes: number[];
  mask: number;
}

/** The inverse of knownAnswerEntries for one address: where in the layer's output the checked word comes from, or null. */
export function locateKnownAnswerWord(layout: OutputLayout, address: number, mem: DataMemoryLayout, layer: number | null = null): KnownAnswerWordPlace | null {
  const { w: W, h: H, outOffset, writeGap, width, outExpand } = layout;
  const steps = quadSteps(layout, layer);
  const ob = width / 8;
  const gap = writeGap + 1;
  const plane = H * W;
  const step = 4 * outExpand * ob * gap;
  for (const st of steps) {
    const base = quadBase(mem, st.q) + outOffset + 4 * st.e * ob * gap;
    const off = address - base;
    if (off < 0) continue;
    const d = Math.floor(off / step);
    const r = off - d * step;
    if (d >= plane) continue;
    const place = { pixel: d, row: Math.floor(d / W), column: d % W, width };
    if (ob === 1) {
      if (r === 0) return { ...place, lanes: [...st.lanes], mask: st.mask };
    } else if (r % 4 === 0 && r / 4 < Math.min(st.n, 4)) {
      return { ...place, lanes: [st.lanes[r / 4]], mask: 0xffffffff };
    }
  }
  return null;
}

/** The low byte of channel ch at pixel d (two's complement), 0 for lanes without a channel. */
function byteOf(values: Float64Array, ch: number, plane: number, d: number): number {
  if (ch < 0) return 0;
  const v = values[ch * plane + d];
  return v >= -128 && v <= 255 ? v & 0xff : ((v % 256) + 256) % 256;
}

/**
 * Sorts the entries of all checked layers by mask, then address (then value), and merges runs of consecutive
 * addresses with the same mask into blocks. --max-verify-length N stops after N + 1 words (izer appends the
 * word that crosses the limit before it stops).
 */
export function packKnownAnswer(entries: KnownAnswerEntries, maxChecklines: number | null = null): KnownAnswerRecord[] {
  const { mask, address, value } = entries;
  const order = new Uint32Array(entries.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => mask[a] - mask[b] || address[a] - address[b] || value[a] - value[b]);
  const records: KnownAnswerRecord[] = [];
  let cur: KnownAnswerRecord | null = null;
  let curMask = -1;
  let next = -1;
  let total = 0;
  for (const i of order) {
    if (cur === null || mask[i] !== curMask || address[i] !== next) {
      cur = { address: hex32(address[i]), mask: hex32(mask[i]), words: [] };
      records.push(cur);
      curMask = mask[i];
      next = address[i];
    }
    cur.words.push(hex32(value[i]));
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
  const parts = layers.map((l) => knownAnswerEntries(l.layout, l.values, mem, l.layer ?? null));
  const all = entryBuffer(parts.reduce((n, p) => n + p.length, 0));
  for (const p of parts) {
    all.mask.set(p.mask.subarray(0, p.length), all.length);
    all.address.set(p.address.subarray(0, p.length), all.length);
    all.value.set(p.value.subarray(0, p.length), all.length);
    all.length += p.length;
  }
  return packKnownAnswer(all, maxChecklines);
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
  const nums = text
    .slice(open + 1, close)
    .split(',')
    .map((t) => t.replace(/\\/g, '').trim())
    .filter((t) => t !== '')
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
