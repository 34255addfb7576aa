// How cnn_load_bias() fills the quadrants' bias memories: one BIAS_<quadrant> byte array per quadrant that holds
// biases, each byte stored into its own 32-bit word of the bias memory.
import { arrayDefine, cFunction, hex } from './cText';
import type { GeneratorInput } from './generatorInput';
import { biasAddress, registerLayout } from './registerLayout';

export interface BiasLoader {
  /** weights.h: the BIAS_<quadrant> #defines. */
  weightsHeader: string;
  /** cnn.c: the arrays and cnn_load_bias(). */
  source: string;
  /** Bytes of bias memory in use per quadrant. */
  bytesUsed: number[];
}

export function biasLoader(input: GeneratorInput): BiasLoader {
  const L = registerLayout(input.device);
  const image = input.memory.bias.image;
  const quadrants = image.map((bytes, q) => ({ q, bytes })).filter((x) => x.bytes.length > 0);
  if (quadrants.length === 0) {
    return {
      weightsHeader: '',
      source: cFunction('int cnn_load_bias(void)', ['  // This network has no bias values.']),
      bytesUsed: image.map((b) => b.length),
    };
  }
  const weightsHeader = quadrants.map(({ q, bytes }) => arrayDefine(`BIAS_${q}`, bytes, 16, 2)).join('');
  const arrays = quadrants.map(({ q }) => `static const uint8_t bias_${q}[] = BIAS_${q};`).join('\n');
  const copy = cFunction(
    'static void memcpy_8to32(uint32_t *dst, const uint8_t *src, int n)',
    ['  // Every bias byte takes a 32-bit word of the bias memory.', '  while (n-- > 0) {', '    *dst++ = *src++;', '  }'],
    null,
  );
  const calls = quadrants.map(({ q, bytes }) => `  memcpy_8to32((uint32_t *) ${hex(biasAddress(L, q))}, bias_${q}, ${bytes.length}); // quadrant ${q}`);
  return {
    weightsHeader,
    source: `${arrays}\n\n${copy}${cFunction('int cnn_load_bias(void)', calls)}`,
    bytesUsed: image.map((b) => b.length),
  };
}
