// The primitive operations on kernel memory while one layer is placed: izer's byte-by-byte marking of columns
// (nine bytes to a column) and the two ways it stops (memory exhausted, a column already full).
import { Device, maskWidth } from '../device/devices';
import type { KernelAllocation, KernelAllocationInput } from './kernelAllocation';

export const FREE = -1;

/**
 * What the column search and the byte filling of one layer share. The search and the filling are the hot loops of a
 * check; kept as small module functions (not closures inside allocateLayer) they are cheap for V8 to optimize, which
 * a short-lived `ai8x check` otherwise waits for when it exits.
 */
export interface LayerPlacement {
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

/**
 * The shape of izer's `kernel_reshaped`: `count` rows of `rowLength` values. Placing kernels needs only this, never
 * the values (a check leaves the kernel arrays unbuilt).
 */
export interface KernelRows {
  count: number;
  rowLength: number;
}

export class Exhausted extends Error {
  constructor(readonly info: NonNullable<KernelAllocation['exhausted']>) {
    super('kernel memory exhausted');
  }
}

export class PlacementFailed extends Error {
  constructor(readonly info: NonNullable<KernelAllocation['failed']>) {
    super('kernel placement failed');
  }
}

/** Whether `length` columns from `offs` stay inside processor p's row; with `error`, izer's "exhausted" stop. */
export function fits(pl: LayerPlacement, p: number, offs: number, length: number, reverse: boolean, error: boolean): boolean {
  if ((reverse && offs < 0) || (!reverse && offs + length > maskWidth(pl.dev, p))) {
    if (error) throw new Exhausted({ layer: pl.ll, processor: p, offset: offs, needed: length });
    return false;
  }
  return true;
}

/** izer asserts that a column it writes to is not already full (it would belong to another layer). */
export function columnFull(pl: LayerPlacement, p: number, col: number): PlacementFailed {
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
export function addBytes(pl: LayerPlacement, p: number, colTarget: number, n: number): number {
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
