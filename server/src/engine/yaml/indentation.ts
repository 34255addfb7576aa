// A key or `- ` item indented wrongly: eemeli/yaml reports it in its own terms and often at the end of the line
// before ("Nested mappings are not allowed in compact mappings", "Sequence item without - indicator"). This pass
// follows the block structure line by line and names the first line whose indentation fits no open block, with
// the indentation of the line before (the likely meaning). It is asked only about text eemeli/yaml refused.
import type { Range } from './yamlTree';

export interface Misindentation {
  /** The line's indentation. */
  range: Range;
  /** The start of the structural line before it. */
  previousLine: number;
  lineEnd: number;
  expected: number;
  message: string;
}

interface Block {
  column: number;
  kind: 'map' | 'seq';
}

const ITEM = /^-(?:[ \t]+|$)/;
/** A line that is a key: `key:` at its end or followed by a space (not a scalar continuing from the line before). */
const KEY = /^(?:"[^"]*"|'[^']*'|[^\s#'"][^#]*?)[ \t]*:(?:[ \t]|$)/;

export function findMisindentation(text: string): Misindentation | null {
  const stack: Block[] = [];
  let opens = true;
  let previous: { start: number; keyColumn: number } | null = null;
  let itemColumn: number | null = null;
  let blockScalarAbove: number | null = null;
  let flowDepth = 0;
  let quote: '"' | "'" | null = null;
  for (const { start, end, indent, content } of linesOf(text)) {
    const blank = !content.trim();
    if (blockScalarAbove !== null && (blank || indent > blockScalarAbove)) {
      continue;
    }
    blockScalarAbove = null;
    const continued = quote !== null || flowDepth > 0;
    ({ quote, flowDepth } = scanLine(content, quote, flowDepth));
    if (continued || blank || content.startsWith('#') || content.startsWith('%')) {
      continue;
    }
    if (content.startsWith('? ') || content === '?') return null;
    if (content.startsWith('---') || content.startsWith('...')) {
      stack.length = 0;
      opens = true;
      previous = null;
      continue;
    }
    const item = ITEM.test(content);
    const key = KEY.test(content);
    let top = stack.at(-1);
    if (opens && (!top || indent > top.column || (item && indent === top.column && top.kind === 'map'))) {
      // The first line of a block under the line before (a list may sit at its key's own column).
      stack.push({ column: indent, kind: item ? 'seq' : 'map' });
    } else {
      while (stack.length && stack[stack.length - 1].column > indent) stack.pop();
      top = stack.at(-1);
      if (top && top.column === indent && top.kind === 'seq' && !item) stack.pop();
      top = stack.at(-1);
      if (!(top && top.column === indent && top.kind === (item ? 'seq' : 'map'))) {
        if (!key && !item && top && indent > top.column) {
          // A plain scalar going on at a deeper line.
          continue;
        }
        const expected = item && itemColumn !== null ? itemColumn : (previous?.keyColumn ?? 0);
        const what = item ? 'item' : 'key';
        return {
          range: [start, start + indent],
          previousLine: previous?.start ?? start,
          lineEnd: end,
          expected,
          message: `This ${what} is indented by ${indent} space${indent === 1 ? '' : 's'}, which fits no mapping or list it could belong to; the ${
            item ? 'items before it start' : 'keys of the line before start'
          } at column ${expected + 1}`,
        };
      }
    }
    // `- - key: v`: each further dash opens a list, and the key after the dashes a mapping.
    let column = indent;
    let rest = content;
    for (let m = ITEM.exec(rest); m; m = ITEM.exec(rest)) {
      if (stack[stack.length - 1].column < column) stack.push({ column, kind: 'seq' });
      itemColumn = column;
      column += m[0].length;
      rest = rest.slice(m[0].length);
    }
    const keyHere = !!rest && KEY.test(rest);
    if (keyHere && column > indent) stack.push({ column, kind: 'map' });
    previous = { start, keyColumn: column };
    const value = (keyHere ? rest.replace(KEY, '') : rest).trim();
    opens = !rest || (keyHere && /^(?:[&!]\S*\s*)*(?:#.*)?$/.test(value));
    if (/^(?:[&!]\S*\s+)*[|>][0-9+-]*\s*(?:#.*)?$/.test(value)) blockScalarAbove = indent;
  }
  return null;
}

/** Each line: where it starts and ends, its indentation (spaces) and the rest (without a CR before the LF). */
function* linesOf(text: string): Generator<{ start: number; end: number; indent: number; content: string }> {
  for (let start = 0; start < text.length;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end);
    const indent = /^ */.exec(line)![0].length;
    yield { start, end, indent, content: line.slice(indent).replace(/\r$/, '') };
    start = nl < 0 ? text.length : nl + 1;
  }
}

/** Quotes and flow brackets left open at the end of a line's content. */
function scanLine(content: string, quote: '"' | "'" | null, flowDepth: number): { quote: '"' | "'" | null; flowDepth: number } {
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = null;
    } else if (quote === "'") {
      if (c === "'" && content[i + 1] === "'") i++;
      else if (c === "'") quote = null;
    } else if (c === '#' && (i === 0 || /\s/.test(content[i - 1]))) break;
    else if ((c === '"' || c === "'") && (i === 0 || /[\s,[{:]/.test(content[i - 1]))) quote = c;
    else if ((c === '[' || c === '{') && startsToken(content, i, flowDepth)) flowDepth++;
    else if ((c === ']' || c === '}') && flowDepth > 0) flowDepth--;
  }
  return { quote, flowDepth };
}

/** A bracket opens a flow collection where a value starts: first on the line, after `[`, `{`, `,` or `: `, `- `, `? `. */
function startsToken(content: string, at: number, flowDepth: number): boolean {
  let i = at - 1;
  while (i >= 0 && content[i] === ' ') i--;
  if (i < 0) return true;
  const before = content[i];
  if (before === '[' || before === '{' || (before === ',' && flowDepth > 0)) return true;
  return i < at - 1 && (before === ':' || before === '-' || before === '?');
}

export interface FlowUnderIndent {
  /** Start of the line that opens the flow collection, and the end of the line that closes it. */
  from: number;
  to: number;
  /** The opening line's indentation: eemeli/yaml wants the lines after it indented more. */
  indent: number;
  /** The lines after it indented no more (start offset and indentation of each). */
  lines: { start: number; indent: number }[];
}

/**
 * The first flow collection (`[…]`, `{…}`) that goes on at lines indented no more than the line that opens it.
 * PyYAML reads that; eemeli/yaml, following YAML 1.2, ends the collection there. Null when there is none, or when
 * the collection is never closed (then both refuse the file).
 */
export function findUnderIndentedFlow(text: string): FlowUnderIndent | null {
  let flowDepth = 0;
  let quote: '"' | "'" | null = null;
  let open: FlowUnderIndent | null = null;
  for (const { start, end, indent, content } of linesOf(text)) {
    if (flowDepth > 0 && quote === null && open && content.trim() && !content.startsWith('#') && indent <= open.indent) open.lines.push({ start, indent });
    const wasOpen = flowDepth > 0;
    ({ quote, flowDepth } = scanLine(content, quote, flowDepth));
    if (!wasOpen && flowDepth > 0) open = { from: start, to: end, indent, lines: [] };
    if (wasOpen && flowDepth === 0 && open) {
      open.to = end;
      if (open.lines.length) return open;
      open = null;
    }
  }
  return null;
}
