// Kernel (weight) memory allocation exactly as izer's kernels.load does it (spec §5.1–5.2): the order of
// layers, the column search (forward, and on MAX78002 backwards from the top for the large processors),
// and the byte-by-byte filling that decides which columns a layer marks in the kernel map.
import { Device, maskWidth } from '../device/devices';
import { ffs, fls, popcount } from '../model/processorMask';
import type { Operator, Pair } from '../model/network';
import type { KernelTensor } from './networkPlan';

export const FREE = -1;

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

class Exhausted extends Error {
  constructor(readonly info: NonNullable<KernelAllocation['exhausted']>) {
    super('kernel memory exhausted');
  }
}

class PlacementFailed extends Error {
  constructor(readonly info: NonNullable<KernelAllocation['failed']>) {
    super('kernel placement failed');
  }
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

/**
 * The shape of izer's `kernel_reshaped`: `count` rows of `rowLength` values. Placing kernels needs only this, never
 * the values (a check leaves the kernel arrays unbuilt).
 */
interface KernelRows {
  count: number;
  rowLength: number;
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

/**
 * What the column search and the byte filling of one layer share. The search and the filling are the hot loops of a
 * check; kept as small module functions (not closures inside allocateLayer) they are cheap for V8 to optimize, which
 * a short-lived `ai8x check` otherwise waits for when it exits.
 */
interface LayerPlacement {
  input: KernelAllocationInput;
  out: KernelAllocation;
  used: Uint8Array;
  ll: number;
  dev: Device;
  W: number;
  procMap: bigint;
  firstProc: number;
  lastProc: number;
  kernLen: number;
  /** MAX78002 keeps a grouped layer's kernels inside one memory instance. */
  withinInstance: boolean;
  quad: boolean;
  /** Set once the column is found. */
  kernOffs: number;
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

/** The layer's geometry as the byte filling needs it. */
interface FillGeometry {
  qfactor: number;
  flatten: boolean;
  inExp: number;
  startCol: number;
  ksize: number;
  outExpand: number;
  nextMap: bigint;
}

/** izer's byte-by-byte filling of the layer's kernel columns, processor by processor; marks the kernel map. */
function fillKernels(pl: LayerPlacement, rows: KernelRows, g: FillGeometry): void {
  const { input, out, used, ll, dev, procMap, firstProc, lastProc, quad } = pl;
  const { qfactor, flatten, inExp, startCol, ksize, outExpand, nextMap } = g;
  const procMask = (1n << BigInt(qfactor)) - 1n;
  const mapInit = nextMap >> BigInt(ffs(nextMap));
  const outC = input.outputChannels[ll];
  const thresh = input.inExpandThresh[ll];
  const inChan = flatten ? input.inExpandThresh[ll] : input.inputChannels[ll];
  // The walk over the output map is the same for every input processor and every pass: how many whole
  // columns izer skips before each output slot (for unused output processors).
  const slotStep = flatten ? 1 : qfactor;
  const slotsPerPass = input.groups[ll] === 1 ? Math.ceil(input.outExpandThresh[ll] / slotStep) : 1;
  const skips = new Int32Array(slotsPerPass);
  {
    let thisMap = mapInit;
    for (let j = 0; j < slotsPerPass; j++) {
      let skip = 0;
      if (thisMap !== 0n) {
        while ((thisMap & procMask) === 0n) {
          skip++;
          thisMap >>= BigInt(qfactor);
        }
      }
      thisMap >>= BigInt(qfactor);
      skips[j] = skip;
    }
  }
  let ch = 0;
  for (let p = firstProc; p <= lastProc; p++) {
    if (((procMap >> BigInt(p)) & 1n) === 0n) continue;
    let colTarget = Math.floor((startCol * ksize * inExp) / 9);
    const colBytes = (startCol * ksize * inExp) % 9;
    colTarget = addBytes(pl, p, colTarget, Math.floor(colBytes / qfactor));
    const outRange = input.groups[ll] === 1 ? outExpand : 1;
    let m = 0;
    // Bytes are placed one after another, so a run of them between two skips is placed in one call.
    let pending = 0;
    const part = Math.floor(ksize / qfactor);
    const inCh = flatten ? inChan * qfactor : inChan;
    for (let expand = 0; expand < outRange; expand++) {
      for (let j = 0; j < slotsPerPass; j++) {
        if (skips[j] !== 0) {
          colTarget = addBytes(pl, p, colTarget, pending) + skips[j];
          pending = 0;
        }
        const srcOffs = ch + m * inCh;
        if (flatten) {
          for (let ie = 0; ie < inExp; ie++) {
            pending += ie * thresh + ch < inCh && srcOffs < rows.count ? flattenedBytes(rows, qfactor, m, outC, ie, inExp, srcOffs, thresh, inChan) : part;
          }
        } else {
          // Input passes ie with ie·thresh + ch < inCh (and a kernel row left) take the whole kernel, the rest a part.
          const left = inCh - ch;
          const whole = srcOffs >= rows.count || left <= 0 ? 0 : Math.min(inExp, Math.ceil(left / thresh));
          pending += whole * ksize + (inExp - whole) * part;
        }
        m += slotStep;
      }
    }
    colTarget = addBytes(pl, p, colTarget, pending);
    if (quad) colTarget = Math.floor((colTarget - startCol + 3) / 4) + startCol;
    const kernOffs = pl.kernOffs;
    if (kernOffs + colTarget < maskWidth(dev, p) && used[p * pl.W + kernOffs + colTarget] > 0) colTarget++;
    while (colTarget - startCol < out.kernLen[ll]) {
      const idx = p * pl.W + kernOffs + colTarget;
      colTarget = addBytes(pl, p, colTarget, quad || kernOffs + colTarget >= pl.W ? 1 : 9 - used[idx]);
    }
    if (flatten) out.kernLen[ll] = colTarget;
    else if (!input.newKernelLoader) out.kernLen[ll] = colTarget - startCol;
    ch++;
  }
}

/** The bytes one input channel of a flattened (MLP) layer adds for one output slot. */
function flattenedBytes(
  rows: KernelRows,
  qfactor: number,
  m: number,
  outC: number,
  ie: number,
  inExp: number,
  srcOffs: number,
  thresh: number,
  inChan: number,
): number {
  let n = 0;
  let elems = 0;
  for (let i = 0; i < qfactor; i++) {
    if (m < outC) {
      const idx = n + ie * qfactor;
      const koffs = srcOffs + (idx % inExp) * thresh + Math.floor(idx / inExp) * inChan;
      if (koffs < rows.count) elems += rows.rowLength;
      n++;
    }
  }
  if (elems % qfactor !== 0) elems += qfactor - (elems % qfactor);
  return elems / qfactor;
}

/** Whether `length` columns from `offs` stay inside processor p's row; with `error`, izer's "exhausted" stop. */
function fits(pl: LayerPlacement, p: number, offs: number, length: number, reverse: boolean, error: boolean): boolean {
  if ((reverse && offs < 0) || (!reverse && offs + length > maskWidth(pl.dev, p))) {
    if (error) throw new Exhausted({ layer: pl.ll, processor: p, offset: offs, needed: length });
    return false;
  }
  return true;
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

/** izer asserts that a column it writes to is not already full (it would belong to another layer). */
function columnFull(pl: LayerPlacement, p: number, col: number): PlacementFailed {
  const owner = pl.out.map[p * pl.W + col];
  return new PlacementFailed({ layer: pl.ll, processor: p, column: col, owner: owner === FREE ? null : owner });
}

/** One kernel byte into processor p's column `kernOffs + colTarget` (a column holds nine); the next target column. */
function addByte(pl: LayerPlacement, pIn: number, colTarget: number): number {
  let ct = colTarget;
  let p = pIn;
  if (pl.quad) {
    ct = Math.floor(ct / 4);
    p += (colTarget % 4) * 16;
  }
  const col = pl.kernOffs + ct;
  fits(pl, p, col, 1, false, true);
  const idx = p * pl.W + col;
  const used = pl.used;
  if (used[idx] >= 9) throw columnFull(pl, p, col);
  if (used[idx] === 0) pl.out.map[idx] = pl.ll;
  used[idx]++;
  if (used[idx] === 9) colTarget++;
  return colTarget;
}

/** n bytes at once, column by column: the same marking as n single bytes, much faster. */
function addBytes(pl: LayerPlacement, p: number, colTarget: number, n: number): number {
  if (pl.quad) {
    for (let i = 0; i < n; i++) colTarget = addByte(pl, p, colTarget);
    return colTarget;
  }
  // fits(p, col, 1, false, true) and the marking, written out: izer's byte loop runs here.
  const width = maskWidth(pl.dev, p);
  const row = p * pl.W;
  const { used, kernOffs, ll } = pl;
  const map = pl.out.map;
  while (n > 0) {
    const col = kernOffs + colTarget;
    if (col + 1 > width) throw new Exhausted({ layer: ll, processor: p, offset: col, needed: 1 });
    const idx = row + col;
    const u = used[idx];
    if (u >= 9) throw columnFull(pl, p, col);
    if (u === 0) map[idx] = ll;
    const take = n < 9 - u ? n : 9 - u;
    used[idx] = u + take;
    n -= take;
    if (u + take === 9) colTarget++;
  }
  return colTarget;
}

/** izer's kernel map text: "Kernel map:", a dashed line, one row per processor, a dashed line. */
export function kernelMapText(dev: Device, layers: number, map: Int16Array): string {
  let width = Math.floor(Math.log10(Math.max(1, layers))) + 1;
  if (width > 1) width++;
  const sep = '-'.repeat(dev.maskWidthLarge * width);
  const lines = ['Kernel map:', sep];
  const W = dev.maskWidthLarge;
  const cells = new Map<number, string>();
  for (let p = 0; p < 64; p++) {
    let row = '';
    for (let c = 0; c < maskWidth(dev, p); c++) {
      const v = map[p * W + c];
      let cell = cells.get(v);
      if (cell === undefined) {
        cell = (v === FREE ? 'X' : String(v)).padStart(width);
        cells.set(v, cell);
      }
      row += cell;
    }
    lines.push(row);
  }
  lines.push(sep);
  return lines.join('\n') + '\n';
}
