// izer's filling of a layer's kernel columns once their place is found: processor by processor, output slot by
// output slot, the bytes each input pass takes, then the padding up to the layer's kernel length.
import { maskWidth } from '../device/devices';
import { ffs } from '../model/processorMask';
import { Exhausted, KernelRows, LayerPlacement, addBytes, columnFull } from './kernelPlacement';

/** The layer's geometry as the byte filling needs it. */
export interface FillGeometry {
  qfactor: number;
  flatten: boolean;
  inExp: number;
  startCol: number;
  ksize: number;
  outExpand: number;
  nextMap: bigint;
}

/** izer's byte-by-byte filling of the layer's kernel columns, processor by processor; marks the kernel map. */
export function fillKernels(pl: LayerPlacement, rows: KernelRows, g: FillGeometry): void {
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
  const outRange = input.groups[ll] === 1 ? outExpand : 1;
  const part = Math.floor(ksize / qfactor);
  const inCh = flatten ? inChan * qfactor : inChan;
  // The output slots of all passes in a row (slot g is m = g·slotStep), cut where izer skips columns:
  // [columns skipped before, first slot, slot count].
  const segments: [number, number, number][] = [];
  for (let e = 0; e < outRange; e++)
    for (let j = 0; j < slotsPerPass; j++) {
      const slot = e * slotsPerPass + j;
      if (slot === 0 || skips[j] !== 0) segments.push([skips[j], slot, 0]);
      segments[segments.length - 1][2]++;
    }
  let ch = 0;
  for (let p = firstProc; p <= lastProc; p++) {
    if (((procMap >> BigInt(p)) & 1n) === 0n) continue;
    let colTarget = Math.floor((startCol * ksize * inExp) / 9);
    const colBytes = (startCol * ksize * inExp) % 9;
    colTarget = addBytes(pl, p, colTarget, Math.floor(colBytes / qfactor));
    // Bytes are placed one after another, so a run of them between two skips is placed in one call.
    let pending = 0;
    // The bytes of `n` output slots from slot `first` on (slot g is m = g·slotStep).
    let slotBytes: (first: number, n: number) => number;
    if (flatten) {
      slotBytes = (first, n) => {
        let bytes = 0;
        for (let m = first * slotStep; m < (first + n) * slotStep; m += slotStep) {
          const srcOffs = ch + m * inCh;
          for (let ie = 0; ie < inExp; ie++) {
            bytes += ie * thresh + ch < inCh && srcOffs < rows.count ? flattenedBytes(rows, qfactor, m, outC, ie, inExp, srcOffs, thresh, inChan) : part;
          }
        }
        return bytes;
      };
    } else {
      // A slot whose kernel row exists (ch + m·inCh < rows.count) takes the whole kernel for each input pass ie with
      // ie·thresh + ch < inCh and a part for the others; a slot past the last row takes a part for every pass.
      const left = inCh - ch;
      const whole = left <= 0 ? 0 : Math.min(inExp, Math.ceil(left / thresh));
      const withRow = whole * ksize + (inExp - whole) * part;
      const withoutRow = inExp * part;
      const step = slotStep * inCh;
      const rowsUntil = step === 0 ? (ch < rows.count ? Infinity : 0) : Math.max(0, Math.ceil((rows.count - ch) / step));
      slotBytes = (first, n) => {
        const nWithRow = Math.min(n, Math.max(0, rowsUntil - first));
        return nWithRow * withRow + (n - nWithRow) * withoutRow;
      };
    }
    for (const [skip, first, n] of segments) {
      if (skip !== 0) {
        colTarget = addBytes(pl, p, colTarget, pending) + skip;
        pending = 0;
      }
      pending += slotBytes(first, n);
    }
    colTarget = addBytes(pl, p, colTarget, pending);
    if (quad) colTarget = Math.floor((colTarget - startCol + 3) / 4) + startCol;
    const kernOffs = pl.kernOffs;
    if (kernOffs + colTarget < maskWidth(dev, p) && used[p * pl.W + kernOffs + colTarget] > 0) colTarget++;
    if (quad) while (colTarget - startCol < out.kernLen[ll]) colTarget = addBytes(pl, p, colTarget, 1);
    else colTarget = fillColumns(pl, p, colTarget, startCol + out.kernLen[ll]);
    if (flatten) out.kernLen[ll] = colTarget;
    else if (!input.newKernelLoader) out.kernLen[ll] = colTarget - startCol;
    ch++;
  }
}

/**
 * izer pads the rest of a processor's kernel columns, `from` up to `end`, column by column with the bytes each
 * still lacks: every one ends full and marked as the layer's. Returns the column after the last.
 */
function fillColumns(pl: LayerPlacement, p: number, from: number, end: number): number {
  const { used, kernOffs, ll } = pl;
  const map = pl.out.map;
  const width = maskWidth(pl.dev, p);
  const row = p * pl.W;
  for (let c = from; c < end; c++) {
    const col = kernOffs + c;
    if (col + 1 > width) throw new Exhausted({ layer: ll, processor: p, offset: col, needed: 1 });
    const idx = row + col;
    if (used[idx] >= 9) throw columnFull(pl, p, col);
    if (used[idx] === 0) map[idx] = ll;
    used[idx] = 9;
  }
  return Math.max(from, end);
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
