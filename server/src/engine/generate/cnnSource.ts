// cnn.c: the code that programs the accelerator for this network (power and clock, kernels, biases, layer
// registers, start, interrupt and unload), with izer's function names.
import { cFunction } from './cText';
import { initSteps, startSteps } from './controlRegisters';
import type { GeneratorInput } from './generatorInput';
import { fileBanner } from './fileBanner';
import { hardwareMaps } from './hardwareMaps';
import { configureSteps } from './layerRegisters';
import { layerDescriptions } from './layerDescriptions';
import { controlAddress, registerLayout } from './registerLayout';
import { stepLines } from './stepText';
import { unloadFunction } from './unloadCode';
import { hex } from './cText';

export interface CnnSourceParts {
  kernelSource: string;
  biasSource: string;
}

/** Places a function in the RISC-V core's flash section when the kernels and input live there. */
export function flashSection(input: GeneratorInput): string {
  return input.options.riscvFlash && !input.options.riscvCache ? '__attribute__ ((section(".rvflash_section")))\n' : '';
}

export function cnnSource(input: GeneratorInput, parts: CnnSourceParts): string {
  const { device: dev, state: s, options: o } = input;
  const L = registerLayout(dev);
  const maps = hardwareMaps(input);
  const first = maps.groupsUsed[0];
  const out: string[] = [fileBanner(input, 'accelerator code for this network.'), layerDescriptions(input), ''];
  if (dev.features.pll) out.push('#include <assert.h>');
  out.push(
    '#include <stdlib.h>',
    '#include <stdint.h>',
    '#include <string.h>',
    '#include <stdio.h>',
    '#include "mxc.h"',
    '#include "gcfr_regs.h"',
    '#include "cnn.h"',
    '#include "weights.h"',
    '',
    '',
  );

  const anyStreaming = s.streaming.some(Boolean);
  const ack = anyStreaming ? '~((1<<12) | (1<<14) | 1)' : '~((1<<12) | 1)';
  const isrBody = [
    '  // Clear the done flag (and stop) in every used quadrant.',
    ...maps.groupsUsed.map((q) => `  *((volatile uint32_t *) ${hex(controlAddress(L, q, L.ctl))}) &= ${ack};`),
    '',
    ...(o.energy ? [] : ['  CNN_COMPLETE; // the inference is over']),
    '#ifdef CNN_INFERENCE_TIMER',
    '  cnn_time = MXC_TMR_SW_Stop(CNN_INFERENCE_TIMER);',
    '#else',
    '  cnn_time = 1;',
    '#endif',
    ...(o.riscv ? ['', '  NVIC_ClearPendingIRQ(CNN_IRQn);', '  NVIC_ClearPendingEVENT(CNN_IRQn);'] : []),
  ];
  out.push(flashSection(input) + cFunction(o.riscv ? 'void __attribute__((interrupt("machine"))) CNN_IRQHandler(void)' : 'void CNN_ISR(void)', isrBody, null));
  const master = hex(controlAddress(L, first, L.ctl));
  out.push(
    flashSection(input) +
      cFunction('int cnn_continue(void)', ['  cnn_time = 0;', '', `  *((volatile uint32_t *) ${master}) |= 1; // resume, quadrant ${first}`]),
  );
  out.push(flashSection(input) + cFunction('int cnn_stop(void)', [`  *((volatile uint32_t *) ${master}) &= ~1; // stop, quadrant ${first}`]));
  out.push(
    flashSection(input) + cFunction('void memcpy32(uint32_t *dst, const uint32_t *src, int n)', ['  while (n-- > 0) {', '    *dst++ = *src++;', '  }'], null),
  );
  out.push(parts.kernelSource, parts.biasSource);
  out.push(flashSection(input) + cFunction('int cnn_init(void)', stepLines(initSteps(input).steps)));
  out.push(flashSection(input) + cFunction('int cnn_configure(void)', stepLines(configureSteps(input).steps)));
  const start = startSteps(input);
  out.push(
    flashSection(input) +
      cFunction('int cnn_start(void)', [
        '  cnn_time = 0;',
        '',
        ...stepLines(start.enables.steps),
        '',
        '#ifdef CNN_INFERENCE_TIMER',
        '  MXC_TMR_SW_Start(CNN_INFERENCE_TIMER);',
        '#endif',
        '',
        ...(o.energy ? [] : ['  CNN_START; // the inference starts']),
        ...stepLines(start.master.steps),
      ]),
  );
  if (o.softmax || o.unload) out.push(flashSection(input) + unloadFunction(input));
  out.push(powerFunctions(input, maps.groupsUsed));
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** cnn_enable(), cnn_boost_enable(), cnn_boost_disable() and cnn_disable(). */
function powerFunctions(input: GeneratorInput, groupsUsed: number[]): string {
  const { device: dev, options: o } = input;
  let mask = 0;
  for (const q of groupsUsed) mask |= 1 << q;
  const isolated = ~mask & 0xf;
  const enable = [
    '  // Reset every domain, then power the used quadrants and release their isolation.',
    '  MXC_GCFR->reg3 = 0xf; // reset',
    `  MXC_GCFR->reg1 = ${hex(mask, 1)}; // memory mask`,
    `  MXC_GCFR->reg0 = ${hex(mask, 1)}; // power`,
    ...(o.enableDelay > 0 ? [`  MXC_Delay(MSEC(${o.enableDelay})); // let the load switches settle`] : []),
    `  MXC_GCFR->reg2 = ${hex(isolated, 1)}; // isolation`,
    '  MXC_GCFR->reg3 = 0x0; // end of reset',
    '',
    ...(dev.features.pll
      ? [
          '  if (clock_source == MXC_S_GCR_PCLKDIV_CNNCLKSEL_IPLL)',
          '    while ((MXC_GCR->ipll_ctrl & MXC_F_GCR_IPLL_CTRL_RDY) != MXC_F_GCR_IPLL_CTRL_RDY) ; // wait for the PLL',
          '',
        ]
      : []),
    '  MXC_GCR->pclkdiv = (MXC_GCR->pclkdiv & ~(MXC_F_GCR_PCLKDIV_CNNCLKDIV | MXC_F_GCR_PCLKDIV_CNNCLKSEL))',
    '                     | clock_divider | clock_source;',
    '  MXC_SYS_ClockEnable(MXC_SYS_PERIPH_CLOCK_CNN); // accelerator clock on',
    '',
    ...(o.riscv
      ? ['  // Completion interrupt', '  __enable_irq();', '  NVIC_EnableIRQ(CNN_IRQn);', '  NVIC_EnableEVENT(CNN_IRQn);']
      : ['  MXC_NVIC_SetVector(CNN_IRQn, CNN_ISR); // completion interrupt']),
  ];
  const gpio = (action: string) => [
    '  mxc_gpio_cfg_t gpio_out;',
    '  gpio_out.port = port;',
    '  gpio_out.mask = pin;',
    '  gpio_out.pad = MXC_GPIO_PAD_NONE;',
    '  gpio_out.func = MXC_GPIO_FUNC_OUT;',
    '  MXC_GPIO_Config(&gpio_out);',
    `  ${action}(gpio_out.port, gpio_out.mask);`,
  ];
  const disable = [
    '  MXC_SYS_ClockDisable(MXC_SYS_PERIPH_CLOCK_CNN); // accelerator clock off',
    '',
    '  // Isolate and power down every quadrant.',
    '  MXC_GCFR->reg3 = 0xf; // reset',
    '  MXC_GCFR->reg2 |= 0xf; // isolation',
    '  MXC_GCFR->reg0 = 0x0; // power',
    '  MXC_GCFR->reg1 = 0x0; // memory mask',
    '  MXC_GCFR->reg3 = 0x0; // end of reset',
  ];
  const fl = flashSection(input);
  return [
    fl + cFunction('int cnn_enable(uint32_t clock_source, uint32_t clock_divider)', enable),
    fl + cFunction('int cnn_boost_enable(mxc_gpio_regs_t *port, uint32_t pin)', gpio('MXC_GPIO_OutSet')),
    fl + cFunction('int cnn_boost_disable(mxc_gpio_regs_t *port, uint32_t pin)', gpio('MXC_GPIO_OutClr')),
    fl + cFunction('int cnn_disable(void)', disable),
  ].join('\n');
}
