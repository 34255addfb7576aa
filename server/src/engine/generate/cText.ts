// Small pieces of C text the generated files share: hex literals, array #defines and register statements.

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `0x` and `digits` lower-case hex digits of an unsigned value. */
export function hex(value: number, digits = 8): string {
  const v = value >>> 0;
  if (digits === 8) return '0x' + BYTE_HEX[v >>> 24] + BYTE_HEX[(v >>> 16) & 0xff] + BYTE_HEX[(v >>> 8) & 0xff] + BYTE_HEX[v & 0xff];
  if (digits === 2 && v < 256) return '0x' + BYTE_HEX[v];
  return '0x' + v.toString(16).padStart(digits, '0');
}

const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const ASCII = new TextDecoder();

/**
 * `#define NAME { \` with `perLine` values a line, as the data headers carry them. The text is written as bytes
 * and decoded once: these arrays run to hundreds of thousands of values, and building the text value by value
 * leaves as many short-lived strings behind.
 */
export function arrayDefine(name: string, values: ArrayLike<number>, perLine: number, digits = 8): string {
  const n = values.length;
  if (n === 0 || digits > 8 || (digits < 8 && Array.prototype.some.call(values, (v: number) => v >>> 0 >= 16 ** digits)))
    return arrayDefineText(name, values, perLine, digits);
  const lines = Math.ceil(n / perLine);
  // Each value: "0x" and its digits, and ", " or (at a line's end) "," or nothing; each line: two spaces and " \\\n".
  const out = new Uint8Array(n * (digits + 4) + lines * 6);
  let o = 0;
  const put = (c: number) => (out[o++] = c);
  for (let i = 0; i < n; i += perLine) {
    put(32);
    put(32);
    const end = Math.min(n, i + perLine);
    for (let j = i; j < end; j++) {
      if (j > i) {
        put(44);
        put(32);
      }
      const v = values[j] >>> 0;
      put(48);
      put(120);
      for (let d = digits - 1; d >= 0; d--) out[o++] = HEX_DIGITS[(v >>> (4 * d)) & 15];
    }
    if (end < n) put(44);
    put(32);
    put(92);
    put(10);
  }
  return `#define ${name} { \\\n${ASCII.decode(out.subarray(0, o))}}\n`;
}

/** arrayDefine value by value: for no values, and for values wider than their digits (they print in full). */
function arrayDefineText(name: string, values: ArrayLike<number>, perLine: number, digits: number): string {
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
