// Prints a register program as C statements.
import { hex, store } from './cText';
import type { ProgramStep } from './registerProgram';

export function stepLines(steps: readonly ProgramStep[], indent = '  '): string[] {
  const lines: string[] = [];
  for (const st of steps) {
    switch (st.kind) {
      case 'write':
        lines.push(`${store(st.address, st.value, indent)} // ${st.note}`);
        break;
      case 'wait':
        lines.push(`${indent}while ((*((volatile uint32_t *) ${hex(st.address)}) & ${hex(st.mask)}) != ${hex(st.value)}); // ${st.note}`);
        break;
      case 'verify':
        lines.push(`${indent}if ((*((volatile uint32_t *) ${hex(st.address)}) & ${hex(st.mask)}) != ${hex(st.value)}) return CNN_FAIL; // ${st.note}`);
        break;
      case 'zero':
        lines.push(`${indent}memset((uint32_t *) ${hex(st.address)}, 0, ${st.bytes}); // ${st.note}`);
        break;
      case 'heading':
        lines.push(`${indent}// ${st.text}`);
        break;
      case 'gap':
        lines.push('');
        break;
    }
  }
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
