// Which rule of the izer rule specification (../shared/spec/izer-rules.md) an izer message comes from: the
// specification's tables give each rule's message with `{x}` for substituted values; a message is matched to the
// rule whose message template it fits with the most literal text.
import * as fs from 'node:fs';
import { sharedDir } from './shared';

interface RuleTemplate {
  rule: number;
  pattern: RegExp;
  literal: number;
}

let templates: RuleTemplate[] | null = null;

/** Every rule's message templates, from the specification's tables (empty when the specification is absent). */
export function ruleTemplates(): RuleTemplate[] {
  if (templates) return templates;
  const file = sharedDir('spec', 'izer-rules.md');
  templates = [];
  if (!fs.existsSync(file)) return templates;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const cells = splitRow(line);
    if (!cells || !/^\d+$/.test(cells[0])) continue;
    const rule = Number(cells[0]);
    for (const span of codeSpans(cells[2] ?? '')) {
      const parts = span.split(/\{[^{}]*\}/);
      const literal = parts.join('').replace(/\s+/g, '').length;
      if (literal < 8) continue;
      const source = parts
        .map((p) =>
          p
            .trim()
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/\s+/g, '\\s+'),
        )
        .join('[\\s\\S]*?');
      templates.push({ rule, pattern: new RegExp(source), literal });
    }
  }
  return templates;
}

/** The rule an izer message (with or without its `ERROR: ` prefix) comes from, or null when none fits. */
export function ruleOfMessage(message: string): number | null {
  const text = message.replace(/^(ERROR|WARNING|NOTICE):\s*/, '');
  let best: RuleTemplate | null = null;
  for (const t of ruleTemplates()) if (t.pattern.test(text) && (!best || t.literal > best.literal)) best = t;
  return best ? best.rule : null;
}

/** The cells of a Markdown table row (pipes inside code spans do not split). */
function splitRow(line: string): string[] | null {
  if (!line.startsWith('|')) return null;
  const cells: string[] = [];
  let cur = '';
  let fence = 0;
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === '`') {
      let n = 0;
      while (line[i + n] === '`') n++;
      if (fence === 0) fence = n;
      else if (n === fence) fence = 0;
      cur += line.slice(i, i + n);
      i += n - 1;
    } else if (c === '|' && fence === 0) {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  return cells;
}

/** The contents of the Markdown code spans in a cell (runs of N backticks closed by N backticks). */
function codeSpans(cell: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < cell.length) {
    if (cell[i] !== '`') {
      i++;
      continue;
    }
    let n = 0;
    while (cell[i + n] === '`') n++;
    const open = i + n;
    let j = open;
    let close = -1;
    while (j < cell.length) {
      if (cell[j] === '`') {
        let m = 0;
        while (cell[j + m] === '`') m++;
        if (m === n) {
          close = j;
          break;
        }
        j += m;
      } else j++;
    }
    if (close < 0) break;
    let body = cell.slice(open, close);
    if (body.startsWith(' ') && body.endsWith(' ') && body.trim()) body = body.slice(1, -1);
    out.push(body);
    i = close + n;
  }
  return out;
}
