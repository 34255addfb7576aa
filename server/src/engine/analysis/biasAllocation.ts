// Bias memory allocation exactly as izer's kbias.load does it (spec §5.4): depth-wise layers first in
// every quadrant they use, then first-fit-descending over the allowed quadrants for the others.
import { Device } from '../device/devices';
import { ffs, fls, popcount } from '../model/processorMask';

const INVALID = Number.MIN_SAFE_INTEGER;

export interface BiasAllocationInput {
  device: Device;
  layers: number;
  firstLayerUsed: number;
  bias: (Int32Array | null)[];
  biasGroupMap: (number[] | null)[];
  outputChannels: number[];
  streaming: boolean[];
  groups: number[];
  broadcastMode: boolean[];
  processorMap: bigint[];
  outputProcessorMap: bigint[];
  outExpand: number[];
  outExpandThresh: number[];
  groupsUsed: number[];
  flatten: boolean[];
  calcx4: boolean[];
  fastFifoQuad: boolean;
}

export type BiasProblem =
  | { kind: 'lengthMismatch'; layer: number; outChannels: number; values: number }
  | { kind: 'allZero'; layer: number }
  | { kind: 'groupExhausted'; layer: number; group: number; used: number }
  | { kind: 'exhausted'; layer: number; groups: number[]; usedSoFar: number[]; needed: number; best: number; free: number }
  | { kind: 'streamingBias'; layer: number };

export interface BiasAllocation {
  /** Per layer and quadrant: byte offset of the layer's bias in that quadrant's memory, or null. */
  offsets: (number | null)[][];
  /** Per layer: the quadrant holding its bias, 'all' for depth-wise layers, or null. */
  group: (number | 'all' | null)[];
  /** Bytes used per quadrant. */
  used: number[];
  /** Each quadrant's bias memory as the generated code loads it: `used[q]` bytes, unused bytes zero. */
  image: number[][];
  problems: BiasProblem[];
  /** izer stops at the first error; later layers are then not allocated. */
  stopped: boolean;
}

class Stop extends Error {}

export function allocateBias(input: BiasAllocationInput): BiasAllocation {
  const dev = input.device;
  const G = dev.quadrants;
  const size = dev.biasSizePerQuadrant;
  const values: number[][] = Array.from({ length: G }, () => new Array(size).fill(INVALID));
  const used = new Array(G).fill(0);
  const out: BiasAllocation = {
    offsets: Array.from({ length: input.layers }, () => new Array(G).fill(null)),
    group: new Array(input.layers).fill(null),
    used,
    image: [],
    problems: [],
    stopped: false,
  };
  const fail = (p: BiasProblem) => {
    out.problems.push(p);
    out.stopped = true;
    throw new Stop();
  };
  const streamBias = dev.features.streamBias;
  const entries: { ll: number; gmap: number[]; blen: number; flatten: boolean }[] = [];
  try {
    for (let ll = input.firstLayerUsed; ll < input.layers; ll++) {
      const b = input.bias[ll];
      if (!b) continue;
      if (b.length !== input.outputChannels[ll]) fail({ kind: 'lengthMismatch', layer: ll, outChannels: input.outputChannels[ll], values: b.length });
      if (!b.some((v) => v !== 0)) {
        out.problems.push({ kind: 'allZero', layer: ll });
        continue;
      }
      if (input.groups[ll] === 1 && !(input.fastFifoQuad && ll === input.firstLayerUsed)) {
        let blen = input.outputChannels[ll] + (ffs(input.outputProcessorMap[ll]) % 4) * input.outExpand[ll];
        if (ll === 0 && input.streaming[ll] && !streamBias) blen += 1;
        entries.push({ ll, gmap: input.biasGroupMap[ll] ?? input.groupsUsed, blen, flatten: input.flatten[ll] });
        continue;
      }
      placeDepthwise(input, out, values, used, ll, fail);
    }

    const key = (e: (typeof entries)[number]) => {
      if (dev.name === 'MAX78000' && e.flatten) return -1;
      if (e.gmap.length === 1) return 0;
      return size - e.blen;
    };
    const sorted = entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => key(a.e) - key(b.e) || a.i - b.i)
      .map((x) => x.e);
    for (const { ll, gmap, blen } of sorted) {
      let group: number;
      if (!input.calcx4[ll]) group = gmap[argmin(gmap.map((t) => used[t]))];
      else {
        group = gmap[argmin(gmap.map((t) => (used[t] + 3) & ~3))];
        used[group] = (used[group] + 3) & ~3;
      }
      if (used[group] + blen > size)
        fail({ kind: 'exhausted', layer: ll, groups: gmap, usedSoFar: [...used], needed: blen, best: group, free: size - used[group] });
      out.group[ll] = group;
      for (let i = 0; i < G; i++) out.offsets[ll][i] = used[group];
      used[group] += blen;
    }
    for (let ll = input.firstLayerUsed; ll < input.layers; ll++) {
      const b = input.bias[ll];
      if (!b || input.groups[ll] > 1 || !b.some((v) => v !== 0) || (input.fastFifoQuad && ll === input.firstLayerUsed)) continue;
      if (input.streaming[ll] && !streamBias) out.problems.push({ kind: 'streamingBias', layer: ll });
      const group = out.group[ll] as number;
      const base = out.offsets[ll][group]!;
      let target = (ffs(input.outputProcessorMap[ll]) % 4) * input.outExpand[ll];
      if (ll === 0 && input.streaming[ll] && !streamBias) {
        values[group][base] = 0;
        target++;
      }
      for (let i = 0; i < input.outputChannels[ll]; i++) values[group][base + target++] = b[i] & 0xff;
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  out.image = values.map((v, q) => v.slice(0, used[q]).map((x) => (x === INVALID ? 0 : x)));
  return out;
}

function argmin(xs: number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[best]) best = i;
  return best;
}

function placeDepthwise(
  input: BiasAllocationInput,
  out: BiasAllocation,
  values: number[][],
  used: number[],
  ll: number,
  fail: (p: BiasProblem) => never,
): void {
  const dev = input.device;
  const b = input.bias[ll]!;
  out.group[ll] = 'all';
  const addByte = (group: number, val: number | null) => {
    if (used[group] >= dev.biasSizePerQuadrant) fail({ kind: 'groupExhausted', layer: ll, group, used: used[group] });
    if (val !== null && val !== INVALID) values[group][used[group]] = val & 0xff;
    used[group]++;
  };
  const pm = input.processorMap[ll];
  const bc = input.broadcastMode[ll];
  let usedGroups = 0;
  for (let g = 0; g < dev.quadrants; g++) {
    if ((pm >> BigInt(g * 16)) & 0xffffn) {
      if (bc) used[g] = (used[g] + 3) & ~3;
      out.offsets[ll][g] = used[g];
      usedGroups++;
    } else out.offsets[ll][g] = null;
  }
  if (input.groups[ll] === 1) {
    b.forEach((v, i) => addByte(i % 4, v));
    return;
  }
  let mapUsed = pm;
  if (!bc) {
    const startProc = ffs(mapUsed);
    const firstGroup = Math.floor(startProc / 16);
    const groupMask = 0xffffn << BigInt(firstGroup * 16);
    mapUsed &= ~groupMask;
    mapUsed |= (pm & groupMask) >> BigInt(startProc % 16);
  }
  let startProc = ffs(mapUsed);
  let lastProc = fls(mapUsed);
  if (bc) lastProc = ((lastProc + 16) & ~0x0f) - 1;
  if (bc || usedGroups > 1) startProc &= ~0xffff;
  const oe = input.outExpand[ll];
  const width = input.outExpandThresh[ll];
  const rows: number[][] = [];
  for (let e = 0; e < oe; e++) {
    const row: number[] = [];
    for (let i = 0; i < width; i++) {
      const idx = e * width + i;
      row.push(idx < b.length ? b[idx] : INVALID);
    }
    rows.push(row);
  }
  void popcount;
  for (let proc = startProc; proc <= lastProc; proc++) {
    if (((mapUsed >> BigInt(proc)) & 1n) === 0n) for (const row of rows) row.splice(Math.min(proc, row.length), 0, INVALID);
  }
  const rearrange = (p: number) => (bc ? (p & ~0x0f) + (p % 4) * 4 + Math.floor((p % 16) / 4) : p);
  let group = 0;
  for (let e = 0; e < oe; e++) {
    for (let p = startProc; p <= lastProc; p++) {
      group = Math.floor(p / 16);
      const src = rearrange(p);
      const val = src - startProc < rows[e].length ? rows[e][src - startProc] : null;
      addByte(group, val);
    }
  }
  while (used[group] > 0 && values[group][used[group] - 1] === INVALID) used[group]--;
}
