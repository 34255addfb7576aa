// Turns a generated project's C files into code the harness can run on the PC. Before preprocessing, each file gets
// a prologue (the harness functions it may call; in the main file, `main` renamed so that the harness has its own)
// and the main file an epilogue with pointers to load_input, check_output and main, which may be static there.
// After preprocessing (so that macros are expanded), what only a microcontroller understands is replaced — `wfi`
// becomes a call that lets the harness end a started inference, the RISC-V interrupt attribute goes — and every
// store to a FIFO data register becomes a call of the FIFO logger.
import { isFifoDataRegister } from './fifoRegisters';

export const FIFO_STORE_FUNCTION = 'ai8x_image_fifo_store';
const WAIT_FUNCTION = 'ai8x_image_wait_for_interrupt';

export interface PrologueOptions {
  isMain: boolean;
  /** Whether the harness calls check_output (only when there is a known answer to check). */
  checkOutput: boolean;
}

export function withHarnessPrologue(text: string, fileName: string, opts: PrologueOptions): string {
  const lines = [`void ${FIFO_STORE_FUNCTION}(unsigned long address, unsigned int value);`, `void ${WAIT_FUNCTION}(void);`];
  if (opts.isMain) lines.push('#define main ai8x_image_project_main');
  lines.push(`#line 1 "${fileName}"`, text);
  if (opts.isMain) {
    lines.push('', '#line 1 "(harness glue)"');
    lines.push('void (*const ai8x_image_load_input)(void) = (void (*)(void)) load_input;');
    if (opts.checkOutput) lines.push('int (*const ai8x_image_check_output)(void) = (int (*)(void)) check_output;');
    lines.push('int (*const ai8x_image_main)(void) = (int (*)(void)) main;');
  }
  return lines.join('\n') + '\n';
}

const WFI = /\b(?:__asm__|__asm|asm)\s*(?:__volatile__|volatile)?\s*\(\s*"\s*wfi\s*"\s*\)/g;
const INTERRUPT_ATTRIBUTE = /__attribute__\s*\(\(\s*interrupt\s*(?:\([^()]*\))?\s*\)\)/g;
const POINTER_CAST = String.raw`\(\s*(?:volatile\s+)?(?:uint32_t|unsigned\s+int|unsigned\s+long|unsigned|int32_t|int)\s*(?:volatile\s*)?\*\s*(?:const\s*)?\)`;
const ADDRESS = String.raw`(0[xX][0-9a-fA-F]+)[uUlL]*`;
// `*((volatile uint32_t *) 0x50000008) = value;` and `*(volatile uint32_t *) 0x50000008 = value;`
const FIFO_STORE = new RegExp(String.raw`\*\s*(?:\(\s*${POINTER_CAST}\s*${ADDRESS}\s*\)|${POINTER_CAST}\s*${ADDRESS})\s*=(?!=)([^;]*);`, 'g');

export interface HostSource {
  text: string;
  /** Stores to FIFO data registers turned into logger calls. */
  fifoStores: number;
}

/** The preprocessed text of a project file made ready for the host compiler. */
export function forTheHost(preprocessed: string): HostSource {
  let fifoStores = 0;
  const text = preprocessed
    .replace(WFI, `${WAIT_FUNCTION}()`)
    .replace(INTERRUPT_ATTRIBUTE, '')
    .replace(FIFO_STORE, (whole: string, a1: string | undefined, a2: string | undefined, value: string) => {
      const address = parseInt((a1 ?? a2)!, 16);
      if (!isFifoDataRegister(address)) return whole;
      fifoStores++;
      return `${FIFO_STORE_FUNCTION}(0x${address.toString(16)}UL, (unsigned int) (${value.trim()}));`;
    });
  return { text, fifoStores };
}
