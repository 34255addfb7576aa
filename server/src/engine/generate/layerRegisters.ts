// cnn_configure(): every layer's registers in every used quadrant, computed as izer's backend computes them
// (create_net's per-layer register loop): counters, pooling, pointers, control words, kernel mask range, TRAM,
// post-processing, enables and the streaming registers.
import { ffs, fls, popcount } from '../model/processorMask';
import type { GeneratorInput } from './generatorInput';
import { controlAddress, fifoAddress, layerRegisterAddress, RegisterLayout, registerLayout } from './registerLayout';
import { StepList } from './registerProgram';
import { GenerateError } from './generateError';
import { hardwareMaps, HardwareMaps } from './hardwareMaps';

const ELTWISE_CODE = { add: 0b01, sub: 0b00, xor: 0b11, or: 0b10 } as const;

/** The per-layer facts several registers share. */
interface LayerFacts {
  hwAddLayers: number[];
  tramMax: number[];
  /** Input passes rounded up to 4 where the layer computes 4 passes at a time (tcalc). */
  inExpandInvolved: number[];
}

function layerFacts(input: GeneratorInput): LayerFacts {
  const s = input.state;
  const hwAddLayers: number[] = [];
  let added = 0;
  for (let ll = 0; ll < s.layers; ll++) {
    if (s.avgpoolResetLayer[ll]) added++;
    hwAddLayers.push(added);
  }
  const tramMax = new Array<number>(s.layers).fill(0);
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const op = s.hwOperator[ll];
    const pooled = s.hwPooledDim[ll] ?? [0, 0];
    const pad = s.hwPadding[ll];
    const k = s.hwKernelSize[ll];
    if (op === 'none') tramMax[ll] = 1;
    else if (op === 'convtranspose2d') tramMax[ll] = Math.max(0, (pooled[1] - 1) * s.stride[ll][1] + 1 + s.outputPadding[ll][1] + 2 * pad[1] - k[1]) + 1;
    else tramMax[ll] = Math.max(0, pooled[1] + 2 * pad[1] - k[1]) + 1;
  }
  const inExpandInvolved = s.inExpand.map((e, ll) => (s.tcalc[ll] ? (e + 3) & ~3 : e));
  return { hwAddLayers, tramMax, inExpandInvolved };
}

/** Quadrants whose 16 processors include any of `map`. */
const quadrantBits = (map: bigint, q: number): number => Number((map >> BigInt(q * 16)) & 0xffffn);

/** izer writes through a quadrant's own pointer ("local source") when the output processors have uneven gaps. */
function usesLocalSource(input: GeneratorInput, maps: HardwareMaps, ll: number): boolean {
  const s = input.state;
  const opm = s.outputProcessorMap[ll] ?? 0n;
  for (const q of maps.groupsUsed) {
    const gmap = opm & (0xffffn << BigInt(q * 16));
    if (popcount(gmap) <= 1) continue;
    let gapMin = 64;
    let gapMax = 0;
    let p = ffs(gmap);
    while (p < fls(gmap)) {
      const gap = ffs(gmap & ~((1n << BigInt(p + 1)) - 1n)) - p - 1;
      gapMin = Math.min(gap, gapMin);
      gapMax = Math.max(gap, gapMax);
      p += gap + 1;
    }
    if (gapMin !== gapMax || (gapMax > 0 && s.hwOperator[ll] === 'none')) return true;
  }
  return false;
}

/** The highest time-slot count over the used quadrants (passthrough and depth-wise layers). */
function timeSlotCount(input: GeneratorInput, maps: HardwareMaps, ll: number): number {
  const s = input.state;
  let max = 0;
  for (const q of maps.groupsUsed) {
    const n = popcount(BigInt(quadrantBits(maps.processorMap[ll], q)));
    if (s.hwOperator[ll] === 'none') {
      if (n !== 0) max = Math.max(max, Math.floor((Math.floor((n * s.outputWidth[ll]) / 8) - 1) / 4));
    } else if (s.groups[ll] > 1) {
      if (s.broadcastMode[ll]) max = Math.max(max, (Math.min(n - 1, 3) + 1) * (s.outputWidth[ll] / 8) - 1);
      else max = Math.max(max, Math.floor((n * s.outputWidth[ll] + 7) / 8) - 1);
    }
  }
  return max;
}

/** izer's calcx4 reordering of a kernel column index. */
export function calcx4Index(input: GeneratorInput, k: number): number {
  const dev = input.device;
  if (!dev.features.calcx4) return k;
  const small = dev.maskWidthSmall;
  if (k < small) return (k % 4) * (small / 4) + Math.floor(k / 4);
  const r = k - small;
  return (r % 4) * ((dev.maskWidthLarge - small) / 4) + Math.floor(r / 4) + small;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);

export function configureSteps(input: GeneratorInput): StepList {
  const { state: s, device: dev, memory, flags } = input;
  const L = registerLayout(dev);
  const R = L.layer;
  const facts = layerFacts(input);
  const steps = new StepList();
  const maps = hardwareMaps(input);
  const groupsUsed = maps.groupsUsed;
  const first = groupsUsed[0];
  const sumHwLayers = facts.hwAddLayers[s.layers - 1] ?? 0;
  const reg = (q: number, r: number, layer: number) => layerRegisterAddress(L, q, r, layer);
  for (let r = 0; r < flags.repeatLayers; r++) {
    for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
      const hwLayer = r * (s.layers + sumHwLayers) + ll + facts.hwAddLayers[ll];
      const localSource = usesLocalSource(input, maps, ll);
      const tscntMax = timeSlotCount(input, maps, ll);
      const op = s.hwOperator[ll];
      const opm = s.outputProcessorMap[ll] ?? 0n;
      const pm = maps.processorMap[ll];
      const inDim = s.hwInputDim[ll] ?? [0, 0];
      const pool = s.pool[ll];
      const pd = s.poolDilation[ll];
      const ps = s.poolStride[ll];
      const pad = s.hwPadding[ll];
      const k = s.hwKernelSize[ll];
      const inExpand = s.inExpand[ll];
      const operands = s.operands[ll];
      const quantization = s.quantization[ll] ?? 0;
      const outputShift = s.outputShift[ll] ?? (s.bypass[ll] ? 7 : 0);
      const biasGroup = memory.bias.group[ll];
      const biasOffsets = memory.bias.offsets[ll];
      const hasKernels = memory.kernelPointers[ll] !== null;
      const kernOffs = hasKernels ? memory.kernels.kernOffs[ll] : 0;
      const kernCount = hasKernels ? memory.kernels.kernCount[ll] : 0;
      const kernOchan = hasKernels ? memory.kernels.kernOchan[ll] : 0;
      const resetLayer = s.avgpoolResetLayer[ll];
      let flattenProd = 0;

      for (let gi = 0; gi < groupsUsed.length; gi++) {
        const q = groupsUsed[gi];
        const reset = resetLayer && q === first;
        const layerReg = (rn: number, value: number, note: string, force = false) => steps.write(reg(q, rn, hwLayer), value, note, force);
        const resetReg = (rn: number, value: number) => {
          if (reset) steps.write(reg(q, rn, hwLayer - 1), value, 'average-pool reset layer');
        };
        if (reset) steps.heading(`Layer ${r * s.layers + ll} is preceded by an average-pool accumulator reset layer`);
        steps.heading(`Layer ${r * s.layers + ll}, quadrant ${q}`);

        if (R.nextLayer !== null) {
          let v = 0;
          if (flags.linkLayer) v = ll !== s.finalLayer ? (1 << 7) | (ll + 1) : 1 << 8;
          else {
            let lt = s.nextSequence[ll];
            if (lt === -1) {
              if (ll !== s.layers - 1) v = 1 << 8;
            } else if (lt !== ll + 1) v = (1 << 7) | (lt + facts.hwAddLayers[lt]);
            else if (s.snoopSequence[ll] !== null) {
              lt = s.snoopSequence[ll]!;
              v = (1 << 7) | (lt + facts.hwAddLayers[lt]);
            }
          }
          layerReg(R.nextLayer, v, 'next layer');
        }

        let inRow: number;
        let inCol: number;
        if (s.flatten[ll]) [inRow, inCol] = pool;
        else if (op === 'convtranspose2d') [inRow, inCol] = [s.stride[ll][0] * inDim[0], s.stride[ll][1] * inDim[1]];
        else if (op === 'none' && s.emulateEltwise[ll]) [inRow, inCol] = [inDim[0] * inExpand, inDim[1]];
        else [inRow, inCol] = inDim;

        let rows: number;
        let cols: number;
        if (L.countDiffShift !== null) {
          const diffRow = inRow - floorDiv(inRow - pool[0] - pd[0] + 1, ps[0]) * ps[0];
          rows = inRow - diffRow;
          let diff = op === 'conv1d' ? 1 : inCol - floorDiv(inCol - pool[1] - pd[1] + 1, ps[1]) * ps[1];
          diff = (diff + (ps[0] - 1) * inCol) * (s.inputSkip[ll] + 1) * operands * inExpand;
          rows |= diff << L.countDiffShift;
          if (pad[0] > 0) rows |= (1 << L.padEnableShift!) | ((pad[0] - 1) << L.padCountShift);
          const diffCol = inCol - floorDiv(inCol - pool[1] - pd[1] + 1, ps[1]) * ps[1];
          cols = inCol - diffCol;
          cols |= diffCol << L.countDiffShift;
          if (pad[1] > 0) cols |= (1 << L.padEnableShift!) | ((pad[1] - 1) << L.padCountShift);
        } else {
          rows = ((inRow - 1) | (pad[0] << L.padCountShift)) + 2 * pad[0];
          cols = ((inCol - 1) | (pad[1] << L.padCountShift)) + 2 * pad[1];
        }
        resetReg(R.rowCount, 1 << 16);
        layerReg(R.rowCount, rows, 'rows');
        resetReg(R.columnCount, 1 << 16);
        layerReg(R.columnCount, cols, 'columns');

        let poolRows = (pool[0] - 1) * pd[0];
        let poolCols = (pool[1] - 1) * pd[1];
        if (L.countIncShift !== null) {
          poolRows |= (pd[0] - 1) << L.countIncShift;
          poolCols |= (pd[1] - 1) << L.countIncShift;
        }
        layerReg(R.poolRows, poolRows, 'pooling rows');
        layerReg(R.poolColumns, poolCols, 'pooling columns');

        let stride = op === 'convtranspose2d' ? 0 : ps[0] > 1 ? ps[0] - 1 : s.stride[ll][0] - 1;
        if (L.multipassStrideShift !== null) stride |= (ps[0] * operands * inExpand * (s.inputSkip[ll] + 1)) << L.multipassStrideShift;
        resetReg(R.stride, 0x10);
        layerReg(R.stride, stride, 'stride');

        const wp = writePointer(input, pm, L, ll, q, localSource);
        resetReg(R.writePointer, wp);
        layerReg(R.writePointer, wp, 'SRAM write pointer');

        let timeSlotOffset = 0;
        if (op === 'conv2d' || op === 'linear') {
          if (k[0] === 1 && k[1] === 1 && s.groups[ll] === 1) timeSlotOffset = 1;
          else if (s.groups[ll] > 1 && !s.broadcastMode[ll]) timeSlotOffset = dev.instanceSize * 4;
        } else if (op === 'none') {
          timeSlotOffset = popcount(pm) > 4 || (operands > 1 && inExpand > 1) ? dev.instanceSize * 4 : dev.instanceSize;
        }
        resetReg(R.writeTimeSlotOffset, timeSlotOffset);
        layerReg(R.writeTimeSlotOffset, timeSlotOffset, 'write pointer time-slot offset');

        if (op !== 'none') layerReg(R.writeMaskOffset, 1 << L.writePointerShift, 'write pointer mask offset');
        layerReg(R.writeChannelOffset, s.outExpand[ll] > 1 ? (s.outputWidth[ll] / 8) * (s.writeGap[ll] + 1) : 0, 'write pointer multi-pass channel offset');

        const readPointer = Math.floor((s.inputOffset[ll] ?? 0) / 4);
        resetReg(R.readPointer, readPointer);
        layerReg(R.readPointer, readPointer, 'SRAM read pointer');

        let control =
          (s.activation[ll] === 'relu' ? 0x200 : 0) |
          (!s.poolAverage[ll] ? 0x100 : 0) |
          (pool[0] > 1 || pool[1] > 1 ? 0x80 : 0) |
          (s.bigData[ll] ? 0x40 : 0) |
          0x20;
        if (!localSource) control |= 1 << 11;
        if (s.groups[ll] > 1 && s.broadcastMode[ll]) control |= 1 << 29;
        if (s.outputWidth[ll] !== 8) control |= 1 << 16;
        if ((ll !== s.startLayer || !flags.fastFifoQuad) && op !== 'none' && q === first && s.groups[ll] === 1) {
          let sources = 0;
          for (let t = first + 1; t < dev.quadrants; t++) if (quadrantBits(pm, t)) sources |= 1 << t;
          if (typeof biasGroup === 'number' && biasGroup !== q) sources |= 1 << biasGroup;
          control |= sources << 12;
        }
        if (s.readahead[ll] && L.readAheadShift !== null) control |= 1 << L.readAheadShift;
        if (L.columnPrimeShift !== null && op !== 'none') {
          control |= (k[0] - 1) << L.rowPrimeShift!;
          control |= (k[1] - 1) << L.columnPrimeShift;
        }
        if (s.readahead[ll] && L.shiftCountShift !== null) control |= (s.tcalc[ll] ? floorDiv(inExpand - 1, 4) : inExpand - 1) << L.shiftCountShift;
        if (s.bypass[ll]) control |= 1 << 30;
        resetReg(R.control, 0x920);
        layerReg(R.control, control, 'layer control');

        let inExp: number;
        if (s.flatten[ll]) {
          const pooled = s.hwPooledDim[ll] ?? [0, 0];
          flattenProd = inExpand * pooled[0] * pooled[1] - 1;
          inExp = flattenProd & 0x0f;
        } else if (op === 'none' && s.emulateEltwise[ll]) inExp = 0;
        else inExp = inExpand - 1;
        const quant = !s.bypass[ll] ? Math.abs(quantization) : 8;
        let control2 = (((fls(opm) - (ffs(opm) & ~3)) * quant) << L.channelMaxShift) | inExp;
        const writeSkip = op !== 'none' ? s.outExpand[ll] * (s.writeGap[ll] + 1) - 1 : s.writeGap[ll];
        control2 |= writeSkip << 4;
        layerReg(R.control2, control2, 'layer control 2');

        let onedStart = 0;
        let kl = 0;
        let koffs = 0;
        if (op !== 'none') {
          const kc = !s.bypass[ll] ? kernCount : Math.floor(s.outputChannels[ll] / s.groups[ll]);
          kl = (kc - 1) * quant;
          if (ll === s.startLayer && s.calcx4[ll]) {
            kl += quant;
            kl = floorDiv(kl + 3, 4);
            kl -= quant;
          }
          const slots = k[0] * k[1];
          koffs = floorDiv(9 * kernOffs, slots);
          onedStart = (9 * kernOffs) % slots;
          if (s.calcx4[ll]) koffs = calcx4Index(input, koffs);
          koffs *= 8;
        }
        if (R.maskCount !== null) {
          let v: number;
          if (op !== 'none') v = (koffs << L.maskStartShift) | ((kl + koffs) << L.maskEndShift);
          else if (s.emulateEltwise[ll]) v = 0;
          else v = (s.outExpand[ll] - 1) * 8;
          layerReg(R.maskCount, v, 'kernel mask start and end');
        } else if (op !== 'none') {
          layerReg(R.maskEnd!, kl + koffs, 'kernel mask end');
          layerReg(R.maskStart!, koffs, 'kernel mask start');
        } else layerReg(R.maskStart!, (s.outExpand[ll] - 1) * 8, 'kernel mask start');

        if (R.outputChannels !== null) {
          let v: number;
          if (s.bypass[ll]) v = s.outputChannels[ll] - 1;
          else if (op !== 'none' && s.groups[ll] === 1) {
            v = kernOchan - 1;
            if (s.calcx4[ll]) v = floorDiv(v, 4);
          } else if (s.groups[ll] > 1) v = (tscntMax + 1) * inExpand - 1;
          else v = tscntMax;
          layerReg(R.outputChannels, v, 'output channel count');
        }

        let oneD = tscntMax;
        if (op === 'conv1d') oneD |= (k[0] << 8) | (1 << 12);
        else if (((op === 'conv2d' || op === 'linear') && k[0] === 1 && k[1] === 1) || (op === 'none' && operands === 1)) oneD |= 1 << 8;
        if (operands > 1) {
          const elt = s.eltwise[ll];
          if (!elt) throw new GenerateError(`layer ${ll} has ${operands} operands but no element-wise operation`);
          oneD |= (1 << 13) | (ELTWISE_CODE[elt] << 14) | ((operands - 1) << 18);
          if ((pool[0] > 1 || pool[1] > 1) && s.poolFirst[ll]) oneD |= 1 << 16;
          if (op !== 'none') oneD |= 1 << 17;
        }
        oneD |= onedStart << 4;
        resetReg(R.oneD, 0x100);
        layerReg(R.oneD, oneD, 'one-dimensional and element-wise control');

        let tram: number;
        if (op === 'conv1d' || ((op === 'conv2d' || op === 'linear') && k[0] === 1 && k[1] === 1 && (ll === 0 || !s.streaming[ll]))) {
          tram = flattenProd >= 16 ? (flattenProd << 16) | (2 * flattenProd + 1) : 0;
        } else {
          tram = facts.tramMax[ll] - 1;
          if (ll > 0 && s.streaming[ll]) {
            let prevMax = 0;
            for (let i = 0; i < ll; i++) prevMax += facts.tramMax[i] * s.inExpand[i];
            tram += prevMax;
            tram |= prevMax << 16;
          }
        }
        layerReg(R.tramMax, tram, 'TRAM pointer maximum');

        let post = Math.abs(quantization) === 1 ? 1 << 22 : quantization === 2 ? 2 << 22 : quantization === 4 ? 3 << 22 : 0;
        post |= outputShift < 0 ? (-outputShift | 16) << 13 : outputShift << 13;
        const groupOffset = biasOffsets[q];
        if (s.groups[ll] === 1 && q === biasGroup) {
          let offs = groupOffset ?? 0;
          if (s.calcx4[ll]) offs = floorDiv(offs, 4);
          post |= (1 << 12) | offs;
        } else if (groupOffset !== null && (s.groups[ll] > 1 || (flags.fastFifoQuad && ll === 0))) {
          let offs = groupOffset;
          if (s.broadcastMode[ll]) offs = floorDiv(offs, 4);
          post |= (1 << 12) | offs;
        }
        if (op === 'none') post |= operands === 1 ? 3 << 24 : 1 << 24;
        if (s.activation[ll] === 'abs') post |= 1 << 26;
        if (flattenProd >= 16) post |= (1 << 27) | ((flattenProd >> 4) << 18);
        if (op === 'convtranspose2d') post |= 1 << 28;
        if (s.groups[ll] > 1) post |= (1 << 30) | (1 << 24);
        if (s.calcx4[ll]) post |= 1 << 29;
        if (s.tcalc[ll]) post |= 1 << 31;
        resetReg(R.post, 0x03000000);
        layerReg(R.post, post, 'post-processing');

        let enables = quadrantBits(pm, q);
        if (op !== 'none' && !s.bypass[ll]) enables = ((enables << 16) | enables) >>> 0;
        resetReg(R.enables, 1);
        layerReg(R.enables, enables, 'mask and processor enables');

        const regs = input.streaming[ll];
        const invol = ll > s.startLayer && s.streaming[ll] ? facts.inExpandInvolved.slice(0, ll).reduce((a, b) => a + b, 0) : 0;
        let streamStart = regs?.streamStart ?? 0;
        if (flags.fifoGo && ll === s.startLayer) streamStart |= 1 << 25;
        layerReg(R.streamStart, streamStart, 'stream processing start');
        layerReg(R.streamDelta, ((regs?.delta2 ?? 0) << 16) | ((regs?.delta1 ?? 0) << 4) | invol, 'stream processing delta');
        if (flags.fifo && s.streaming[ll] && regs?.rollover != null) layerReg(R.rollover, regs.rollover, 'rollover');

        if (ll === s.startLayer && flags.fifo) {
          let frame = inDim[0] * inDim[1];
          if (s.bigData[ll]) frame = floorDiv(frame + 3, 4);
          steps.write(controlAddress(L, q, L.inputFrame), frame, 'input frame size');
        }
        steps.gap();
      }
    }
  }
  const snoop = input.snoop;
  if (snoop && L.snoop !== null) {
    steps.heading('Conditional execution (snoop registers)');
    for (const q of groupsUsed) {
      for (let i = 0; i < 24; i++) steps.write(controlAddress(L, q, L.snoop + i), snoop[i], `snoop register ${i}`);
      steps.gap();
    }
  }
  if (flags.fifo) fifoControl(input, maps, L, steps);
  return steps;
}

/** The FIFO (or fast FIFO) control written after the layers when the input arrives through the FIFOs. */
function fifoControl(input: GeneratorInput, maps: HardwareMaps, L: RegisterLayout, steps: StepList): void {
  const { state: s, device: dev, flags } = input;
  if (!flags.fastFifo) {
    let v = (0x02 << 2) | (0x02 << 7);
    if (dev.name === 'MAX78000') v |= 1 << 11;
    for (let i = 0; i < s.inputChannels[s.startLayer]; i++) {
      if ((maps.inputProcessors & (1n << BigInt((i % 4) * 16))) !== 0n) v |= 1 << ((i % 4) + 12);
    }
    steps.write(fifoAddress(L, L.fifoControl), v, 'FIFO control');
  } else {
    steps.write(L.fastFifoBase + L.fastFifo.interruptEnable * 4, 0, 'fast FIFO interrupt enable');
    steps.write(L.fastFifoBase + L.fastFifo.control * 4, 10 << 4, 'fast FIFO control: asynchronous, threshold 10');
  }
}

function writePointer(input: GeneratorInput, pm: bigint, L: RegisterLayout, ll: number, q: number, localSource: boolean): number {
  const s = input.state;
  const dev = input.device;
  const opm = s.outputProcessorMap[ll] ?? 0n;
  const op = s.hwOperator[ll];
  let v = floorDiv(s.outputOffset[ll] - s.outIgnore[ll], 4);
  if (!localSource) {
    if (op !== 'none' && s.groups[ll] > 1 && !s.broadcastMode[ll]) {
      const firstGroup = floorDiv(ffs(pm), 16);
      if (q - firstGroup >= 0) {
        let wptr = (q - firstGroup) * 16 + ffs(opm);
        if (q !== firstGroup) wptr -= ffs(pm) % 16;
        v |= floorDiv(wptr, 4) << L.writePointerShift;
      } else v = 0;
    } else {
      let instance: number;
      if (op !== 'none') instance = ffs(opm) & ~3;
      else {
        const own = opm & (0xffffn << BigInt(q * 16));
        instance = own > 0n ? ffs(own) & ~3 : 0;
      }
      v |= ((instance % 4) * dev.instanceSize) | (floorDiv(instance, 4) << L.writePointerShift);
    }
  } else {
    const instance = ffs(opm >> BigInt(q * 4)) & ~3;
    v |= (instance + q * 4) * dev.instanceSize;
  }
  return v;
}
