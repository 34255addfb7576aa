// Kernel (weight) memory allocation exactly as izer's kernels.load does it (spec §5.1–5.2): the order of
// layers, each layer's kernel length, and the column search (forward, and on MAX78002 backwards from the top for
// the large processors). The byte-by-byte filling that decides which columns a layer marks in the kernel map is
// kernelFill.ts, over the marking primitives of kernelPlacement.ts.
import type { Device } from '../device/devices';
import { ffs, fls, popcount } from '../model/processorMask';
import type { Operator, Pair } from '../model/network';
import type { KernelTensor } from './networkPlan';
import { Exhausted, FREE, KernelRows, LayerPlacement, PlacementFailed, fits } from './kernelPlacement';
import { fillKernels } from './kernelFill';

export { FREE } from './kernelPlacement';

export interface KernelAllocationInput {
  device: Device;
  /** izer's layer count (the kernel map is sized and printed with it). */
  layers: number;
  firstLayerUsed: number;
  operator: Operator[];
  /** After deduplication: null for layers that share another layer's kernels. */
  kernels: (KernelTensor | null)[];
  kernelSize: Pair[];
  quantization: number[];
  processorMap: bigint[];
  outputProcessorMap: bigint[];
  inputChannels: number[];
  outputChannels: number[];
  outExpand: number[];
  outExpandThresh: number[];
  inExpand: number[];
  inExpandThresh: number[];
  groups: number[];
  flatten: boolean[];
  bypass: boolean[];
  calcx4: boolean[];
  weightStart: number;
  newKernelLoader: boolean;
  fastFifoQuad: boolean;
}

export interface KernelAllocation {
  kernOffs: number[];
  kernLen: number[];
  kernCount: number[];
  kernOchan: number[];
  /** MAX_PROC × MASK_WIDTH_LARGE layer numbers, FREE where unused. */
  map: Int16Array;
  /** Set when izer would stop with "Kernel memory exhausted"; the map is then the map so far. */
  exhausted: { layer: number; processor: number; offset: number; needed: number } | null;
  /**
   * Set when izer itself would fail while placing kernels (an assertion or an index error): a layer's
   * kernels run into a column that is already full, or the backwards search runs off the start of a row.
   * Only reachable for inconsistent inputs; the map is then the map so far.
   */
  failed: { layer: number; processor: number; column: number; owner: number | null } | null;
  /** Layers whose configured kernel size does not match the kernels (#234/#235). */
  kernelSizeMismatch: { layer: number; configured: Pair; actual: number[] }[];
  /** Layers that write kernels with sub-8-bit weights to unaligned output processors (#236). */
  unalignedSubByte: number[];
}

export function allocateKernels(input: KernelAllocationInput): KernelAllocation {
  const { device: dev, layers } = input;
  const W = dev.maskWidthLarge;
  const map = new Int16Array(64 * W).fill(FREE);
  const used = new Uint8Array(64 * W);
  const out: KernelAllocation = {
    kernOffs: new Array(layers).fill(input.weightStart),
    kernLen: new Array(layers).fill(0),
    kernCount: new Array(layers).fill(0),
    kernOchan: new Array(layers).fill(0),
    map,
    exhausted: null,
    failed: null,
    kernelSizeMismatch: [],
    unalignedSubByte: [],
  };
  const first: number[] = [];
  const rest: number[] = [];
  for (let ll = input.firstLayerUsed; ll < layers; ll++) (input.processorMap[ll] === 0xffffffffffffffffn ? first : rest).push(ll);
  try {
    for (const ll of [...first, ...rest]) allocateLayer(input, out, used, ll);
  } catch (e) {
    if (e instanceof Exhausted) out.exhausted = e.info;
    else if (e instanceof PlacementFailed) out.failed = e.info;
    else throw e;
  }
  return out;
}

function kernelRows(input: KernelAllocationInput, ll: number, k: KernelTensor): KernelRows {
  const total = k.shape.reduce((a, b) => a * b, 1);
  if (input.flatten[ll]) {
    const rows = input.outputChannels[ll] * input.inExpandThresh[ll];
    return { count: rows, rowLength: Math.floor(total / rows) };
  }
  const ks = input.kernelSize[ll];
  const rowLength = input.operator[ll] === 'linear' ? ks[0] * ks[1] : k.shape.slice(1).reduce((a, b) => a * b, 1);
  return { count: Math.floor(total / rowLength), rowLength };
}

function allocateLayer(input: KernelAllocationInput, out: KernelAllocation, used: Uint8Array, ll: number): void {
  const dev = input.device;
  const k = input.kernels[ll];
  if (input.operator[ll] === 'none' || input.bypass[ll] || !k) return;
  const q = input.quantization[ll];
  const qAbs = Math.abs(q);
  const qfactor = Math.floor(8 / qAbs);
  const flatten = input.flatten[ll];
  const quad = ll === 0 && input.fastFifoQuad;
  const inExp = flatten ? 1 : input.inExpand[ll];
  const rows = kernelRows(input, ll, k);
  const ks = input.kernelSize[ll];
  // izer compares the reshaped kernels (a linear layer's become rows of 1×1 kernels).
  const reshaped = input.operator[ll] === 'linear' && !flatten ? [rows.count, ks[0], ks[1]] : k.shape;
  if (!flatten && reshaped.length > 2) {
    if (reshaped[reshaped.length - 1] !== ks[0] || reshaped[reshaped.length - 2] !== ks[1])
      out.kernelSizeMismatch.push({ layer: ll, configured: ks, actual: reshaped.slice(-2) });
  } else if (!flatten && reshaped.length === 2 && reshaped[1] !== ks[0]) out.kernelSizeMismatch.push({ layer: ll, configured: ks, actual: [reshaped[1]] });

  let procMap = input.processorMap[ll];
  if (quad) procMap &= 0xffffn;
  const firstProc = ffs(procMap);
  const lastProc = fls(procMap);
  const ksize = ks[0] * ks[1];
  const nextMap = input.outputProcessorMap[ll];
  let firstOutputProc = ffs(nextMap);
  const startCol = firstOutputProc % 4;
  if (startCol > 0 && q !== 8) out.unalignedSubByte.push(ll);
  const outExpand = input.outExpand[ll];
  if (outExpand > 1) firstOutputProc -= startCol;
  let kc: number;
  if (input.groups[ll] === 1) {
    kc = (1 + fls(nextMap) - firstOutputProc) * outExpand * inExp;
    out.kernCount[ll] = out.kernOchan[ll] = kc + startCol * outExpand * inExp;
  } else {
    kc = inExp;
    out.kernCount[ll] = kc + startCol * inExp;
    out.kernOchan[ll] = (1 + fls(nextMap) - firstOutputProc) * inExp + startCol * inExp;
  }
  if (flatten) {
    const P = rows.rowLength;
    const unused = (outExpand * popcount(nextMap) - input.outputChannels[ll]) * P;
    kc = kc * P - unused;
    out.kernCount[ll] = out.kernCount[ll] * P - unused;
    out.kernOchan[ll] = out.kernCount[ll];
  }
  const res = (kc % qfactor) * ksize * (qfactor - 1);
  out.kernLen[ll] = Math.floor((kc * ksize * qAbs + res + 71) / 72);
  if (quad) {
    out.kernLen[0] = Math.floor((out.kernLen[0] + 3) / 4);
    out.kernCount[0] = Math.floor((out.kernCount[0] + 3) / 4);
    out.kernOchan[0] = Math.floor((out.kernOchan[0] + 3) / 4);
  }
  const pl: LayerPlacement = {
    input,
    out,
    used,
    ll,
    dev,
    W: dev.maskWidthLarge,
    procMap,
    firstProc,
    lastProc,
    kernLen: out.kernLen[ll],
    withinInstance: dev.name === 'MAX78002' && input.groups[ll] > 1,
    quad,
    kernOffs: 0,
  };

  let searchCol = -1;
  if (input.newKernelLoader && !(ll > 0 && input.calcx4[ll] && !input.calcx4[ll - 1])) {
    let extended = dev.maskWidthLarge > dev.maskWidthSmall;
    if (extended) {
      for (let p = firstProc; p <= lastProc; p++) {
        if (((procMap >> BigInt(p)) & 1n) === 1n && p % 16 !== 0) {
          extended = false;
          break;
        }
      }
    }
    if (extended && (!pl.withinInstance || pl.kernLen <= dev.maskInstanceSmall)) {
      searchCol = searchColumn(pl, dev.maskWidthLarge - 1, true, false);
    }
  }
  if (searchCol === -1) {
    searchCol = (input.weightStart + 3) & ~3;
    searchCol = searchColumn(pl, searchCol, false, true);
    let offs = searchCol;
    if (ll > 0 && input.calcx4[ll] && !input.calcx4[ll - 1]) offs *= 4;
    if (!input.newKernelLoader) offs = Math.max(0, offs - Math.floor(((ffs(nextMap) % 4) + qfactor - 1) / qfactor));
    out.kernOffs[ll] = (offs + 3) & ~3;
  } else {
    out.kernOffs[ll] = (searchCol - (pl.kernLen - 1)) & ~3;
  }
  fits(pl, lastProc, out.kernOffs[ll], pl.kernLen, false, true);
  pl.kernOffs = out.kernOffs[ll];

  fillKernels(pl, rows, { qfactor, flatten, inExp, startCol, ksize, outExpand, nextMap });
}

function memMask(dev: Device, offs: number): number {
  return offs + 1 >= dev.maskWidthSmall ? dev.maskInstanceSmall - 1 : dev.maskInstanceLarge - 1;
}

/** The first column (searching up from `start`, or down with `reverse`) free on every processor of the layer; -1 if none. */
function searchColumn(pl: LayerPlacement, start: number, reverse: boolean, error: boolean): number {
  const { map } = pl.out;
  const { W, ll, procMap, firstProc, lastProc, kernLen, dev } = pl;
  let offs = start;
  let p = firstProc;
  for (;;) {
    // Negative columns wrap like Python list indices; beyond one row izer raises an IndexError.
    if (offs < -W) throw new PlacementFailed({ layer: ll, processor: p, column: offs, owner: null });
    if (map[p * W + (offs < 0 ? offs + W : offs)] === FREE) break;
    offs += reverse ? -4 : 4;
    if (!fits(pl, p, offs, kernLen, reverse, error)) return -1;
  }
  while (p < lastProc + 1) {
    if (((procMap >> BigInt(p)) & 1n) === 0n) {
      p++;
      continue;
    }
    let from: number;
    let to: number;
    let step: number;
    if (!reverse) {
      if (pl.withinInstance) {
        let m = memMask(dev, offs + 1);
        if (((offs + 1) & ~m) !== ((offs + kernLen) & ~m)) offs = ((offs + m) & ~m) - 1;
        m = memMask(dev, offs + 1);
        if (((offs + 1) & ~m) !== ((offs + kernLen) & ~m)) return -1;
      }
      from = offs;
      to = offs + kernLen;
      step = 1;
    } else {
      if (pl.withinInstance) {
        const m = memMask(dev, offs - 1);
        if (((offs - 1) & ~m) !== ((offs - kernLen) & ~m)) offs &= ~m;
      }
      from = offs;
      to = offs - kernLen;
      step = -1;
    }
    const row = p * W;
    for (let i = from; step > 0 ? i < to : i > to; i += step) {
      if (i < -W) throw new PlacementFailed({ layer: ll, processor: p, column: i, owner: null });
      if (map[row + (i < 0 ? i + W : i)] !== FREE) {
        offs = !reverse ? (i + 1 + 3) & ~3 : (i - 1) & ~3;
        if (!fits(pl, p, offs, kernLen, false, error)) return -1;
        p = firstProc - 1;
        break;
      }
    }
    p++;
  }
  return offs;
}
