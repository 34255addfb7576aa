// Python's semantics for the values the model reader builds: truth, iteration, operators on numbers, strings and
// sequences, the built-in functions model files call, argument binding and attribute lookup through base classes.
import type { Expr, FunctionDef, Param } from './pythonSyntax';
import { ClassValue, describe, FunctionValue, isObject, ModelReadError, Scope, UnknownValue, Value } from './values';

/** The items a `for` loop (or list(), sum(), …) goes over. */
export function iterate(v: Value, line: number, file: string): Value[] {
  if (isObject(v)) {
    if (v.t === 'list' || v.t === 'tuple') return v.items.slice();
    if (v.t === 'container') return v.items.map(([, x]) => x);
    if (v.t === 'dict') return [...v.entries.keys()];
    if (v.t === 'unknown') throw new ModelReadError(`cannot loop over ${describe(v)}`, line, file);
  }
  if (typeof v === 'string') return [...v];
  throw new ModelReadError(`cannot loop over ${describe(v)}`, line, file);
}

/** Python's truth value; a condition on something not known statically is an error at its line. */
export function truthy(v: Value, line: number, file: string): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (isObject(v)) {
    if (v.t === 'unknown') throw new ModelReadError(`the condition depends on ${describe(v)}`, line, file);
    if (v.t === 'list' || v.t === 'tuple') return v.items.length > 0;
    if (v.t === 'dict') return v.entries.size > 0;
  }
  return true;
}

/** Binary operators on numbers, strings and sequences (tensors are the interpreter's business). */
export function binaryValues(op: string, a: Value, b: Value, line: number, file: string): Value {
  if ((isObject(a) && a.t === 'unknown') || (isObject(b) && b.t === 'unknown')) return isObject(a) && a.t === 'unknown' ? a : b;
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '//':
        return Math.floor(a / b);
      case '%':
        return ((a % b) + b) % b;
      case '**':
        return a ** b;
      case '<<':
        return a << b;
      case '>>':
        return a >> b;
      case '&':
        return a & b;
      case '|':
        return a | b;
      case '^':
        return a ^ b;
    }
  }
  switch (op) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case 'is':
      return a === b || (a === null && b === null);
    case 'is not':
      return !(a === b || (a === null && b === null));
    case '<':
    case '>':
    case '<=':
    case '>=':
      if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))
        return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      break;
    case 'in':
    case 'not in': {
      const items = isObject(b) && (b.t === 'list' || b.t === 'tuple') ? b.items : isObject(b) && b.t === 'dict' ? [...b.entries.keys()] : null;
      if (items) return items.some((x) => equal(x as Value, a)) === (op === 'in');
      if (typeof b === 'string' && typeof a === 'string') return b.includes(a) === (op === 'in');
      break;
    }
    case '+':
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (isObject(a) && isObject(b) && (a.t === 'list' || a.t === 'tuple') && a.t === b.t) return { t: a.t, items: [...a.items, ...b.items] };
      break;
    case '*':
      if (isObject(a) && (a.t === 'list' || a.t === 'tuple') && typeof b === 'number')
        return { t: a.t, items: Array.from({ length: b }, () => a.items).flat() };
      break;
  }
  throw new ModelReadError(`${describe(a)} ${op} ${describe(b)} is not supported`, line, file);
}

/** Python's built-in functions and constants that model files use, or null for any other name. */
export function builtin(name: string): Value | null {
  const mk = (call: (args: Value[], kwargs: Map<string, Value>, line: number) => Value): Value => ({ t: 'builtin', name, call });
  const num = (v: Value, line: number): number => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw new ModelReadError(`${name}() of ${describe(v)}`, line, '');
  };
  switch (name) {
    case 'range':
      return mk((args, _k, line) => {
        const [a, b, c] = args.map((x) => num(x, line));
        const [start, stop, step] = args.length === 1 ? [0, a, 1] : [a, b, c ?? 1];
        if (step === 0 || Math.abs((stop - start) / step) > 100_000) throw new ModelReadError('range() too long', line, '');
        const items: Value[] = [];
        for (let i = start; step > 0 ? i < stop : i > stop; i += step) items.push(i);
        return { t: 'list', items };
      });
    case 'len':
      return mk((args, _k, line) => {
        const v = args[0];
        if (isObject(v) && (v.t === 'list' || v.t === 'tuple')) return v.items.length;
        if (isObject(v) && v.t === 'container') return v.items.length;
        if (isObject(v) && v.t === 'dict') return v.entries.size;
        if (typeof v === 'string') return v.length;
        throw new ModelReadError(`len() of ${describe(v)}`, line, '');
      });
    case 'int':
      return mk((args, _k, line) => Math.trunc(num(args[0] ?? 0, line)));
    case 'float':
      return mk((args, _k, line) => num(args[0] ?? 0, line));
    case 'abs':
      return mk((args, _k, line) => Math.abs(num(args[0], line)));
    case 'round':
      return mk((args, _k, line) => {
        const x = num(args[0], line);
        const r = Math.round(x);
        return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r; // banker's rounding, as Python
      });
    case 'max':
    case 'min':
      return mk((args, _k, line) => {
        const items = args.length === 1 ? iterate(args[0], line, '') : args;
        const ns = items.map((x) => num(x, line));
        return name === 'max' ? Math.max(...ns) : Math.min(...ns);
      });
    case 'sum':
      return mk((args, _k, line) => iterate(args[0], line, '').reduce<number>((a, x) => a + num(x, line), 0));
    case 'list':
    case 'tuple':
      return mk((args, _k, line) => ({ t: name, items: args.length ? iterate(args[0], line, '') : [] }));
    case 'enumerate':
      return mk((args, _k, line) => ({ t: 'list', items: iterate(args[0], line, '').map((x, i) => ({ t: 'tuple', items: [i, x] })) }));
    case 'zip':
      return mk((args, _k, line) => {
        const lists = args.map((a) => iterate(a, line, ''));
        const n = Math.min(...lists.map((l) => l.length));
        return { t: 'list', items: Array.from({ length: n }, (_, i) => ({ t: 'tuple', items: lists.map((l) => l[i]) })) };
      });
    case 'isinstance':
      return mk((args, _k, line) => ({ t: 'unknown', why: 'isinstance()', line }) as UnknownValue);
    case 'print':
      return mk(() => null);
    case 'str':
      return mk((args) => (typeof args[0] === 'string' ? args[0] : describe(args[0] ?? '')));
    case 'dict':
      return mk((_a, kwargs) => ({ t: 'dict', entries: new Map(kwargs) }));
    case 'super':
      return mk((_a, _k, line) => ({ t: 'unknown', why: 'super()', line }) as UnknownValue);
    case 'True':
      return true;
    case 'False':
      return false;
    case 'None':
      return null;
  }
  return null;
}

export function findMethod(cls: ClassValue, name: string): FunctionValue | null {
  const own = cls.methods.get(name);
  if (own) return own;
  for (const b of cls.bases)
    if (b.t === 'class') {
      const m = findMethod(b, name);
      if (m) return m;
    }
  return null;
}

export function classAttr(cls: ClassValue, name: string): Value | undefined {
  const own = cls.attrs.get(name);
  if (own !== undefined) return own;
  for (const b of cls.bases)
    if (b.t === 'class') {
      const v = classAttr(b, name);
      if (v !== undefined) return v;
    }
  return undefined;
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isObject(a) && isObject(b) && (a.t === 'list' || a.t === 'tuple') && (b.t === 'list' || b.t === 'tuple')) {
    return a.items.length === b.items.length && a.items.every((x, i) => equal(x, b.items[i]));
  }
  return false;
}

export function bindParams(fn: FunctionDef, args: Value[], kwargs: Map<string, Value>, scope: Scope, evalDefault: (e: Expr) => Value, file: string): void {
  let i = 0;
  const rest = new Map(kwargs);
  for (const p of fn.params) {
    if (p.kind === 'star') {
      scope.vars.set(p.name, { t: 'tuple', items: args.slice(i) });
      i = args.length;
    } else if (p.kind === 'starstar') {
      scope.vars.set(p.name, { t: 'dict', entries: new Map([...rest].map(([k, v]) => [k, v])) });
      rest.clear();
    } else if (i < args.length) scope.vars.set(p.name, args[i++]);
    else if (rest.has(p.name)) {
      scope.vars.set(p.name, rest.get(p.name)!);
      rest.delete(p.name);
    } else if (p.default) scope.vars.set(p.name, evalDefault(p.default));
    else throw new ModelReadError(`${fn.name}() is missing its argument \`${p.name}\``, fn.line, file);
  }
  if (i < args.length && !fn.params.some((p: Param) => p.kind === 'star')) throw new ModelReadError(`${fn.name}() is given too many arguments`, fn.line, file);
}

export function bindLayerArgs(sig: { name: string; default?: unknown }[], args: Value[], kwargs: Map<string, Value>): Map<string, Value> {
  const out = new Map<string, Value>();
  sig.forEach((p, i) => {
    if (i < args.length) out.set(p.name, args[i]);
    else if (kwargs.has(p.name)) out.set(p.name, kwargs.get(p.name)!);
    else if ('default' in p) out.set(p.name, p.default as Value);
  });
  return out;
}
