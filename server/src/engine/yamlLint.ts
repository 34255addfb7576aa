// The yamllint rules izer enforces, checked live. izer runs `yamllint <file>` in the ai8x-synthesis folder before
// it reads a network, with that repository's .yamllint (`extends: default`, `line-length: {max: 1024}`,
// `new-lines: {type: platform}`, `new-line-at-end-of-file: enable`); every yamllint *error* stops izer, *warnings*
// are printed. Here are yamllint's default rules with those settings, with yamllint's lines, columns and words:
// trailing-spaces, new-line-at-end-of-file, new-lines, empty-lines, document-start, comments,
// comments-indentation, colons, commas, hyphens, brackets, braces, truthy, line-length and indentation (block
// collections under a key: sequences indented, one consistent step). key-duplicates is izer's own check already
// (IZ/YAML findings), and syntax errors are YAML001. izer's `--yamllint none` turns the step off.
import type { Diagnostic } from './diagnostic';
import type { LineIndex } from './lineIndex';
import { RULES, type YamllintRuleName } from './rules';
import type { Range, YamlTree, YNode } from './yaml/yamlTree';

export interface YamlLintOptions {
  /** The newline yamllint's `new-lines: {type: platform}` expects where izer runs. */
  newline?: '\n' | '\r\n';
}

/** yamllint rule → its catalogue entry: our code, yamllint's level under ai8x-synthesis's .yamllint, our severity. */
const YAMLLINT_RULES = new Map(RULES.flatMap((r) => (r.yamllint ? [[r.yamllint.rule, r] as const] : [])));

const TRUTHY = new Set(['YES', 'Yes', 'yes', 'NO', 'No', 'no', 'TRUE', 'True', 'true', 'FALSE', 'False', 'false', 'ON', 'On', 'on', 'OFF', 'Off', 'off']);
const ALLOWED_TRUTHY = new Set(['true', 'false']);
const MAX_LINE = 1024;

/** One finding as yamllint prints it (1-based line and column), with the range we show and a fix when obvious. */
export interface LintFinding {
  rule: YamllintRuleName;
  line: number;
  column: number;
  message: string;
  range: Range;
  fix?: { range: Range; newText: string; title: string };
}

type TokenKind = 'scalar' | '-' | ':' | ',' | '[' | ']' | '{' | '}' | '?' | '---' | '...';
interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  line: number;
  col: number;
}

/** Line starts and ends (end excludes the line break), as yamllint's line iterator sees them. */
function linesOf(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push({ start, end: i > start && text[i - 1] === '\r' ? i - 1 : i });
      start = i + 1;
    }
  }
  if (start < text.length) out.push({ start, end: text.length });
  return out;
}

/**
 * The tokens yamllint's token rules look at, from a small scanner for the block and flow YAML of network files
 * (quoted scalars skipped whole, comments and block scalars left out).
 */
function scan(text: string, lines: LineIndex, comments: ReadonlySet<number>): Token[] {
  const tokens: Token[] = [];
  const push = (kind: TokenKind, start: number, end: number) => {
    const p = lines.position(start);
    tokens.push({ kind, start, end, line: p.line, col: p.character });
  };
  let i = 0;
  let flow = 0;
  let atLineStart = true;
  let blockScalarIndent: number | null = null;
  const n = text.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
  const isBreak = (c: string | undefined) => c === undefined || c === '\n' || c === '\r';
  const isBlank = (c: string | undefined) => isSpace(c) || isBreak(c);
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      i++;
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      // Indentation; inside a block scalar, lines indented more than its parent belong to it.
      let j = i;
      while (j < n && text[j] === ' ') j++;
      if (blockScalarIndent !== null) {
        const blank = isBreak(text[j]);
        if (blank || j - i > blockScalarIndent) {
          while (i < n && text[i] !== '\n') i++;
          continue;
        }
        blockScalarIndent = null;
      }
      atLineStart = false;
      if (flow === 0 && j - i === 0 && (text.startsWith('---', j) || text.startsWith('...', j)) && isBlank(text[j + 3])) {
        push(text[j] === '-' ? '---' : '...', j, j + 3);
        i = j + 3;
        continue;
      }
      i = j;
      continue;
    }
    if (isSpace(c) || c === '\r') {
      i++;
      continue;
    }
    if (c === '#' && comments.has(i)) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (flow === 0 && c === '-' && isBlank(text[i + 1])) {
      push('-', i, i + 1);
      i++;
      continue;
    }
    if (c === '?' && isBlank(text[i + 1])) {
      push('?', i, i + 1);
      i++;
      continue;
    }
    if (c === ':' && (isBlank(text[i + 1]) || (flow > 0 && /[,\]}]/.test(text[i + 1] ?? '')))) {
      push(':', i, i + 1);
      i++;
      continue;
    }
    if (c === '[' || c === '{') {
      flow++;
      push(c, i, i + 1);
      i++;
      continue;
    }
    if ((c === ']' || c === '}') && flow > 0) {
      flow--;
      push(c, i, i + 1);
      i++;
      continue;
    }
    if (c === ',' && flow > 0) {
      push(',', i, i + 1);
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      i++;
      while (i < n) {
        if (c === "'" && text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (c === '"' && text[i] === '\\') i += 2;
        else if (text[i] === c) break;
        else i++;
      }
      i = Math.min(n, i + 1);
      push('scalar', start, i);
      continue;
    }
    if (flow === 0 && (c === '|' || c === '>')) {
      // A block scalar: its lines are content until the indentation drops back.
      const ls = lines.lineStart(lines.lineOf(i));
      let ind = 0;
      while (text[ls + ind] === ' ') ind++;
      push('scalar', i, i + 1);
      blockScalarIndent = ind;
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    // A plain scalar: up to ": ", " #", the line end, and in flow context , ] }.
    const start = i;
    let end = i;
    while (i < n && !isBreak(text[i])) {
      const ch = text[i];
      if (ch === ':' && (isBlank(text[i + 1]) || (flow > 0 && /[,\]}]/.test(text[i + 1] ?? '')))) break;
      if (ch === '#' && comments.has(i)) break;
      if (flow > 0 && /[,\]}[{]/.test(ch)) break;
      i++;
      if (!isSpace(ch)) end = i;
    }
    push('scalar', start, end);
    i = end;
  }
  return tokens;
}

const lineOfOffset = (lines: LineIndex, offset: number) => lines.lineOf(offset);

export function yamlLint(tree: YamlTree, lines: LineIndex, opts: YamlLintOptions = {}): LintFinding[] {
  const text = tree.text;
  const out: LintFinding[] = [];
  const at = (rule: YamllintRuleName, line0: number, col1: number, message: string, range?: Range, fix?: LintFinding['fix']) => {
    const off = lines.lineStart(line0) + Math.max(0, col1 - 1);
    out.push({ rule, line: line0 + 1, column: col1, message, range: range ?? [off, Math.min(text.length, off + 1)], fix });
  };
  const ls = linesOf(text);
  const newline = opts.newline ?? '\n';

  // new-lines: yamllint looks at the first line break only.
  if (ls.length && ls[0].end < text.length) {
    const crlf = text[ls[0].end] === '\r';
    if (newline === '\n' && crlf) at('new-lines', 0, ls[0].end - ls[0].start + 1, 'wrong new line character: expected \\n');
    if (newline === '\r\n' && !crlf) at('new-lines', 0, ls[0].end - ls[0].start + 1, 'wrong new line character: expected \\r\\n');
  }

  ls.forEach((l, k) => {
    // trailing-spaces
    let p = l.end;
    while (p > l.start && (text[p - 1] === ' ' || text[p - 1] === '\t')) p--;
    if (p !== l.end)
      at('trailing-spaces', k, p - l.start + 1, 'trailing spaces', [p, l.end], { range: [p, l.end], newText: '', title: 'Remove the trailing spaces' });
    // line-length (long words without spaces are allowed, as yamllint's allow-non-breakable-words)
    if (l.end - l.start > MAX_LINE) {
      const body = text
        .slice(l.start, l.end)
        .trim()
        .replace(/^(- |#\s*)+/, '');
      if (/\s/.test(body)) at('line-length', k, MAX_LINE + 1, `line too long (${l.end - l.start} > ${MAX_LINE} characters)`, [l.start + MAX_LINE, l.end]);
    }
    // empty-lines: max 2, max-start 0, max-end 0; reported at the last empty line of a run.
    if (l.start === l.end && l.end < text.length) {
      const next = text.slice(l.end, l.end + 2) === '\n\n' || text.slice(l.end, l.end + 4) === '\r\n\r\n';
      if (!next) {
        let blank = 0;
        let s = l.start;
        while (s >= 2 && text.slice(s - 2, s) === '\r\n') {
          blank++;
          s -= 2;
        }
        while (s >= 1 && text[s - 1] === '\n') {
          blank++;
          s--;
        }
        let max = 2;
        if (s === 0) {
          blank++;
          max = 0;
        }
        const atEnd = (l.end === text.length - 1 && text[l.end] === '\n') || (l.end === text.length - 2 && text.slice(l.end) === '\r\n');
        if (atEnd && l.end !== 0) max = 0;
        if (blank > max) {
          const from = s === 0 ? 0 : s;
          at('empty-lines', k, 1, `too many blank lines (${blank} > ${max})`, [l.start, l.start], {
            range: [from, l.end + (atEnd ? 1 : 0)],
            newText: s === 0 || atEnd ? '' : '\n'.repeat(max),
            title: 'Remove the extra blank lines',
          });
        }
      }
    }
  });
  // new-line-at-end-of-file
  if (text.length && text[text.length - 1] !== '\n') {
    const last = ls.length - 1;
    at('new-line-at-end-of-file', last, ls[last].end - ls[last].start + 1, 'no new line character at the end of file', [text.length, text.length], {
      range: [text.length, text.length],
      newText: '\n',
      title: 'Add a line break at the end of the file',
    });
  }

  const commentStarts = new Set(tree.comments.map((c) => c.offset));
  const tokens = scan(text, lines, commentStarts);

  // document-start: the first token must be `---`.
  if (tokens.length && tokens[0].kind !== '---') {
    const t = tokens[0];
    at('document-start', t.line, t.col + 1, 'missing document start "---"', [t.start, t.end], {
      range: [0, 0],
      newText: '---\n',
      title: 'Add "---" at the top',
    });
  }

  // Token rules: colons, commas, hyphens, brackets, braces.
  const sameLine = (a: Token, b: Token | undefined): b is Token => !!b && b.line === a.line;
  tokens.forEach((t, k) => {
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    const after = (rule: YamllintRuleName, max: number, min: number, maxText: string, minText: string) => {
      if (!sameLine(t, next)) return;
      const spaces = next.start - t.end;
      if (max >= 0 && spaces > max) at(rule, t.line, next.col, maxText, [t.end, next.start]);
      else if (min >= 0 && spaces < min) at(rule, t.line, next.col + 1, minText, [t.end, next.start]);
    };
    const before = (rule: YamllintRuleName, max: number, maxText: string) => {
      if (!sameLine(t, prev) || prev.kind === '---') return;
      const spaces = t.start - prev.end;
      if (spaces > max) at(rule, t.line, t.col, maxText, [prev.end, t.start]);
    };
    switch (t.kind) {
      case ':':
        before('colons', 0, 'too many spaces before colon');
        after('colons', 1, -1, 'too many spaces after colon', '');
        break;
      case ',':
        before('commas', 0, 'too many spaces before comma');
        after('commas', 1, 1, 'too many spaces after comma', 'too few spaces after comma');
        break;
      case '-':
        after('hyphens', 1, -1, 'too many spaces after hyphen', '');
        break;
      case '[':
      case '{': {
        const rule = t.kind === '[' ? 'brackets' : 'braces';
        const what = t.kind === '[' ? 'brackets' : 'braces';
        const empty = next && next.kind === (t.kind === '[' ? ']' : '}');
        after(rule, 0, 0, `too many spaces inside ${empty ? 'empty ' : ''}${what}`, `too few spaces inside ${empty ? 'empty ' : ''}${what}`);
        break;
      }
      case ']':
      case '}': {
        if (prev && prev.kind === (t.kind === ']' ? '[' : '{')) break;
        before(t.kind === ']' ? 'brackets' : 'braces', 0, `too many spaces inside ${t.kind === ']' ? 'brackets' : 'braces'}`);
        break;
      }
      default:
        break;
    }
  });

  // comments: a space after `#`, two spaces before an inline comment; comments-indentation.
  const lastTokenBefore = (offset: number): Token | undefined => {
    let lo = 0;
    let hi = tokens.length - 1;
    let best: Token | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid].end <= offset) {
        best = tokens[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  };
  const firstTokenAfter = (offset: number): Token | undefined => tokens.find((t) => t.start > offset);
  const lineIndent = (line0: number) => {
    const s = lines.lineStart(line0);
    let j = s;
    while (text[j] === ' ') j++;
    return j - s;
  };
  // yamllint's comment_before: the previous comment between the same two tokens.
  let previousComment: { line: number; col: number; inline: boolean; before: Token | undefined } | null = null;
  for (const c of tree.comments) {
    const pos = lines.position(c.offset);
    const before = lastTokenBefore(c.offset);
    const inline = !!before && before.line === pos.line;
    // require-starting-space
    let j = c.offset + 1;
    const first = text[j];
    const shebang = pos.line === 0 && pos.character === 0 && /^!\S/.test(text.slice(j));
    if (first !== undefined && first !== ' ' && first !== '\n' && first !== '\r' && !shebang) {
      while (j < text.length && text[j] === '#') j++;
      if (j < text.length && text[j] !== ' ' && text[j] !== '\r' && text[j] !== '\n')
        at('comments', pos.line, pos.character + 1 + (j - c.offset), 'missing starting space in comment', [c.offset, j + 1], {
          range: [j, j],
          newText: ' ',
          title: 'Add a space after #',
        });
    }
    // min-spaces-from-content: 2
    if (inline && c.offset - before!.end < 2) at('comments', pos.line, pos.character + 1, 'too few spaces before comment', [before!.end, c.offset + 1]);
    // comments-indentation (block comments only)
    if (!inline) {
      const after = firstTokenAfter(c.offset);
      const nextIndent = after ? after.col : 0;
      let prevIndent = before ? lineIndent(before.line) : 0;
      if (prevIndent <= nextIndent) prevIndent = nextIndent;
      if (previousComment && previousComment.before === before && !previousComment.inline) prevIndent = previousComment.col;
      if (pos.character !== prevIndent && pos.character !== nextIndent)
        at('comments-indentation', pos.line, pos.character + 1, 'comment not indented like content', [c.offset, c.offset + 1 + c.text.length]);
    }
    previousComment = { line: pos.line, col: pos.character, inline, before };
  }

  // truthy: plain YAML 1.1 booleans other than true/false, keys included.
  const visit = (node: YNode | null | undefined) => {
    if (!node) return;
    if (node.type === 'scalar') {
      if (!node.quoted && TRUTHY.has(node.text) && !ALLOWED_TRUTHY.has(node.text)) {
        const p = lines.position(node.range[0]);
        const lower = node.text.toLowerCase();
        const value = lower === 'yes' || lower === 'true' || lower === 'on' ? 'true' : 'false';
        at('truthy', p.line, p.character + 1, 'truthy value should be one of [false, true]', node.range, {
          range: node.range,
          newText: value,
          title: `Write \`${value}\``,
        });
      }
      return;
    }
    if (node.type === 'seq') for (const x of node.items) visit(x);
    else
      for (const e of node.entries) {
        visit(e.key);
        visit(e.value);
      }
  };
  visit(tree.root);

  out.push(...indentation(tree, lines, text));
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * yamllint's indentation rule (spaces: consistent, indent-sequences: true) for block collections that start on the
 * line after their key: a sequence must be indented under its key, and every such step is the document's first.
 */
function indentation(tree: YamlTree, lines: LineIndex, text: string): LintFinding[] {
  const out: LintFinding[] = [];
  let spaces: number | null = null;
  const col = (offset: number) => lines.position(offset).character;
  const firstCol = (node: YNode): number | null => {
    if (node.type === 'scalar') return null;
    if ((node as { flow?: boolean }).flow) return null;
    // A block sequence's range starts at its first `-`; a mapping's at its first key.
    return col(node.range[0]);
  };
  const visit = (node: YNode | null | undefined, parentCol: number) => {
    if (!node || node.type === 'scalar') return;
    if (node.type === 'seq') {
      for (const item of node.items) visit(item, col(item.range[0]));
      return;
    }
    for (const e of node.entries) {
      const v = e.value;
      if (!v || v.type === 'scalar' || (v as { flow?: boolean }).flow) {
        visit(v, parentCol);
        continue;
      }
      const keyLine = lineOfOffset(lines, e.key.range[0]);
      const valueLine = lineOfOffset(lines, v.range[0]);
      const c = firstCol(v);
      if (c === null || valueLine === keyLine) {
        visit(v, c ?? parentCol);
        continue;
      }
      const keyCol = col(e.key.range[0]);
      const found = c - keyCol;
      const start = lines.lineStart(valueLine);
      const problem = (message: string) => out.push({ rule: 'indentation', line: valueLine + 1, column: c + 1, message, range: [start, start + c + 1] });
      if (spaces === null) {
        // The first step sets the document's indentation; it must go right.
        if (found > 0) spaces = found;
        else problem(`wrong indentation: expected at least ${keyCol + 1}`);
      } else if (c !== keyCol + spaces) problem(`wrong indentation: expected ${keyCol + spaces} but found ${c}`);
      visit(v, c);
    }
  };
  visit(tree.root, 0);
  void text;
  return out;
}

/**
 * The findings as diagnostics: yamllint's words, our code, izer's consequence. izer lints only when yamllint is
 * installed (it is not in ai8x-synthesis's requirements), so a yamllint error is our warning and a yamllint
 * warning our information; the message says what izer does with it.
 */
export function yamlLintDiagnostics(tree: YamlTree, lines: LineIndex, opts: YamlLintOptions = {}): Diagnostic[] {
  return yamlLint(tree, lines, opts).map((f) => {
    const rule = YAMLLINT_RULES.get(f.rule);
    if (!rule?.yamllint) throw new Error(`yamllint rule ${f.rule} is not in the catalogue`);
    const tail = rule.yamllint.level === 'error' ? 'with yamllint installed, izer stops here' : 'with yamllint installed, izer prints it as a warning';
    const d: Diagnostic = {
      code: rule.code,
      severity: rule.severity,
      message: `${cap(f.message)} (yamllint ${f.rule}; ${tail}).`,
      range: f.range,
      layer: null,
    };
    if (f.fix) d.fix = { kind: 'replaceValue', range: f.fix.range, newText: f.fix.newText, title: f.fix.title };
    return d;
  });
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
