// Checks izer makes while it computes the layer registers (create_net, per layer): counter and field
// widths, input expansion, element-wise + bias on MAX78002, streaming start/delta/rollover with the
// streaming buffer overlaps, and the consistency of a layer's output with the next layer's input.
// Rules #243–#270.
import { Device } from '../device/devices';
import { layerName, PassContext, reportLayer } from './passContext';
import type { IzerState } from './izerState';
import type { BiasAllocation } from './biasAllocation';

export interface StreamingRegisters {
  streamStart: number;
  delta1: number;
  delta2: number;
  rollover: number | null;
}

const hex = (n: number, w = 4) => n.toString(16).padStart(w, '0');

export function runRegisterChecks(ctx: PassContext, s: IzerState, bias: BiasAllocation | null): (StreamingRegisters | null)[] {
  const { device, flags } = ctx;
  const out: (StreamingRegisters | null)[] = new Array(s.layers).fill(null);
  if (!s.channelsKnown || !s.dimsKnown) return out;
  const streamBuf: ({ start: number; end: number; dmap: number } | null)[] = new Array(s.layers).fill(null);
  const invol: number[] = s.inExpand.map((e, i) => (s.tcalc[i] ? (e + 3) & ~3 : e));
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const inDim = s.hwInputDim[ll];
    if (!inDim) continue;
    checkCounters(ctx, s, ll);
    const flattenProd = s.flatten[ll] && s.hwPooledDim[ll] ? s.inExpand[ll] * s.hwPooledDim[ll]![0] * s.hwPooledDim[ll]![1] - 1 : 0;
    const inExp = s.flatten[ll] ? flattenProd & 0x0f : s.hwOperator[ll] === 'none' && s.emulateEltwise[ll] ? 0 : s.inExpand[ll] - 1;
    if (inExp >= 16)
      reportLayer(
        ctx,
        ll,
        248,
        'error',
        ['processors', 'in_channels'],
        `This layer needs ${inExp + 1} input passes; the hardware allows at most 16 (1024 channels).`,
      );
    const wptrSkip = s.hwOperator[ll] !== 'none' ? s.outExpand[ll] * (s.writeGap[ll] + 1) - 1 : s.writeGap[ll];
    if (wptrSkip >= 2 ** device.maxWptrincBits)
      reportLayer(
        ctx,
        ll,
        249,
        'error',
        ['write_gap'],
        `\`write_gap\` ${s.writeGap[ll]} with ${s.outExpand[ll]} output pass(es) exceeds the write-pointer increment field (${device.maxWptrincBits} bits); izer stops with an assertion.`,
      );
    if (bias && s.groups[ll] === 1) {
      const g = bias.group[ll];
      const offs = typeof g === 'number' ? bias.offsets[ll][g] : null;
      if (offs !== null && (s.calcx4[ll] ? Math.floor(offs / 4) : offs) >= 4096)
        reportLayer(ctx, ll, 253, 'error', ['bias_group'], 'The bias offset does not fit its register field; izer stops with an assertion.');
      if (!device.features.multipassEltwiseConvBias && typeof g === 'number' && s.operator[ll] !== 'none' && s.operands[ll] > 1) {
        reportLayer(
          ctx,
          ll,
          254,
          'error',
          ['eltwise', 'operands'],
          `On ${device.name}, an element-wise operation cannot share a layer with a convolution that has a bias; split it into a separate layer.`,
        );
      }
    }
    const regs = device.name === 'MAX78000' ? streamingMax78000(s, ll) : streamingMax78002(s, ll, flags.pipeline ?? device.features.pipeline);
    if (regs.delta2 >= 2 ** device.maxDsval2Bits)
      reportLayer(
        ctx,
        ll,
        257,
        'error',
        ['max_pool', 'avg_pool', 'pool_stride'],
        `The streaming delta (${regs.delta2}) exceeds ${device.name}'s maximum (${2 ** device.maxDsval2Bits}); reduce pooling.`,
      );
    if (ll > s.startLayer && s.streaming[ll]) {
      const iv = invol.slice(0, ll).reduce((a, b) => a + b, 0);
      if (iv >= 16)
        reportLayer(ctx, ll, 256, 'error', ['streaming'], `The streaming input volume offset (${iv}) is out of range; izer stops with an assertion.`);
    }
    let rollover: number | null = null;
    if (flags.fifo && s.streaming[ll]) {
      rollover = device.name === 'MAX78000' ? rolloverMax78000(s, ll, regs) : rolloverMax78002(s, ll, regs);
      checkRollover(ctx, s, ll, rollover, streamBuf);
    }
    if (s.readahead[ll]) checkReadAhead(ctx, s, ll, device);
    out[ll] = { ...regs, rollover };
    checkNextLayer(ctx, s, ll);
  }
  return out;
}

function checkCounters(ctx: PassContext, s: IzerState, ll: number): void {
  const { device } = ctx;
  const inDim = s.hwInputDim[ll]!;
  const pool = s.pool[ll];
  const pd = s.poolDilation[ll];
  const ps = s.poolStride[ll];
  let inRow: number;
  let inCol: number;
  if (s.flatten[ll]) [inRow, inCol] = pool;
  else if (s.hwOperator[ll] === 'convtranspose2d') [inRow, inCol] = [s.stride[ll][0] * inDim[0], s.stride[ll][1] * inDim[1]];
  else if (s.hwOperator[ll] === 'none' && s.emulateEltwise[ll]) [inRow, inCol] = [inDim[0] * s.inExpand[ll], inDim[1]];
  else [inRow, inCol] = inDim;
  const pad = s.hwPadding[ll];
  const limit = 2 ** device.maxCntBits;
  let ok: boolean;
  if (device.name === 'MAX78002') {
    const diffR = inRow - Math.floor((inRow - pool[0] - pd[0] + 1) / ps[0]) * ps[0];
    const diffC = inCol - Math.floor((inCol - pool[1] - pd[1] + 1) / ps[1]) * ps[1];
    ok = inRow - diffR < limit && inCol - diffC < limit && (pad[0] === 0 || pad[0] - 1 < 4) && (pad[1] === 0 || pad[1] - 1 < 4);
  } else {
    ok = pad[0] < 4 && pad[1] < 4 && inRow - 1 + 2 * pad[0] < limit && inCol - 1 + 2 * pad[1] < limit;
  }
  if (!ok)
    reportLayer(
      ctx,
      ll,
      device.name === 'MAX78002' ? 244 : 243,
      'error',
      ['pad', 'in_dim'],
      `The padded input (${inRow}×${inCol}, pad ${pad.join('/')}) does not fit the row/column counters (${device.maxCntBits} bits); izer stops with an assertion.`,
    );
  if ((pool[0] - 1) * pd[0] >= 16 || (pool[1] - 1) * pd[1] >= 16)
    reportLayer(
      ctx,
      ll,
      245,
      'error',
      ['max_pool', 'avg_pool', 'pool_dilation'],
      `Pooling ${pool.join('×')} is too large: the hardware pools at most 16 rows or columns.`,
    );
  const strideField = s.hwOperator[ll] === 'convtranspose2d' ? 0 : ps[0] > 1 ? ps[0] - 1 : s.stride[ll][0] - 1;
  if (strideField >= 16)
    reportLayer(ctx, ll, 246, 'error', ['pool_stride', 'stride'], `A (pool) stride of ${strideField + 1} exceeds the hardware limit of 16.`);
}

function streamingMax78000(s: IzerState, ll: number): StreamingRegisters {
  const inDim = s.hwInputDim[ll]!;
  const pool = s.pool[ll];
  const ps = s.poolStride[ll];
  const ops = s.operands[ll];
  let streamStart = 0;
  let delta1 = 0;
  let delta2 = 0;
  const fifo = s.fifoFlag;
  if (ll === s.startLayer && fifo) {
    if (s.streaming[ll]) streamStart = (pool[0] - 1) * inDim[1] + pool[1];
    else {
      streamStart = inDim[0] * inDim[1];
      if (s.bigData[ll]) streamStart = Math.floor((streamStart + 3) / 4);
    }
    streamStart *= pool[0];
    if (s.streaming[ll]) {
      delta1 = (ps[1] - 1) * ops;
      delta2 = (pool[0] - 1) * inDim[1] * ops;
    }
  } else if (ll > s.startLayer && s.streaming[ll]) {
    const prev = s.prevSequence[ll];
    const pp = s.hwPooledDim[prev] ?? [0, 0];
    const pk = s.hwKernelSize[prev];
    const ppad = s.hwPadding[prev];
    streamStart = (pp[1] + 2 * ppad[1]) * (pk[0] - 1 + pool[0] - 1) + pk[1] - 1 + pool[1] + 2;
    delta1 = ps[1] * ops;
    delta2 = (ps[0] - 1) * (pp[1] + 2 * ppad[1]) + pool[1] * ops;
  }
  return { streamStart, delta1, delta2, rollover: null };
}

function streamingMax78002(s: IzerState, ll: number, pipeline: boolean): StreamingRegisters & { streamStartHwc: number; colInc: number; rowInc: number } {
  const inDim = s.hwInputDim[ll]!;
  const pool = s.pool[ll];
  const pd = s.poolDilation[ll];
  const ps = s.poolStride[ll];
  const pad = s.hwPadding[ll];
  const ops = s.operands[ll];
  const rowPrim = pad[1] || ps[0];
  const rowInc = Math.max(pool[0] * pd[0], ps[0]);
  const colInc = Math.max(pool[1] * pd[1], ps[1]);
  let lastLayer = false;
  let effectiveCols = 0;
  let colAdjust = 0;
  if (s.streaming[ll]) {
    const next = s.nextSequence[ll];
    if (ll === s.finalLayer || next < 0 || !s.streaming[next]) lastLayer = true;
    if (ll > 0) {
      effectiveCols = Math.floor(inDim[1] / colInc);
      if (effectiveCols * ps[1] + pool[1] > inDim[1]) effectiveCols--;
      colAdjust = colInc === 1 ? 0 : inDim[1] - effectiveCols * colInc;
    } else {
      effectiveCols = Math.floor(inDim[1] / ps[1]);
      if (effectiveCols * ps[1] + pool[1] - 1 > inDim[1]) effectiveCols--;
      colAdjust = inDim[1] - effectiveCols * colInc;
    }
  }
  let streamStart = 0;
  let streamStartHwc = 0;
  const roundup4 = (x: number) => Math.floor((x + 3) / 4);
  if (ll === s.startLayer && s.fifoFlag) {
    if (s.streaming[ll]) {
      if (ps[0] === 1 && pool[0] === 1) streamStart = colInc;
      else {
        streamStart = (rowInc * (inDim[1] + pad[1] * 2) + (pad[1] + 2 * colInc)) * ops;
        if (s.readahead[ll]) streamStart += ps[1];
      }
    } else streamStart = inDim[0] * inDim[1];
    streamStartHwc = streamStart;
    if (s.bigData[ll]) streamStart = roundup4(streamStart);
  } else if (ll > s.startLayer && s.streaming[ll]) {
    streamStart = rowPrim * (inDim[1] + 2 * pad[1]) + (rowInc * (inDim[1] + 2 * pad[1]) + pad[1] + 2 * colInc) * ops;
    if (s.readahead[ll]) streamStart += ps[1];
    if (lastLayer) streamStart += colAdjust * ps[1];
    streamStartHwc = streamStart;
    if (s.bigData[ll]) streamStart = roundup4(streamStart);
  }
  let delta1 = 0;
  let delta2 = 0;
  if (s.streaming[ll]) {
    const skipped = Math.max(0, inDim[1] - effectiveCols * ps[1]);
    if (ll === s.startLayer) {
      delta1 = ps[1] * ops;
      if (ps[0] === 1 && pool[0] === 1) delta1 -= 1;
      if (s.bigData[ll]) delta1 = roundup4(delta1);
      if (ll > 0) delta2 = ps[0] === 1 ? delta1 + colAdjust : (ps[0] - 1) * inDim[1] + colAdjust;
      else delta2 = ps[0] === 1 ? delta1 + skipped : (ps[0] - 1) * inDim[1] + skipped + pool[1] - 1;
      if (s.bigData[ll]) delta2 = roundup4(delta2);
      if (pipeline && delta2 > 0) delta2 += 1;
    } else {
      delta1 = ps[1] * ops;
      if (s.bigData[ll]) delta1 = roundup4(delta1);
      delta2 = ps[0] === 1 ? delta1 + colAdjust : (ps[0] - 1) * inDim[1] + colAdjust;
      if (s.bigData[ll]) delta2 = roundup4(delta2);
    }
  }
  return { streamStart, delta1, delta2, rollover: null, streamStartHwc, colInc, rowInc };
}

function rolloverMax78000(s: IzerState, ll: number, regs: StreamingRegisters): number {
  const inDim = s.hwInputDim[ll]!;
  let val = s.bigData[ll] ? 12 : regs.streamStart + (s.pool[ll][0] - 1) * inDim[1] + Math.max(s.stride[ll][1], s.poolStride[ll][1], s.pool[ll][1]);
  const rem = val % s.inExpand[ll];
  if (rem > 0) val += s.inExpand[ll] - rem;
  return val;
}

function rolloverMax78002(s: IzerState, ll: number, regs: StreamingRegisters): number {
  const r = regs as ReturnType<typeof streamingMax78002>;
  const inDim = s.hwInputDim[ll]!;
  const pad = s.hwPadding[ll];
  const ps = s.poolStride[ll];
  let val: number;
  if (ll === s.startLayer) {
    val = r.streamStartHwc + r.colInc + (ps[1] - 1) * (inDim[1] + pad[1] * 2);
    if (s.bigData[ll]) val *= ps[1] * 4;
  } else {
    const e = s.inExpand[ll];
    val = r.streamStartHwc + (e - 1) * (r.rowInc * inDim[1] + pad[1] + r.colInc) + r.colInc;
    val += (e - (val % e)) % e;
    if (s.bigData[ll]) val = Math.floor((val + 3) / 4);
  }
  return val;
}

/** Data-memory instances (one bit per group of 4 processors) a processor map touches. */
function datamemMap(m: bigint): number {
  let rv = 0;
  for (let p = 0; p < 64; p++) if ((m >> BigInt(p)) & 1n) rv |= 1 << Math.floor(p / 4);
  return rv;
}

const overlaps = (a: [number, number], b: [number, number]) =>
  (a[0] >= b[0] && a[0] <= b[1]) || (a[1] >= b[0] && a[1] <= b[1]) || (b[0] >= a[0] && b[0] <= a[1]) || (b[1] >= a[0] && b[1] <= a[1]);

function checkRollover(ctx: PassContext, s: IzerState, ll: number, val: number, streamBuf: ({ start: number; end: number; dmap: number } | null)[]): void {
  const { device, flags } = ctx;
  const sev = flags.noErrorStop ? 'warning' : 'error';
  const inOffset = s.inputOffset[ll] ?? 0;
  const outOffset = s.outputOffset[ll];
  const ignore = s.outIgnore[ll];
  const om = s.outputProcessorMap[ll] ?? 0n;
  const pm = s.processorMap[ll];
  if ((om & pm) !== 0n) {
    if (inOffset < outOffset - ignore) {
      if (inOffset + val * 4 >= outOffset - ignore) {
        reportLayer(
          ctx,
          ll,
          259,
          sev,
          ['out_offset', 'in_offset'],
          `The streaming input buffer (in_offset 0x${hex(inOffset)} + ${val} words of rollover = up to 0x${hex(inOffset + val * 4)}) runs into this layer's output at 0x${hex(outOffset - ignore)} on the same processors. Move \`out_offset\` higher.`,
        );
      }
    } else {
      if (outOffset + val * 4 >= inOffset) {
        reportLayer(
          ctx,
          ll,
          260,
          sev,
          ['out_offset', 'in_offset'],
          `The output (out_offset 0x${hex(outOffset)} + ${val} words of rollover = 0x${hex(outOffset + val * 4)}) runs into the streaming input at 0x${hex(inOffset)} on the same processors.`,
        );
      }
      if (ll === s.terminatingLayer) {
        const osize = s.outputDim[ll][0] * s.outputDim[ll][1] + s.outPad[ll];
        if (outOffset + osize * s.outExpand[ll] * 4 >= inOffset) {
          reportLayer(
            ctx,
            ll,
            261,
            sev,
            ['out_offset'],
            `The output (0x${hex(outOffset)} + ${osize} pixels × ${s.outExpand[ll]} pass(es) × 4 bytes) runs into the streaming input at 0x${hex(inOffset)}.`,
          );
        }
      }
    }
  }
  const instance = device.instanceWidth * 16;
  if (inOffset + val * 4 >= instance) {
    reportLayer(
      ctx,
      ll,
      262,
      sev,
      ['in_offset'],
      `The streaming input buffer (in_offset 0x${hex(inOffset)} + rollover ${val} words) exceeds the data memory instance (0x${hex(instance)} bytes).`,
    );
  }
  const dmap = datamemMap(ctx.flags.fastFifoQuad && ll === 0 ? pm | 0x1000100010001n : pm);
  streamBuf[ll] = { start: inOffset, end: inOffset + val * 4, dmap };
  const sevOverlap = flags.overlapData ? 'warning' : 'error';
  for (let pl = 0; pl < ll; pl++) {
    const b = streamBuf[pl];
    if (!b) continue;
    if ((b.dmap & dmap) !== 0 && overlaps([inOffset, inOffset + val * 4], [b.start, b.end])) {
      reportLayer(
        ctx,
        ll,
        263,
        sevOverlap,
        ['in_offset', 'processors'],
        `This layer's streaming buffer (0x${hex(inOffset)}–0x${hex(inOffset + val * 4)}) overlaps the streaming buffer of ${layerName(ctx, pl)} (0x${hex(b.start)}–0x${hex(b.end)}) in a shared data memory.`,
      );
    }
    const inst = (o: number) => Math.floor(o / ((device.instanceWidth * 16) / (device.name === 'MAX78002' ? 5 : 1)));
    if (s.readahead[ll] && inst(inOffset) === inst(b.start)) {
      reportLayer(
        ctx,
        ll,
        264,
        'error',
        ['in_offset'],
        `Streaming layers with read-ahead need separate memory instances; this layer and ${layerName(ctx, pl)} both start in instance ${inst(b.start)}.`,
      );
    }
  }
  const next = s.nextSequence[ll];
  if (ll === s.finalLayer || next < 0 || !s.streaming[next]) {
    const odmap = datamemMap(om);
    const oend = outOffset + Math.floor(((s.outputDim[ll][0] * s.outputDim[ll][1] + s.outPad[ll]) * 4 * s.outputWidth[ll]) / 8);
    for (let pl = 0; pl <= ll; pl++) {
      const b = streamBuf[pl];
      if (!b) continue;
      if ((b.dmap & odmap) !== 0 && overlaps([outOffset, oend], [b.start, b.end])) {
        reportLayer(
          ctx,
          ll,
          265,
          sevOverlap,
          ['out_offset'],
          `The output of the last streaming layer (0x${hex(outOffset)}–0x${hex(oend)}) overlaps the streaming buffer of ${layerName(ctx, pl)} (0x${hex(b.start)}–0x${hex(b.end)}) in a shared data memory.`,
        );
      }
    }
  }
}

function checkReadAhead(ctx: PassContext, s: IzerState, ll: number, device: Device): void {
  const inst = (o: number) => Math.floor(o / ((device.instanceWidth * 16) / (device.name === 'MAX78002' ? 5 : 1)));
  const inDim = s.hwInputDim[ll]!;
  const inOffset = s.inputOffset[ll] ?? 0;
  const out = s.outputOffset[ll];
  const inI = [inst(inOffset), inst(inOffset + 4 * s.operands[ll] * s.inExpand[ll] * inDim[0] * inDim[1] - 1)];
  const outI = [inst(out), inst(out + 4 * s.outExpand[ll] * (s.outputDim[ll][0] * s.outputDim[ll][1] + s.outPad[ll]) - 1)];
  if (inI[0] === outI[0] || inI[1] === outI[1]) {
    reportLayer(
      ctx,
      ll,
      266,
      'error',
      ['out_offset', 'in_offset'],
      `In read-ahead mode input and output need different memory instances; the input uses instance(s) ${inI.join('–')}, the output ${outI.join('–')}.`,
    );
  }
}

function checkNextLayer(ctx: PassContext, s: IzerState, ll: number): void {
  if (ctx.flags.linkLayer) return;
  let lt = s.nextSequence[ll];
  if (lt === -1) return;
  if (lt === ll + 1 && s.snoopSequence[ll] !== null) lt = s.snoopSequence[ll]!;
  const ins = s.inSequences[lt];
  if (!ins || !ins.includes(ll) || s.operands[lt] !== 1) return;
  const idx = ins.indexOf(ll);
  const llOffset = s.outputOffset[ll] - idx * s.writeGap[ll] * 4;
  let offs = 0;
  for (const e of ins.slice(0, idx)) offs += (s.outputDim[e] ?? [0, 0])[0] * (s.outputDim[e] ?? [0, 0])[1];
  if (s.inputOffset[lt] !== llOffset && s.outputOffset[ll] !== offs * 4) {
    reportLayer(
      ctx,
      ll,
      269,
      'warning',
      ['out_offset'],
      `${layerName(ctx, lt)} reads from 0x${hex(s.inputOffset[lt] ?? 0)}, but this layer (input #${idx} there, write gap ${s.writeGap[ll]}) writes at 0x${hex(s.outputOffset[ll])}.`,
    );
  }
  const pix = ins.reduce((a, e) => a + (s.outputDim[e] ?? [0, 0])[0] * (s.outputDim[e] ?? [0, 0])[1], 0);
  const nd = s.inputDim[lt];
  const od = s.outputDim[ll];
  if (!nd) return;
  const sameDim = nd[0] === od[0] && nd[1] === od[1];
  if ((s.inputChannels[lt] !== s.outputChannels[ll] * ins.length || !sameDim) && (s.inputChannels[lt] !== s.outputChannels[ll] || nd[0] * nd[1] !== pix)) {
    reportLayer(
      ctx,
      ll,
      270,
      'warning',
      ['out_offset'],
      `${layerName(ctx, lt)} expects ${ins.length} input(s) of ${s.inputChannels[lt]}×${nd.join('×')}, which does not match this layer's output ${s.outputChannels[ll]}×${od.join('×')}.`,
    );
  }
}
