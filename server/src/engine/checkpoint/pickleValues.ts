// Values on the pickle machine's stack: plain PyObject data plus a few internal objects (known globals, storages,
// numpy helpers) that are turned into plain data once the pickle is read.
import type { ReadBudget } from './budget';
import { COST } from './costs';
import { CheckpointError, PyGlobal, PyObject } from './types';

/** A value the machine handles specially; `toPy` gives its plain-data form for the result. */
export abstract class Internal {
  abstract toPy(): PyObject;
}

export type Value = PyObject | Internal;

/** What a known global does when the pickle "calls" it (REDUCE), instantiates it (NEWOBJ) or BUILDs it. */
export interface GlobalBehaviour {
  call?(args: Value[]): Value;
  newObj?(args: Value[]): Value;
}

/** A global the reader models as a pure data constructor. Nothing is imported or executed. */
export class KnownGlobal extends Internal {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly behaviour: GlobalBehaviour,
  ) {
    super();
  }
  toPy(): PyObject {
    return { kind: 'global', module: this.module, name: this.name };
  }
}

export type PyDict = Extract<PyObject, { kind: 'dict' }>;
export type PySet = Extract<PyObject, { kind: 'set' }>;
export type PyTuple = Extract<PyObject, { kind: 'tuple' }>;

export function isObj(v: unknown): v is { kind: string } {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v) && !(v instanceof Internal);
}
export function isTuple(v: Value): v is PyTuple {
  return isObj(v) && v.kind === 'tuple';
}
export function isDict(v: Value): v is PyDict {
  return isObj(v) && v.kind === 'dict';
}
export function isSet(v: Value): v is PySet {
  return isObj(v) && v.kind === 'set';
}
export function isMarker(v: Value): v is PyGlobal {
  return isObj(v) && v.kind === 'global';
}

/** Items of a list or tuple, or null. */
export function sequenceItems(v: Value): Value[] | null {
  if (Array.isArray(v)) return v;
  if (isTuple(v)) return v.items;
  return null;
}

// ---- Python-style keys for dict and set membership -------------------------------------------------------------

/**
 * The canonical stand-in for a composite key (a tuple, frozenset, bytes, long text or global): values Python
 * considers equal share one Canon, so a key costs a few words however deeply its value nests.
 */
class Canon {
  constructor(readonly id: number) {}
}

/** A value as a Map key: equal for values Python considers equal dict keys. */
export type Key = null | number | bigint | string | Canon;

/**
 * V8 hashes strings longer than 16,383 characters by their length alone, so thousands of such keys would make every
 * lookup compare long strings; longer text is interned in chunks of this many characters instead.
 */
const CHUNK = 4096;
/** Strings up to this length are spelled out in a composite key; longer ones are named by their Canon. */
const INLINE_TEXT = 24;
const MAX_KEY_DEPTH = 100;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Dictionary keys and set members of one read. Composite keys are interned (hash-consed): a tuple is named by a short
 * string of its members' names (numbers, short text, or the Canons of composite members), so computing its key costs
 * its length once, whatever its value spans. Everything here lives as long as the read and is charged to its budget.
 */
export class PyKeys {
  /** Keys of objects already seen (tuples, frozensets, bytes, globals, markers). */
  private readonly cache = new Map<object, Key>();
  /** Text (≤ CHUNK characters) named by a Canon: members of composite keys and chunks of longer text. */
  private readonly texts = new Map<string, Canon>();
  /** Big integers named by a Canon. */
  private readonly bigints = new Map<bigint, Canon>();
  /** Composite names (a tag and the names of the members) → Canon. */
  private readonly composites = new Map<string, Canon>();
  private readonly dictIndex = new Map<object, Map<Key, number>>();
  private readonly setIndex = new Map<object, Set<Key>>();
  private nextId = 1;

  constructor(private readonly budget: ReadBudget) {}

  /** The key of `v`; unhashable values (lists, dicts, sets) throw. */
  key(v: Value, depth = 0): Key {
    if (v === null) return null;
    switch (typeof v) {
      case 'boolean':
        return v ? 1 : 0;
      case 'number':
        // Python: 2**60 == 2.0**60; integers beyond 2^53 are bigints here.
        return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v;
      case 'bigint':
        return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
      case 'string':
        return v.length <= CHUNK ? v : this.composite('L', this.chunkNames(v));
    }
    // An exact float (1.0) is the same key as the int 1, as in Python.
    if (isObj(v) && v.kind === 'float') return this.key((v as { value: number }).value, depth);
    const obj = v as object;
    const cached = this.cache.get(obj);
    if (cached !== undefined) return cached;
    if (depth > MAX_KEY_DEPTH) throw new CheckpointError(`A dictionary key is nested more than ${MAX_KEY_DEPTH} levels deep.`, 'limit');
    let key: Key;
    if (v instanceof Uint8Array) {
      const names: string[] = [];
      for (let i = 0; i < v.length; i += CHUNK) {
        const chunk = latin1(v.subarray(i, i + CHUNK));
        this.budget.charge(COST.string + 2 * chunk.length);
        names.push(this.textName(chunk));
      }
      key = this.composite('b', names);
    } else if (isTuple(v)) {
      key = this.composite(
        't',
        v.items.map((x) => this.name(this.key(x, depth + 1))),
      );
    } else if (isSet(v) && v.frozen) {
      const names = v.items.map((x) => this.name(this.key(x, depth + 1))).sort();
      this.budget.step(names.length * Math.log2(names.length + 1));
      key = this.composite('f', names);
    } else if (Array.isArray(v) || isDict(v) || isSet(v)) {
      throw new CheckpointError(
        `The pickle uses a ${Array.isArray(v) ? 'list' : isDict(v) ? 'dict' : 'set'} as a dictionary key or set member, which Python cannot do; the file is damaged or forged.`,
        'format',
      );
    } else if (v instanceof KnownGlobal) key = this.composite('g', [this.name(this.key(v.module)), this.name(this.key(v.name))]);
    else {
      key = new Canon(this.nextId++); // markers and other objects: equal only to themselves
      this.budget.charge(COST.object);
    }
    this.cache.set(obj, key);
    this.budget.charge(COST.entry);
    return key;
  }

  /** d[k] = v with Python semantics (an existing key keeps its position). */
  dictSet(d: { entries: [Value, Value][] } | { entries?: [Value, Value][] }, k: Value, v: Value): void {
    const entries = (d.entries ??= []) as [Value, Value][];
    let index = this.dictIndex.get(d);
    if (!index) {
      index = new Map();
      this.budget.charge(COST.map + COST.entry);
      for (let i = 0; i < entries.length; i++) index.set(this.key(entries[i][0]), i);
      this.dictIndex.set(d, index);
    }
    const h = this.key(k);
    const at = index.get(h);
    if (at !== undefined) entries[at][1] = v;
    else {
      this.budget.charge(COST.array + 3 * COST.slot + COST.entry);
      index.set(h, entries.length);
      entries.push([k, v]);
    }
  }

  /** s.add(v) with Python semantics. */
  setAdd(s: PySet, v: Value): void {
    let index = this.setIndex.get(s);
    if (!index) {
      index = new Set();
      this.budget.charge(COST.map + COST.entry);
      for (const x of s.items) index.add(this.key(x));
      this.setIndex.set(s, index);
    }
    const h = this.key(v);
    if (!index.has(h)) {
      this.budget.charge(COST.slot + COST.entry);
      index.add(h);
      s.items.push(v as PyObject);
    }
  }

  /** A short, unambiguous name of a key inside a composite one. */
  private name(k: Key): string {
    if (k === null) return 'N';
    if (k instanceof Canon) return 'c' + k.id;
    if (typeof k === 'number') return 'n' + String(k);
    if (typeof k === 'string') return k.length <= INLINE_TEXT ? 's' + k.length + ':' + k : this.textName(k);
    if (k >= -(1n << 64n) && k <= 1n << 64n) return 'n' + k.toString();
    let c = this.bigints.get(k);
    if (!c) {
      this.budget.step(1 + k.toString(16).length / 64);
      this.budget.charge(COST.entry + COST.object);
      this.bigints.set(k, (c = new Canon(this.nextId++)));
    }
    return 'c' + c.id;
  }

  /** The name of text of at most CHUNK characters (V8 hashes it once and keeps the hash with the string). */
  private textName(s: string): string {
    let c = this.texts.get(s);
    if (!c) {
      this.budget.charge(COST.entry + COST.object);
      this.texts.set(s, (c = new Canon(this.nextId++)));
    }
    return 'c' + c.id;
  }

  private chunkNames(s: string): string[] {
    this.budget.step(s.length / 64);
    const names: string[] = [];
    for (let i = 0; i < s.length; i += CHUNK) {
      this.budget.charge(COST.string);
      names.push(this.textName(s.slice(i, i + CHUNK)));
    }
    return names;
  }

  /** The Canon of a composite: `tag` and its members' names. Long names are themselves interned in chunks. */
  private composite(tag: string, names: readonly string[]): Canon {
    let text = tag + names.join(',');
    this.budget.step(1 + text.length / 64);
    // A name longer than a chunk becomes the composite of its chunks' names (each level ~500 times shorter).
    while (text.length > CHUNK) text = 'K' + this.chunkNames(text).join(',');
    let c = this.composites.get(text);
    if (!c) {
      this.budget.charge(COST.string + 2 * text.length + COST.entry + COST.object);
      this.composites.set(text, (c = new Canon(this.nextId++)));
    }
    return c;
  }
}

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

export function newDict(): PyDict {
  return { kind: 'dict', entries: [] };
}

/** Dictionary lookup by a string key (the only lookups the checkpoint model needs). */
export function dictGet(d: PyDict, key: string): PyObject | undefined {
  for (const [k, v] of d.entries) if (k === key) return v;
  return undefined;
}
