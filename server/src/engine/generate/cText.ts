// Small pieces of C text the generated files share: hex literals, array #defines and register statements.

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `0x` and `digits` lower-case hex digits of an unsigned value. */
export function hex(value: number, digits = 8): string {
  const v = value >>> 0;
  if (digits === 8) return '0x' + BYTE_HEX[v >>> 24] + BYTE_HEX[(v >>> 16) & 0xff] + BYTE_HEX[(v >>> 8) & 0xff] + BYTE_HEX[v & 0xff];
  if (digits === 2 && v < 256) return '0x' + BYTE_HEX[v];
  return '0x' + v.toString(16).padStart(digits, '0');
}

/** `#define NAME { \` with `perLine` values a line, as the data headers carry them. */
export function arrayDefine(name: string, values: ArrayLike<number>, perLine: number, digits = 8): string {
  const lines: string[] = [];
  const n = values.length;
  for (let i = 0; i < n; i += perLine) {
    let line = '  ';
    const end = Math.min(n, i + perLine);
    for (let j = i; j < end; j++) line += (j > i ? ', ' : '') + hex(values[j], digits);
    lines.push(end < n ? line + ',' : line);
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
