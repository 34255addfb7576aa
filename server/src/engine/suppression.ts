// Comments that silence diagnostics:
//   `# ai8x-ignore IZ025 IZ031`        on the line it ends (no codes: every code on that line)
//   `# ai8x-ignore-next-line IZ222`    on the following line
//   `# ai8x-ignore-file IZ025`         everywhere in the file
import type { Diagnostic } from './diagnostic';
import type { YamlComment } from './yaml/yamlTree';
import { LineIndex } from './lineIndex';

const DIRECTIVE = /^\s*ai8x-ignore(-next-line|-file)?\b(.*)$/;

interface Rule {
  line: number | 'file';
  codes: Set<string> | null;
}

export function applySuppressions(diags: Diagnostic[], comments: readonly YamlComment[], lines: LineIndex): Diagnostic[] {
  const rules: Rule[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    const codes = m[2]
      .split(/[\s,]+/)
      .map((s) => s.trim().toUpperCase())
      .filter((s) => /^[A-Z]+\d+$/.test(s));
    const line = lines.lineOf(c.offset);
    rules.push({ line: m[1] === '-file' ? 'file' : m[1] === '-next-line' ? line + 1 : line, codes: codes.length ? new Set(codes) : null });
  }
  if (!rules.length) return diags;
  return diags.filter((d) => {
    const start = lines.lineOf(d.range[0]);
    const end = lines.lineOf(Math.max(d.range[0], d.range[1] - 1));
    return !rules.some((r) => (r.line === 'file' || (r.line >= start && r.line <= end)) && (r.codes === null || r.codes.has(d.code)));
  });
}
