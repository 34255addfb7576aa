// A pickle interpreter (protocols 0–5) that only builds data. Globals are looked up in a table of known data
// constructors; anything else becomes an inert `{kind:'global'}` marker. Nothing is imported, called or executed.
// Its length (about 650 lines) is the opcode table of the pickle format, kept in one switch so each opcode's cost
// and stack effect can be read next to the others.
import { COST, ReadBudget } from './budget';
import { CheckpointError, PyObject } from './types';
import { Internal, KnownGlobal, Value, isDict, isMarker, isSet, newDict, sequenceItems } from './pickleValues';

export interface PickleHooks {
  /** A known global's behaviour, or null for an inert marker. */
  findGlobal(module: string, name: string): KnownGlobal | null;
  /** PERSID/BINPERSID: the object a persistent id stands for. */
  persistentLoad?(pid: Value): Value;
  /** Keep floats with whole values apart from ints (`{kind:'float'}`); see PyObject. */
  exactFloats?: boolean;
}

/** Python 2 module names that pickles of protocol ≤ 2 may use (Python 3's _compat_pickle mapping, the part torch needs). */
const PY2_MODULES = new Map([
  ['__builtin__', 'builtins'],
  ['copy_reg', 'copyreg'],
]);

/** Longest module or class name a GLOBAL may give (Python identifiers in a checkpoint are far shorter). */
const MAX_GLOBAL_NAME = 4096;

const utf8 = new TextDecoder('utf-8');
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Unpickles one pickle starting at `start`; returns the value and the offset after its STOP. */
export function unpickle(bytes: Uint8Array, start: number, hooks: PickleHooks, budget: ReadBudget): { value: Value; end: number } {
  const limits = budget.limits;
  const keys = budget.keys;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let pos = start;
  let stack: Value[] = [];
  const metastack: Value[][] = [];
  const memo = new Map<number, Value>();
  const globals = new Map<string, Value>();

  const float = (v: number): Value => {
    if (!hooks.exactFloats || !(Number.isInteger(v) || Object.is(v, -0))) return v;
    budget.count();
    budget.charge(COST.object);
    return { kind: 'float', value: v };
  };
  const fail = (msg: string, code: CheckpointError['code'] = 'format'): never => {
    throw new CheckpointError(`${msg} (pickle offset ${pos}).`, code);
  };
  const need = (n: number): void => {
    if (n < 0 || pos + n > end) fail('The pickle ends in the middle of an instruction: the file is truncated or damaged');
  };
  const u8 = (): number => {
    need(1);
    return bytes[pos++];
  };
  const u16 = (): number => {
    need(2);
    const v = dv.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const i32 = (): number => {
    need(4);
    const v = dv.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = dv.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(end - pos))
      fail(`A length of ${v} bytes runs past the end of the data: the file is truncated or forged`, v > 1n << 40n ? 'limit' : 'format');
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const b = bytes.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0 || nl >= end) fail('The pickle ends in the middle of a text instruction');
    const s = latin1Line(bytes, pos, nl);
    pos = nl + 1;
    return s;
  };
  const str = (b: Uint8Array): string => {
    budget.count();
    budget.step(b.length / 64);
    const s = utf8.decode(b);
    budget.charge(COST.string + 2 * s.length);
    return s;
  };
  /** A view of the next n bytes, as a bytes value. */
  const bytesValue = (n: number): Uint8Array => {
    budget.count();
    budget.charge(COST.view);
    return take(n);
  };
  /** Pushes a value; its stack slot is charged with the instruction. */
  const push = (v: Value): void => {
    stack.push(v);
  };
  const tuple = (items: PyObject[]): PyObject => {
    budget.count();
    budget.charge(COST.object);
    return { kind: 'tuple', items };
  };
  const pop = (): Value => {
    if (stack.length === 0) fail('The pickle pops from an empty stack: it is damaged');
    return stack.pop() as Value;
  };
  const top = (): Value => {
    if (stack.length === 0) fail('The pickle uses an empty stack: it is damaged');
    return stack[stack.length - 1];
  };
  const popMark = (): Value[] => {
    const items = stack;
    const prev = metastack.pop();
    if (!prev) fail('The pickle closes a MARK it never opened: it is damaged');
    stack = prev as Value[];
    return items;
  };
  const memoPut = (index: number): void => {
    if (stack.length === 0) fail('The pickle memoizes from an empty stack');
    if (!memo.has(index)) {
      if (memo.size >= limits.maxMemoEntries) fail(`The pickle stores more than ${limits.maxMemoEntries} memo entries`, 'limit');
      budget.charge(COST.entry);
    }
    memo.set(index, stack[stack.length - 1]);
  };
  const memoGet = (index: number): void => {
    const v = memo.get(index);
    if (v === undefined) fail(`The pickle refers to memo entry ${index}, which it never stored: it is damaged`);
    push(v as Value);
  };
  const intFromText = (s: string): number | bigint => {
    const t = s.trim().replace(/L$/, '');
    if (t.length > limits.maxIntBytes * 3) fail(`An integer of ${t.length} digits is beyond the reader's limit`, 'limit');
    if (!/^[+-]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|\d+)$/.test(t)) fail(`\`${t.slice(0, 40)}\` is not an integer`);
    budget.step(t.length / 64);
    const neg = t.startsWith('-');
    const body = t.replace(/^[+-]/, '');
    let b = BigInt(body);
    if (neg) b = -b;
    return normInt(b);
  };
  const longBytes = (b: Uint8Array): number | bigint => {
    if (b.length > limits.maxIntBytes) fail(`An integer of ${b.length} bytes is beyond the reader's limit of ${limits.maxIntBytes}`, 'limit');
    if (b.length === 0) return 0;
    let hex = '';
    for (let i = b.length - 1; i >= 0; i--) hex += HEX[b[i]];
    let v = BigInt('0x' + hex);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return normInt(v);
  };
  const findClass = (module: string, name: string): Value => {
    if (module.length > MAX_GLOBAL_NAME || name.length > MAX_GLOBAL_NAME)
      fail(`The pickle names a global of ${Math.max(module.length, name.length)} characters; that is no Python class or function`, 'limit');
    module = PY2_MODULES.get(module) ?? module;
    const k = module + '\n' + name;
    let g = globals.get(k);
    if (!g) {
      budget.charge(2 * COST.object + COST.entry + 4 * k.length);
      g = hooks.findGlobal(module, name) ?? { kind: 'global', module, name };
      globals.set(k, g);
    }
    return g;
  };
  const call = (fn: Value, args: Value[]): Value => {
    budget.count();
    budget.charge(COST.object);
    if (fn instanceof KnownGlobal) {
      if (fn.behaviour.call) return fn.behaviour.call(args);
      return { kind: 'global', module: fn.module, name: fn.name, args: args as PyObject[] };
    }
    if (isMarker(fn)) return { kind: 'global', module: fn.module, name: fn.name, args: args as PyObject[] };
    return fail('The pickle calls something that is not a class or function: it is damaged');
  };
  const newObj = (cls: Value, args: Value[], kwargs?: Value): Value => {
    budget.count();
    budget.charge(COST.object);
    if (cls instanceof KnownGlobal) {
      if (cls.behaviour.newObj) return cls.behaviour.newObj(args);
      return { kind: 'global', module: cls.module, name: cls.name, args: args as PyObject[] };
    }
    if (isMarker(cls)) {
      const m: PyObject = { kind: 'global', module: cls.module, name: cls.name, args: args as PyObject[] };
      if (kwargs !== undefined) m.kwargs = kwargs as PyObject;
      return m;
    }
    return fail('The pickle instantiates something that is not a class: it is damaged');
  };
  const tupleArgs = (v: Value, what: string): Value[] => {
    const items = sequenceItems(v);
    if (!items || Array.isArray(v)) fail(`The arguments of ${what} are not a tuple: the pickle is damaged`);
    return items as Value[];
  };
  const appendTo = (target: Value, items: Value[]): void => {
    budget.step(items.length);
    if (isSet(target)) {
      for (const x of items) keys.setAdd(target, x);
      return;
    }
    let list: PyObject[];
    if (Array.isArray(target)) list = target;
    else if (isMarker(target)) list = target.items ??= [];
    else return fail('The pickle appends to something that is not a list');
    budget.charge((list.length === 0 ? COST.firstGrowth : 0) + items.length * COST.slot);
    // One at a time: push(...items) would pass every item as an argument and overflow the stack for long lists.
    for (const x of items) list.push(x as PyObject);
  };
  const setItems = (target: Value, items: Value[]): void => {
    if (items.length % 2) fail('SETITEMS needs key/value pairs');
    budget.step(items.length);
    if (isDict(target) || isMarker(target)) {
      for (let i = 0; i < items.length; i += 2) keys.dictSet(target as { entries?: [Value, Value][] }, items[i], items[i + 1]);
    } else fail('The pickle sets items on something that is not a dict');
  };
  const emptyDict = (): PyObject => {
    budget.count();
    budget.charge(COST.object + COST.array);
    return newDict();
  };
  const emptySet = (frozen: boolean): Extract<PyObject, { kind: 'set' }> => {
    budget.count();
    budget.charge(COST.object + COST.array);
    return { kind: 'set', items: [], frozen };
  };
  const build = (inst: Value, state: Value): void => {
    if (inst instanceof Internal) {
      const b = (inst as { build?: (s: Value) => void }).build;
      if (b) b.call(inst, state);
    } else if (isDict(inst)) inst.attrs = state as PyObject;
    else if (isMarker(inst)) inst.state = state as PyObject;
    // Tensors (hooks, Parameter state) and plain values: nothing of interest to keep.
  };

  for (;;) {
    budget.instruction();
    if (pos >= end) fail('The pickle ends without its STOP instruction: the file is truncated');
    const op = bytes[pos++];
    switch (op) {
      case 0x80: {
        // PROTO
        const proto = u8();
        if (proto > 5) fail(`Pickle protocol ${proto} is newer than any this reader (or Python 3.12) knows`, 'unsupported');
        break;
      }
      case 0x95:
        u64();
        break; // FRAME: a length hint only
      case 0x2e: // STOP
        return { value: pop(), end: pos };
      case 0x28: // MARK
        if (metastack.length >= limits.maxMarkDepth) fail(`The pickle nests more than ${limits.maxMarkDepth} MARKs`, 'limit');
        budget.charge(COST.array + COST.slot);
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length) stack.pop();
        else popMark();
        break;
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        push(top());
        break; // DUP
      case 0x4e:
        push(null);
        break; // NONE
      case 0x88:
        push(true);
        break; // NEWTRUE
      case 0x89:
        push(false);
        break; // NEWFALSE
      case 0x49: {
        // INT
        const s = line();
        if (s === '00') push(false);
        else if (s === '01') push(true);
        else push(intFromText(s));
        break;
      }
      case 0x4a:
        push(i32());
        break; // BININT
      case 0x4b:
        push(u8());
        break; // BININT1
      case 0x4d:
        push(u16());
        break; // BININT2
      case 0x4c:
        push(intFromText(line()));
        break; // LONG
      case 0x8a:
        push(longBytes(take(u8())));
        break; // LONG1
      case 0x8b: {
        // LONG4
        const n = i32();
        if (n < 0) fail('LONG4 has a negative length');
        if (n > limits.maxIntBytes) fail(`An integer of ${n} bytes is beyond the reader's limit of ${limits.maxIntBytes}`, 'limit');
        push(longBytes(take(n)));
        break;
      }
      case 0x46: {
        // FLOAT
        const s = line().trim();
        const v = pyFloat(s);
        if (v === null) fail(`\`${s.slice(0, 40)}\` is not a float`);
        push(float(v as number));
        break;
      }
      case 0x47: {
        // BINFLOAT (big-endian)
        need(8);
        push(float(dv.getFloat64(pos, false)));
        pos += 8;
        break;
      }
      case 0x53:
        push(str(pyStringLiteral(line(), fail)));
        break; // STRING
      case 0x54: {
        // BINSTRING
        const n = i32();
        if (n < 0) fail('BINSTRING has a negative length');
        push(str(take(n)));
        break;
      }
      case 0x55:
        push(str(take(u8())));
        break; // SHORT_BINSTRING
      case 0x42:
        push(bytesValue(u32()));
        break; // BINBYTES
      case 0x43:
        push(bytesValue(u8()));
        break; // SHORT_BINBYTES
      case 0x8e:
        push(bytesValue(u64()));
        break; // BINBYTES8
      case 0x96: {
        // BYTEARRAY8: a copy (a bytearray is mutable)
        const n = u64();
        budget.reserve(n, 'a bytearray');
        push(bytesValue(n).slice());
        break;
      }
      case 0x56: {
        // UNICODE
        budget.count();
        const s = rawUnicodeEscape(line());
        budget.charge(COST.string + 2 * s.length);
        push(s);
        break;
      }
      case 0x58:
        push(str(take(u32())));
        break; // BINUNICODE
      case 0x8c:
        push(str(take(u8())));
        break; // SHORT_BINUNICODE
      case 0x8d:
        push(str(take(u64())));
        break; // BINUNICODE8
      case 0x29:
        budget.charge(COST.array);
        push(tuple([]));
        break; // EMPTY_TUPLE
      case 0x74:
        push(tuple(popMark() as PyObject[]));
        break; // TUPLE
      case 0x85:
        budget.charge(COST.array + COST.slot);
        push(tuple([pop() as PyObject]));
        break; // TUPLE1
      case 0x86: {
        // TUPLE2
        budget.charge(COST.array + 2 * COST.slot);
        const b = pop() as PyObject;
        const a = pop() as PyObject;
        push(tuple([a, b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        budget.charge(COST.array + 3 * COST.slot);
        const c = pop() as PyObject;
        const b = pop() as PyObject;
        const a = pop() as PyObject;
        push(tuple([a, b, c]));
        break;
      }
      case 0x5d:
        budget.count();
        budget.charge(COST.array);
        push([]);
        break; // EMPTY_LIST
      case 0x6c:
        budget.count();
        push(popMark() as PyObject[]);
        break; // LIST
      case 0x7d:
        push(emptyDict());
        break; // EMPTY_DICT
      case 0x64: {
        // DICT
        const items = popMark();
        const d = emptyDict();
        setItems(d, items);
        push(d);
        break;
      }
      case 0x8f:
        push(emptySet(false));
        break; // EMPTY_SET
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!isSet(s) || s.frozen) fail('ADDITEMS targets something that is not a set');
        appendTo(s, items);
        break;
      }
      case 0x91: {
        // FROZENSET
        const s = emptySet(true);
        appendTo(s, popMark());
        push(s);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        appendTo(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        appendTo(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x67:
        memoGet(Number(intFromText(line())));
        break; // GET
      case 0x68:
        memoGet(u8());
        break; // BINGET
      case 0x6a:
        memoGet(u32());
        break; // LONG_BINGET
      case 0x70:
        memoPut(Number(intFromText(line())));
        break; // PUT
      case 0x71:
        memoPut(u8());
        break; // BINPUT
      case 0x72:
        memoPut(u32());
        break; // LONG_BINPUT
      case 0x94:
        memoPut(memo.size);
        break; // MEMOIZE
      case 0x63: {
        // GLOBAL
        const module = line();
        const name = line();
        push(findClass(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs a module and a name string');
        push(findClass(module as string, name as string));
        break;
      }
      case 0x82:
      case 0x83:
      case 0x84: // EXT1/2/4
        fail('The pickle uses the copyreg extension registry, which torch never does', 'unsupported');
        break;
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        push(call(fn, tupleArgs(args, 'a call')));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        push(newObj(cls, tupleArgs(args, 'NEWOBJ')));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        push(newObj(cls, tupleArgs(args, 'NEWOBJ_EX'), kwargs));
        break;
      }
      case 0x69: {
        // INST
        const module = line();
        const name = line();
        const args = popMark();
        push(newObj(findClass(module, name), args));
        break;
      }
      case 0x6f: {
        // OBJ
        const args = popMark();
        if (!args.length) fail('OBJ without a class');
        budget.step(args.length);
        const cls = args.shift() as Value;
        push(newObj(cls, args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      case 0x50: // PERSID
      case 0x51: {
        // BINPERSID
        const pid = op === 0x50 ? line() : pop();
        if (!hooks.persistentLoad) fail('The pickle refers to external data (a persistent id) where none is expected');
        push(hooks.persistentLoad!(pid));
        break;
      }
      case 0x97:
        fail('The pickle needs out-of-band buffers (NEXT_BUFFER), which torch.load never provides', 'unsupported');
        break;
      case 0x98:
        top();
        break; // READONLY_BUFFER
      default:
        fail(`Unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}: this is not a pickle, or it is damaged`);
    }
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function normInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

function latin1Line(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i += 8192) s += String.fromCharCode(...bytes.subarray(i, Math.min(to, i + 8192)));
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

function pyFloat(s: string): number | null {
  const t = s.toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '+nan' || t === '-nan') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return null;
  return Number(t);
}

const SIMPLE_ESCAPES = new Map([
  ['n', 10],
  ['t', 9],
  ['r', 13],
  ['\\', 92],
  ["'", 39],
  ['"', 34],
  ['a', 7],
  ['b', 8],
  ['f', 12],
  ['v', 11],
  ['0', 0],
]);

/** The bytes of a protocol-0 STRING argument: a Python repr in quotes with backslash escapes. */
function pyStringLiteral(s: string, fail: (m: string) => never): Uint8Array {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) fail('A STRING argument is not quoted');
  const body = s.slice(1, -1);
  const out = new Uint8Array(body.length + 1);
  let n = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= body.length) {
      out[n++] = c & 0xff;
      continue;
    }
    const e = body[++i];
    const simple = SIMPLE_ESCAPES.get(e);
    if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      out[n++] = parseInt(body.slice(i + 1, i + 3), 16);
      i += 2;
    } else if (/[0-7]/.test(e)) {
      let j = i;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j])) j++;
      out[n++] = parseInt(body.slice(i, j), 8) & 0xff;
      i = j - 1;
    } else if (e === '\n') {
      // line continuation
    } else if (simple !== undefined) out[n++] = simple;
    else {
      out[n++] = 92;
      out[n++] = e.charCodeAt(0) & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** Python's raw-unicode-escape: \uXXXX and \UXXXXXXXX escapes, every other byte is a Latin-1 character. */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string | undefined, b: string | undefined) => {
    const cp = parseInt((a ?? b)!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  });
}

/** Strict UTF-8 text, or null when the bytes are not UTF-8. */
export function utf8OrNull(b: Uint8Array): string | null {
  try {
    return utf8Strict.decode(b);
  } catch {
    return null;
  }
}
