// cnn_unload(): copies the output layers from data memory into the caller's buffer in izer's layout (channel by
// channel; 8-bit outputs as bytes, 32-bit outputs as words), reading the words izer's code reads and, with --mlator,
// through the hardware's byte-reordering path.
import { ffs, popcount } from '../model/processorMask';
import { cFunction, hex } from './cText';
import type { GeneratorInput } from './generatorInput';
import { controlAddress, layerRegisterAddress, registerLayout } from './registerLayout';

type ByteRead = [offset: number, shift: number];

export function unloadFunction(input: GeneratorInput): string {
  const { state: s, device: dev, flags, options } = input;
  const L = registerLayout(dev);
  const sramBase = L.apbBase + L.dataMemory;
  const layers = s.outputLayer.slice(0, s.layers);
  const shape = (ll: number): [number, number, number] => [s.outputChannels[ll], s.outputDim[ll][0], s.outputDim[ll][1]];
  const mlatorChunk = options.unrollMlator;
  const narrowChunk = options.unroll8bit;
  const wideChunk = options.unrollWide;

  const widths = new Set<number>();
  const mlatorLayers: number[] = [];
  layers.forEach((isOutput, ll) => {
    if (!isOutput) return;
    widths.add(s.outputWidth[ll]);
    const [c, h, w] = shape(ll);
    if (s.outputWidth[ll] !== 8) return;
    if (c > 1 && (h * w) % 4 !== 0) return;
    if (h * w < 4) return;
    if (flags.mlator) mlatorLayers.push(ll);
  });
  const oWidth = widths.has(8) ? 8 : 32;
  const param = `uint32_t *out_buf${oWidth !== 32 ? '32' : ''}`;
  let text = '';
  let needI = false;
  let needOffs = false;
  let readAddr: number | null = null;
  let writeAddr: number | null = null;
  let written = 0;
  let outAddr = 0;
  let haveNonMlator = false;
  let firstOutput = true;

  const mlatorRead = (prefix: string, comment: string, size: number) => `${prefix}  out_buf${size !== 32 ? '32' : ''}[offs++] = *mlat;${comment}\n`;
  const mlatorLoop = (num: number, size: number): string => {
    if (mlatorChunk === 1) return '';
    let r = '';
    if (num >= 2 * mlatorChunk) {
      r += `  for (i = 0; i < ${Math.floor(num / mlatorChunk)}; i++) {\n`;
      for (let k = 0; k < mlatorChunk; k++) r += mlatorRead('  ', '', size);
      r += '  }\n';
      num %= mlatorChunk;
    }
    while (num-- > 0) r += mlatorRead('', '', size);
    return r;
  };

  layers.forEach((isOutput, ll) => {
    if (!isOutput) return;
    const [C, H, W] = shape(ll);
    const width8 = s.outputWidth[ll];
    text += `\n  // Layer ${ll}: ${width8}-bit output, ${C} channel${C === 1 ? '' : 's'} of ${H}x${W}\n`;
    if (oWidth !== 32 && H * W !== 1) needOffs = true;
    const outSize = width8 / 8;
    const pmap = s.outputProcessorMap[ll] ?? 0n;
    const coffsStart = ffs(pmap) & ~3;
    let poffs = coffsStart;
    const mapInit = pmap >> BigInt(coffsStart);
    let nextMap = mapInit;
    const stride = s.outExpand[ll] * outSize;
    const gap = s.writeGap[ll] + 1;
    const thresh = s.outExpandThresh[ll];
    let mlatAddr: number | null = null;
    const wordList: number[] = [];
    const byteList: ByteRead[] = [];
    let c = 0;
    while (c < C) {
      if (c % thresh === 0) {
        poffs = coffsStart;
        nextMap = mapInit;
      }
      const expand = Math.floor(c / thresh);
      const proc = poffs & ~3;
      const procBase = ((proc % 16) * dev.instanceSize) | ((Math.floor(proc / 16) * dev.quadrantStride) / 4);
      if (!mlatorLayers.includes(ll)) {
        haveNonMlator = true;
        for (let doffs = 0; doffs < H * W; doffs++) {
          let thisMap = nextMap;
          let offs = s.outputOffset[ll] + (procBase + doffs * stride + expand * outSize) * gap * 4;
          for (let shift = 0; shift < 4; shift++) {
            if (thisMap & 1n) {
              if (oWidth === 32) {
                wordList.push(offs);
                offs += 4;
              } else if (outSize === 4) {
                for (let b = 0; b < 4; b++) byteList.push([offs + 4 * shift, b]);
              } else byteList.push([offs, shift]);
            }
            thisMap >>= 1n;
          }
        }
      } else {
        let thisMap = nextMap;
        const q = Math.floor(proc / 16);
        const mlat = controlAddress(L, q, L.mlator);
        const ctrl = controlAddress(L, q, L.ctl);
        if (mlatAddr !== mlat) {
          mlatAddr = mlat;
          text += `  ctrl = (volatile uint32_t *) ${hex(ctrl)};\n  mlat = (volatile uint32_t *) ${hex(mlat)};\n`;
        }
        let thisC = c;
        let loopCount = 0;
        for (let shift = 0; shift < 4; shift++) {
          if (thisMap & 1n) {
            text += `  // Channel ${thisC}\n`;
            for (let doffs = 0; doffs < H * W; doffs += 4) {
              let row: number;
              let col: number;
              if (H === 1 || W === 1) [row, col] = [0, doffs];
              else [row, col] = [Math.floor(doffs / W), doffs % W];
              const source = s.outputOffset[ll] + (procBase + (doffs >> 2) * stride + expand * outSize) * gap * 4;
              const target = thisC * H * W + row * H + col + written;
              if (target !== writeAddr) text += `  offs = ${hex(target >> 2, 4)};\n`;
              if (source !== readAddr) {
                if (loopCount > 0) {
                  text += mlatorLoop(loopCount, outSize);
                  loopCount = 0;
                }
                if (doffs !== 0) text += `  *ctrl = ${hex(1 << 3)}; // byte reordering off\n`;
                text += `  *((volatile uint32_t *) ${hex(layerRegisterAddress(L, q, L.layer.writePointer, 0))}) = ${hex(doffs)}; // SRAM address\n`;
                text += `  *((volatile uint32_t *) ${hex(layerRegisterAddress(L, q, L.layer.control2, 0))}) = ${hex(expand)}; // pointer increment\n`;
                text += `  *ctrl = ${hex((1 << 16) | (shift << 17) | (1 << 3))}; // byte reordering on, byte ${shift}\n`;
                text += '  asm volatile ("" : "=m" (*mlat) : "r" (*mlat)); // first read primes the path\n';
              }
              if (mlatorChunk === 1) text += mlatorRead('', ` // channel ${thisC}, row ${row}, columns ${col}-${col + 3}`, outSize);
              loopCount++;
              readAddr = source + 4;
              writeAddr = target + 4;
            }
            if (loopCount > 0) {
              text += mlatorLoop(loopCount, outSize);
              loopCount = 0;
            }
            text += `  *ctrl = ${hex(1 << 3)}; // byte reordering off\n`;
          }
          thisC++;
          thisMap >>= 1n;
        }
      }
      poffs += 4;
      c += popcount(nextMap & 0x0fn);
      nextMap >>= 4n;
    }

    if (wordList.length > 0) {
      let idx = 0;
      const chunk = Math.max(1, wideChunk);
      while (idx < wordList.length) {
        const deltaR = idx + 1 < wordList.length ? wordList[idx + 1] - wordList[idx] : 4;
        let run = 0;
        // izer compares the list's first deltas here (not those at idx), which this keeps.
        while (idx + run + 1 < wordList.length && wordList[run + 1] - wordList[run] === deltaR) run++;
        if (outAddr === 0 || outAddr !== sramBase + wordList[idx]) {
          text += `  addr = (volatile uint32_t *) ${hex(sramBase + wordList[idx])};\n`;
          outAddr = sramBase + wordList[idx];
        }
        let remaining = run + 1;
        while (remaining > 0) {
          const loops = Math.max(1, wideChunk > 0 ? Math.floor(remaining / chunk) : 1);
          const prefix = loops > 1 ? '  ' : '';
          if (loops > 1) {
            needI = true;
            text += `  for (i = 0; i < ${loops}; i++) {\n`;
          }
          for (let k = 0; k < Math.min(remaining, chunk); k++) {
            if (deltaR === 4) text += `${prefix}  *out_buf++ = *addr++;\n`;
            else text += `${prefix}  *out_buf++ = *addr;\n${prefix}  addr ${deltaR >= 0 ? '+' : '-'}= ${hex(Math.abs(deltaR) / 4, 4)};\n`;
          }
          if (loops > 1) text += '  }\n';
          remaining -= loops * chunk;
          outAddr += loops * chunk;
        }
        idx += run + 1;
      }
    } else if (byteList.length > 0) {
      let idx = 0;
      const xy = H * W;
      const shortWrite = xy === 1;
      const chunk = Math.max(1, narrowChunk);
      if (!shortWrite) text += '  offs = 0x0000;\n';
      if (!firstOutput) text += `  out_buf = ((uint8_t *) out_buf32) + ${hex(written, 4)};\n`;
      while (idx < byteList.length) {
        const shifts: number[] = [];
        const read = byteList[idx][0];
        let count = 0;
        while (idx + count < byteList.length && byteList[idx + count][0] === read) shifts.push(byteList[idx + count++][1]);
        const deltaR = idx + count < byteList.length ? byteList[idx + count][0] - byteList[idx][0] : 4;
        let run = 0;
        while (idx + count * (run + 1) < byteList.length && byteList[idx + count * (run + 1)][0] - byteList[idx + count * run][0] === deltaR) run++;
        if (outAddr === 0 || outAddr !== sramBase + read) {
          text += `  addr = (volatile uint32_t *) ${hex(sramBase + read)};\n`;
          outAddr = sramBase + read;
        }
        let remaining = run + 1;
        while (remaining > 0) {
          const loops = Math.max(1, narrowChunk > 0 ? Math.floor(remaining / chunk) : 1);
          const prefix = loops > 1 ? '  ' : '';
          if (loops > 1) {
            needI = true;
            text += `  for (i = 0; i < ${loops}; i++) {\n`;
          }
          for (let k = 0; k < Math.min(remaining, chunk); k++) {
            if (deltaR === 4) text += `${prefix}  val = *addr++;\n`;
            else text += `${prefix}  val = *addr;\n${prefix}  addr ${deltaR >= 0 ? '+' : '-'}= ${hex(Math.abs(deltaR) / 4, 4)};\n`;
            for (const sh of shifts) {
              const dst = shortWrite ? `${prefix}  *out_buf++ = ` : `${prefix}  out_buf[offs${sh > 0 ? '+' + hex(xy * sh, 2) : ''}] = `;
              text += `${dst}${sh === 0 ? 'val' : `(val >> ${sh * 8})`} & 0xff;\n`;
            }
            if (!shortWrite) text += `${prefix}  offs++;\n`;
          }
          if (loops > 1) text += '  }\n';
          remaining -= loops * chunk;
          outAddr += 4 * loops * chunk;
        }
        idx += (run + 1) * count;
        if (!shortWrite && idx < byteList.length && count > 1) text += `  offs += ${hex(xy * (count - 1), 4)};\n`;
      }
    }
    written += Math.floor((C * H * W * width8) / 8);
    firstOutput = false;
  });

  const decls: string[] = [];
  if (oWidth !== 32 && haveNonMlator) decls.push(`  uint${oWidth}_t *out_buf = (uint${oWidth}_t *) out_buf32;`, '  uint32_t val;');
  if (oWidth === 32 || haveNonMlator) decls.push('  volatile uint32_t *addr;');
  if (mlatorLayers.length) decls.push('  volatile uint32_t *mlat, *ctrl;');
  if (needI || (mlatorLayers.length && mlatorChunk > 1)) decls.push('  int i;');
  if (needOffs) decls.push('  uint32_t offs;');
  return cFunction(`int cnn_unload(${param})`, [...decls, ...text.replace(/\n$/, '').split('\n')]);
}
