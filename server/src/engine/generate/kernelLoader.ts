// How cnn_load_weights() puts the kernel image into the kernel memories, in izer's data format and write pattern:
// - the new loader (izer's default): one KERNELS list of blocks (start address, word count, words) copied by a loop;
//   with express loading the 9-byte kernels are packed back to back and the block's start address is tagged first;
// - the old loader: one KERNELS_<processor> array per processor, copied with memcpy32 (express, packed) or as
//   three words plus a zero per kernel (memcpy_96to128).
import { maskWidth } from '../device/devices';
import { FREE } from '../analysis/kernelAllocation';
import { arrayDefine, cFunction, hex } from './cText';
import type { GeneratorInput } from './generatorInput';
import type { KernelImage } from './kernelImage';
import { kernelAddress, registerLayout } from './registerLayout';

export interface KernelLoader {
  /** weights.h: the kernel #defines. */
  weightsHeader: string;
  /** cnn.c: the arrays, cnn_load_weights() and, when asked for, cnn_verify_weights(). */
  source: string;
  /** Bytes of kernel memory in use (for the summaries). */
  bytesUsed: number;
}

/** Where column `col` of processor `p` is loaded: its index after the calcx4 reordering (izer's write_kern). */
function loadIndex(input: GeneratorInput, ll: number, col: number): number {
  const s = input.state;
  if (!s.calcx4[ll]) return col;
  const k = s.hwKernelSize[ll];
  const count = Math.floor((s.inExpand[ll] * s.outputChannels[ll] * 9 * Math.abs(s.quantization[ll] ?? 0)) / (k[0] * k[1] * 8));
  let start = input.memory.kernels.kernOffs[ll];
  const per = Math.floor((count + 3) / 4);
  const mem = Math.floor((col - start) / per);
  const rem = (col - start) % per;
  start = Math.floor(start / 4);
  const small = input.device.maskWidthSmall;
  return col < small ? mem * (small / 4) + rem + start : mem * ((input.device.maskWidthLarge - small) / 4) + rem + small + start;
}

/**
 * The used columns of processor p in load order, as two parallel lists: the load index of each and the offset of its
 * 9 bytes in the image. (Flat lists: a processor can have thousands of columns, and this runs for all 64.)
 */
function processorColumns(input: GeneratorInput, image: KernelImage, p: number): { index: number[]; at: number[] } {
  const index: number[] = [];
  const at: number[] = [];
  const bytes = image.bytes;
  const width = maskWidth(input.device, p);
  const row = p * image.width;
  const zeroSram = input.options.zeroSram;
  let reordered = false;
  for (let col = 0; col < width; col++) {
    const ll = image.map[row + col];
    if (ll === FREE) continue;
    const offset = (row + col) * 9;
    if (zeroSram && bytes[offset] === 0 && bytes.subarray(offset, offset + 9).every((b) => b === 0)) continue;
    const i = input.state.calcx4[ll] ? loadIndex(input, ll, col) : col;
    if (i !== col) reordered = true;
    index.push(i);
    at.push(offset);
  }
  if (!reordered) return { index, at };
  const order = index.map((_, k) => k).sort((a, b) => index[a] - index[b]);
  return { index: order.map((k) => index[k]), at: order.map((k) => at[k]) };
}

/**
 * Appends kernels (9 bytes each, at offsets[from] … offsets[to − 1] of the image) packed back to back as big-endian
 * 32-bit words: the express loader's format.
 */
function pushPacked(out: number[], bytes: Uint8Array, offsets: readonly number[], from = 0, to = offsets.length): void {
  let word = 0;
  let count = 0;
  for (let k = from; k < to; k++) {
    const at = offsets[k];
    for (let i = 0; i < 9; i++) {
      word = ((word << 8) | bytes[at + i]) >>> 0;
      if (++count === 4) {
        out.push(word);
        word = 0;
        count = 0;
      }
    }
  }
  if (count > 0) out.push((word << ((4 - count) * 8)) >>> 0);
}

/** Appends one kernel as three words plus the zero word that makes the memory take it. */
function pushKernelWords(out: number[], k: ArrayLike<number>, at = 0, withZero = true): void {
  out.push(
    k[at],
    ((k[at + 1] << 24) | (k[at + 2] << 16) | (k[at + 3] << 8) | k[at + 4]) >>> 0,
    ((k[at + 5] << 24) | (k[at + 6] << 16) | (k[at + 7] << 8) | k[at + 8]) >>> 0,
  );
  if (withZero) out.push(0);
}

export function kernelLoader(input: GeneratorInput, image: KernelImage): KernelLoader {
  const { options } = input;
  let used = 0;
  for (let i = 0; i < image.map.length; i++) if (image.map[i] !== FREE) used += 9;
  if (options.newKernelLoader) return { ...newLoader(input, image), bytesUsed: used };
  return { ...oldLoader(input, image), bytesUsed: used };
}

function newLoader(input: GeneratorInput, image: KernelImage): Omit<KernelLoader, 'bytesUsed'> {
  const L = registerLayout(input.device);
  const span = L.maskOffset * 16;
  const express = input.options.mexpress;
  const list: number[] = [];
  for (let p = 0; p < 64; p++) {
    const { index, at } = processorColumns(input, image, p);
    let i = 0;
    while (i < index.length) {
      let j = i + 1;
      while (j < index.length && index[j] === index[j - 1] + 1) j++;
      const address = kernelAddress(L, p) + index[i] * 16;
      if (express) {
        list.push(((address & ~(span - 1)) | ((address & (span - 1)) >>> 2)) >>> 0, Math.floor(((j - i) * 9 + 3) / 4));
        pushPacked(list, image.bytes, at, i, j);
      } else {
        list.push(address, (j - i) * 4);
        for (let k = i; k < j; k++) pushKernelWords(list, image.bytes, at[k]);
      }
      i = j;
    }
  }
  list.push(0);
  const body = [
    '  const uint32_t *src = kernels;',
    '  volatile uint32_t *dst;',
    '  uint32_t words;',
    '',
    '  // Each block: its start address, its length in words, its words; a zero address ends the list.',
    '  while ((dst = (volatile uint32_t *) *src++) != 0) {',
    ...(express ? ['    *((volatile uint8_t *) ((uint32_t) dst | 1)) = 0x01; // express mode: the block starts here'] : []),
    '    words = *src++;',
    '    while (words-- > 0)',
    '      *dst++ = *src++;',
    '  }',
  ];
  let source = 'static const uint32_t kernels[] = KERNELS;\n\n' + cFunction('int cnn_load_weights(void)', body);
  if (input.options.verifyKernels) source += verifyFunction(L.maskOffset, express);
  return { weightsHeader: arrayDefine('KERNELS', list, 8), source };
}

/** cnn_verify_weights() for the new loader: reads every kernel back and compares it with the list. */
function verifyFunction(maskOffset: number, express: boolean): string {
  const next = express
    ? [
        'static uint8_t next_kernel_byte(const uint32_t **src, uint32_t *word, int *left)',
        '{',
        '  if (*left == 0) {',
        '    *word = *(*src)++;',
        '    *left = 4;',
        '  }',
        '  return (*word >> (--(*left) * 8)) & 0xff;',
        '}',
        '',
      ].join('\n') + '\n'
    : '';
  const read = express
    ? [
        '    kernels_left = (*src++ * 4) / 9;',
        `    mem = (volatile uint32_t *) (((uint32_t) dst & ${hex(~(maskOffset - 1) >>> 0)}) | (((uint32_t) dst & ${hex(maskOffset - 1, 4)}) << 2));`,
        '    left = 0;',
        '    word = 0;',
        '    while (kernels_left-- > 0) {',
        '      expected[0] = next_kernel_byte(&src, &word, &left);',
        '      for (i = 1; i < 3; i++)',
        '        expected[i] = next_kernel_byte(&src, &word, &left) << 24 | next_kernel_byte(&src, &word, &left) << 16',
        '                      | next_kernel_byte(&src, &word, &left) << 8 | next_kernel_byte(&src, &word, &left);',
        '      expected[3] = 0;',
        '      for (i = 0; i < 4; i++, mem++)',
        '        if (*mem != expected[i]) {',
        '          printf("Kernel word %08x reads %08x, expected %08x\\n", (unsigned) (uintptr_t) mem, *mem, expected[i]);',
        '          return CNN_FAIL;',
        '        }',
        '    }',
      ]
    : [
        '    kernels_left = *src++;',
        '    mem = dst;',
        '    while (kernels_left-- > 0) {',
        '      if (*mem != *src) {',
        '        printf("Kernel word %08x reads %08x, expected %08x\\n", (unsigned) (uintptr_t) mem, *mem, *src);',
        '        return CNN_FAIL;',
        '      }',
        '      mem++;',
        '      src++;',
        '    }',
      ];
  const decls = express
    ? ['  const uint32_t *src = kernels;', '  volatile uint32_t *dst, *mem;', '  uint32_t kernels_left, word, expected[4];', '  int left, i;']
    : ['  const uint32_t *src = kernels;', '  volatile uint32_t *dst, *mem;', '  uint32_t kernels_left;'];
  return next + cFunction('int cnn_verify_weights(void)', [...decls, '', '  while ((dst = (volatile uint32_t *) *src++) != 0) {', ...read, '  }']);
}

function oldLoader(input: GeneratorInput, image: KernelImage): Omit<KernelLoader, 'bytesUsed'> {
  const L = registerLayout(input.device);
  const express = input.options.mexpress;
  const defines: string[] = [];
  const arrays: string[] = [];
  const calls: string[] = [];
  for (let p = 0; p < 64; p++) {
    let min = -1;
    let max = -1;
    for (let col = 0; col < maskWidth(input.device, p); col++) {
      if (image.map[p * image.width + col] === FREE) continue;
      if (min < 0) min = col;
      max = col;
    }
    if (max < 0) continue;
    // Columns in between that no layer uses load as zero kernels.
    const kernels = new Uint8Array((max - min + 1) * 9);
    for (let col = min; col <= max; col++) {
      const at = (p * image.width + col) * 9;
      if (image.map[p * image.width + col] !== FREE) kernels.set(image.bytes.subarray(at, at + 9), (col - min) * 9);
    }
    const count = max - min + 1;
    const base = kernelAddress(L, p);
    const words: number[] = [];
    if (express) {
      pushPacked(
        words,
        kernels,
        Array.from({ length: count }, (_, k) => k * 9),
      );
      calls.push(`  *((volatile uint8_t *) ${hex((base + min * 4) | 0x01)}) = 0x01; // express mode: processor ${p}'s kernels start here`);
      calls.push(`  memcpy32((uint32_t *) ${hex(base)}, kernels_${p}, ${Math.floor((count * 9 + 3) / 4)});`);
    } else {
      for (let k = 0; k < count; k++) pushKernelWords(words, kernels, k * 9, false);
      calls.push(`  memcpy_96to128((uint32_t *) ${hex(base + min * 16)}, kernels_${p}, ${count});`);
    }
    defines.push(arrayDefine(`KERNELS_${p}`, words, 8));
    arrays.push(`static const uint32_t kernels_${p}[] = KERNELS_${p};`);
  }
  let source = arrays.join('\n') + '\n\n';
  if (!express) {
    source += cFunction(
      'static void memcpy_96to128(uint32_t *dst, const uint32_t *src, int kernels)',
      [
        '  // Three words of each kernel, then the zero word that makes the memory take it.',
        '  while (kernels-- > 0) {',
        '    *dst++ = *src++;',
        '    *dst++ = *src++;',
        '    *dst++ = *src++;',
        '    *dst++ = 0;',
        '  }',
      ],
      null,
    );
  }
  source += cFunction('int cnn_load_weights(void)', calls);
  return { weightsHeader: defines.join(''), source };
}
