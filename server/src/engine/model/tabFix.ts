// The fix for the tabs PyYAML refuses. Between tokens a tab becomes a space, and at the end of a line it goes
// (yamllint refuses trailing spaces). Where tabs indent a line, the indentation is rewritten: in a file indented
// with tabs, two spaces per tab (the indentation step of ai8x-synthesis's networks); where a tab slipped into a
// file indented with spaces, the line lines up with the keys of the line before it (a `- ` item with the item before).
import type { TextEditSpec } from '../textEdits';

export function tabFixEdits(text: string, tabs: readonly number[]): TextEditSpec[] {
  const lines = linesOf(text);
  const indented = lines.filter((l) => l.indent.length > 0 && l.content);
  const tabStyle = indented.filter((l) => l.indent.includes('\t')).length * 2 > indented.length;
  const edits: TextEditSpec[] = [];
  const tabSet = new Set(tabs);
  let keyColumn = 0;
  let itemColumn: number | null = null;
  for (const line of lines) {
    const indentEnd = line.start + line.indent.length;
    let indent = line.indent;
    if (line.content && line.indent.includes('\t') && tabs.some((t) => t >= line.start && t < indentEnd)) {
      const item = /^-(?:[ \t]|$)/.test(line.content);
      indent = tabStyle ? line.indent.replace(/\t/g, '  ') : ' '.repeat(item && itemColumn !== null ? itemColumn : keyColumn);
      edits.push({ range: [line.start, indentEnd], newText: indent });
    }
    for (let at = text.indexOf('\t', indentEnd); at >= 0 && at < line.end; at = text.indexOf('\t', at + 1)) {
      if (!tabSet.has(at)) continue;
      edits.push({ range: [at, at + 1], newText: /^[ \t\r]*$/.test(text.slice(at + 1, line.end)) ? '' : ' ' });
    }
    if (line.content && !line.content.startsWith('#')) {
      keyColumn = indent.length + (/^(?:-[ \t]+)*/.exec(line.content)?.[0].length ?? 0);
      if (/^-(?:[ \t]|$)/.test(line.content)) itemColumn = indent.length;
    }
  }
  return edits;
}

interface Line {
  start: number;
  end: number;
  indent: string;
  /** The line after its indentation ('' for a blank line). */
  content: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  for (let start = 0; start <= text.length;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end);
    const indent = /^[ \t]*/.exec(line)![0];
    out.push({ start, end, indent, content: line.slice(indent.length).trimEnd() });
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}
