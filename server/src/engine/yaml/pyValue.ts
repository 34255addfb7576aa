// Python-style views of YAML nodes: what `isinstance(v, int)`, `bool(v)`, `str(v)` would give in izer.
import type { YNode, YScalar } from './yamlTree';

/** Python int semantics: ints, and booleans (which are ints in Python). */
export function pyInt(n: YNode | null | undefined): bigint | null {
  if (!n || n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1n : 0n;
  return null;
}

/** A number izer can compare with `<`/`==` (int, bool or float), or null. */
export function pyNumber(n: YNode | null | undefined): number | null {
  if (!n || n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'int') return Number(v.value);
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'float') return v.value;
  return null;
}

export function pyIntNumber(n: YNode | null | undefined): number | null {
  const v = pyInt(n);
  return v === null ? null : Number(v);
}

export function pyStr(n: YNode | null | undefined): string | null {
  if (!n || n.type !== 'scalar' || n.value.kind !== 'str') return null;
  return n.value.value;
}

/** Python's bool(value). */
export function pyTruthy(n: YNode | null | undefined): boolean {
  if (!n) return false;
  if (n.type === 'seq') return n.items.length > 0;
  if (n.type === 'map') return n.entries.length > 0;
  const v = n.value;
  switch (v.kind) {
    case 'null':
      return false;
    case 'bool':
      return v.value;
    case 'int':
      return v.value !== 0n;
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
  }
}

/** Python's str(value).lower() for scalars (lists render like Python lists). */
export function pyStrLower(n: YNode): string {
  return pyRepr(n, true).toLowerCase();
}

export function pyRepr(n: YNode, strBare = false): string {
  if (n.type === 'seq') return '[' + n.items.map((i) => pyRepr(i)).join(', ') + ']';
  if (n.type === 'map') return '{' + n.entries.map((e) => `${pyRepr(e.key)}: ${e.value ? pyRepr(e.value) : 'None'}`).join(', ') + '}';
  return scalarRepr(n, strBare);
}

function scalarRepr(n: YScalar, strBare: boolean): string {
  const v = n.value;
  switch (v.kind) {
    case 'null':
      return 'None';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'int':
      return v.value.toString();
    case 'float':
      return Number.isInteger(v.value) ? v.value.toFixed(1) : String(v.value);
    case 'str':
      return strBare ? v.value : `'${v.value}'`;
  }
}

/** izer's hex-string parser for processor maps: drop `.` and `_`, then int(s, 16). */
export function parseMaskValue(n: YNode | null | undefined): bigint | string | null {
  if (!n || n.type !== 'scalar') return null;
  const v = n.value;
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1n : 0n;
  if (v.kind === 'null') return null;
  if (v.kind === 'str') {
    const parsed = pythonHexInt(v.value.replace(/[._]/g, ''));
    return parsed ?? v.value;
  }
  return String(v.value);
}

/** Python int(s, 16): optional whitespace, sign and 0x prefix. */
export function pythonHexInt(s: string): bigint | null {
  const m = /^\s*([-+]?)(?:0[xX])?([0-9a-fA-F]+)\s*$/.exec(s);
  if (!m) return null;
  const v = BigInt('0x' + m[2]);
  return m[1] === '-' ? -v : v;
}
