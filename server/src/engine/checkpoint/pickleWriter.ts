// Writes pickles (protocol 2, the protocol torch.save uses) for the subset of values checkpoints need.
import type { PyObject } from './types';

export class ByteSink {
  private buf = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }
  bytes(b: ArrayLike<number>): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  u16(v: number): void {
    this.byte(v & 0xff);
    this.byte((v >>> 8) & 0xff);
  }
  u32(v: number): void {
    this.room(4);
    new DataView(this.buf.buffer).setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.room(4);
    new DataView(this.buf.buffer).setInt32(this.length, v, true);
    this.length += 4;
  }
  i64(v: number | bigint): void {
    this.room(8);
    new DataView(this.buf.buffer).setBigInt64(this.length, BigInt(v), true);
    this.length += 8;
  }
  f64be(v: number): void {
    this.room(8);
    new DataView(this.buf.buffer).setFloat64(this.length, v, false);
    this.length += 8;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const enc = new TextEncoder();

/**
 * A protocol-2 pickle writer. `value` writes plain data; `{kind:'global'}` markers with `args` are written as a call
 * (GLOBAL + args + REDUCE) and `state` as BUILD, which is how Python pickles such objects. Tensors go through
 * `tensorHook` (the checkpoint writer emits `_rebuild_tensor_v2` with a persistent storage id).
 */
export class PickleWriter {
  readonly out = new ByteSink();
  private memo = new Map<string, number>();
  tensorHook: ((t: Extract<PyObject, { kind: 'tensor' }>, w: PickleWriter) => void) | null = null;

  constructor(protocol = 2) {
    this.out.byte(0x80);
    this.out.byte(protocol);
  }

  finish(): Uint8Array {
    this.out.byte(0x2e); // STOP
    return this.out.result();
  }

  op(code: number): this {
    this.out.byte(code);
    return this;
  }
  mark(): this {
    return this.op(0x28);
  }
  none(): this {
    return this.op(0x4e);
  }
  bool(v: boolean): this {
    return this.op(v ? 0x88 : 0x89);
  }
  int(v: number | bigint): this {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 256) {
      this.op(0x4b).out.byte(v);
    } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 65536) {
      this.op(0x4d).out.u16(v);
    } else if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v < 2147483648) {
      this.op(0x4a).out.i32(v);
    } else {
      const bytes = longBytes(BigInt(v));
      this.op(0x8a).out.byte(bytes.length);
      this.out.bytes(bytes);
    }
    return this;
  }
  float(v: number): this {
    this.op(0x47).out.f64be(v);
    return this;
  }
  str(s: string): this {
    const b = enc.encode(s);
    this.op(0x58).out.u32(b.length);
    this.out.bytes(b);
    return this;
  }
  /** bytes, the protocol-2 way: _codecs.encode(<latin-1 text>, 'latin1'). */
  bytesValue(b: Uint8Array): this {
    this.global('_codecs', 'encode');
    this.op(0x58).out.u32(latin1Utf8(b).length);
    this.out.bytes(latin1Utf8(b));
    this.str('latin1').op(0x86).op(0x52); // TUPLE2, REDUCE
    return this;
  }
  /** GLOBAL, memoized like Python's pickler does for repeated classes. */
  global(module: string, name: string): this {
    const key = module + '\n' + name;
    const at = this.memo.get(key);
    if (at !== undefined) return this.get(at);
    this.op(0x63).out.bytes(enc.encode(`${module}\n${name}\n`));
    return this.put(key);
  }
  private get(i: number): this {
    if (i < 256) this.op(0x68).out.byte(i);
    else this.op(0x6a).out.u32(i);
    return this;
  }
  private put(key: string): this {
    const i = this.memo.size;
    this.memo.set(key, i);
    if (i < 256) this.op(0x71).out.byte(i);
    else this.op(0x72).out.u32(i);
    return this;
  }
  tuple(items: readonly (() => void)[]): this {
    if (items.length === 0) return this.op(0x29);
    if (items.length <= 3) {
      for (const f of items) f();
      return this.op([0x85, 0x86, 0x87][items.length - 1]);
    }
    this.mark();
    for (const f of items) f();
    return this.op(0x74);
  }

  value(v: PyObject): this {
    if (v === null) return this.none();
    switch (typeof v) {
      case 'boolean':
        return this.bool(v);
      case 'number':
        return Number.isInteger(v) && Number.isSafeInteger(v) ? this.int(v) : this.float(v);
      case 'bigint':
        return this.int(v);
      case 'string':
        return this.str(v);
    }
    if (v instanceof Uint8Array) return this.bytesValue(v);
    if (Array.isArray(v)) {
      this.op(0x5d);
      if (v.length) {
        this.mark();
        for (const x of v) this.value(x);
        this.op(0x65); // APPENDS
      }
      return this;
    }
    switch (v.kind) {
      case 'tuple':
        return this.tuple(v.items.map((x) => () => this.value(x)));
      case 'dict':
        if (v.ordered) this.orderedDict(v.entries);
        else this.op(0x7d).setItems(v.entries);
        if (v.attrs !== undefined) this.value(v.attrs).op(0x62);
        return this;
      case 'float':
        return this.float(v.value);
      case 'set':
        this.global('builtins', v.frozen ? 'frozenset' : 'set');
        this.op(0x5d);
        if (v.items.length) {
          this.mark();
          for (const x of v.items) this.value(x);
          this.op(0x65);
        }
        return this.op(0x85).op(0x52);
      case 'tensor':
        if (!this.tensorHook) throw new Error('This pickle writer has no way to store tensors.');
        this.tensorHook(v, this);
        return this;
      case 'global':
        this.global(v.module, v.name);
        if (v.args) {
          this.tuple(v.args.map((x) => () => this.value(x)));
          this.op(0x52);
        }
        if (v.items?.length) {
          this.mark();
          for (const x of v.items) this.value(x);
          this.op(0x65);
        }
        if (v.entries?.length) this.setItems(v.entries);
        if (v.state !== undefined) this.value(v.state).op(0x62);
        return this;
    }
  }

  /** An OrderedDict of entries (collections.OrderedDict() + SETITEMS), as torch writes a state_dict. */
  orderedDict(entries: readonly [PyObject, PyObject][]): this {
    this.global('collections', 'OrderedDict').op(0x29).op(0x52);
    return this.setItems(entries);
  }

  setItems(entries: readonly [PyObject, PyObject][]): this {
    // Python batches SETITEMS by 1000 entries.
    for (let i = 0; i < entries.length; i += 1000) {
      this.mark();
      for (const [k, x] of entries.slice(i, i + 1000)) {
        this.value(k);
        this.value(x);
      }
      this.op(0x75);
    }
    return this;
  }
}

function longBytes(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
    const sign = out[out.length - 1] & 0x80;
    if ((x === 0n && !sign) || (x === -1n && sign)) break;
  }
  return Uint8Array.from(out);
}

function latin1Utf8(b: Uint8Array): Uint8Array {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return enc.encode(s);
}
