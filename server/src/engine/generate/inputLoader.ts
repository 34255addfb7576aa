// load_input(): puts the sample input where the first layer reads it, in izer's layout: into data memory with one
// memcpy32 per memory (CHW: one channel per memory, four bytes per word; HWC: up to four channels per word, the
// passes of a multi-pass input interleaved), or, with --fifo, word by word through the CNN FIFOs (or the fast FIFO).
// The words themselves are the SAMPLE_INPUT_<n> arrays of sampledata.h.
import { popcount } from '../model/processorMask';
import { arrayDefine, cFunction, hex, store } from './cText';
import type { GeneratorInput } from './generatorInput';
import { hardwareMaps } from './hardwareMaps';
import { dataAddress, fifoAddress, registerLayout } from './registerLayout';

export interface InputLoader {
  /** sampledata.h: the SAMPLE_INPUT_<n> #defines. */
  sampleHeader: string;
  /** main.c: the arrays and load_input(). */
  source: string;
}

/** The sample's value at [c][row][col] as the byte izer stores (two's complement, low 8 bits). */
function sampleByte(input: GeneratorInput, c: number, row: number, col: number): number {
  const shape = input.sample.shape;
  const H = shape[1];
  const W = shape.length === 3 ? shape[2] : 1;
  return input.sample.values[(c * H + row) * W + col] & 0xff;
}

export function inputLoader(input: GeneratorInput): InputLoader {
  return input.flags.fifo ? fifoLoader(input) : memoryLoader(input);
}

function memoryLoader(input: GeneratorInput): InputLoader {
  const { state: s, device: dev } = input;
  const L = registerLayout(dev);
  const ll = s.startLayer;
  const chw = s.bigData[ll];
  const pm = hardwareMaps(input).inputProcessors;
  const inExpand = s.inExpand[ll];
  const thresh = s.inExpandThresh[ll];
  const operands = s.operands[ll];
  const [C, H, W] = [s.inputChannels[ll], s.inputDim[ll]![0], s.inputDim[ll]![1]];
  const channelsInSample = Math.floor(input.sample.shape[0] / operands);
  const step = chw ? 1 : 4;
  const defines: string[] = [];
  const arrays: string[] = [];
  const copies: { address: number; name: string; words: number }[] = [];
  const pending = new Map<number, { words: number[]; address: number; first: number; last: number }[]>();
  let c = 0;
  for (let ch = 0; ch < dev.maxChannels; ch += step) {
    const instanceMap = Number((pm >> BigInt(ch % 64)) & BigInt((1 << step) - 1));
    if (!instanceMap) continue;
    const group = Math.floor((ch % 64) / 16);
    const expand = Math.floor(c / thresh);
    const instance = Math.floor((ch % 16) / 4);
    let offset = dev.quadrantStride * group + dev.instanceSize * 16 * instance + expand * 4 * operands;
    if (expand === 0) offset += s.inputOffset[ll] ?? 0;
    const address = dataAddress(L, offset);
    if (chw) {
      const words = new Array<number>(Math.floor((H * W + 3) / 4)).fill(0);
      for (let i = 0; i < H * W; i++) words[i >> 2] |= sampleByte(input, c, Math.floor(i / W), i % W) << ((i % 4) * 8);
      const name = `SAMPLE_INPUT_${ch}`;
      defines.push(
        arrayDefine(
          name,
          words.map((w) => w >>> 0),
          8,
        ),
      );
      arrays.push(`// Channel ${c}: ${H}x${W} bytes, four to a word\nstatic const uint32_t input_${ch}[] = ${name};`);
      copies.push({ address, name: `input_${ch}`, words: words.length });
      c++;
    } else {
      const n = popcount(BigInt(instanceMap));
      const words: number[] = [];
      for (let row = 0; row < H; row++) {
        for (let col = 0; col < W; col++) {
          for (let op = 0; op < operands; op++) {
            let v = 0;
            let thisC = c;
            for (let i = 0; i < 4; i++) {
              if (instanceMap & (1 << i)) {
                if (thisC < channelsInSample) v |= sampleByte(input, thisC + op * C, row, col) << (i * 8);
                thisC++;
              }
            }
            words.push(v >>> 0);
          }
        }
      }
      const proc = ch % 64;
      const list = pending.get(proc) ?? [];
      list.push({ words, address, first: c, last: c + n - 1 });
      pending.set(proc, list);
      if (expand === inExpand - 1) {
        const merged = new Array<number>((expand + 1) * operands * H * W).fill(0);
        list.forEach((part, i) => {
          part.words.forEach((v, j) => {
            merged[i * operands + Math.floor(j / operands) * inExpand * operands + (j % operands)] = v;
          });
        });
        const name = `SAMPLE_INPUT_${proc}`;
        defines.push(arrayDefine(name, merged, 8));
        const parts = list.map((p) => `channels ${p.first}-${p.last}`).join(', ');
        arrays.push(
          `// ${parts}: ${H}x${W} words of up to four channels${inExpand > 1 ? `, ${inExpand} passes interleaved` : ''}\nstatic const uint32_t input_${proc}[] = ${name};`,
        );
        copies.push({ address: list[0].address, name: `input_${proc}`, words: words.length * inExpand });
      }
      c += n;
    }
    if (c >= thresh * inExpand) break;
  }
  const body = [
    '  // The sample input of the known-answer test; replace it with your own data.',
    ...copies.map((x) => `  memcpy32((uint32_t *) ${hex(x.address)}, ${x.name}, ${x.words});`),
  ];
  return {
    sampleHeader: defines.join(''),
    source: `// Input: ${C} channel${C === 1 ? '' : 's'} of ${H}x${W} (${chw ? 'CHW' : 'HWC'})\n${arrays.join('\n')}\n\n${cFunction('void load_input(void)', body, null)}`,
  };
}

function fifoLoader(input: GeneratorInput): InputLoader {
  const { state: s, device: dev, flags } = input;
  const L = registerLayout(dev);
  const ll = s.startLayer;
  const chw = s.bigData[ll];
  const pm = hardwareMaps(input).inputProcessors;
  const [C, H, W] = [s.inputChannels[ll], s.inputDim[ll]![0], s.inputDim[ll]![1]];
  const fifos = chw ? C : Math.floor((C + 3) / 4);
  const buffers: number[][] = [];
  const bufferLength = chw ? Math.floor((H * W + 3) / 4) : H * W;
  for (let i = 0; i < Math.max(fifos, 4); i++) buffers.push(new Array<number>(bufferLength).fill(0));
  if (chw) {
    for (let rc = 0; rc < H * W; rc += 4) {
      let map = 0n;
      let fifo = 0;
      for (let c = 0; c < C; c++) {
        if (map === 0n) {
          map = pm;
          fifo = 0;
        }
        while ((map & 1n) === 0n) {
          map >>= 16n;
          fifo++;
        }
        let v = 0;
        for (let b = 0; b < 4; b++) if (rc + b < H * W) v |= sampleByte(input, c, Math.floor((rc + b) / W), (rc + b) % W) << (b * 8);
        buffers[fifo][rc / 4] = v >>> 0;
        map >>= 16n;
        fifo++;
      }
    }
  } else {
    for (let row = 0; row < H; row++) {
      for (let col = 0; col < W; col++) {
        let map = 0n;
        let fifo = 0;
        for (let c = 0; c < C; c += 4) {
          if (map === 0n) {
            map = pm;
            fifo = 0;
          }
          while ((map & 0x0fn) === 0n) {
            map >>= 16n;
            fifo++;
          }
          let v = 0;
          for (let b = 0; b < 4; b++) {
            if ((map & 1n) !== 0n && c + b < C) v |= sampleByte(input, c + b, row, col) << (b * 8);
            map >>= 1n;
          }
          buffers[fifo][row * W + col] = v >>> 0;
          map >>= 12n;
          fifo++;
        }
      }
    }
  }
  const synth = flags.synthesizeInput;
  const synthWords = flags.synthesizeWords;
  const defines: string[] = [];
  const arrays: string[] = [];
  for (let f = 0; f < fifos; f++) {
    const words = synth === null ? buffers[f] : buffers[f].slice(0, synthWords);
    defines.push(arrayDefine(`SAMPLE_INPUT_${f}`, words, 8));
    arrays.push(`static const uint32_t input_${f}[] = SAMPLE_INPUT_${f};`);
  }
  const mask = synth === null ? '' : C === 1 ? '0xff' : C === 2 ? '0xffff' : C === 3 ? '0xffffff' : '';
  const body: string[] = ['  int i;'];
  if (synth !== null) body.push('  uint32_t add = 0;');
  let maxLen = 0;
  let sameLength = true;
  for (let f = 0; f < fifos; f++) {
    if (f > 1 && maxLen !== bufferLength) sameLength = false;
    maxLen = Math.max(maxLen, bufferLength);
    body.push(`  const uint32_t *in${f} = input_${f};`);
  }
  body.push('', `  for (i = 0; i < ${maxLen}; i++) {`);
  for (let f = 0; f < fifos; f++) {
    const value = synth === null ? `*in${f}++` : mask === '' ? `*in${f}++ + add` : `(*in${f}++ + add) & ${mask}`;
    if (fifos > 1 && !sameLength) body.push(`    if (i < ${bufferLength})`);
    if (!flags.fastFifo) {
      body.push(`    while ((*((volatile uint32_t *) ${hex(fifoAddress(L, L.fifoStatus))}) & ${1 << f}) != 0); // wait while FIFO ${f} is full`);
      body.push(`${store(fifoAddress(L, L.fifoData + f), value, '    ')} // FIFO ${f}`);
    } else {
      body.push(`    while ((*((volatile uint32_t *) ${hex(L.fastFifoBase + L.fastFifo.status * 4)}) & 2) != 0); // wait while the fast FIFO is full`);
      body.push(`${store(L.fastFifoBase + L.fastFifo.data * 4, value, '    ')} // fast FIFO`);
    }
  }
  if (synth !== null) {
    body.push(`    if (i % ${synthWords} == ${synthWords - 1}) { // the next words repeat the first ones, plus ${hex(synth, 1)}`);
    body.push(`      add += ${hex(synth, 1)};`);
    if (mask !== '') body.push(`      add &= ${mask};`);
    for (let f = 0; f < fifos; f++) body.push(`      in${f} = input_${f};`);
    body.push('    }');
  }
  body.push('  }');
  return {
    sampleHeader: defines.join(''),
    source: `// Input through the ${flags.fastFifo ? 'fast FIFO' : 'FIFOs'}: ${C} channel${C === 1 ? '' : 's'} of ${H}x${W} (${chw ? 'CHW' : 'HWC'})\n${arrays.join('\n')}\n\n${cFunction('void load_input(void)', ['  // The sample input of the known-answer test; replace it with your own data.', ...body], null)}`,
  };
}
