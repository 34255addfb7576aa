// Values on the pickle machine's stack: plain PyObject data plus a few internal objects (known globals, storages,
// numpy helpers) that are turned into plain data once the pickle is read.
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

const keyCache = new WeakMap<object, string>();
const identity = new WeakMap<object, number>();
let nextIdentity = 1;

/** A string that is equal for values Python would consider equal dict keys. Unhashable values throw. */
export function hashKey(v: Value, depth = 0): string {
  if (depth > 100) throw new CheckpointError('A dictionary key is nested more than 100 levels deep.', 'limit');
  if (v === null) return 'N';
  switch (typeof v) {
    case 'boolean':
      return v ? 'n1' : 'n0';
    case 'number':
      return 'n' + String(v);
    case 'bigint':
      return 'n' + v.toString();
    case 'string':
      return 's' + v;
  }
  if (v instanceof Uint8Array) return 'b' + latin1(v);
  const cached = keyCache.get(v as object);
  if (cached !== undefined) return cached;
  let key: string;
  if (isTuple(v)) key = 't' + JSON.stringify(v.items.map((x) => hashKey(x, depth + 1)));
  else if (isSet(v) && v.frozen) key = 'f' + JSON.stringify(v.items.map((x) => hashKey(x, depth + 1)).sort());
  else if (Array.isArray(v) || isDict(v) || isSet(v)) {
    throw new CheckpointError(
      `The pickle uses a ${Array.isArray(v) ? 'list' : isDict(v) ? 'dict' : 'set'} as a dictionary key or set member, which Python cannot do; the file is damaged or forged.`,
      'format',
    );
  } else if (v instanceof KnownGlobal) key = 'g' + v.module + '.' + v.name;
  else {
    let id = identity.get(v as object);
    if (id === undefined) identity.set(v as object, (id = nextIdentity++));
    key = 'o' + id;
  }
  keyCache.set(v as object, key);
  return key;
}

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

const dictIndex = new WeakMap<object, Map<string, number>>();

/** d[k] = v with Python semantics (an existing key keeps its position). */
export function dictSet(d: { entries: [Value, Value][] } | { entries?: [Value, Value][] }, k: Value, v: Value): void {
  const entries = (d.entries ??= []) as [Value, Value][];
  let index = dictIndex.get(d);
  if (!index) {
    index = new Map();
    for (let i = 0; i < entries.length; i++) index.set(hashKey(entries[i][0]), i);
    dictIndex.set(d, index);
  }
  const h = hashKey(k);
  const at = index.get(h);
  if (at !== undefined) entries[at][1] = v;
  else {
    index.set(h, entries.length);
    entries.push([k, v]);
  }
}

const setIndex = new WeakMap<object, Set<string>>();

export function setAdd(s: PySet, v: Value): void {
  let index = setIndex.get(s);
  if (!index) {
    index = new Set(s.items.map((x) => hashKey(x)));
    setIndex.set(s, index);
  }
  const h = hashKey(v);
  if (!index.has(h)) {
    index.add(h);
    s.items.push(v as PyObject);
  }
}

export function newDict(): PyDict {
  return { kind: 'dict', entries: [] };
}

/** Dictionary lookup by a string key (the only lookups the checkpoint model needs). */
export function dictGet(d: PyDict, key: string): PyObject | undefined {
  for (const [k, v] of d.entries) if (k === key) return v;
  return undefined;
}
