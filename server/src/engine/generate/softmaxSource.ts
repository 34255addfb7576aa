// softmax.c: the software softmax main.c applies to the unloaded outputs (izer's two function names), written for
// the Cortex-M4's floating-point unit: exact to the q15 rounding instead of a fixed-point approximation.
import { fileBanner } from './fileBanner';
import type { GeneratorInput } from './generatorInput';

export function softmaxSource(input: GeneratorInput): string {
  return [
    fileBanner(input, 'softmax over the network outputs.'),
    '#include <math.h>',
    '#include <stdint.h>',
    '#include "mxc.h"',
    '#include "cnn.h"',
    '',
    '// Probabilities in q15 (32768 = 1) of `n` values in q17.14 fixed point, each first divided by 2^shift.',
    'static void softmax_q17p14(const q31_t *in, uint16_t n, uint8_t shift, q15_t *out)',
    '{',
    '  uint16_t i;',
    '  float scale = 1.0f / (float) (1 << 14) / (float) (1u << shift);',
    '  float top, sum = 0.0f;',
    '',
    '  if (n == 0)',
    '    return;',
    '  top = (float) in[0];',
    '  for (i = 1; i < n; i++)',
    '    if ((float) in[i] > top)',
    '      top = (float) in[i];',
    '  // Subtracting the largest input keeps every exponential in (0, 1].',
    '  for (i = 0; i < n; i++)',
    '    sum += expf(((float) in[i] - top) * scale);',
    '  for (i = 0; i < n; i++) {',
    '    float p = expf(((float) in[i] - top) * scale) / sum * 32768.0f + 0.5f;',
    '    out[i] = p >= 32767.0f ? 32767 : (q15_t) p;',
    '  }',
    '}',
    '',
    'void softmax_q17p14_q15(const q31_t *vec_in, const uint16_t dim_vec, q15_t *p_out)',
    '{',
    '  softmax_q17p14(vec_in, dim_vec, 0, p_out);',
    '}',
    '',
    'void softmax_shift_q17p14_q15(q31_t *vec_in, const uint16_t dim_vec, uint8_t in_shift, q15_t *p_out)',
    '{',
    '  softmax_q17p14(vec_in, dim_vec, in_shift, p_out);',
    '}',
    '',
  ].join('\n');
}
