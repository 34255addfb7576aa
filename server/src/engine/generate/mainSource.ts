// main.c: the example application that runs the known-answer test on the board — clocks, cnn_enable(), loading,
// the inference, check_output() against sampleoutput.h, the softmax or cnn_unload() and the results. With
// --riscv the accelerator code runs on the RISC-V core (main_riscv.c) and main.c only wakes it.
import { cFunction, hex } from './cText';
import { flashSection } from './cnnSource';
import type { GeneratorInput } from './generatorInput';
import { fileBanner } from './fileBanner';

/** The sources that hold main(): main.c, and main_riscv.c for RISC-V projects. */
export function mainSources(input: GeneratorInput, inputSource: string): { name: string; text: string }[] {
  if (!input.options.riscv) return [{ name: 'main.c', text: applicationMain(input, inputSource) }];
  return [
    { name: 'main.c', text: armWakesRiscv(input) },
    { name: 'main_riscv.c', text: applicationMain(input, inputSource) },
  ];
}

function clockName(input: GeneratorInput): string {
  return input.options.pll ? `PLL (${input.device.pllSpeed} MHz)` : `APB (${input.device.apbSpeed} MHz)`;
}

/** The CNN clock's source and divider as the MSDK names them. */
function selectClock(source: 'IPLL' | 'PCLK', divider: number, comment: string, waitForPll: boolean, indent = '  '): string[] {
  return [
    `${indent}// ${comment}`,
    ...(source === 'IPLL' && waitForPll ? [`${indent}while ((MXC_GCR->ipll_ctrl & MXC_F_GCR_IPLL_CTRL_RDY) != MXC_F_GCR_IPLL_CTRL_RDY) ;`] : []),
    `${indent}MXC_GCR->pclkdiv = (MXC_GCR->pclkdiv & ~(MXC_F_GCR_PCLKDIV_CNNCLKDIV | MXC_F_GCR_PCLKDIV_CNNCLKSEL))`,
    `${indent}                   | MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV${divider} | MXC_S_GCR_PCLKDIV_CNNCLKSEL_${source};`,
  ];
}

function applicationMain(input: GeneratorInput, inputSource: string): string {
  const { device: dev, state: s, options: o, flags } = input;
  const riscv = o.riscv;
  const t = s.terminatingLayer;
  const outputWidth = s.outputWidth[t];
  const clockSwitch = o.pll && o.pipeline;
  const kat = o.generateKat && input.knownAnswer !== null;
  const unload = o.unload;
  const includes = ['#include <stdlib.h>', '#include <stdint.h>', '#include <string.h>', '#include <stdio.h>', '#include "mxc.h"'];
  if (riscv) includes.push('#include "fcr_regs.h"', '#include "sema_regs.h"');
  includes.push('#include "cnn.h"', '#include "sampledata.h"');
  if (kat) includes.push('#include "sampleoutput.h"');
  const out: string[] = [
    fileBanner(
      input,
      riscv
        ? 'the application on the RISC-V core: runs the network once and checks the result.'
        : 'the application: runs the network once and checks the result.',
    ),
    includes.join('\n'),
    '',
  ];
  if (o.energy && dev.name === 'MAX78002') out.push('mxc_gpio_cfg_t gpio_trig1, gpio_trig2; // power-monitor trigger pins', '');
  out.push('volatile uint32_t cnn_time; // set when the accelerator finishes', '');
  out.push(cFunction('void fail(void)', ['  printf("\\n*** FAIL ***\\n\\n");', '  while (1);'], null));
  if (o.inputFifo) out.push('#define USE_FIFO', '');
  out.push(inputSource);
  if (kat) out.push(checkOutput(input));
  if (o.softmax) {
    out.push(
      '// The classification: the last layer unloaded, then a softmax in software.',
      outputWidth !== 32
        ? `static int32_t ml_data32[(CNN_NUM_OUTPUTS + ${32 / outputWidth - 1}) / ${32 / outputWidth}];`
        : 'static int32_t ml_data[CNN_NUM_OUTPUTS];',
      'static q15_t ml_softmax[CNN_NUM_OUTPUTS];',
      '',
      cFunction(
        'void softmax_layer(void)',
        [
          `  cnn_unload((uint32_t *) ml_data${outputWidth !== 32 ? '32' : ''});`,
          outputWidth === 32
            ? s.bypass[t] || Math.abs(s.quantization[t] ?? 8) === 8
              ? '  softmax_q17p14_q15((const q31_t *) ml_data, CNN_NUM_OUTPUTS, ml_softmax);'
              : `  softmax_shift_q17p14_q15((q31_t *) ml_data, CNN_NUM_OUTPUTS, ${8 - Math.abs(s.quantization[t] ?? 8)}, ml_softmax);`
            : '  arm_softmax_q7_q15((const q7_t *) ml_data32, CNN_NUM_OUTPUTS, ml_softmax);',
        ],
        null,
      ),
    );
  } else if (unload) {
    out.push(
      outputWidth !== 32
        ? `static int32_t ml_data32[(CNN_NUM_OUTPUTS + ${32 / outputWidth - 1}) / ${32 / outputWidth}];`
        : 'static int32_t ml_data[CNN_NUM_OUTPUTS];',
      '',
    );
  }

  const body: string[] = [];
  if (o.softmax || o.energy) body.push('  int i;');
  if (o.softmax) {
    body.push('  int digs, tens;');
    if (outputWidth !== 32) body.push(`  int${outputWidth}_t *ml_data = (int${outputWidth}_t *) ml_data32;`);
  }
  if (o.softmax || o.energy) body.push('');
  if (!riscv) {
    body.push(
      '  MXC_ICC_Enable(MXC_ICC0); // instruction cache on',
      '',
      `  // System clock: the ${dev.ipoSpeed} MHz internal oscillator`,
      '  MXC_SYS_Clock_Select(MXC_SYS_CLOCK_IPO);',
    );
    if (o.pll) body.push('  MXC_GCR->ipll_ctrl |= MXC_F_GCR_IPLL_CTRL_EN; // start the PLL');
    body.push('  SystemCoreClockUpdate();', '');
    if (o.debugWait > 0)
      body.push(
        '  printf("Waiting...\\n");',
        '',
        '  // Keep this delay: it gives a debugger the chance to stop the core after a reset.',
        `  MXC_Delay(SEC(${o.debugWait}));`,
        '',
      );
  } else {
    if (o.riscvDebug) body.push('  Debug_Init(); // JTAG of the RISC-V core');
    if (o.riscvCache) body.push('  MXC_ICC_Enable(MXC_ICC1); // instruction cache of the RISC-V core on', '');
  }
  if (o.energy && dev.name === 'MAX78002') {
    for (const [name, pin] of [
      ['gpio_trig1', 6],
      ['gpio_trig2', 7],
    ] as const) {
      body.push(
        `  ${name}.port = MXC_GPIO1;`,
        `  ${name}.mask = MXC_GPIO_PIN_${pin};`,
        `  ${name}.pad = MXC_GPIO_PAD_NONE;`,
        `  ${name}.func = MXC_GPIO_FUNC_OUT;`,
        `  MXC_GPIO_Config(&${name});`,
        '',
      );
    }
  }
  if (o.energy) {
    body.push(
      '  cnn_disable(); // measure the system without the accelerator first',
      '  MXC_SYS_ClockSourceEnable(MXC_SYS_CLOCK_IPO);',
      '',
      '  printf("Measuring system base (idle) power...\\n");',
      '  SYS_START;',
      riscv ? '  MXC_TMR_Delay(MXC_TMR0, 1000000);' : '  MXC_Delay(SEC(1));',
      '  SYS_COMPLETE;',
      '',
    );
  }
  const enableDivider = clockSwitch ? 4 : o.clockDivider;
  body.push(
    `  // Power, interrupt and clock of the accelerator: ${clockName(input)} divided by ${enableDivider}`,
    `  cnn_enable(MXC_S_GCR_PCLKDIV_CNNCLKSEL_${o.pll ? 'IPLL' : 'PCLK'}, MXC_S_GCR_PCLKDIV_CNNCLKDIV_DIV${enableDivider});`,
  );
  if (o.boost) body.push(`  cnn_boost_enable(MXC_GPIO${o.boost[0]}, MXC_GPIO_PIN_${o.boost[1]}); // boost supply on`);
  body.push('', `  printf("\\n*** CNN Inference Test ${input.prefix.replace(/["\\]/g, '')} ***\\n");`, '');
  body.push(o.zeroSram ? '  if (cnn_init() != CNN_OK) fail(); // known state; memories cleared and tested' : '  cnn_init(); // known state');
  if (o.energy) {
    body.push(
      '',
      '  printf("Measuring weight loading...\\n");',
      '  CNN_START;',
      '  for (i = 0; i < 100; i++)',
      '    cnn_load_weights();',
      '  CNN_COMPLETE;',
      '',
      '  MXC_TMR_Delay(MXC_TMR0, 500000);',
    );
    if (!flags.fifo)
      body.push('  printf("Measuring input loading...\\n");', '  CNN_START;', '  for (i = 0; i < 100; i++)', '    load_input();', '  CNN_COMPLETE;', '');
    else body.push('  printf("Skipping input loading (using FIFO)...\\n");', '  CNN_START;', '  MXC_TMR_Delay(MXC_TMR0, 10);', '  CNN_COMPLETE;', '');
  } else body.push('  cnn_load_weights();');
  if (o.verifyKernels) body.push('  if (cnn_verify_weights() != CNN_OK) fail();', '  printf("Weights verified successfully.\\n");');
  body.push('  cnn_load_bias();', '  cnn_configure();');
  const wait = (indent: string) =>
    o.wfi
      ? [
          `${indent}while (cnn_time == 0)`,
          riscv
            ? `${indent}  asm volatile("wfi"); // sleep until the accelerator is done`
            : `${indent}  MXC_LP_EnterSleepMode(); // sleep until the accelerator is done`,
        ]
      : [`${indent}while (cnn_time == 0); // wait for the accelerator`];
  if (!o.energy) {
    if (!flags.fifo) body.push('  load_input();');
    if (clockSwitch) body.push(...selectClock('IPLL', o.clockDivider, `Inference clock: ${clockName(input)} divided by ${o.clockDivider}`, false));
    body.push('  cnn_start();');
    if (flags.fifo) body.push('  load_input(); // through the FIFOs while the accelerator runs');
    body.push('', ...wait('  '), '');
  } else {
    body.push('  MXC_TMR_Delay(MXC_TMR0, 500000);', '  printf("Measuring input load + inference...\\n");', '  CNN_START;', '  for (i = 0; i < 100; i++) {');
    if (!flags.fifo) body.push('    load_input();');
    if (clockSwitch) body.push(...selectClock('IPLL', o.clockDivider, `Inference clock: ${clockName(input)} divided by ${o.clockDivider}`, false, '    '));
    body.push('    cnn_start();');
    if (flags.fifo) body.push('    load_input();');
    body.push(...wait('    '));
    if (clockSwitch) body.push(...selectClock('IPLL', 4, `Back to ${clockName(input)} divided by 4`, false, '    '));
    body.push('  }', '  CNN_COMPLETE;', '');
  }
  if (clockSwitch) body.push(...selectClock('IPLL', 4, `Back to ${clockName(input)} divided by 4`, false), '');
  if (o.boost) body.push(`  cnn_boost_disable(MXC_GPIO${o.boost[0]}, MXC_GPIO_PIN_${o.boost[1]}); // boost supply off`, '');
  if (kat) body.push('  if (check_output() != CNN_OK) fail();');
  if (o.softmax) body.push('  softmax_layer();');
  else if (unload) body.push(`  cnn_unload((uint32_t *) ml_data${outputWidth !== 32 ? '32' : ''});`);
  body.push(
    '',
    '  printf("\\n*** PASS ***\\n\\n");',
    '',
    '#ifdef CNN_INFERENCE_TIMER',
    `  printf("Approximate ${flags.fifo ? 'data loading and ' : ''}inference time: %u us\\n\\n", cnn_time);`,
    '#endif',
    '',
  );
  if (o.energy) body.push('  printf("See monitor display for inference energy.\\n\\n");', '');
  body.push('  cnn_disable(); // accelerator off');
  if (o.pll) body.push('  MXC_GCR->ipll_ctrl &= ~MXC_F_GCR_IPLL_CTRL_EN; // PLL off');
  if (o.softmax) {
    body.push(
      '',
      '  printf("Classification results:\\n");',
      '  for (i = 0; i < CNN_NUM_OUTPUTS; i++) {',
      '    digs = (1000 * ml_softmax[i] + 0x4000) >> 15; // per mille, rounded',
      '    tens = digs % 10;',
      '    digs = digs / 10;',
      '    printf("[%7d] -> Class %d: %d.%d%%\\n", ml_data[i], i, digs, tens);',
      '  }',
    );
  }
  if (riscv) body.push('', '  // Tell the Arm core that the RISC-V core is done.', '  MXC_SEMA->irq0 = MXC_F_SEMA_IRQ0_EN | MXC_F_SEMA_IRQ0_CM4_IRQ;');
  out.push(cFunction('int main(void)', body, '0'));
  return out.join('\n');
}

/** check_output(): compares the output memory with the SAMPLE_OUTPUT blocks of sampleoutput.h. */
function checkOutput(input: GeneratorInput): string {
  const layers = input.state.outputLayer
    .slice(0, input.state.layers)
    .map((x, i) => (x ? i : -1))
    .filter((i) => i >= 0);
  return [
    `// The known answer: what layer${layers.length === 1 ? '' : 's'} ${layers.join(', ')} must hold after the sample input (remove for production code).`,
    flashSection(input) + 'static const uint32_t sample_output[] = SAMPLE_OUTPUT;',
    '',
    cFunction(
      'int check_output(void)',
      [
        '  // Blocks of (start address, mask, word count, words...), ended by a zero address.',
        '  const uint32_t *expected = sample_output;',
        '  volatile uint32_t *addr;',
        '  uint32_t mask, len, i;',
        '',
        '  while ((addr = (volatile uint32_t *) *expected++) != 0) {',
        '    mask = *expected++;',
        '    len = *expected++;',
        '    for (i = 0; i < len; i++, addr++, expected++) {',
        '      if ((*addr & mask) != *expected) {',
        '        printf("Data mismatch (%u/%u) at address 0x%08x: Expected 0x%08x, read 0x%08x.\\n",',
        '               (unsigned) (i + 1), (unsigned) len, (unsigned) (uintptr_t) addr, (unsigned) *expected, (unsigned) (*addr & mask));',
        '        return CNN_FAIL;',
        '      }',
        '    }',
        '  }',
      ],
      'CNN_OK',
    ),
  ].join('\n');
}

/** main.c of a RISC-V project: the Arm core sets up clocks, starts the RISC-V core and sleeps. */
function armWakesRiscv(input: GeneratorInput): string {
  const { device: dev, options: o } = input;
  const body = [
    '  MXC_ICC_Enable(MXC_ICC0); // instruction cache on',
    '',
    `  // System clock: the ${dev.ipoSpeed} MHz internal oscillator`,
    '  MXC_SYS_Clock_Select(MXC_SYS_CLOCK_IPO);',
  ];
  if (o.pll) body.push('  MXC_GCR->ipll_ctrl |= MXC_F_GCR_IPLL_CTRL_EN; // start the PLL');
  body.push('  SystemCoreClockUpdate();', '');
  if (o.riscvCache) body.push('  MXC_FCR->urvbootaddr = (uint32_t) &__FlashStart_; // the RISC-V core boots from its code in flash');
  else body.push(`  MXC_FCR->urvbootaddr = ${hex(dev.name === 'MAX78002' ? 0x2005c000 : 0x2001c000)}; // the RISC-V core boots from SRAM`);
  if (o.riscvExclusive) body.push('  MXC_FCR->urvctrl |= 0x00000001; // the RISC-V core has the shared SRAM to itself');
  body.push(
    '  MXC_SYS_ClockEnable(MXC_SYS_PERIPH_CLOCK_SMPHR); // semaphore clock on',
    '  MXC_NVIC_SetVector(RISCV_IRQn, WakeISR); // the RISC-V core wakes us when it is done',
  );
  if (o.debugWait > 0)
    body.push('', '  // Keep this delay: it gives a debugger the chance to stop the core after a reset.', `  MXC_Delay(SEC(${o.debugWait}));`, '');
  body.push('  MXC_SYS_ClockEnable(MXC_SYS_PERIPH_CLOCK_CPU1); // start the RISC-V core', '');
  if (o.wfi) body.push('  MXC_LP_EnterSleepMode(); // sleep while the RISC-V core runs');
  else body.push('  riscv_done = 0;', '  while (riscv_done == 0); // wait while the RISC-V core runs');
  return [
    fileBanner(input, 'the Arm core of a RISC-V project: starts the RISC-V core, which runs the network.'),
    ['#include <stdlib.h>', '#include <stdint.h>', '#include "mxc.h"', '#include "gcfr_regs.h"', '#include "fcr_regs.h"', '#include "sema_regs.h"'].join('\n'),
    '',
    'extern volatile void const *__FlashStart_; // from the linker script',
    '',
    ...(o.wfi ? [] : ['static volatile int riscv_done;', '']),
    cFunction('void WakeISR(void)', ['  MXC_SEMA->irq0 = MXC_F_SEMA_IRQ0_EN & ~MXC_F_SEMA_IRQ0_CM4_IRQ;', ...(o.wfi ? [] : ['  riscv_done = 1;'])], null),
    cFunction('int main(void)', body, '0'),
  ].join('\n');
}
