// cnn.h: the accelerator's programming interface, with izer's function names, signatures and macros, so that
// application code written against an izer project builds unchanged.
import type { GeneratorInput } from './generatorInput';
import { fileBanner } from './fileBanner';
import type { ResourceSummary } from './resourceSummary';
import { resourceSummaryText } from './resourceSummary';

export function cnnHeader(input: GeneratorInput, summary: ResourceSummary): string {
  const { state: s, options: o } = input;
  const t = s.terminatingLayer;
  const outputs = s.outputChannels[t] * s.outputDim[t][0] * s.outputDim[t][1];
  const lines = [
    fileBanner(input, 'The interface of the accelerator code in cnn.c.'),
    '#ifndef __CNN_H__',
    '#define __CNN_H__',
    '',
    '#include <stdint.h>',
    '',
    '// Fixed-point types of the software softmax (as CMSIS defines them).',
    'typedef int32_t q31_t;',
    'typedef int16_t q15_t;',
    '',
    '// What the cnn_* functions return.',
    '#define CNN_FAIL 0',
    '#define CNN_OK 1',
    '',
    resourceSummaryText(summary),
    '',
    "// How many values the network's last layer produces (cnn_unload() copies them).",
    `#define CNN_NUM_OUTPUTS ${outputs}`,
    '',
  ];
  if (o.timer !== null) lines.push('// The timer that measures the inference.', `#define CNN_INFERENCE_TIMER MXC_TMR${o.timer}`, '');
  if (o.energy && input.device.name === 'MAX78002')
    lines.push(
      '// Signals around the inference and the idle measurement for the power monitor: two port pins main.c sets up.',
      'extern mxc_gpio_cfg_t gpio_trig1, gpio_trig2;',
      '#define CNN_START MXC_GPIO_OutSet(gpio_trig2.port, gpio_trig2.mask)',
      '#define CNN_COMPLETE MXC_GPIO_OutClr(gpio_trig2.port, gpio_trig2.mask)',
      '#define SYS_START MXC_GPIO_OutSet(gpio_trig1.port, gpio_trig1.mask)',
      '#define SYS_COMPLETE MXC_GPIO_OutClr(gpio_trig1.port, gpio_trig1.mask)',
      '',
    );
  else
    lines.push(
      "// Signals around the inference (and, with --energy, around the idle measurement) on the board's LEDs.",
      '#define CNN_START LED_On(1)',
      '#define CNN_COMPLETE LED_Off(1)',
      '#define SYS_START LED_On(0)',
      '#define SYS_COMPLETE LED_Off(0)',
      '',
    );
  lines.push(
    '// Softmax in software over the unloaded outputs (softmax.c).',
    'void softmax_q17p14_q15(const q31_t *vec_in, const uint16_t dim_vec, q15_t *p_out);',
    'void softmax_shift_q17p14_q15(q31_t *vec_in, const uint16_t dim_vec, uint8_t in_shift, q15_t *p_out);',
    '',
    '// Set by the interrupt handler when the accelerator finishes (the inference time with CNN_INFERENCE_TIMER).',
    'extern volatile uint32_t cnn_time;',
    '',
    '// Word-by-word copies used to load kernels and data.',
    'void memcpy32(uint32_t *dst, const uint32_t *src, int n);',
    'void memcpy32_const(uint32_t *dst, int n);',
    '',
    '// Power, clock and interrupt of the accelerator.',
    'int cnn_enable(uint32_t clock_source, uint32_t clock_divider);',
    'int cnn_disable(void);',
    '',
    '// Bring the state machine into a known state before configuring it.',
    'int cnn_init(void);',
    '// Program every layer of this network.',
    'int cnn_configure(void);',
    '// Load the kernels, check them (debugging aid) and load the biases.',
    'int cnn_load_weights(void);',
    'int cnn_verify_weights(void);',
    'int cnn_load_bias(void);',
    '',
    '// Start, stop and resume the accelerator.',
    'int cnn_start(void);',
    'int cnn_stop(void);',
    'int cnn_continue(void);',
    '',
    '// Copy the output layers into out_buf.',
    'int cnn_unload(uint32_t *out_buf);',
    '',
    '// Switch the boost supply on a GPIO pin on and off.',
    'int cnn_boost_enable(mxc_gpio_regs_t *port, uint32_t pin);',
    'int cnn_boost_disable(mxc_gpio_regs_t *port, uint32_t pin);',
    '',
    '#endif // __CNN_H__',
    '',
  );
  return lines.join('\n');
}
