// Small pieces of C text the generated files share: hex literals, array #defines and register statements.

/** `0x` and `digits` lower-case hex digits of an unsigned value. */
export function hex(value: number, digits = 8): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}

/** `#define NAME { \` with `perLine` values a line, as the data headers carry them. */
export function arrayDefine(name: string, values: ArrayLike<number>, perLine: number, digits = 8): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const part: string[] = [];
    for (let j = i; j < Math.min(values.length, i + perLine); j++) part.push(hex(values[j], digits));
    lines.push('  ' + part.join(', ') + (i + perLine < values.length ? ',' : ''));
  }
  return `#define ${name} { \\\n${lines.join(' \\\n')} \\\n}\n`;
}

/** A 32-bit store to an absolute address. */
export function store(address: number, value: string | number, indent = '  '): string {
  return `${indent}*((volatile uint32_t *) ${hex(address)}) = ${typeof value === 'number' ? hex(value) : value};`;
}

/** A C function: `signature` (without the body) and its body lines (already indented). */
export function cFunction(signature: string, body: string[], result: string | null = 'CNN_OK'): string {
  const lines = [signature, '{', ...body];
  if (result !== null) lines.push('', `  return ${result};`);
  lines.push('}', '');
  return lines.join('\n') + '\n';
}
