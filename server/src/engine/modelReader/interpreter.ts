// A small Python interpreter for model definitions: enough of the language to run a model's constructor (numbers,
// conditions, loops with constant bounds, lists, functions, classes with super(), **kwargs) and its forward() on
// symbolic tensors. It never runs anything else: no file, no import of real code beyond the model file and its
// sibling modules (ai8x_blocks), and everything it cannot follow becomes an "unknown" value that is an error only
// where the network needs it — with the line that made it unknown. Statements, expressions and calls recurse into
// one another, so they stay one class (about 670 lines); Python's value semantics (pythonSemantics), the libraries'
// calls (namespaceCalls) and the tensor operations forward() records (tensorOps) live in their own files.
import { ForwardGraph, layerShapes, Shape } from './forwardGraph';
import type { Arg, Expr, PythonModule, Stmt } from './pythonSyntax';
import { callNamespace } from './namespaceCalls';
import { eltwise, reshape, tensorMethod } from './tensorOps';
import { bindParams, binaryValues, builtin, classAttr, findMethod, iterate, truthy } from './pythonSemantics';
import {
  ClassValue,
  ContainerValue,
  describe,
  FunctionValue,
  InstanceValue,
  isModule,
  isObject,
  ModelReadError,
  NamespaceValue,
  Scope,
  TensorValue,
  UnknownValue,
  Value,
} from './values';

/** Reads a sibling module (`import ai8x_blocks`) of the file being interpreted, or null when there is none. */
export type ModuleLoader = (name: string, fromFile: string) => { file: string; module: PythonModule } | null;

const MAX_STEPS = 2_000_000;
const MAX_DEPTH = 200;

class ReturnSignal {
  constructor(readonly value: Value) {}
}
class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

const EXTERNAL_NAMESPACES = new Set(['ai8x', 'torch', 'nn', 'torch.nn', 'F', 'torch.nn.functional', 'math', 'np', 'numpy']);

export class Interpreter {
  private steps = 0;
  private depth = 0;
  private readonly modules = new Map<string, Scope>();
  /** Statements in a constructor that could not be followed and built no layer (skipped, with the reason). */
  readonly skipped: { file: string; line: number; why: string }[] = [];
  private registrations = 0;
  graph: ForwardGraph | null = null;
  private readonly pathOf = new Map<Value, string>();

  /** ai8x.dev: the device constants models read (ai8x-training's DevAI84/DevAI85/DevAI87). */
  private readonly dev: Map<string, Value>;

  constructor(
    private readonly loader: ModuleLoader,
    device: 84 | 85 | 87 = 85,
  ) {
    const depth = { 84: 128, 85: 768, 87: 5120 }[device];
    this.dev = new Map<string, Value>([
      ['device', device],
      ['WEIGHT_INPUTS', device === 84 ? 64 : 256],
      ['WEIGHT_DEPTH', depth],
      ['MAX_LAYERS', device === 87 ? 128 : 32],
      ['ACTIVATION_BITS', 8],
      ['WIDE_LAYER_RESOLUTION_BITS', 32],
      ['simulate', false],
    ]);
  }

  /** Runs a module's top level: imports, functions, classes and simple assignments (e.g. the `models` table). */
  loadModule(file: string, module: PythonModule): Scope {
    const cached = this.modules.get(file);
    if (cached) return cached;
    const scope: Scope = { vars: new Map(), parent: null, file };
    this.modules.set(file, scope);
    for (const st of module.body) {
      try {
        this.exec(st, scope);
      } catch (e) {
        if (e instanceof ModelReadError) this.skipped.push({ file, line: st.line, why: e.message });
        else throw e;
      }
    }
    return scope;
  }

  // ---------- statements ----------

  execBlock(body: Stmt[], scope: Scope): void {
    for (const st of body) this.exec(st, scope);
  }

  private exec(st: Stmt, scope: Scope): void {
    if (++this.steps > MAX_STEPS) throw new ModelReadError('the model takes too many steps to read (a very long loop?)', st.line, scope.file);
    // In a constructor, a call, loop or condition we cannot follow is skipped when it built no layer (weight
    // initialisation, asserts on the device…); everything else stops the reading with its reason.
    if (!this.graph && (st.kind === 'expr' || st.kind === 'for' || st.kind === 'if')) {
      const before = this.registrations;
      try {
        this.execStatement(st, scope);
      } catch (e) {
        if (e instanceof ModelReadError && this.registrations === before) this.skipped.push({ file: scope.file, line: st.line, why: e.message });
        else throw e;
      }
      return;
    }
    this.execStatement(st, scope);
  }

  private execStatement(st: Stmt, scope: Scope): void {
    switch (st.kind) {
      case 'expr':
        this.eval(st.expr, scope);
        return;
      case 'assign': {
        const v = this.eval(st.value, scope);
        for (const t of st.targets) this.assign(t, v, scope, st.line);
        return;
      }
      case 'augassign': {
        const cur = this.eval(st.target, scope);
        this.assign(st.target, this.binary(st.op, cur, this.eval(st.value, scope), st.line, scope.file), scope, st.line);
        return;
      }
      case 'if':
        for (const b of st.branches) {
          if (b.test === null || truthy(this.eval(b.test, scope), b.test.line, scope.file)) {
            this.execBlock(b.body, scope);
            return;
          }
        }
        return;
      case 'for': {
        const items = iterate(this.eval(st.iter, scope), st.line, scope.file);
        for (const item of items) {
          this.assign(st.target, item, scope, st.line);
          try {
            this.execBlock(st.body, scope);
          } catch (e) {
            if (e instanceof LoopSignal) {
              if (e.kind === 'break') break;
              continue;
            }
            throw e;
          }
        }
        return;
      }
      case 'return':
        throw new ReturnSignal(st.value ? this.eval(st.value, scope) : null);
      case 'def':
        scope.vars.set(st.fn.name, { t: 'function', fn: st.fn, scope, owner: null, self: null });
        return;
      case 'class':
        scope.vars.set(st.cls.name, this.makeClass(st.cls, scope));
        return;
      case 'import':
        this.importStatement(st, scope);
        return;
      case 'pass':
        return;
      case 'continue':
      case 'break':
        throw new LoopSignal(st.kind);
      case 'unsupported':
        throw new ModelReadError(`${st.what} is not supported by the model reader`, st.line, scope.file);
    }
  }

  private importStatement(st: Extract<Stmt, { kind: 'import' }>, scope: Scope): void {
    const load = (name: string): Value => {
      if (EXTERNAL_NAMESPACES.has(name) || name.startsWith('torch')) return { t: 'namespace', name };
      const found = this.loader(name, scope.file);
      if (!found) return { t: 'unknown', why: `module \`${name}\` is not available to the reader`, line: st.line };
      const mod = this.loadModule(found.file, found.module);
      return { t: 'namespace', name: `file:${found.file}`, ...({ scope: mod } as object) } as NamespaceValue;
    };
    if (st.names === null) {
      const v = load(st.module);
      const as = st.as ?? st.module.split('.')[0];
      scope.vars.set(as, st.as || !st.module.includes('.') ? v : { t: 'namespace', name: as });
      if (st.module === 'torch.nn.functional' && st.as) scope.vars.set(st.as, { t: 'namespace', name: 'F' });
      return;
    }
    const mod = load(st.module);
    for (const n of st.names) {
      if (st.module === 'torch' && n.name === 'nn') scope.vars.set(n.as, { t: 'namespace', name: 'nn' });
      else if (st.module === 'torch.nn' && n.name === 'functional') scope.vars.set(n.as, { t: 'namespace', name: 'F' });
      else scope.vars.set(n.as, this.attribute(mod, n.name, st.line, scope.file));
    }
  }

  private makeClass(def: ClassValue['def'], scope: Scope): ClassValue {
    const bases = def.bases.map((b) => {
      const v = this.safeEval(b, scope);
      return isObject(v) && (v.t === 'class' || v.t === 'namespace' || v.t === 'unknown')
        ? v
        : ({ t: 'unknown', why: `base ${describe(v)}`, line: def.line } as UnknownValue);
    });
    const cls: ClassValue = { t: 'class', def, scope, bases, methods: new Map(), attrs: new Map() };
    const body: Scope = { vars: new Map(), parent: scope, file: scope.file };
    for (const st of def.body) {
      if (st.kind === 'def') cls.methods.set(st.fn.name, { t: 'function', fn: st.fn, scope, owner: cls, self: null });
      else if (st.kind === 'class') body.vars.set(st.cls.name, this.makeClass(st.cls, body));
      else if (st.kind === 'assign') {
        const v = this.safeEval(st.value, body);
        for (const t of st.targets) if (t.kind === 'name') body.vars.set(t.name, v);
      }
    }
    for (const [k, v] of body.vars) cls.attrs.set(k, v);
    return cls;
  }

  private assign(target: Expr, v: Value, scope: Scope, line: number): void {
    switch (target.kind) {
      case 'name':
        scope.vars.set(target.name, v);
        return;
      case 'tuple':
      case 'list': {
        const items = iterate(v, line, scope.file);
        if (items.length !== target.items.length)
          throw new ModelReadError(`cannot unpack ${items.length} values into ${target.items.length}`, line, scope.file);
        target.items.forEach((t, i) => this.assign(t, items[i], scope, line));
        return;
      }
      case 'attr': {
        const obj = this.eval(target.object, scope);
        if (isObject(obj) && obj.t === 'instance') {
          if (isModule(v)) {
            this.registrations++;
            const at = obj.children.findIndex(([n]) => n === target.name);
            if (at >= 0) obj.children[at] = [target.name, v];
            else obj.children.push([target.name, v]);
          }
          obj.attrs.set(target.name, v);
          return;
        }
        throw new ModelReadError(`cannot set \`${target.name}\` on ${describe(obj)}`, line, scope.file);
      }
      case 'index': {
        const obj = this.eval(target.object, scope);
        const idx = this.eval(target.index, scope);
        if (isObject(obj) && obj.t === 'list' && typeof idx === 'number') {
          obj.items[idx < 0 ? obj.items.length + idx : idx] = v;
          return;
        }
        if (isObject(obj) && obj.t === 'dict' && !isObject(idx)) {
          obj.entries.set(idx, v);
          return;
        }
        throw new ModelReadError(`cannot assign into ${describe(obj)}`, line, scope.file);
      }
      default:
        throw new ModelReadError('this assignment target is not supported', line, scope.file);
    }
  }

  // ---------- expressions ----------

  private safeEval(e: Expr, scope: Scope): Value {
    try {
      return this.eval(e, scope);
    } catch (err) {
      if (err instanceof ModelReadError) return { t: 'unknown', why: err.message, line: err.line };
      throw err;
    }
  }

  eval(e: Expr, scope: Scope): Value {
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'str':
        return e.value;
      case 'const':
        return e.value;
      case 'name':
        return this.lookup(e.name, scope, e.line);
      case 'attr':
        return this.attribute(this.eval(e.object, scope), e.name, e.line, scope.file);
      case 'index':
        return this.index(this.eval(e.object, scope), e.index, scope, e.line);
      case 'call':
        return this.callExpr(e, scope);
      case 'binary': {
        if (e.op === 'and' || e.op === 'or') {
          const l = this.eval(e.left, scope);
          const t = truthy(l, e.line, scope.file);
          return (e.op === 'and') === t ? this.eval(e.right, scope) : l;
        }
        return this.binary(e.op, this.eval(e.left, scope), this.eval(e.right, scope), e.line, scope.file);
      }
      case 'unary': {
        const v = this.eval(e.operand, scope);
        if (e.op === 'not') return !truthy(v, e.line, scope.file);
        if (typeof v === 'number') return e.op === '-' ? -v : e.op === '~' ? ~v : v;
        if (isObject(v) && v.t === 'unknown') return v;
        throw new ModelReadError(`unary ${e.op} on ${describe(v)}`, e.line, scope.file);
      }
      case 'cond':
        return truthy(this.eval(e.test, scope), e.line, scope.file) ? this.eval(e.then, scope) : this.eval(e.else, scope);
      case 'tuple':
        return { t: 'tuple', items: e.items.map((x) => this.eval(x, scope)) };
      case 'list':
        return { t: 'list', items: e.items.map((x) => this.eval(x, scope)) };
      case 'dict': {
        const entries = new Map<string | number | boolean | null, Value>();
        for (const [k, v] of e.entries) {
          const key = this.eval(k, scope);
          if (isObject(key)) throw new ModelReadError('dictionary keys must be plain values', e.line, scope.file);
          entries.set(key, this.eval(v, scope));
        }
        return { t: 'dict', entries };
      }
      case 'listcomp': {
        const out: Value[] = [];
        const inner: Scope = { vars: new Map(), parent: scope, file: scope.file };
        for (const item of iterate(this.eval(e.iter, scope), e.line, scope.file)) {
          this.assign(e.target, item, inner, e.line);
          if (e.conditions.every((c) => truthy(this.eval(c, inner), e.line, scope.file))) out.push(this.eval(e.element, inner));
        }
        return { t: 'list', items: out };
      }
      case 'slice':
        throw new ModelReadError('a slice outside an index', e.line, scope.file);
      case 'unsupported':
        throw new ModelReadError(`${e.what} is not supported by the model reader`, e.line, scope.file);
    }
  }

  private lookup(name: string, scope: Scope, line: number): Value {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    const moduleScope = this.modules.get(scope.file);
    const v = moduleScope?.vars.get(name);
    if (v !== undefined) return v;
    const b = builtin(name);
    if (b) return b;
    throw new ModelReadError(`\`${name}\` is not defined`, line, scope.file);
  }

  private index(obj: Value, idxExpr: Expr, scope: Scope, line: number): Value {
    if (idxExpr.kind === 'tuple' && idxExpr.items.some((x) => x.kind === 'slice')) {
      throw new ModelReadError(
        isObject(obj) && obj.t === 'tensor'
          ? 'indexing a tensor along several dimensions (such as x[:, i]) cannot run on the accelerator'
          : `indexing ${describe(obj)} with several slices is not supported`,
        line,
        scope.file,
      );
    }
    if (idxExpr.kind === 'slice') {
      const n = (x: Expr | null) => (x ? this.eval(x, scope) : null);
      const lo = n(idxExpr.lower);
      const hi = n(idxExpr.upper);
      const step = n(idxExpr.step);
      if (isObject(obj) && (obj.t === 'list' || obj.t === 'tuple') && [lo, hi, step].every((x) => x === null || typeof x === 'number')) {
        const len = obj.items.length;
        const norm = (x: number | null, d: number) => (x === null ? d : x < 0 ? Math.max(0, len + x) : Math.min(len, x));
        const s = (step as number | null) ?? 1;
        const out: Value[] = [];
        for (let i = norm(lo as number | null, 0); i < norm(hi as number | null, len); i += s) out.push(obj.items[i]);
        return { t: obj.t, items: out };
      }
      if (isObject(obj) && obj.t === 'tensor') return obj;
      throw new ModelReadError(`slicing ${describe(obj)}`, line, scope.file);
    }
    const idx = this.eval(idxExpr, scope);
    if (isObject(obj) && (obj.t === 'list' || obj.t === 'tuple') && typeof idx === 'number') {
      const v = obj.items[idx < 0 ? obj.items.length + idx : idx];
      if (v === undefined) throw new ModelReadError(`index ${idx} is out of range`, line, scope.file);
      return v;
    }
    if (isObject(obj) && obj.t === 'container' && typeof idx === 'number') {
      const v = obj.items[idx < 0 ? obj.items.length + idx : idx];
      if (!v) throw new ModelReadError(`index ${idx} is out of range`, line, scope.file);
      return v[1];
    }
    if (isObject(obj) && obj.t === 'dict' && !isObject(idx)) {
      const v = obj.entries.get(idx);
      if (v === undefined) throw new ModelReadError(`key ${describe(idx)} is missing`, line, scope.file);
      return v;
    }
    if (typeof obj === 'string' && typeof idx === 'number') return obj[idx < 0 ? obj.length + idx : idx] ?? '';
    if (isObject(obj) && obj.t === 'unknown') return obj;
    if (isObject(obj) && obj.t === 'tensor') return obj;
    throw new ModelReadError(`cannot index ${describe(obj)} with ${describe(idx)}`, line, scope.file);
  }

  attribute(obj: Value, name: string, line: number, file: string): Value {
    if (!isObject(obj)) {
      if (typeof obj === 'string' && name === 'format') return { t: 'builtin', name: 'str.format', call: () => obj };
      throw new ModelReadError(`${describe(obj)} has no attribute \`${name}\``, line, file);
    }
    switch (obj.t) {
      case 'instance': {
        const own = obj.attrs.get(name);
        if (own !== undefined) return own;
        const m = findMethod(obj.cls, name);
        if (m) return { ...m, self: obj };
        const ca = classAttr(obj.cls, name);
        if (ca !== undefined) return ca;
        if (name === 'training') return false;
        return { t: 'unknown', why: `\`${name}\` of ${describe(obj)}`, line };
      }
      case 'class': {
        const m = findMethod(obj, name);
        if (m) return m;
        const ca = classAttr(obj, name);
        if (ca !== undefined) return ca;
        throw new ModelReadError(`class ${obj.def.name} has no attribute \`${name}\``, line, file);
      }
      case 'namespace': {
        const inner = (obj as unknown as { scope?: Scope }).scope;
        if (inner) {
          const v = inner.vars.get(name);
          if (v === undefined) throw new ModelReadError(`\`${name}\` is not defined in ${obj.name.replace(/^file:/, '')}`, line, file);
          return v;
        }
        if (obj.name === 'torch' && name === 'nn') return { t: 'namespace', name: 'nn' };
        if (obj.name === 'ai8x.dev') {
          const v = this.dev.get(name);
          return v !== undefined ? v : { t: 'unknown', why: `ai8x.dev.${name}`, line };
        }
        if ((obj.name === 'nn' || obj.name === 'torch.nn') && name === 'functional') return { t: 'namespace', name: 'F' };
        return { t: 'namespace', name: `${obj.name}.${name}` };
      }
      case 'tensor':
        return tensorMethod(this.graph!, obj, name, line, file);
      case 'list':
        if (name === 'append' || name === 'extend' || name === 'insert') {
          return {
            t: 'builtin',
            name: `list.${name}`,
            call: (args) => {
              if (name === 'append') obj.items.push(args[0]);
              else if (name === 'extend') obj.items.push(...iterate(args[0], line, file));
              else obj.items.splice(args[0] as number, 0, args[1]);
              return null;
            },
          };
        }
        break;
      case 'container':
        if (name === 'append') {
          return {
            t: 'builtin',
            name: 'append',
            call: (args) => {
              this.registrations++;
              obj.items.push([String(obj.items.length), args[0]]);
              return null;
            },
          };
        }
        break;
      case 'dict':
        if (name === 'get')
          return { t: 'builtin', name: 'dict.get', call: (args) => (!isObject(args[0]) ? (obj.entries.get(args[0]) ?? args[1] ?? null) : null) };
        if (name === 'items')
          return { t: 'builtin', name: 'dict.items', call: () => ({ t: 'list', items: [...obj.entries].map(([k, v]) => ({ t: 'tuple', items: [k, v] })) }) };
        break;
      case 'unknown':
        return obj;
      case 'layer':
        if (name === 'out_channels') return obj.layer.outChannels;
        if (name === 'in_channels') return obj.layer.inChannels;
        break;
    }
    return { t: 'unknown', why: `\`${name}\` of ${describe(obj)}`, line };
  }

  // ---------- calls ----------

  private callExpr(e: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
    // super().__init__(…) / super(Cls, self).__init__(…)
    if (e.callee.kind === 'attr' && e.callee.object.kind === 'call' && e.callee.object.callee.kind === 'name' && e.callee.object.callee.name === 'super') {
      return this.superCall(e.callee.name, e.args, scope, e.line);
    }
    const callee = this.eval(e.callee, scope);
    const { args, kwargs } = this.arguments(e.args, scope, e.line);
    return this.call(callee, args, kwargs, e.line, scope.file);
  }

  private arguments(list: Arg[], scope: Scope, line: number): { args: Value[]; kwargs: Map<string, Value> } {
    const args: Value[] = [];
    const kwargs = new Map<string, Value>();
    for (const a of list) {
      const v = this.eval(a.value, scope);
      if (a.kind === 'positional') args.push(v);
      else if (a.kind === 'keyword') kwargs.set(a.name, v);
      else if (a.kind === 'star') args.push(...iterate(v, line, scope.file));
      else if (isObject(v) && v.t === 'dict') for (const [k, x] of v.entries) kwargs.set(String(k), x);
      else if (!(isObject(v) && v.t === 'unknown')) throw new ModelReadError(`** needs a dict, not ${describe(v)}`, line, scope.file);
    }
    return { args, kwargs };
  }

  private superCall(method: string, argList: Arg[], scope: Scope, line: number): Value {
    const self = this.lookup('self', scope, line);
    const owner = this.currentClass(scope);
    const { args, kwargs } = this.arguments(argList, scope, line);
    if (!owner || !isObject(self) || self.t !== 'instance') return null;
    for (const b of owner.bases) {
      if (b.t === 'class') {
        const m = findMethod(b, method);
        if (m) return this.call({ ...m, self }, args, kwargs, line, scope.file);
      }
    }
    return null; // nn.Module and other library bases: nothing the network depends on
  }

  private currentClass(scope: Scope): ClassValue | null {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const c = s.vars.get('__class__');
      if (isObject(c ?? null) && (c as ClassValue).t === 'class') return c as ClassValue;
    }
    return null;
  }

  call(callee: Value, args: Value[], kwargs: Map<string, Value>, line: number, file: string): Value {
    if (!isObject(callee)) throw new ModelReadError(`${describe(callee)} is not callable`, line, file);
    switch (callee.t) {
      case 'function':
        return this.callFunction(callee, callee.self ? [callee.self, ...args] : args, kwargs, line);
      case 'builtin':
        return callee.call(args, kwargs, line);
      case 'class':
        return this.instantiate(callee, args, kwargs, line);
      case 'namespace':
        return callNamespace(this.graph, callee.name, args, kwargs, line, file);
      case 'layer':
      case 'eltwise':
      case 'torch':
      case 'container':
        return this.callModule(callee, args, line, file);
      case 'instance': {
        const fwd = findMethod(callee.cls, 'forward');
        if (!fwd) throw new ModelReadError(`${describe(callee)} has no forward()`, line, file);
        return this.callFunction({ ...fwd, self: callee }, [callee, ...args], kwargs, line);
      }
      case 'unknown':
        return callee;
      default:
        throw new ModelReadError(`${describe(callee)} is not callable`, line, file);
    }
  }

  private callFunction(f: FunctionValue, args: Value[], kwargs: Map<string, Value>, line: number): Value {
    if (++this.depth > MAX_DEPTH) throw new ModelReadError('the model calls itself too deeply', line, f.scope.file);
    try {
      const local: Scope = { vars: new Map(), parent: f.scope, file: f.scope.file };
      if (f.owner) local.vars.set('__class__', f.owner);
      bindParams(f.fn, args, kwargs, local, (d) => this.eval(d, f.scope), f.scope.file);
      try {
        this.execBlock(f.fn.body, local);
      } catch (e) {
        if (e instanceof ReturnSignal) return e.value;
        throw e;
      }
      return null;
    } finally {
      this.depth--;
    }
  }

  private instantiate(cls: ClassValue, args: Value[], kwargs: Map<string, Value>, line: number): Value {
    const inst: InstanceValue = { t: 'instance', cls, attrs: new Map(), children: [], line };
    const init = findMethod(cls, '__init__');
    if (init) this.callFunction({ ...init, self: inst }, [inst, ...args], kwargs, line);
    return inst;
  }

  /** Calling a module object on tensors in forward(). */
  private callModule(m: Value, args: Value[], line: number, file: string): Value {
    if (!isObject(m)) throw new ModelReadError(`${describe(m)} is not a module`, line, file);
    const tensors = args.filter((a): a is TensorValue => isObject(a) && a.t === 'tensor');
    const g = this.graph;
    if (!g) return { t: 'unknown', why: `${describe(m)} called outside forward()`, line };
    switch (m.t) {
      case 'layer': {
        const x = tensors[0];
        if (!x) throw new ModelReadError(`ai8x.${m.layer.className} is called without a tensor`, line, file);
        const shapes = layerShapes(m.layer, g.shapeOf(x.node));
        const path = this.pathOf.get(m) ?? '?';
        if (typeof shapes === 'string') throw new ModelReadError(`\`${path}\` (ai8x.${m.layer.className}) ${shapes}`, line, file);
        return {
          t: 'tensor',
          node: g.add({
            kind: 'layer',
            layer: m.layer,
            path,
            input: x.node,
            shape: shapes.out,
            pooled: shapes.pooled,
            line,
            file,
            defLine: m.line,
            defFile: m.file,
          }),
        };
      }
      case 'eltwise':
        return eltwise(this.graph!, m.op, args, line, file, this.pathOf.get(m) ?? m.op);
      case 'torch':
        if (m.kind === 'flatten') return reshape(this.graph, tensors[0], true, line, file);
        if (m.kind === 'identity' || m.kind === 'softmax' || m.kind === 'relu') return tensors[0] ?? null;
        // Computed by the host after the accelerator: what feeds it is an output of the network.
        if (m.kind === 'software') return reshape(this.graph, tensors[0], false, line, file);
        throw new ModelReadError(`${m.name} is not an ai8x layer; the accelerator cannot run it`, line, file);
      case 'container': {
        let v: Value = args[0] ?? null;
        for (const [, item] of m.items) v = this.call(item, [v], new Map(), line, file);
        return v;
      }
      default:
        throw new ModelReadError(`${describe(m)} is not a module`, line, file);
    }
  }

  /** `a + b` of two tensors is a residual add; everything else is plain Python. */
  private binary(op: string, a: Value, b: Value, line: number, file: string): Value {
    if (isObject(a) && a.t === 'tensor' && isObject(b) && b.t === 'tensor' && op === '+') return eltwise(this.graph!, 'add', [a, b], line, file, 'add');
    return binaryValues(op, a, b, line, file);
  }

  // ---------- running a model ----------

  /** Module paths (as in the state_dict) of every layer under a root module, in registration order. */
  assignPaths(root: Value): { path: string; value: Value }[] {
    const out: { path: string; value: Value }[] = [];
    const walk = (v: Value, prefix: string) => {
      if (!isObject(v)) return;
      if (v.t === 'instance') for (const [n, c] of v.children) walk(c, prefix ? `${prefix}.${n}` : n);
      else if (v.t === 'container') for (const [n, c] of v.items) walk(c, prefix ? `${prefix}.${n}` : n);
      else if (v.t === 'layer' || v.t === 'eltwise' || v.t === 'torch') {
        if (!this.pathOf.has(v)) this.pathOf.set(v, prefix);
        out.push({ path: prefix, value: v });
      }
    };
    walk(root, '');
    return out;
  }

  /** Runs forward(x) on a symbolic input of the given shape; the graph records what it does. */
  runForward(model: InstanceValue, input: Shape, line: number): ForwardGraph {
    const graph = new ForwardGraph(input);
    this.graph = graph;
    try {
      const result = this.call(model, [{ t: 'tensor', node: 0 }], new Map(), line, model.cls.scope.file);
      const outs: number[] = [];
      const collect = (v: Value) => {
        if (!isObject(v)) return;
        if (v.t === 'tensor') outs.push(v.node);
        else if (v.t === 'tuple' || v.t === 'list') v.items.forEach(collect);
        else if (v.t === 'dict') for (const x of v.entries.values()) collect(x);
      };
      collect(result);
      if (!outs.length) throw new ModelReadError('forward() returns no tensor', model.cls.def.line, model.cls.scope.file);
      graph.outputs = outs;
      return graph;
    } finally {
      this.graph = null;
    }
  }
}

export type { ContainerValue };
