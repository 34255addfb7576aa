// Data memory as izer's simulation tracks it (load.load, unload.verify, datamem): which 32-bit words the
// input loader and each layer write, and the overwrites izer refuses (rules #272, #273, #280–#283).
// izer protects only the data a layer is about to read: the input (for the first layer), the previous
// layer's output and the outputs of layers marked `output`. The map records every write so the data-memory
// view and our own check of older outputs still needed later (AX305) can use it.
import type { Device } from '../device/devices';
import { ffs, popcount } from '../model/processorMask';
import { layerName, PassContext, reportLayer } from './passContext';
import type { IzerState } from './izerState';

export interface LayerWrites {
  layer: number;
  /** Word indexes into the data memory (see wordIndex). */
  words: Int32Array;
}

export interface DataMemoryTrace {
  /** Words the input loader writes (empty with --fifo). */
  input: Int32Array;
  /** Output words per layer, in simulation order. */
  layers: LayerWrites[];
  /** Words per quadrant (MEM_SIZE × 4). */
  quadrantWords: number;
}

const UNUSED = 0;
const INPUT = 1;
const ownerOf = (ll: number) => ll + 2;

/** Index of the 32-bit word at byte offset `offs` relative to the start of data memory (izer's datamem.idx). */
export function wordIndex(dev: Device, byteOffs: number): number {
  const group = Math.floor(byteOffs / dev.quadrantStride);
  const mem = byteOffs % dev.quadrantStride;
  return group * dev.memSize * 4 + (mem >> 2);
}

/** Data-memory instance (0–15) and byte offset in it of a word of the trace: the places of the data-memory map. */
export function wordLocation(dev: Device, quadrantWords: number, w: number): { instance: number; byte: number } {
  const quadrant = Math.floor(w / quadrantWords);
  const inQuadrant = w % quadrantWords;
  const span = 4 * dev.instanceSize;
  return { instance: quadrant * 4 + Math.floor(inQuadrant / span), byte: (inQuadrant % span) * 4 };
}

const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');

/**
 * One vocabulary for places in data memory (diagnostics, hovers, the data-memory map, explain-mismatch):
 * "data memory 1 (processors 4–7) at offset 0x0000" — the offset in the memory instance, as `in_offset` and
 * `out_offset` count it.
 */
export function memoryPlaceText(instance: number, start: number, end?: number): string {
  const at = end === undefined || end - start <= 1 ? `at offset ${hex4(start)}` : `at offsets ${hex4(start)}–${hex4(end - 1)}`;
  return `data memory ${instance} (processors ${4 * instance}–${4 * instance + 3}) ${at}`;
}

/** `out_offset: 0x4000` as the user wrote it, or the default. */
function outOffsetText(ctx: PassContext, ll: number): string {
  const v = ctx.model.layers[ll]?.entries.get('out_offset')?.value;
  return v && v.type === 'scalar' ? `\`out_offset: ${v.text}\`` : 'no `out_offset` (0x0000)';
}

function placeOfWord(ctx: PassContext, trace: DataMemoryTrace, w: number): string {
  const loc = wordLocation(ctx.device, trace.quadrantWords, w);
  return memoryPlaceText(loc.instance, loc.byte);
}

function describeOwner(ctx: PassContext, owner: number): string {
  return owner === INPUT ? 'the input loader' : layerName(ctx, owner - 2);
}

export function runDataMemoryChecks(ctx: PassContext, s: IzerState): DataMemoryTrace | null {
  // With --overlap-data izer checks nothing here; the memory view computes the trace on demand.
  if (ctx.flags.overlapData) return null;
  const trace = traceDataMemory(ctx, s);
  if (trace) checkOlderOutputs(ctx, s, trace);
  return trace;
}

/** AX305: a layer reads an older output (through `in_sequences`) that a layer in between, or its own output, overwrites. */
function checkOlderOutputs(ctx: PassContext, s: IzerState, trace: DataMemoryTrace): void {
  const order = trace.layers.map((l) => l.layer);
  const pos = new Map(order.map((ll, i) => [ll, i]));
  const stamp = new Uint16Array(ctx.device.quadrants * ctx.device.memSize * 4);
  let serial = 0;
  for (const reader of order) {
    const ins = s.inSequences[reader];
    if (!ins) continue;
    for (const k of ins) {
      if (k < 0 || k === s.prevSequence[reader] || !pos.has(k) || pos.get(k)! >= pos.get(reader)!) continue;
      if (++serial > 0xffff) {
        stamp.fill(0);
        serial = 1;
      }
      markWords(trace.layers[pos.get(k)!].words, stamp, serial);
      // Up to and including the reader itself: its own output must not land on an input it is still reading.
      for (let i = pos.get(k)! + 1; i <= pos.get(reader)!; i++) {
        const writer = trace.layers[i];
        if (anyMarked(writer.words, stamp, serial)) {
          const whoReads =
            writer.layer === reader
              ? 'which this layer reads through `in_sequences` while writing'
              : `which ${layerName(ctx, reader)} reads later through \`in_sequences\``;
          reportLayer(
            ctx,
            writer.layer,
            'AX305',
            'warning',
            ['out_offset'],
            `This layer's output overwrites data memory still holding the output of ${layerName(ctx, k)}, ${whoReads}. izer does not check this, and the hardware result will differ from the simulation. Move this layer's \`out_offset\`.`,
            {
              related: [{ range: rangeOfKey(ctx, reader, 'in_sequences'), message: `${layerName(ctx, reader)} reads ${layerName(ctx, k)} here` }],
            },
          );
          break;
        }
      }
    }
  }
}

function markWords(words: Int32Array, stamp: Uint16Array, serial: number): void {
  for (let i = 0; i < words.length; i++) if (words[i] >= 0) stamp[words[i]] = serial;
}

function anyMarked(words: Int32Array, stamp: Uint16Array, serial: number): boolean {
  for (let i = 0; i < words.length; i++) if (words[i] >= 0 && stamp[words[i]] === serial) return true;
  return false;
}

function rangeOfKey(ctx: PassContext, ll: number, key: string): readonly [number, number] {
  const l = ctx.model.layers[ll];
  const e = l.entries.get(key);
  return e ? (e.value ?? e.key).range : l.node.range;
}

/** The words written by the input loader and every layer, with izer's overwrite checks (unless --overlap-data). */
export function traceDataMemory(ctx: PassContext, s: IzerState): DataMemoryTrace | null {
  if (!s.channelsKnown || !s.dimsKnown || !s.inputSize) return null;
  const dev = ctx.device;
  const total = dev.quadrants * dev.memSize * 4;
  const trace: DataMemoryTrace = { input: new Int32Array(0), layers: [], quadrantWords: dev.memSize * 4 };
  const sevStop = ctx.flags.noErrorStop ? 'warning' : 'error';

  const live = new LiveMap(total);
  if (!loadInput(ctx, s, live, trace, total)) return trace;

  const overwriteOk = ctx.flags.overlapData;
  // A serial of the layer that last wrote each word; only "this same layer" matters, so a wrap just clears it.
  const lastWriter = new Uint16Array(total);
  let writerSerial = 0;
  let ll = s.startLayer;
  const seen = new Set<number>();
  while (ll >= 0 && ll < s.layers && !seen.has(ll)) {
    seen.add(ll);
    const words = layerWords(ctx, s, ll, total);
    if (!words) break;
    trace.layers.push({ layer: ll, words: words.list });
    if (words.overflow !== null)
      reportLayer(
        ctx,
        ll,
        282,
        'error',
        ['out_offset'],
        `The output runs past the end of data memory (from ${outOffsetText(ctx, ll)}, izer's byte address 0x${words.overflow.toString(16)} is beyond the last data memory).`,
      );
    // What the next layer may not overwrite (izer's in_map): usually this layer's output alone, which the scan for
    // overwrites can record as it goes (see LiveMap.scan).
    const next = s.nextSequence[ll];
    const keepRecent = next >= 0 && s.streaming[next];
    const onlyThisLayer = !keepRecent && !s.outputLayer[ll];
    let claimed = false;
    if (!s.streaming[ll] && !overwriteOk) {
      if (++writerSerial > 0xffff) {
        lastWriter.fill(0);
        writerSerial = 1;
      }
      const found = live.scan(words.list, lastWriter, writerSerial, onlyThisLayer ? ownerOf(ll) : null);
      claimed = onlyThisLayer;
      const k280 = found.live;
      const k281 = found.repeat;
      const report280 = () => {
        const at = words.at(k280);
        reportLayer(
          ctx,
          ll,
          280,
          sevStop,
          ['out_offset'],
          `This layer's output (channel ${at.c}, row ${at.row}, column ${at.col}, processor ${at.proc}; ${outOffsetText(ctx, ll)}) would overwrite ${placeOfWord(ctx, trace, words.list[k280])}, written by ${describeOwner(ctx, found.owner)}, which is still needed. Use another \`out_offset\` (e.g. the other half of the data memory).`,
        );
      };
      const report281 = () => {
        const at = words.at(k281);
        reportLayer(
          ctx,
          ll,
          281,
          sevStop,
          ['out_offset', 'write_gap'],
          `Two output words of this layer land on the same address (channel ${at.c}, row ${at.row}, column ${at.col}); the output processors, passes and \`write_gap\` overlap.`,
        );
      };
      // In the order izer's walk meets them.
      const conflicts: [number, () => void][] = [
        [k280, report280],
        [k281, report281],
      ];
      for (const [, report] of conflicts.filter(([k]) => k >= 0).sort((a, b) => a[0] - b[0])) report();
    }
    const written = s.streaming[ll] ? new Int32Array(0) : words.list;
    if (keepRecent) live.add(written, ownerOf(ll));
    else if (s.outputLayer[ll]) {
      live.addOutputs(written, ownerOf(ll));
      live.reset();
    } else if (!claimed) {
      live.reset();
      live.add(written, ownerOf(ll));
    }
    const n = s.simulatedSequence[ll] !== null ? s.simulatedSequence[ll]! : s.nextSequence[ll];
    if (n === -1) break;
    ll = n;
  }
  return trace;
}

/** izer's in_map: the outputs of `output` layers so far, plus a set of newer writes that `reset` clears. */
class LiveMap {
  private readonly outputs: Uint16Array;
  private readonly recent: Uint16Array;
  private readonly stamp: Int32Array;
  private epoch = 1;

  constructor(size: number) {
    this.outputs = new Uint16Array(size);
    this.recent = new Uint16Array(size);
    this.stamp = new Int32Array(size);
  }

  get(w: number): number {
    return this.stamp[w] === this.epoch ? this.recent[w] : this.outputs[w];
  }

  add(words: Int32Array, owner: number): void {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w < 0) continue;
      this.stamp[w] = this.epoch;
      this.recent[w] = owner;
    }
  }

  addOutputs(words: Int32Array, owner: number): void {
    for (let i = 0; i < words.length; i++) if (words[i] >= 0) this.outputs[words[i]] = owner;
  }

  reset(): void {
    this.epoch++;
  }

  /**
   * One pass over a layer's output words: the first that is still live (an overwrite) and its owner, and the first
   * that repeats an earlier word of the same layer (`lastWriter` holds a serial per word, `serial` is this layer's);
   * -1 where there is none. With `claim`, the pass also does what reset() then add(words, claim) would: the words
   * are stamped with the next epoch, which the reads of this pass do not see. (A word seen again later in the pass
   * then reads as not recent; it was not live at its first sight either, or the first overwrite was found there.)
   */
  scan(list: Int32Array, lastWriter: Uint16Array, serial: number, claim: number | null): { live: number; owner: number; repeat: number } {
    const { stamp, recent, outputs, epoch } = this;
    const next = epoch + 1;
    let firstLive = -1;
    let owner = UNUSED;
    let firstRepeat = -1;
    for (let k = 0; k < list.length; k++) {
      const w = list[k];
      if (w < 0) continue;
      if (firstLive < 0) {
        const o = stamp[w] === epoch ? recent[w] : outputs[w];
        if (o !== UNUSED) {
          firstLive = k;
          owner = o;
        }
      }
      if (lastWriter[w] === serial) {
        if (firstRepeat < 0) firstRepeat = k;
      } else lastWriter[w] = serial;
      if (claim !== null) {
        stamp[w] = next;
        recent[w] = claim;
      }
    }
    if (claim !== null) this.epoch = next;
    return { live: firstLive, owner, repeat: firstRepeat };
  }
}

/** The input loader's writes (load.load), with izer's checks on them. Returns false when izer stops there. */
function loadInput(ctx: PassContext, s: IzerState, live: LiveMap, trace: DataMemoryTrace, total: number): boolean {
  const dev = ctx.device;
  const start = s.startLayer;
  const inSize = s.inputSize!;
  const inChan = s.inputChannels[start];
  const ops = s.operands[start];
  if (ops !== Math.floor(inSize[0] / Math.max(1, inChan))) {
    reportLayer(
      ctx,
      start,
      272,
      'error',
      ['in_channels', 'processors'],
      `The sample input has ${inSize[0]} channels${ops > 1 ? ` for ${ops} operands` : ''}, but the first layer's weights expect ${inChan} input channels.`,
    );
    return false;
  }
  if (ctx.flags.fifo) return true;
  const chw = s.bigData[start];
  const pm = s.processorMap[start];
  const inExpand = s.inExpand[start];
  const thresh = s.inExpandThresh[start];
  const inputOffset = s.inputOffset[start] ?? 0;
  const dim = s.inputDim[start] ?? [inSize[1], inSize[2]];
  const words: number[] = [];
  const seenInput = new Uint8Array(total);
  // Words below the start of data memory (an offset that is reported elsewhere) are rare: a set is enough for them.
  const seenBelow = new Set<number>();
  const step = chw ? 1 : 4;
  let c = 0;
  let dataOffs: number | null = null;
  let overwriteReported = false;
  const store = (byteOffs: number, ch: number, row: number, col: number) => {
    const w = wordIndex(dev, byteOffs);
    if (w >= total) return;
    const again = w >= 0 ? seenInput[w] === 1 : seenBelow.has(w);
    if (again && !overwriteReported) {
      overwriteReported = true;
      reportLayer(
        ctx,
        start,
        283,
        ctx.flags.noErrorStop ? 'warning' : 'error',
        ['in_offset', 'processors'],
        `Loading the input writes the same data-memory word twice (channel ${ch}, row ${row}, column ${col} in ${placeOfWord(ctx, trace, w)}): the input is too large for \`in_offset\` 0x${inputOffset.toString(16)} or two channels share a memory.`,
      );
    }
    if (w >= 0) seenInput[w] = 1;
    else seenBelow.add(w);
    words.push(w);
  };
  for (let ch = 0; ch < dev.maxChannels; ch += step) {
    const instanceMap = Number((pm >> BigInt(ch % 64)) & BigInt((1 << step) - 1));
    if (!instanceMap) continue;
    const numCh = popcount(BigInt(instanceMap));
    const group = Math.floor((ch % 64) / 16);
    const expand = Math.floor(c / thresh);
    const instance = Math.floor((ch % 16) / 4);
    let newOffs = dev.quadrantStride * group + dev.instanceSize * 16 * instance + expand * 4 * ops;
    if (expand === 0) newOffs += inputOffset;
    if (newOffs === dataOffs) {
      reportLayer(
        ctx,
        start,
        273,
        'error',
        ['processors'],
        `Processors ${ch - 1} and ${ch} would load their input channels into the same data-memory words; with CHW data each input channel needs its own memory (one processor per group of 4).`,
      );
      return false;
    }
    dataOffs = newOffs;
    if (chw) {
      let offs = dataOffs;
      let shift = 0;
      for (let row = 0; row < dim[0]; row++) {
        for (let col = 0; col < dim[1]; col++) {
          shift = (row * dim[1] + col) % 4;
          if (shift === 3) store(offs & ~3, c, row, col);
          offs++;
        }
      }
      if (shift !== 3) store(offs & ~3, c, dim[0] - 1, dim[1] - 1);
      c += 1;
    } else {
      let offs = dataOffs;
      for (let row = 0; row < dim[0]; row++) {
        for (let col = 0; col < dim[1]; col++) {
          for (let op = 0; op < ops; op++) {
            store(offs, c + numCh, row, col);
            offs += 4;
          }
          offs += 4 * (inExpand - 1) * ops;
        }
      }
      c += numCh;
    }
    if (c >= thresh * inExpand) break;
  }
  trace.input = Int32Array.from(words);
  live.add(trace.input, INPUT);
  return true;
}

interface WriteAt {
  c: number;
  row: number;
  col: number;
  proc: number;
}

/** The data-memory words one layer's output occupies (unload.verify's address walk). */
function layerWords(ctx: PassContext, s: IzerState, ll: number, total: number): { list: Int32Array; at(k: number): WriteAt; overflow: number | null } | null {
  const dev = ctx.device;
  const om = s.outputProcessorMap[ll];
  if (om === null || om === 0n) return null;
  const C = s.outputChannels[ll];
  const [H, W] = s.outputDim[ll];
  // A layer whose output size is not positive has been reported already; it writes nothing here.
  if (!(H > 0 && W > 0 && C > 0) || H * W * C > 1 << 26) return null;
  const outSize = s.outputWidth[ll] / 8;
  const width = s.outExpand[ll] * outSize;
  const thresh = s.outExpandThresh[ll];
  const gap = s.writeGap[ll] + 1;
  const start = ffs(om) & ~3;
  const mapInit = om >> BigInt(start);
  // The channel walk is the same for every pixel: work it out once.
  const steps: { proc: number; expand: number; c: number; n: number }[] = [];
  let thisMap = mapInit;
  let poffs = start;
  let c = 0;
  let guard = 0;
  while (c < C && guard++ < 4096) {
    if (c % thresh === 0) {
      poffs = start;
      thisMap = mapInit;
    }
    const c0 = c;
    const expand = Math.floor(c / thresh);
    for (let i = 0; i < 4; i++) {
      if (thisMap & 1n) c++;
      thisMap >>= 1n;
    }
    if (c > c0) steps.push({ proc: poffs & ~3, expand, c: c0, n: Math.min(c - c0, C - c0) });
    poffs += 4;
    if (thisMap === 0n && c === c0) break;
  }
  const slot: { step: number; i: number }[] = [];
  steps.forEach((st, si) => {
    const count = outSize === 1 ? 1 : Math.min(st.n, outSize);
    for (let i = 0; i < count; i++) slot.push({ step: si, i });
  });
  const plane = H * W;
  const perPixel = slot.length;
  const list = new Int32Array(perPixel * plane);
  let overflow: number | null = null;
  const bases = steps.map(
    (st) => s.outputOffset[ll] + ((st.proc % 16) * dev.instanceSize + (Math.floor(st.proc / 16) * dev.quadrantStride) / 4 + st.expand * outSize * gap) * 4,
  );
  const pixelStride = width * gap * 4;
  // Each slot's byte address at pixel 0; the word walk below is wordIndex written out for the hot loop.
  const slotBase = new Float64Array(perPixel);
  for (let j = 0; j < perPixel; j++) slotBase[j] = bases[slot[j].step] + slot[j].i * outSize;
  const stride = dev.quadrantStride;
  const quadrantWords = dev.memSize * 4;
  // Both devices' quadrant strides are powers of two: for addresses from 0 up the division is a shift.
  const shift = Math.log2(stride);
  const shiftable = Number.isInteger(shift) && slotBase.every((b) => b >= 0 && b + plane * pixelStride < 2 ** 31);
  let k = 0;
  for (let d = 0; d < plane; d++) {
    const pixelByte = d * pixelStride;
    for (let j = 0; j < perPixel; j++) {
      const byte = slotBase[j] + pixelByte;
      const w = shiftable ? (byte >> shift) * quadrantWords + ((byte & (stride - 1)) >> 2) : Math.floor(byte / stride) * quadrantWords + ((byte % stride) >> 2);
      if (w >= total) {
        if (overflow === null) overflow = byte;
        list[k++] = -1;
        continue;
      }
      list[k++] = w;
    }
  }
  return {
    list,
    overflow,
    at: (idx: number) => {
      const d = Math.floor(idx / perPixel);
      const st = steps[slot[idx % perPixel].step];
      return { c: st.c + (outSize === 1 ? 0 : slot[idx % perPixel].i), row: Math.floor(d / W), col: d % W, proc: st.proc };
    },
  };
}
