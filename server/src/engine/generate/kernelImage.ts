// The kernel memories' contents: every layer's weights packed into 72-bit (9-byte) columns of its processors,
// byte by byte in izer's order (kernels.load), at the columns the allocator chose. The allocator only marks columns;
// this walk places the values and must mark the same columns.
import { maskWidth } from '../device/devices';
import { FREE } from '../analysis/kernelAllocation';
import { kernelAllocationInput } from '../analysis/memoryAllocation';
import type { KernelTensor } from '../analysis/networkPlan';
import { ffs, fls } from '../model/processorMask';
import { GenerateError } from './generateError';
import type { GeneratorInput } from './generatorInput';
import { hardwareMaps } from './hardwareMaps';

export interface KernelImage {
  /** Columns per processor row (the large width). */
  width: number;
  /** 64 × width layer numbers, FREE where unused. */
  map: Int16Array;
  /** 64 × width × 9 bytes. */
  bytes: Uint8Array;
}

/** A kernel tensor seen as izer's `kernel_reshaped`: rows of equal length, in a permuted order of the stored values. */
interface KernelRowsView {
  count: number;
  length: number;
  /** Stored value of row r, element j. */
  at(r: number, j: number): number;
  /** Row r, element j is stored value r × length + j. */
  identity: boolean;
}

export function buildKernelImage(input: GeneratorInput): KernelImage {
  const { device: dev, state: s, memory, flags } = input;
  const W = dev.maskWidthLarge;
  const map = new Int16Array(64 * W).fill(FREE);
  const used = new Uint8Array(64 * W);
  const bytes = new Uint8Array(64 * W * 9);
  const kernels = s.hwWeights.map((w, ll) => (memory.kernelPointers[ll] === ll ? w : null));
  const ai = kernelAllocationInput(s, dev, flags, kernels);
  const maps = hardwareMaps(input);
  const order: number[] = [];
  const rest: number[] = [];
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) (maps.processorMap[ll] === 0xffffffffffffffffn ? order : rest).push(ll);
  order.push(...rest);
  for (const ll of order) {
    const k = kernels[ll];
    if (ai.operator[ll] === 'none' || ai.bypass[ll] || !k) continue;
    const q = ai.quantization[ll];
    const qAbs = Math.abs(q);
    const qfactor = Math.floor(8 / qAbs);
    const flatten = ai.flatten[ll];
    const quad = ll === 0 && flags.fastFifoQuad;
    const ks = ai.kernelSize[ll];
    const ksize = ks[0] * ks[1];
    const outC = ai.outputChannels[ll];
    const inExp = flatten ? 1 : ai.inExpand[ll];
    const inChan = flatten ? ai.inExpandThresh[ll] : ai.inputChannels[ll];
    const thresh = ai.inExpandThresh[ll];
    const rows = kernelRows(ai.operator[ll], k, ks, {
      flatten,
      calcx4: ai.calcx4[ll],
      quad: quad && qfactor !== 1,
      outC,
      inExpand: ai.inExpand[ll],
      inExpandThresh: thresh,
      inC: ai.inputChannels[ll],
      qfactor,
    });
    const identity = rows.identity;
    const data = k.data;
    // Room for the values of qfactor rows (flattened layers) or one packed row.
    const packed = new Int32Array(rows.length * (flatten ? qfactor + 1 : 1) + qfactor);
    const valueMask = (1 << qAbs) - 1;
    const value = (r: number, j: number): number => {
      const v = rows.at(r, j);
      return (q === -1 ? Math.min(0, Math.max(-1, v)) : v) & valueMask;
    };

    let procMap = maps.processorMap[ll];
    if (quad) procMap &= 0xffffn;
    const firstProc = ffs(procMap);
    const lastProc = fls(procMap);
    const nextMap = ai.outputProcessorMap[ll];
    let firstOutputProc = ffs(nextMap);
    const startCol = firstOutputProc % 4;
    const outExpand = ai.outExpand[ll];
    if (outExpand > 1) firstOutputProc -= startCol;
    let kc = ai.groups[ll] === 1 ? (1 + fls(nextMap) - firstOutputProc) * outExpand * inExp : inExp;
    if (flatten) {
      let popNext = 0;
      for (let m = nextMap; m; m >>= 1n) popNext += Number(m & 1n);
      kc = kc * rows.length - (outExpand * popNext - outC) * rows.length;
    }
    const res = (kc % qfactor) * ksize * (qfactor - 1);
    let kernLen = Math.floor((kc * ksize * qAbs + res + 71) / 72);
    if (quad) kernLen = Math.floor((kernLen + 3) / 4);
    const kernOffs = memory.kernels.kernOffs[ll];

    const add = (p: number, colTarget: number, b: number): number => {
      let ct = colTarget;
      let proc = p;
      if (quad) {
        ct = Math.floor(ct / 4);
        proc += (colTarget % 4) * 16;
      }
      const col = kernOffs + ct;
      if (col >= maskWidth(dev, proc)) throw new GenerateError(`layer ${ll}: kernel memory of processor ${proc} ends before column ${col}`);
      const at = proc * W + col;
      if (used[at] === 0) map[at] = ll;
      if (used[at] >= 9) throw new GenerateError(`layer ${ll}: kernel column ${col} of processor ${proc} is already full`);
      bytes[at * 9 + 8 - used[at]] = b & 0xff;
      used[at]++;
      return used[at] === 9 ? colTarget + 1 : colTarget;
    };

    // izer walks the output processor map by shifting it qfactor bits at a time; the same walk on an array of its
    // bits (64-bit BigInt shifts per kernel would allocate thousands of BigInts per layer).
    const mapBits = new Uint8Array(64 + qfactor);
    const setFrom = new Int32Array(64 + qfactor + 1).fill(0);
    for (let b = 0, m0 = nextMap >> BigInt(ffs(nextMap)); m0 !== 0n; b++, m0 >>= 1n) mapBits[b] = Number(m0 & 1n);
    for (let b = 64 + qfactor - 1; b >= 0; b--) setFrom[b] = setFrom[b + 1] + mapBits[b];
    const groupEmpty = (at: number): boolean => {
      for (let b = at; b < at + qfactor; b++) if (b < 64 && mapBits[b]) return false;
      return true;
    };
    let ch = 0;
    let m = 0;
    for (let p = firstProc; p <= lastProc; p++) {
      if (((procMap >> BigInt(p)) & 1n) === 0n) continue;
      let colTarget = Math.floor((startCol * ksize * inExp) / 9);
      const colBytes = (startCol * ksize * inExp) % 9;
      for (let i = 0; i < Math.floor(colBytes / qfactor); i++) colTarget = add(p, colTarget, 0);
      const outRange = ai.groups[ll] === 1 ? outExpand : 1;
      for (let expand = 0; expand < outRange; expand++) {
        let bit = 0;
        let col: number;
        let stopCol: number;
        if (ai.groups[ll] === 1) {
          col = expand * ai.outExpandThresh[ll];
          stopCol = col + ai.outExpandThresh[ll];
        } else {
          col = expand;
          stopCol = expand + 1;
        }
        while (col < stopCol) {
          if (bit < 64 && setFrom[bit] > 0) {
            while (groupEmpty(bit)) {
              colTarget++;
              bit += qfactor;
            }
          }
          bit += qfactor;
          const inCh = flatten ? inChan * qfactor : inChan;
          const srcOffs = ch + m * inCh;
          for (let ie = 0; ie < inExp; ie++) {
            if (ie * thresh + ch < inCh && srcOffs < rows.count) {
              // The kernels of up to qfactor output channels, packed into the bytes of one (izer's `k`).
              let packedLength = flatten ? 0 : rows.length;
              if (!flatten) packed.fill(0, 0, rows.length);
              let n = 0;
              for (let i = 0; i < qfactor; i++) {
                if (m < outC) {
                  const idx = n + ie * qfactor;
                  const koffs = srcOffs + (idx % inExp) * thresh + Math.floor(idx / inExp) * inChan;
                  if (koffs < rows.count) {
                    if (flatten) for (let j = 0; j < rows.length; j++) packed[packedLength++] = value(koffs, j);
                    else if (identity && q === 8) for (let j = 0; j < rows.length; j++) packed[j] = data[koffs * rows.length + j] & 0xff;
                    else for (let j = 0; j < rows.length; j++) packed[j] |= value(koffs, j) << (i * qAbs);
                  }
                  n++;
                }
              }
              if (flatten) {
                while (packedLength % qfactor !== 0) packed[packedLength++] = 0;
                for (let i = 0; i < packedLength / qfactor; i++) {
                  let e = packed[i * qfactor];
                  for (let j = 1; j < qfactor; j++) e |= packed[i * qfactor + j] << (j * qAbs);
                  colTarget = add(p, colTarget, e);
                }
              } else {
                for (let i = 0; i < ksize; i++) colTarget = add(p, colTarget, packed[ksize - i - 1]);
              }
            } else {
              for (let i = 0; i < Math.floor(ksize / qfactor); i++) colTarget = add(p, colTarget, 0);
            }
          }
          if (!flatten) {
            col += qfactor;
            m += qfactor;
          } else {
            col++;
            m++;
          }
        }
      }
      if (quad) colTarget = Math.floor((colTarget - startCol + 3) / 4) + startCol;
      if (kernOffs + colTarget < maskWidth(dev, p) && used[p * W + kernOffs + colTarget] > 0) colTarget++;
      while (colTarget - startCol < kernLen) colTarget = add(p, colTarget, 0);
      if (flatten) kernLen = colTarget;
      else if (!ai.newKernelLoader) kernLen = colTarget - startCol;
      ch++;
      m = 0;
    }
  }
  const allocated = memory.kernels.map;
  for (let i = 0; i < map.length; i++) {
    if (map[i] !== allocated[i]) {
      const p = Math.floor(i / W);
      throw new GenerateError(
        `the kernel values fill processor ${p}, column ${i % W} for layer ${map[i]}, where the allocation has layer ${memory.kernels.map[i]}`,
      );
    }
  }
  return { width: W, map, bytes };
}

interface RowOptions {
  flatten: boolean;
  calcx4: boolean;
  quad: boolean;
  outC: number;
  inExpand: number;
  inExpandThresh: number;
  inC: number;
  qfactor: number;
}

/** izer's `kernel_reshaped` for a layer: which stored value is row r, element j. */
function kernelRows(op: string, k: KernelTensor, ks: [number, number], o: RowOptions): KernelRowsView {
  const data = k.data;
  const total = data.length;
  if (o.flatten) {
    const E = o.inExpand;
    const R = total / (o.outC * E);
    const count = o.outC * o.inExpandThresh;
    const length = total / count;
    return {
      count,
      length,
      identity: false,
      at: (r, j) => {
        const f = r * length + j;
        const oc = Math.floor(f / (R * E));
        const rem = f % (R * E);
        return data[oc * E * R + (rem % E) * R + Math.floor(rem / E)];
      },
    };
  }
  const length = op === 'linear' ? ks[0] * ks[1] : k.shape.slice(1).reduce((a, b) => a * b, 1);
  const count = total / length;
  if (o.calcx4) {
    const X = total / o.outC;
    const A = o.outC / 4;
    return {
      count,
      length,
      identity: false,
      at: (r, j) => {
        const f = r * length + j;
        const b = Math.floor(f / (A * X));
        const a = Math.floor(f / X) % A;
        return data[(a * 4 + b) * X + (f % X)];
      },
    };
  }
  if (o.quad) {
    const Q = o.qfactor;
    const K = ks[0] * ks[1];
    const IN = o.inC;
    const inner = IN * K;
    return {
      count,
      length,
      identity: false,
      at: (r, j) => {
        const f = r * length + j;
        const g = Math.floor(f / (4 * Q * inner));
        let rem = f % (4 * Q * inner);
        const c = Math.floor(rem / (Q * inner));
        rem %= Q * inner;
        const qq = Math.floor(rem / inner);
        const x = rem % inner;
        return data[((g * Q + qq) * 4 + c) * inner + x];
      },
    };
  }
  return { count, length, identity: true, at: (r, j) => data[r * length + j] };
}
