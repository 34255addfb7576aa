// Resolves plain (unquoted) YAML scalars the way izer's PyYAML loader does (YAML 1.1 implicit typing).
// eemeli/yaml's 1.1 schema differs in details (it treats `y`/`n` as booleans, reads ints as doubles), and
// 64-bit processor masks need exact integers, so plain scalars are resolved here from their source text.

export type PyScalar =
  { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'bool'; value: boolean } | { kind: 'null' } | { kind: 'str'; value: string };

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const TRUE_WORDS = new Set(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

export function resolvePlainScalar(text: string): PyScalar {
  if (BOOL.test(text)) return { kind: 'bool', value: TRUE_WORDS.has(text) };
  if (FLOAT.test(text)) return { kind: 'float', value: constructFloat(text) };
  if (INT.test(text)) return { kind: 'int', value: constructInt(text) };
  if (NULL.test(text)) return { kind: 'null' };
  return { kind: 'str', value: text };
}

function constructInt(text: string): bigint {
  let s = text.replace(/_/g, '');
  let sign = 1n;
  if (s[0] === '-') sign = -1n;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '0') return 0n;
  if (s.startsWith('0b')) return sign * BigInt(s);
  if (s.startsWith('0x')) return sign * BigInt(s);
  if (s[0] === '0') return sign * BigInt('0o' + s.slice(1));
  if (s.includes(':')) {
    let value = 0n;
    for (const part of s.split(':')) value = value * 60n + BigInt(part);
    return sign * value;
  }
  return sign * BigInt(s);
}

function constructFloat(text: string): number {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-') sign = -1;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  if (s.includes(':')) {
    let value = 0;
    for (const part of s.split(':')) value = value * 60 + Number(part);
    return sign * value;
  }
  return sign * Number(s);
}
