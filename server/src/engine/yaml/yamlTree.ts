// A small, source-ranged tree of the YAML document with PyYAML value semantics.
import { Parser, Composer, CST, Document, Lexer, isAlias, isMap, isPair, isScalar, isSeq, Node as YamlNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { PyScalar, constructTaggedScalar, resolvePlainScalar } from './pyyamlScalar';
import { findMisindentation, findUnderIndentedFlow } from './indentation';
import { LexemeScan } from './lexemeScan';
import { MERGE_KEY_PROBLEM, YamlNodeKind, shortTag, tagProblem } from './pyyamlTags';

export type Range = readonly [start: number, end: number];

export interface YScalar {
  type: 'scalar';
  range: Range;
  value: PyScalar;
  /** Source text of the scalar as written (without quotes for quoted scalars). */
  text: string;
  quoted: boolean;
}
export interface YSeq {
  type: 'seq';
  range: Range;
  items: YNode[];
  flow: boolean;
}
export interface YEntry {
  key: YNode;
  /** Key as a string the way Python would use it in a dict lookup (only scalar keys have one). */
  keyName: string | null;
  value: YNode | null;
  /** From the start of the key to the end of the value. */
  range: Range;
}
export interface YMap {
  type: 'map';
  range: Range;
  entries: YEntry[];
  flow: boolean;
}
export type YNode = YScalar | YSeq | YMap;

export interface YamlProblem {
  range: Range;
  message: string;
  code: string;
  /**
   * Where PyYAML stops: `read`, a character its reader refuses (it checks the text before parsing any of it);
   * `construct`, valid YAML it cannot build a value from (after parsing all of it); otherwise while parsing.
   */
  stage?: 'read' | 'construct';
  /** Edits that fix it, where they are clear. */
  replacement?: { edits: { range: Range; newText: string }[]; title: string };
  /** PyYAML reads this, but eemeli/yaml does not, so the file cannot be checked further. */
  izerReads?: true;
}

export interface YamlComment {
  /** Offset of the `#`. */
  offset: number;
  /** Comment text after the `#`. */
  text: string;
}

export interface YamlAnchor {
  /** Offset of the `&`. */
  offset: number;
  name: string;
}

export interface YamlTree {
  text: string;
  root: YNode | null;
  problems: YamlProblem[];
  comments: YamlComment[];
  anchors: YamlAnchor[];
  /** Offsets of the tabs PyYAML refuses (outside quoted and block scalars and comments). */
  tabs: number[];
  documentCount: number;
}

const MAX_ALIAS_EXPANSION = 10_000;
const OTHER_LINE_END = /\r(?!\n)|[\x85\u2028\u2029]/;
const OTHER_LINE_ENDS = new RegExp(OTHER_LINE_END.source, 'g');
/** What PyYAML's reader refuses: anything but tab, line ends, printable ASCII, NEL and the printable rest of Unicode. */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** `depth`: how many times the text was indented again to tell what lies past a flow collection (see below). */
export function parseYamlTree(text: string, depth = 0): YamlTree {
  // Line ends eemeli/yaml would not take for one: a lone CR (izer opens the file in Python's text mode, whose
  // universal newlines make it a line end) and NEL, LS and PS (line breaks to PyYAML, as in YAML 1.1). Each is
  // replaced by a LF, which keeps every offset.
  const src = OTHER_LINE_END.test(text) ? text.replace(OTHER_LINE_ENDS, '\n') : text;
  const problems: YamlProblem[] = [];
  const refused = NOT_PRINTABLE.exec(src);
  if (refused) {
    const code = refused[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    problems.push({
      range: [refused.index, refused.index + refused[0].length],
      message: `The character U+${code} is not allowed in a YAML file (PyYAML refuses control characters before it reads anything)`,
      code: 'NOT_PRINTABLE',
      stage: 'read',
    });
  }
  const scan = new LexemeScan(src);
  const cst = parseCst(src, scan);
  const { comments, anchors, tabs } = scan;
  problems.push(...scan.problems);
  // The failsafe schema leaves every untagged scalar a string: convertScalar resolves them from their text as PyYAML does,
  // so eemeli/yaml's own YAML 1.1 resolution of each scalar would be work thrown away.
  const docs = [
    ...new Composer({ version: '1.1', schema: 'failsafe', uniqueKeys: false, keepSourceTokens: false, strict: true }).compose(cst, true, src.length),
  ];
  let root: YNode | null = null;
  const tab = problems.find((p) => p.code === 'TAB');
  const composeProblems: YamlProblem[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      const start = Math.min(e.pos[0], src.length);
      // eemeli/yaml's own word on the tab PyYAML stops at ("Tabs are not allowed as indentation") would repeat it.
      if (tab && start === tab.range[0]) continue;
      composeProblems.push({ range: [start, Math.min(Math.max(e.pos[1], start), src.length)], message: cleanMessage(e.message), code: e.code });
    }
  }
  const realDocs = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  if (realDocs.length > 1) {
    const second = realDocs[1];
    const start = second.range ? second.range[0] : 0;
    problems.push({ range: [start, start], message: 'The file holds more than one YAML document; izer reads exactly one', code: 'MULTIPLE_DOCS' });
  }
  const readsOtherwise = [...scan.problems.filter((p) => p.izerReads), ...(composeProblems.length ? flowIndentation(src, composeProblems) : [])];
  const past = readsOtherwise.length ? readPast(src, readsOtherwise, depth) : null;
  if (past) return { text, root: null, problems: past.problems, comments, anchors, tabs: past.tabs, documentCount: realDocs.length };
  problems.push(...withIndentationNamed(src, composeProblems));
  if (docs.length > 0 && docs[0].contents) {
    const budget = { left: MAX_ALIAS_EXPANSION };
    root = convert(docs[0].contents as YamlNode, { src, doc: docs[0], budget, problems }, 0);
  }
  return { text, root, problems, comments, anchors, tabs, documentCount: realDocs.length };
}

/**
 * Where eemeli/yaml's first problem is a flow collection going on at lines indented no more than the line that
 * opens it, which PyYAML reads: a problem that says so, with the edits that indent those lines.
 */
function flowIndentation(src: string, found: YamlProblem[]): YamlProblem[] {
  const first = Math.min(...found.map((p) => p.range[0]));
  const flow = findUnderIndentedFlow(src);
  if (!flow || first < flow.lines[0].start || first > flow.to) return [];
  const [line] = flow.lines;
  const lineEnd = src.indexOf('\n', line.start);
  return [
    {
      range: [line.start, lineEnd < 0 ? src.length : lineEnd],
      message:
        'This flow collection goes on at a line indented no more than the line that opens it. PyYAML, and so izer, reads that; this checker follows YAML 1.2 and cannot, so it checks nothing further. Indent the lines after the first',
      code: 'FLOW_INDENT',
      izerReads: true,
      replacement: {
        edits: flow.lines.map((l) => ({ range: [l.start, l.start + l.indent] as Range, newText: ' '.repeat(flow.indent + 2) })),
        title: `Indent the collection's ${flow.lines.length === 1 ? 'line' : `${flow.lines.length} lines`} after the first`,
      },
    },
  ];
}

/**
 * Text PyYAML reads one way and eemeli/yaml another (`problems`, each with the edits that make the two agree):
 * whether izer reads the rest is told by the text read again with those edits, its problems mapped back to the
 * text as written; without any, the problems themselves stand (YAML004: izer reads it, this checker cannot).
 */
function readPast(src: string, problems: YamlProblem[], depth: number): { problems: YamlProblem[]; tabs: number[] } | null {
  if (depth >= 20) return null;
  const edits = problems.flatMap((p) => p.replacement?.edits ?? []).sort((x, y) => x.range[0] - y.range[0]);
  if (edits.some((e, i) => i > 0 && e.range[0] < edits[i - 1].range[1])) return null;
  const again = parseYamlTree(withEdits(src, edits), depth + 1);
  const back = (r: Range): Range => [backOffset(r[0], edits), backOffset(r[1], edits)];
  const tabs = again.tabs.map((t) => backOffset(t, edits));
  if (!again.problems.length) return { problems, tabs };
  return {
    problems: again.problems.map((p) => ({
      ...p,
      range: back(p.range),
      replacement: p.replacement && { ...p.replacement, edits: p.replacement.edits.map((e) => ({ range: back(e.range), newText: e.newText })) },
    })),
    tabs,
  };
}

/**
 * eemeli/yaml's problems, where a wrongly indented line explains the first of them (it lies on that line or the
 * next) replaced by one problem on that line that says so, with its fix.
 */
function withIndentationNamed(src: string, found: YamlProblem[]): YamlProblem[] {
  if (!found.length) return found;
  const first = Math.min(...found.map((p) => p.range[0]));
  const wrong = findMisindentation(src);
  if (!wrong) return found;
  const lineAfterFirst = src.indexOf('\n', src.indexOf('\n', first) + 1);
  if (wrong.range[0] > (lineAfterFirst < 0 ? src.length : lineAfterFirst)) return found;
  const named: YamlProblem = {
    range: wrong.range[0] === wrong.range[1] ? [wrong.range[0], wrong.lineEnd] : wrong.range,
    message: wrong.message,
    code: 'INDENT',
    replacement: { edits: [{ range: wrong.range, newText: ' '.repeat(wrong.expected) }], title: `Indent it to column ${wrong.expected + 1}` },
  };
  return [named, ...found.filter((p) => p.range[0] < wrong.previousLine || p.range[0] > wrong.lineEnd)];
}

function withEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.range[0]) + e.newText;
    at = e.range[1];
  }
  return out + text.slice(at);
}

/** Where an offset of the edited text lies in the text before the edits (sorted, non-overlapping). */
function backOffset(offset: number, edits: readonly { range: Range; newText: string }[]): number {
  let shift = 0;
  for (const e of edits) {
    const start = e.range[0] + shift;
    if (offset < start) break;
    if (offset < start + e.newText.length) return e.range[0];
    shift += e.newText.length - (e.range[1] - e.range[0]);
  }
  return offset - shift;
}

function cleanMessage(m: string): string {
  // eemeli/yaml appends " at line X, column Y" plus a code frame; ranges carry that information already.
  const cut = m.indexOf(' at line ');
  return (cut > 0 ? m.slice(0, cut) : m).split('\n')[0];
}

/** eemeli/yaml's lexer and parser, run as `Parser.parse` runs them, showing each lexeme to `scan` on the way. */
function parseCst(text: string, scan: LexemeScan): CST.Token[] {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    scan.next(lexeme, parser.offset);
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}

function rangeOf(n: YamlNode): Range {
  const r = n.range;
  return r ? [r[0], r[1]] : [0, 0];
}

interface Ctx {
  src: string;
  doc: Document.Parsed;
  budget: { left: number };
  problems: YamlProblem[];
}

function convert(n: YamlNode, ctx: Ctx, depth: number): YNode | null {
  const { budget, problems } = ctx;
  if (--budget.left < 0) {
    if (budget.left === -1)
      problems.push({ range: rangeOf(n), message: 'The YAML structure is too large (more than 10,000 nodes after expanding aliases)', code: 'TOO_LARGE' });
    return null;
  }
  if (depth > 200) {
    if (!problems.some((p) => p.code === 'TOO_DEEP'))
      problems.push({ range: rangeOf(n), message: 'The YAML structure is nested more than 200 levels deep', code: 'TOO_DEEP' });
    return null;
  }
  if (isAlias(n)) {
    const target = n.resolve(ctx.doc);
    if (!target) return null;
    const node = convert(target as YamlNode, ctx, depth + 1);
    return node ? { ...node, range: rangeOf(n) } : null;
  }
  if (isScalar(n)) return convertScalar(n, ctx);
  if (isMap(n)) {
    checkTag(n, 'map', ctx);
    return convertMap(n as YAMLMap<unknown, unknown>, ctx, depth);
  }
  if (isSeq(n)) {
    checkTag(n, 'seq', ctx);
    const seq = n as YAMLSeq<unknown>;
    const items: YNode[] = [];
    for (const it of seq.items) {
      const c = it && typeof it === 'object' ? convert(it as YamlNode, ctx, depth + 1) : null;
      if (c) items.push(c);
    }
    return { type: 'seq', range: rangeOf(n), items, flow: !!seq.flow };
  }
  return null;
}

function convertScalar(n: Scalar, ctx: Ctx): YScalar {
  const range = rangeOf(n);
  const quoted = !(n.type === 'PLAIN' || n.type === undefined);
  // eemeli/yaml sets `source` to the scalar's text: a plain scalar as written, a quoted one without its quotes.
  const text = typeof n.source === 'string' ? n.source : quoted ? String(n.value) : ctx.src.slice(range[0], range[1]).trim();
  const resolved = quoted ? { kind: 'str' as const, value: text } : resolvePlainScalar(text);
  if (!resolved && !n.tag) constructProblem(ctx, range, `PyYAML reads \`${text}\` as a number, which its constructor then cannot build`);
  let value: PyScalar = resolved ?? { kind: 'str', value: text };
  if (n.tag) {
    const tagged = checkTag(n, 'scalar', ctx) ? constructTaggedScalar(n.tag, text) : undefined;
    if (tagged === null)
      constructProblem(ctx, range, `${text ? `\`${text}\`` : 'An empty value'} is not a value PyYAML can read as ${shortTag(n.tag)} (the scalar's tag)`);
    // Tags PyYAML knows beyond these (`!!binary`, `!!timestamp`) give values no ai8x key takes; keep their text.
    value = tagged ?? { kind: 'str', value: typeof n.value === 'string' ? n.value : text };
  } else if (!quoted && text === '<<') constructProblem(ctx, range, MERGE_KEY_PROBLEM, 'MERGE_KEY');
  return { type: 'scalar', range, value, text, quoted };
}

/** False (and a problem) when izer's loader cannot construct a node of this kind with the node's tag. */
function checkTag(n: YamlNode, kind: YamlNodeKind, ctx: Ctx): boolean {
  const problem = n.tag ? tagProblem(n.tag, kind) : null;
  if (problem) constructProblem(ctx, rangeOf(n), problem, problem === MERGE_KEY_PROBLEM ? 'MERGE_KEY' : 'CONSTRUCT');
  return !problem;
}

function constructProblem(ctx: Ctx, range: Range, message: string, code = 'CONSTRUCT'): void {
  ctx.problems.push({ range, message, code, stage: 'construct' });
}

function convertMap(m: YAMLMap<unknown, unknown>, ctx: Ctx, depth: number): YMap {
  const entries: YEntry[] = [];
  for (const pair of m.items) {
    if (!isPair(pair)) continue;
    if (isImplicitEmptyKey(pair.key, ctx.src, !!m.flow)) {
      const at = ctx.src.indexOf(':', (pair.key as Scalar).range![0]);
      ctx.problems.push({
        range: [at, at + 1],
        message: 'A colon with no key before it: PyYAML stops here (an empty key needs `?` or an anchor)',
        code: 'EMPTY_KEY',
      });
    }
    const keyNode = pair.key && typeof pair.key === 'object' ? convert(pair.key as YamlNode, ctx, depth + 1) : null;
    if (!keyNode) continue;
    const valueNode = pair.value && typeof pair.value === 'object' ? convert(pair.value as YamlNode, ctx, depth + 1) : null;
    const end = valueNode ? valueNode.range[1] : keyNode.range[1];
    entries.push({ key: keyNode, keyName: keyNameOf(keyNode), value: valueNode, range: [keyNode.range[0], end] });
  }
  return { type: 'map', range: rangeOf(m), entries, flow: !!m.flow };
}

/** `: value` with nothing before the colon, which eemeli/yaml reads as a null key and PyYAML refuses. */
function isImplicitEmptyKey(key: unknown, src: string, flow: boolean): boolean {
  if (!isScalar(key) || key.source !== '' || key.anchor || key.tag || !key.range) return false;
  // The empty key's offset is the colon's, or the start of the space before it (in a flow collection, lines too;
  // in a block mapping, a line end before the colon means an explicit `?` key).
  let at = key.range[0];
  while (src[at] === ' ' || (flow && /\s/.test(src[at]))) at++;
  return src[at] === ':';
}

function keyNameOf(k: YNode): string | null {
  if (k.type !== 'scalar') return null;
  const v = k.value;
  switch (v.kind) {
    case 'str':
      return v.value;
    case 'int':
      return v.value.toString();
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'null':
      return 'None';
    case 'float':
      return String(v.value);
  }
}
