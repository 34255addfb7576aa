import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPickle } from '../../../server/src/engine/checkpoint/loadPickle';
import { CheckpointError, PyObject } from '../../../server/src/engine/checkpoint/types';
import { PROTO2, STOP, glob, le, pk, ustr } from './pickleBytes';

// These pickles are a few bytes long, so the default memory budget (64 × the size) would refuse most of them; the
// budget itself is tested in memoryBudget.test.ts.
const load = (...parts: Parameters<typeof pk>) => loadPickle(pk(...parts), { maxMemoryBytes: 1 << 30 });
const tuple = (...items: PyObject[]): PyObject => ({ kind: 'tuple', items });
const dict = (...entries: [PyObject, PyObject][]): PyObject => ({ kind: 'dict', entries });

function throwsCode(fn: () => unknown, code: CheckpointError['code'], pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('pickle machine: opcode families', () => {
  it('integers: BININT1/2, BININT (negative), INT text incl. booleans, LONG text, LONG1, LONG4', () => {
    assert.equal(load(PROTO2, 'K', 200, STOP), 200);
    assert.equal(load(PROTO2, 'M', le(40000, 2), STOP), 40000);
    assert.equal(load(PROTO2, 'J', le(-5, 4), STOP), -5);
    assert.equal(load('I42\n', STOP), 42);
    assert.equal(load('I-0x10\n', STOP), -16);
    assert.equal(load('I01\n', STOP), true);
    assert.equal(load('I00\n', STOP), false);
    assert.equal(load('L12345678901234567890L\n', STOP), 12345678901234567890n);
    // LONG1: little-endian two's complement
    assert.equal(load(PROTO2, 0x8a, 2, 0xff, 0x7f, STOP), 32767);
    assert.equal(load(PROTO2, 0x8a, 1, 0xff, STOP), -1);
    assert.equal(load(PROTO2, 0x8a, 0, STOP), 0);
    assert.equal(load(PROTO2, 0x8a, 10, le(0x1950a86a20f9469cfc6cn, 10), STOP), 0x1950a86a20f9469cfc6cn);
    assert.equal(load(PROTO2, 0x8b, le(9, 4), le(-(2n ** 70n), 9), STOP), -(2n ** 70n));
  });

  it('floats: BINFLOAT (big-endian) and FLOAT text', () => {
    assert.equal(load(PROTO2, 'G', [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], STOP), 3.141592653589793);
    assert.equal(load('F-2.5e3\n', STOP), -2500);
    assert.ok(Number.isNaN(load('Fnan\n', STOP) as number));
    assert.equal(load('Finf\n', STOP), Infinity);
  });

  it('constants and stack ops: NONE, NEWTRUE/NEWFALSE, DUP, POP, POP_MARK', () => {
    assert.equal(load(PROTO2, 'N', STOP), null);
    assert.deepEqual(load(PROTO2, 0x88, 0x89, 0x86, STOP), tuple(true, false));
    assert.deepEqual(load(PROTO2, 'K', 1, '2', 0x86, STOP), tuple(1, 1));
    assert.equal(load(PROTO2, 'K', 1, 'K', 2, '0', STOP), 1);
    assert.equal(load(PROTO2, 'K', 7, '(', 'K', 1, 'K', 2, '1', STOP), 7);
  });

  it('text: BINUNICODE, SHORT_BINUNICODE, BINUNICODE8, STRING with escapes, BINSTRING, SHORT_BINSTRING, UNICODE raw escapes', () => {
    assert.equal(load(PROTO2, ustr('größe'), STOP), 'größe');
    assert.equal(load(0x80, 4, 0x8c, 3, 'abc', STOP), 'abc');
    assert.equal(load(0x80, 4, 0x8d, le(2, 8), 'hi', STOP), 'hi');
    assert.equal(load("S'a\\nb\\x41\\'c'\n", STOP), "a\nbA'c");
    assert.equal(load(PROTO2, 'T', le(3, 4), 'xyz', STOP), 'xyz');
    assert.equal(load(PROTO2, 'U', 2, 'ok', STOP), 'ok');
    assert.equal(load('Vcaf\\u00e9 \\U0001F600\n', STOP), 'café 😀');
  });

  it('bytes: BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8, and protocol-2 _codecs.encode', () => {
    assert.deepEqual(load(0x80, 3, 'B', le(3, 4), [1, 2, 3], STOP), Uint8Array.from([1, 2, 3]));
    assert.deepEqual(load(0x80, 3, 'C', 2, [9, 8], STOP), Uint8Array.from([9, 8]));
    assert.deepEqual(load(0x80, 4, 0x8e, le(1, 8), [255], STOP), Uint8Array.from([255]));
    assert.deepEqual(load(0x80, 5, 0x96, le(2, 8), [4, 5], STOP), Uint8Array.from([4, 5]));
    assert.deepEqual(load(PROTO2, glob('_codecs', 'encode'), ustr('\u00ff\u0001'), ustr('latin1'), 0x86, 'R', STOP), Uint8Array.from([255, 1]));
  });

  it('tuples: EMPTY_TUPLE, TUPLE1/2/3, MARK…TUPLE', () => {
    assert.deepEqual(load(PROTO2, ')', STOP), tuple());
    assert.deepEqual(load(PROTO2, 'K', 1, 0x85, STOP), tuple(1));
    assert.deepEqual(load(PROTO2, 'K', 1, 'K', 2, 'K', 3, 0x87, STOP), tuple(1, 2, 3));
    assert.deepEqual(load(PROTO2, '(', 'K', 1, 'K', 2, 'K', 3, 'K', 4, 't', STOP), tuple(1, 2, 3, 4));
  });

  it('lists: EMPTY_LIST + APPEND/APPENDS, MARK…LIST', () => {
    assert.deepEqual(load(PROTO2, ']', 'K', 1, 'a', '(', 'K', 2, 'K', 3, 'e', STOP), [1, 2, 3]);
    assert.deepEqual(load('(', 'I5\n', 'I6\n', 'l', STOP), [5, 6]);
  });

  it('dicts: EMPTY_DICT + SETITEM/SETITEMS keep insertion order; a repeated key keeps its first position', () => {
    const d = load(PROTO2, '}', ustr('b'), 'K', 1, 's', '(', ustr('a'), 'K', 2, ustr('b'), 'K', 3, 'u', STOP);
    assert.deepEqual(d, dict(['b', 3], ['a', 2]));
    assert.deepEqual(load('(', ustr('k'), 'N', 'd', STOP), dict(['k', null]));
    // Python treats 1 and True as the same key.
    assert.deepEqual(load(PROTO2, '}', '(', 'K', 1, ustr('x'), 0x88, ustr('y'), 'u', STOP), dict([1, 'y']));
    // tuple keys compare by value
    assert.deepEqual(load(PROTO2, '}', '(', 'K', 1, 0x85, 'K', 1, 'K', 1, 0x85, 'K', 2, 'u', STOP), dict([tuple(1), 2]));
  });

  it('sets: EMPTY_SET + ADDITEMS, FROZENSET (duplicates dropped)', () => {
    assert.deepEqual(load(0x80, 4, 0x8f, '(', 'K', 1, 'K', 2, 'K', 1, 0x90, STOP), { kind: 'set', items: [1, 2], frozen: false });
    assert.deepEqual(load(0x80, 4, '(', ustr('a'), ustr('a'), 0x91, STOP), { kind: 'set', items: ['a'], frozen: true });
    assert.deepEqual(load(PROTO2, glob('builtins', 'set'), ']', '(', 'K', 3, 'K', 3, 'e', 0x85, 'R', STOP), { kind: 'set', items: [3], frozen: false });
  });

  it('memo: PUT/GET text, BINPUT/BINGET, LONG_BINPUT/LONG_BINGET, MEMOIZE share one object', () => {
    const v = load(PROTO2, ']', 'p7\n', 'g7\n', 0x86, STOP) as { items: PyObject[] };
    assert.equal(v.items[0], v.items[1]);
    const w = load(PROTO2, ']', 'q', 3, 'h', 3, 0x86, STOP) as { items: PyObject[] };
    assert.equal(w.items[0], w.items[1]);
    const x = load(PROTO2, ']', 'r', le(70000, 4), 'j', le(70000, 4), 0x86, STOP) as { items: PyObject[] };
    assert.equal(x.items[0], x.items[1]);
    assert.deepEqual(load(0x80, 4, 'K', 5, 0x94, 'K', 6, 0x94, 'h', 0, 'h', 1, 0x86, STOP), tuple(5, 6));
  });

  it('protocol 4/5 framing: PROTO, FRAME, READONLY_BUFFER are accepted', () => {
    assert.equal(load(0x80, 5, 0x95, le(3, 8), 'K', 9, STOP), 9);
    assert.deepEqual(load(0x80, 5, 'C', 1, [7], 0x98, STOP), Uint8Array.from([7]));
  });

  it('globals: GLOBAL and STACK_GLOBAL of known data constructors build data (OrderedDict, torch.Size, frozenset)', () => {
    const ordered = (...entries: [PyObject, PyObject][]): PyObject => ({ kind: 'dict', entries, ordered: true });
    assert.deepEqual(load(PROTO2, glob('collections', 'OrderedDict'), ')', 'R', '(', ustr('w'), 'K', 1, 'u', STOP), ordered(['w', 1]));
    assert.deepEqual(load(PROTO2, glob('collections', 'OrderedDict'), ']', '(', ustr('a'), 'K', 1, 0x86, 'e', 0x85, 'R', STOP), ordered(['a', 1]));
    assert.deepEqual(load(PROTO2, glob('builtins', 'dict'), ')', 'R', '(', ustr('w'), 'K', 1, 'u', STOP), dict(['w', 1]));
    assert.deepEqual(load(0x80, 4, ustr('torch'), ustr('Size'), 0x93, 'K', 2, 'K', 3, 0x86, 0x85, 'R', STOP), tuple(2, 3));
    assert.deepEqual(load(PROTO2, glob('__builtin__', 'frozenset'), ']', 0x85, 'R', STOP), { kind: 'set', items: [], frozen: true });
  });

  it('unknown globals stay inert markers through REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ, BUILD, APPENDS and SETITEMS', () => {
    assert.deepEqual(load(PROTO2, glob('torch.optim.adam', 'Adam'), STOP), { kind: 'global', module: 'torch.optim.adam', name: 'Adam' });
    assert.deepEqual(load(PROTO2, glob('m', 'C'), 'K', 1, 0x85, 0x81, '}', '(', ustr('s'), 'K', 2, 'u', 'b', STOP), {
      kind: 'global',
      module: 'm',
      name: 'C',
      args: [1],
      state: dict(['s', 2]),
    });
    assert.deepEqual(load(0x80, 4, glob('m', 'C'), ')', '}', '(', ustr('k'), 'K', 3, 'u', 0x92, STOP), {
      kind: 'global',
      module: 'm',
      name: 'C',
      args: [],
      kwargs: dict(['k', 3]),
    });
    assert.deepEqual(load('(', 'I1\n', 'im\nK\n', STOP), { kind: 'global', module: 'm', name: 'K', args: [1] });
    assert.deepEqual(load(PROTO2, '(', glob('m', 'K'), 'K', 4, 'o', STOP), { kind: 'global', module: 'm', name: 'K', args: [4] });
    assert.deepEqual(load(PROTO2, glob('m', 'L'), ')', 0x81, '(', 'K', 1, 'K', 2, 'e', STOP), {
      kind: 'global',
      module: 'm',
      name: 'L',
      args: [],
      items: [1, 2],
    });
    assert.deepEqual(load(PROTO2, glob('m', 'D'), ')', 0x81, '(', ustr('a'), 'K', 1, 'u', STOP), {
      kind: 'global',
      module: 'm',
      name: 'D',
      args: [],
      entries: [['a', 1]],
    });
  });

  it('BUILD on an OrderedDict keeps its state as attributes, not as items (a state_dict with _metadata)', () => {
    const d = load(PROTO2, glob('collections', 'OrderedDict'), ')', 'R', '(', ustr('w'), 'K', 1, 'u', '}', '(', ustr('_metadata'), '}', 'u', 'b', STOP);
    assert.deepEqual(d, { kind: 'dict', entries: [['w', 1]], attrs: dict(['_metadata', dict()]), ordered: true });
  });

  it('numpy scalars and arrays pickled in extras become numbers and tensors', () => {
    const dtype = (descr: string, order: string) =>
      pk(glob('numpy', 'dtype'), ustr(descr), 0x89, 0x88, 0x87, 'R', '(', 'K', 3, ustr(order), 'N', 'N', 'N', 'J', le(-1, 4), 'J', le(-1, 4), 'K', 0, 't', 'b');
    // numpy.core.multiarray.scalar(dtype('int64'), b'\x90\x00…') → 144
    const scalar = load(PROTO2, glob('numpy.core.multiarray', 'scalar'), dtype('i8', '<'), 'C', 8, le(144, 8), 0x86, 'R', STOP);
    assert.equal(scalar, 144);
    const f = load(PROTO2, glob('numpy.core.multiarray', 'scalar'), dtype('f8', '<'), 'C', 8, [0, 0, 0, 0, 0, 0, 0xf8, 0x3f], 0x86, 'R', STOP);
    assert.equal(f, 1.5);
    // _reconstruct(ndarray, (0,), b'b') + BUILD((1, (2, 2), dtype('<i4'), True, raw)) — Fortran order
    const arr = load(
      PROTO2,
      glob('numpy.core.multiarray', '_reconstruct'),
      glob('numpy', 'ndarray'),
      'K',
      0,
      0x85,
      'C',
      1,
      'b',
      0x87,
      'R',
      '(',
      'K',
      1,
      'K',
      2,
      'K',
      2,
      0x86,
      dtype('i4', '<'),
      0x88,
      'C',
      16,
      le(1, 4),
      le(2, 4),
      le(3, 4),
      le(4, 4),
      't',
      'b',
      STOP,
    ) as { kind: string; tensor: { dtype: string; shape: number[]; values: Float64Array } };
    assert.equal(arr.kind, 'tensor');
    assert.equal(arr.tensor.dtype, 'int32');
    assert.deepEqual(arr.tensor.shape, [2, 2]);
    // Fortran data 1,2,3,4 is [[1,3],[2,4]] in C order.
    assert.deepEqual(Array.from(arr.tensor.values), [1, 3, 2, 4]);
  });
});

describe('pickle machine: nothing is executed', () => {
  it('os.system, builtins.eval, subprocess.Popen and posix.system become inert markers', () => {
    const marker = path.join(os.tmpdir(), `ai8x-pickle-exec-${process.pid}-${Date.now()}`);
    const cmd = `touch ${marker}`;
    const v = load(PROTO2, glob('os', 'system'), ustr(cmd), 0x85, 'R', STOP);
    assert.deepEqual(v, { kind: 'global', module: 'os', name: 'system', args: [cmd] });
    assert.deepEqual(load(PROTO2, glob('builtins', 'eval'), ustr(`__import__("os").system("${cmd}")`), 0x85, 'R', STOP), {
      kind: 'global',
      module: 'builtins',
      name: 'eval',
      args: [`__import__("os").system("${cmd}")`],
    });
    assert.equal(
      (load(0x80, 4, ustr('subprocess'), ustr('Popen'), 0x93, '(', ustr('sh'), ustr('-c'), ustr(cmd), 'l', 0x85, 0x81, STOP) as { name: string }).name,
      'Popen',
    );
    assert.equal((load('(', `S'${cmd}'\n`, 'iposix\nsystem\n', STOP) as { module: string }).module, 'posix');
    assert.equal(fs.existsSync(marker), false);
  });
});

describe('pickle machine: damaged and hostile pickles', () => {
  it('reports damage as format errors', () => {
    throwsCode(() => load(PROTO2, 'K'), 'format', /truncated|ends/);
    throwsCode(() => load(PROTO2, 'K', 1), 'format', /STOP/);
    throwsCode(() => load(PROTO2, 0xff, STOP), 'format', /opcode 0xff/);
    throwsCode(() => load(PROTO2, 'h', 9, STOP), 'format', /memo entry 9/);
    throwsCode(() => load(PROTO2, 'R', STOP), 'format', /empty stack/);
    throwsCode(() => load(PROTO2, 'K', 1, ')', 'R', STOP), 'format', /not a class or function/);
    throwsCode(() => load(PROTO2, 'e', STOP), 'format', /MARK/);
    throwsCode(() => load(PROTO2, 'X', le(100, 4), 'ab', STOP), 'format');
    throwsCode(() => load(PROTO2, '}', ']', 'K', 1, 's', STOP), 'format', /unhashable|list as a dictionary key/);
  });

  it('refuses unknown protocols and machinery torch never uses', () => {
    throwsCode(() => load(0x80, 6, 'N', STOP), 'unsupported', /protocol 6/);
    throwsCode(() => load(0x80, 5, 0x97, STOP), 'unsupported', /NEXT_BUFFER/);
    throwsCode(() => load(PROTO2, 0x82, 1, STOP), 'unsupported', /extension registry/);
    throwsCode(() => load(PROTO2, 'N', 'Q', STOP), 'format', /persistent id/);
  });

  it('bounds absurd sizes: LONG4, BINBYTES8, BINUNICODE8 lengths', () => {
    throwsCode(() => load(PROTO2, 0x8b, le(0x7fffffff, 4), STOP), 'limit', /integer of 2147483647 bytes/);
    throwsCode(() => load(0x80, 4, 0x8e, le(2n ** 60n, 8), STOP), 'limit');
    throwsCode(() => load(0x80, 4, 0x8d, le(1000, 8), 'x', STOP), 'format');
  });

  it('bounds memo growth, open MARKs, object count, nesting depth and time', () => {
    const memoize = new Array(2000).fill(0x94);
    throwsCode(() => loadPickle(pk(0x80, 4, 'N', memoize, STOP), { maxMemoEntries: 1000 }), 'limit', /memo/);
    throwsCode(() => loadPickle(pk(PROTO2, new Array(20000).fill(0x28), STOP)), 'limit', /MARK/);
    throwsCode(() => loadPickle(pk(PROTO2, new Array(5000).fill(0x5d), STOP), { maxPickleObjects: 1000 }), 'limit', /objects/);
    // 5000 lists, each appended into the previous one: nesting depth 5000
    throwsCode(() => load(PROTO2, new Array(5000).fill(0x5d), new Array(4999).fill(0x61), STOP), 'limit', /nested/);
    throwsCode(() => loadPickle(pk(PROTO2, new Array(300000).fill(0x4e), STOP), { timeBudgetMs: -1 }), 'limit', /longer than/);
  });

  it('refuses self-referencing data instead of handing out a cycle', () => {
    throwsCode(() => load(PROTO2, ']', 'q', 0, 'h', 0, 'a', STOP), 'unsupported', /contains itself/);
  });

  it('keeps shared (non-cyclic) references cheap: a "billion laughs" structure loads without expanding', () => {
    // Each level is a tuple holding the previous level twice: 2^40 paths through 41 objects.
    const levels: number[] = [];
    for (let i = 0; i < 40; i++) levels.push(0x32, 0x86); // DUP, TUPLE2
    let v = load(PROTO2, ']', levels, STOP) as PyObject;
    let depth = 0;
    while (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'tuple') {
      assert.equal(v.items[0], v.items[1]);
      v = v.items[0];
      depth++;
    }
    assert.equal(depth, 40);
  });
});
