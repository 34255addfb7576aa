// Resolves YAML scalars the way izer's PyYAML loader does: plain scalars by YAML 1.1 implicit typing, and scalars
// with an explicit tag (`!!int 5`, `! 5`) by PyYAML's constructors. eemeli/yaml's 1.1 schema differs in details
// (it treats `y`/`n` as booleans, reads ints as doubles), and 64-bit processor masks need exact integers, so
// scalars are resolved here from their text.

export type PyScalar =
  { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'bool'; value: boolean } | { kind: 'null' } | { kind: 'str'; value: string };

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE_WORDS = new Set(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TAG = 'tag:yaml.org,2002:';
/** PyYAML's `bool_values`: what `!!bool` accepts, compared in lower case. */
const BOOL_WORDS = new Map([
  ['yes', true],
  ['true', true],
  ['on', true],
  ['no', false],
  ['false', false],
  ['off', false],
]);

/** A plain scalar's value; null where PyYAML resolves it as a number its constructor then rejects (`0x_`). */
export function resolvePlainScalar(text: string): PyScalar | null {
  if (BOOL.test(text)) return { kind: 'bool', value: TRUE_WORDS.has(text) };
  if (FLOAT.test(text)) return floatOf(constructFloat(text));
  if (INT.test(text)) return intOf(constructInt(text));
  if (NULL.test(text)) return { kind: 'null' };
  return { kind: 'str', value: text };
}

const intOf = (value: bigint | null): PyScalar | null => (value === null ? null : { kind: 'int', value });
const floatOf = (value: number | null): PyScalar | null => (value === null ? null : { kind: 'float', value });

/**
 * A scalar with an explicit tag, built from its text as PyYAML's constructors build it. `null` where PyYAML raises
 * (`!!int abc`: izer stops with a Python exception); `undefined` for tags other than `!`, str, null, bool, int and
 * float, which are left to the caller.
 */
export function constructTaggedScalar(tag: string, text: string): PyScalar | null | undefined {
  switch (tag) {
    case '!':
      // PyYAML resolves a scalar with the non-specific tag as if it were plain, even when it is quoted.
      return resolvePlainScalar(text);
    case TAG + 'str':
      return { kind: 'str', value: text };
    case TAG + 'null':
      return { kind: 'null' };
    case TAG + 'bool': {
      const value = BOOL_WORDS.get(text.toLowerCase());
      return value === undefined ? null : { kind: 'bool', value };
    }
    case TAG + 'int':
      return intOf(constructInt(text));
    case TAG + 'float':
      return floatOf(constructFloat(text));
  }
  return undefined;
}

/** PyYAML's int constructor (implicit and `!!int`): the forms' rules, then Python's `int(text, base)`; null where it raises. */
function constructInt(text: string): bigint | null {
  let s = text.replace(/_/g, '');
  if (!s) return null;
  const sign = s[0] === '-' ? -1n : 1n;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let value: bigint | null;
  if (s === '0') value = 0n;
  else if (s.startsWith('0b')) value = pythonInt(s.slice(2), 2);
  else if (s.startsWith('0x')) value = pythonInt(s.slice(2), 16);
  else if (s[0] === '0') value = pythonInt(s, 8);
  else if (s.includes(':')) {
    value = 0n;
    for (const part of s.split(':')) {
      const digit = pythonInt(part, 10);
      if (digit === null) return null;
      value = value * 60n + digit;
    }
  } else value = pythonInt(s, 10);
  return value === null ? null : sign * value;
}

const DIGITS: Record<2 | 8 | 10 | 16, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-f]+$/i };
const PREFIX: Record<2 | 8 | 10 | 16, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** Python's `int(text, base)` for ASCII text: surrounding blanks, one sign, the base's own prefix, digits. */
function pythonInt(text: string, base: 2 | 8 | 10 | 16): bigint | null {
  let s = text.trim();
  const negative = s[0] === '-';
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (PREFIX[base] && s.slice(0, 2).toLowerCase() === PREFIX[base]) s = s.slice(2);
  if (!DIGITS[base].test(s)) return null;
  const value = BigInt(PREFIX[base] + s);
  return negative ? -value : value;
}

/** PyYAML's float constructor (implicit and `!!float`): `.inf`, `.nan`, sexagesimal, then Python's `float(text)`; null where it raises. */
function constructFloat(text: string): number | null {
  let s = text.replace(/_/g, '').toLowerCase();
  if (!s) return null;
  const sign = s[0] === '-' ? -1 : 1;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  let value = 0;
  for (const part of s.split(':')) {
    const digit = pythonFloat(part);
    if (digit === null) return null;
    value = value * 60 + digit;
  }
  return sign * value;
}

const PYTHON_FLOAT = /^([-+]?)(?:(inf|infinity|nan)|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?))$/;

/** Python's `float(text)` for ASCII text. */
function pythonFloat(text: string): number | null {
  const m = PYTHON_FLOAT.exec(text.trim().toLowerCase());
  if (!m) return null;
  const value = m[2] === undefined ? Number(m[3]) : m[2] === 'nan' ? NaN : Infinity;
  return m[1] === '-' ? -value : value;
}
