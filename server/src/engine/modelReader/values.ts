// The values the model reader's Python interpreter works with: plain numbers, strings and containers, the
// user's functions, classes and module instances, the ai8x layers they build, and symbolic tensors in forward().
import type { ClassDef, FunctionDef } from './pythonSyntax';
import type { Ai8xLayer, EltwiseOperation } from './ai8xModules';

export type Value =
  | number
  | string
  | boolean
  | null
  | TupleValue
  | ListValue
  | DictValue
  | FunctionValue
  | BuiltinValue
  | ClassValue
  | InstanceValue
  | LayerValue
  | EltwiseValue
  | TorchModuleValue
  | ContainerValue
  | NamespaceValue
  | TensorValue
  | UnknownValue;

export interface TupleValue {
  t: 'tuple';
  items: Value[];
}
export interface ListValue {
  t: 'list';
  items: Value[];
}
export interface DictValue {
  t: 'dict';
  entries: Map<string | number | boolean | null, Value>;
}
export interface Scope {
  vars: Map<string, Value>;
  parent: Scope | null;
  file: string;
}
export interface FunctionValue {
  t: 'function';
  fn: FunctionDef;
  scope: Scope;
  /** The class a method was defined in (for super()), and the instance it is bound to. */
  owner: ClassValue | null;
  self: InstanceValue | null;
}
export interface BuiltinValue {
  t: 'builtin';
  name: string;
  call: (args: Value[], kwargs: Map<string, Value>, line: number) => Value;
}
export interface ClassValue {
  t: 'class';
  def: ClassDef;
  scope: Scope;
  bases: (ClassValue | NamespaceValue | UnknownValue)[];
  methods: Map<string, FunctionValue>;
  /** Class-level assignments (e.g. constant tables). */
  attrs: Map<string, Value>;
}
export interface InstanceValue {
  t: 'instance';
  cls: ClassValue;
  attrs: Map<string, Value>;
  /** Submodules in the order they were assigned (the state_dict order). */
  children: [string, Value][];
  line: number;
}
export interface LayerValue {
  t: 'layer';
  layer: Ai8xLayer;
  line: number;
  file: string;
}
export interface EltwiseValue {
  t: 'eltwise';
  op: EltwiseOperation;
  line: number;
}
export interface TorchModuleValue {
  t: 'torch';
  kind: 'identity' | 'flatten' | 'softmax' | 'relu' | 'software' | 'other';
  name: string;
  line: number;
}
export interface ContainerValue {
  t: 'container';
  kind: 'ModuleList' | 'Sequential' | 'ModuleDict';
  items: [string, Value][];
  line: number;
}
export interface NamespaceValue {
  t: 'namespace';
  name: string;
}
export interface TensorValue {
  t: 'tensor';
  node: number;
}
export interface UnknownValue {
  t: 'unknown';
  why: string;
  line: number;
}

export class ModelReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ModelReadError';
  }
}

export function isObject(v: Value): v is Exclude<Value, number | string | boolean | null> {
  return typeof v === 'object' && v !== null;
}

export function isModule(v: Value): boolean {
  return isObject(v) && (v.t === 'layer' || v.t === 'eltwise' || v.t === 'torch' || v.t === 'container' || v.t === 'instance');
}

export function describe(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  switch (v.t) {
    case 'tuple':
      return `(${v.items.map(describe).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'list':
      return `[${v.items.map(describe).join(', ')}]`;
    case 'dict':
      return 'a dict';
    case 'function':
      return `function ${v.fn.name}`;
    case 'builtin':
      return v.name;
    case 'class':
      return `class ${v.def.name}`;
    case 'instance':
      return `a ${v.cls.def.name}`;
    case 'layer':
      return `ai8x.${v.layer.className}`;
    case 'eltwise':
      return `ai8x.${v.op}`;
    case 'torch':
      return v.name;
    case 'container':
      return `nn.${v.kind}`;
    case 'namespace':
      return v.name;
    case 'tensor':
      return 'a tensor';
    case 'unknown':
      return `an unknown value (${v.why})`;
  }
}

/** Plain data (numbers, strings, None and their tuples and lists) as JavaScript values. */
export function toPlain(v: Value): unknown {
  if (!isObject(v)) return v;
  if (v.t === 'tuple' || v.t === 'list') return v.items.map(toPlain);
  return undefined;
}
