// A model file's Python source as a small syntax tree: the statements and expressions the model reader
// interprets, built from @lezer/python's concrete syntax tree (a real, incremental Python parser). Anything else
// becomes an `unsupported` node that remembers its line, so the reader can say where it stopped.
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';

export type Expr =
  | { kind: 'num'; value: number; line: number }
  | { kind: 'str'; value: string; line: number }
  | { kind: 'const'; value: boolean | null; line: number }
  | { kind: 'name'; name: string; line: number }
  | { kind: 'attr'; object: Expr; name: string; line: number }
  | { kind: 'index'; object: Expr; index: Expr; line: number }
  | { kind: 'slice'; lower: Expr | null; upper: Expr | null; step: Expr | null; line: number }
  | { kind: 'call'; callee: Expr; args: Arg[]; line: number }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; line: number }
  | { kind: 'unary'; op: string; operand: Expr; line: number }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr; line: number }
  | { kind: 'tuple'; items: Expr[]; line: number }
  | { kind: 'list'; items: Expr[]; line: number }
  | { kind: 'dict'; entries: [Expr, Expr][]; line: number }
  | { kind: 'listcomp'; element: Expr; target: Expr; iter: Expr; conditions: Expr[]; line: number }
  | { kind: 'unsupported'; what: string; line: number };

export type Arg =
  { kind: 'positional'; value: Expr } | { kind: 'keyword'; name: string; value: Expr } | { kind: 'star'; value: Expr } | { kind: 'starstar'; value: Expr };

export interface Param {
  name: string;
  default: Expr | null;
  kind: 'normal' | 'star' | 'starstar';
}

export type Stmt =
  | { kind: 'expr'; expr: Expr; line: number }
  | { kind: 'assign'; targets: Expr[]; value: Expr; line: number }
  | { kind: 'augassign'; target: Expr; op: string; value: Expr; line: number }
  | { kind: 'if'; branches: { test: Expr | null; body: Stmt[] }[]; line: number }
  | { kind: 'for'; target: Expr; iter: Expr; body: Stmt[]; line: number }
  | { kind: 'return'; value: Expr | null; line: number }
  | { kind: 'def'; fn: FunctionDef; line: number }
  | { kind: 'class'; cls: ClassDef; line: number }
  | { kind: 'import'; module: string; names: { name: string; as: string }[] | null; as: string | null; line: number }
  | { kind: 'pass'; line: number }
  | { kind: 'continue'; line: number }
  | { kind: 'break'; line: number }
  | { kind: 'unsupported'; what: string; line: number };

export interface FunctionDef {
  name: string;
  params: Param[];
  body: Stmt[];
  line: number;
}

export interface ClassDef {
  name: string;
  bases: Expr[];
  body: Stmt[];
  line: number;
}

export interface PythonModule {
  body: Stmt[];
  source: string;
}

export function parsePython(source: string): PythonModule {
  const tree = parser.parse(source);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const conv = new Converter(source, lineOf);
  return { body: conv.statements(tree.topNode), source };
}

const SKIP = new Set(['Comment', ',', '(', ')', '[', ']', '{', '}', ':', '.', 'AssignOp', '⚠']);

class Converter {
  constructor(
    private readonly src: string,
    private readonly lineOf: (pos: number) => number,
  ) {}

  private text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  statements(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'Comment' || c.name === ':' || c.name === 'Body') {
        if (c.name === 'Body') out.push(...this.statements(c));
        continue;
      }
      out.push(this.statement(c));
    }
    return out;
  }

  private body(n: SyntaxNode | null): Stmt[] {
    return n ? this.statements(n) : [];
  }

  private statement(n: SyntaxNode): Stmt {
    const line = this.lineOf(n.from);
    const kids = this.children(n).filter((c) => c.name !== 'Comment');
    switch (n.name) {
      case 'ExpressionStatement':
        return { kind: 'expr', expr: this.expr(kids[0]), line };
      case 'AssignStatement': {
        // a = b = value, or a, b = value (a tuple target without parentheses arrives as several children).
        const parts: SyntaxNode[][] = [[]];
        for (const c of this.children(n)) {
          if (c.name === 'AssignOp') parts.push([]);
          else if (c.name !== 'Comment' && c.name !== 'TypeDef') parts[parts.length - 1].push(c);
        }
        const asExpr = (group: SyntaxNode[]): Expr => {
          const items = group.filter((c) => c.name !== ',');
          return items.length === 1 && !group.some((c) => c.name === ',')
            ? this.expr(items[0])
            : { kind: 'tuple', items: items.map((c) => this.expr(c)), line };
        };
        const value = asExpr(parts[parts.length - 1]);
        return { kind: 'assign', targets: parts.slice(0, -1).map(asExpr), value, line };
      }
      case 'UpdateStatement': {
        const op = kids.find((c) => c.name === 'UpdateOp');
        return { kind: 'augassign', target: this.expr(kids[0]), op: op ? this.text(op).slice(0, -1) : '+', value: this.expr(kids[kids.length - 1]), line };
      }
      case 'IfStatement': {
        const branches: { test: Expr | null; body: Stmt[] }[] = [];
        let test: Expr | null = null;
        let pendingElse = false;
        for (const c of kids) {
          if (c.name === 'if' || c.name === 'elif') pendingElse = false;
          else if (c.name === 'else') pendingElse = true;
          else if (c.name === 'Body') {
            branches.push({ test: pendingElse ? null : test, body: this.body(c) });
            test = null;
          } else test = this.expr(c);
        }
        return { kind: 'if', branches, line };
      }
      case 'ForStatement': {
        const inAt = kids.findIndex((c) => c.name === 'in');
        const targetNodes = kids.slice(1, inAt).filter((c) => c.name !== ',');
        const target: Expr = targetNodes.length === 1 ? this.expr(targetNodes[0]) : { kind: 'tuple', items: targetNodes.map((c) => this.expr(c)), line };
        const bodyNode = kids.find((c) => c.name === 'Body') ?? null;
        const iterNode = kids.slice(inAt + 1).find((c) => c.name !== 'Body');
        return { kind: 'for', target, iter: iterNode ? this.expr(iterNode) : { kind: 'unsupported', what: 'for loop', line }, body: this.body(bodyNode), line };
      }
      case 'ReturnStatement': {
        const vals = kids.filter((c) => c.name !== 'return' && c.name !== ',');
        if (!vals.length) return { kind: 'return', value: null, line };
        return {
          kind: 'return',
          value: vals.length === 1 && !kids.some((c) => c.name === ',') ? this.expr(vals[0]) : { kind: 'tuple', items: vals.map((c) => this.expr(c)), line },
          line,
        };
      }
      case 'FunctionDefinition':
        return { kind: 'def', fn: this.functionDef(n), line };
      case 'ClassDefinition':
        return { kind: 'class', cls: this.classDef(n), line };
      case 'DecoratedStatement': {
        const inner = kids.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        return inner ? this.statement(inner) : { kind: 'unsupported', what: 'a decorated statement', line };
      }
      case 'ImportStatement':
        return this.importStatement(n, line);
      case 'PassStatement':
      case 'AssertStatement':
        return { kind: 'pass', line };
      case 'ContinueStatement':
        return { kind: 'continue', line };
      case 'BreakStatement':
        return { kind: 'break', line };
      default:
        return { kind: 'unsupported', what: statementName(n.name), line };
    }
  }

  private importStatement(n: SyntaxNode, line: number): Stmt {
    const t = this.text(n).replace(/\s+/g, ' ').trim();
    const from = /^from ([\w.]+) import \(?([^)]*)\)?$/.exec(t);
    if (from) {
      const names = from[2]
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => {
          const m = /^(\w+)(?: as (\w+))?$/.exec(x);
          return { name: m?.[1] ?? x, as: m?.[2] ?? m?.[1] ?? x };
        });
      return { kind: 'import', module: from[1], names, as: null, line };
    }
    const plain = /^import ([\w.]+)(?: as (\w+))?$/.exec(t);
    if (plain) return { kind: 'import', module: plain[1], names: null, as: plain[2] ?? null, line };
    return { kind: 'unsupported', what: 'an import statement', line };
  }

  private functionDef(n: SyntaxNode): FunctionDef {
    const kids = this.children(n);
    const name = kids.find((c) => c.name === 'VariableName');
    const params = kids.find((c) => c.name === 'ParamList');
    const body = kids.find((c) => c.name === 'Body') ?? null;
    return { name: name ? this.text(name) : '?', params: params ? this.params(params) : [], body: this.body(body), line: this.lineOf(n.from) };
  }

  private params(n: SyntaxNode): Param[] {
    const out: Param[] = [];
    let kind: Param['kind'] = 'normal';
    let pendingDefault = false;
    for (const c of this.children(n)) {
      if (c.name === '*') kind = 'star';
      else if (c.name === '**') kind = 'starstar';
      else if (c.name === 'AssignOp') pendingDefault = true;
      else if (c.name === ',') kind = 'normal';
      else if (c.name === 'VariableName' && !pendingDefault) out.push({ name: this.text(c), default: null, kind });
      else if (pendingDefault && !SKIP.has(c.name)) {
        if (out.length) out[out.length - 1].default = this.expr(c);
        pendingDefault = false;
      }
    }
    return out;
  }

  private classDef(n: SyntaxNode): ClassDef {
    const kids = this.children(n);
    const name = kids.find((c) => c.name === 'VariableName');
    const args = kids.find((c) => c.name === 'ArgList');
    const body = kids.find((c) => c.name === 'Body') ?? null;
    return {
      name: name ? this.text(name) : '?',
      bases: args ? this.args(args).map((a) => a.value) : [],
      body: this.body(body),
      line: this.lineOf(n.from),
    };
  }

  private args(n: SyntaxNode): Arg[] {
    const out: Arg[] = [];
    const kids = this.children(n).filter((c) => c.name !== 'Comment' && c.name !== '(' && c.name !== ')');
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i];
      if (c.name === ',') continue;
      if (c.name === '*' || c.name === '**') {
        const v = kids[i + 1];
        out.push({ kind: c.name === '*' ? 'star' : 'starstar', value: this.expr(v) });
        i++;
      } else if (c.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp') {
        out.push({ kind: 'keyword', name: this.text(c), value: this.expr(kids[i + 2]) });
        i += 2;
      } else out.push({ kind: 'positional', value: this.expr(c) });
    }
    return out;
  }

  expr(n: SyntaxNode | undefined): Expr {
    if (!n) return { kind: 'unsupported', what: 'an empty expression', line: 0 };
    const line = this.lineOf(n.from);
    const kids = this.children(n).filter((c) => c.name !== 'Comment');
    switch (n.name) {
      case 'Number': {
        const t = this.text(n).replace(/_/g, '');
        const v = /^0[xX]/.test(t)
          ? parseInt(t, 16)
          : /^0[oO]/.test(t)
            ? parseInt(t.slice(2), 8)
            : /^0[bB]/.test(t)
              ? parseInt(t.slice(2), 2)
              : Number(t.replace(/[jJ]$/, ''));
        return { kind: 'num', value: v, line };
      }
      case 'String':
        return { kind: 'str', value: stringValue(this.text(n)), line };
      case 'ContinuedString':
        return { kind: 'str', value: kids.map((c) => stringValue(this.text(c))).join(''), line };
      case 'Boolean':
        return { kind: 'const', value: this.text(n) === 'True', line };
      case 'None':
        return { kind: 'const', value: null, line };
      case 'VariableName':
        return { kind: 'name', name: this.text(n), line };
      case 'MemberExpression': {
        const obj = this.expr(kids[0]);
        if (kids[1]?.name === '.') return { kind: 'attr', object: obj, name: kids[2] ? this.text(kids[2]) : '?', line };
        const inner = kids.slice(2, -1).filter((c) => c.name !== ',');
        const sliceParts = this.children(n).some((c) => c.name === ':');
        if (sliceParts) return { kind: 'index', object: obj, index: this.slice(kids.slice(2, -1), line), line };
        return {
          kind: 'index',
          object: obj,
          index: inner.length === 1 ? this.expr(inner[0]) : { kind: 'tuple', items: inner.map((c) => this.expr(c)), line },
          line,
        };
      }
      case 'CallExpression': {
        const argList = kids.find((c) => c.name === 'ArgList');
        return { kind: 'call', callee: this.expr(kids[0]), args: argList ? this.args(argList) : [], line };
      }
      case 'BinaryExpression': {
        const opNode = kids[1];
        let op = opNode ? this.text(opNode) : '?';
        if (op === 'not' && kids[2]?.name === 'in') op = 'not in';
        if (op === 'is' && kids[2]?.name === 'not') op = 'is not';
        return { kind: 'binary', op, left: this.expr(kids[0]), right: this.expr(kids[kids.length - 1]), line };
      }
      case 'UnaryExpression':
        return { kind: 'unary', op: this.text(kids[0]), operand: this.expr(kids[kids.length - 1]), line };
      case 'ConditionalExpression':
        return { kind: 'cond', then: this.expr(kids[0]), test: this.expr(kids[2]), else: this.expr(kids[4]), line };
      case 'ParenthesizedExpression':
        return this.expr(kids.find((c) => c.name !== '(' && c.name !== ')'));
      case 'TupleExpression':
        return { kind: 'tuple', items: kids.filter((c) => !SKIP.has(c.name)).map((c) => this.expr(c)), line };
      case 'ArrayExpression':
        return { kind: 'list', items: kids.filter((c) => !SKIP.has(c.name)).map((c) => this.expr(c)), line };
      case 'DictionaryExpression': {
        const entries: [Expr, Expr][] = [];
        const items = kids.filter((c) => !SKIP.has(c.name));
        for (let i = 0; i + 1 < items.length; i += 2) entries.push([this.expr(items[i]), this.expr(items[i + 1])]);
        return { kind: 'dict', entries, line };
      }
      case 'ArrayComprehensionExpression': {
        const items = kids.filter((c) => !SKIP.has(c.name));
        const forAt = items.findIndex((c) => c.name === 'for');
        const inAt = items.findIndex((c) => c.name === 'in');
        if (forAt < 1 || inAt < forAt) return { kind: 'unsupported', what: 'a list comprehension', line };
        const targets = items.slice(forAt + 1, inAt);
        const rest = items.slice(inAt + 1);
        const ifAt = rest.findIndex((c) => c.name === 'if');
        return {
          kind: 'listcomp',
          element: this.expr(items[0]),
          target: targets.length === 1 ? this.expr(targets[0]) : { kind: 'tuple', items: targets.map((c) => this.expr(c)), line },
          iter: this.expr(rest[0]),
          conditions: ifAt >= 0 ? [this.expr(rest[ifAt + 1])] : [],
          line,
        };
      }
      default:
        return { kind: 'unsupported', what: expressionName(n.name), line };
    }
  }

  private slice(nodes: SyntaxNode[], line: number): Expr {
    const parts: (Expr | null)[] = [null];
    for (const c of nodes) {
      if (c.name === ':') parts.push(null);
      else if (!SKIP.has(c.name)) parts[parts.length - 1] = this.expr(c);
    }
    return { kind: 'slice', lower: parts[0] ?? null, upper: parts[1] ?? null, step: parts[2] ?? null, line };
  }
}

function stringValue(t: string): string {
  const m = /^([rRbBuUfF]*)('''|"""|'|")([\s\S]*)\2$/.exec(t);
  if (!m) return t;
  const raw = /r/i.test(m[1]);
  const body = m[3];
  return raw ? body : body.replace(/\\(['"\\nt])/g, (_x, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

function statementName(name: string): string {
  const words: Record<string, string> = {
    WhileStatement: 'a while loop',
    TryStatement: 'a try statement',
    WithStatement: 'a with statement',
    RaiseStatement: 'a raise statement',
    DeleteStatement: 'a del statement',
    GlobalStatement: 'a global statement',
    NonlocalStatement: 'a nonlocal statement',
  };
  return words[name] ?? (name === '⚠' ? 'text the Python parser could not read' : name);
}

function expressionName(name: string): string {
  const words: Record<string, string> = {
    LambdaExpression: 'a lambda',
    ComprehensionExpression: 'a generator expression',
    DictionaryComprehensionExpression: 'a dictionary comprehension',
    SetExpression: 'a set',
    FormatString: 'an f-string',
    AwaitExpression: 'await',
  };
  return words[name] ?? (name === '⚠' ? 'text the Python parser could not read' : name);
}
