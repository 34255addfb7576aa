// Which rule of the izer rule specification (../shared/spec/izer-rules.md) an izer message comes from: the
// specification's tables give each rule's message with `{x}` for substituted values and `word(s)` where izer picks
// the singular or the plural; a message is matched to the rule whose message template it fits with the most literal
// text.
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
      const literal = parts
        .join('')
        .replace(/(?<=[A-Za-z])\((s|es)\)/g, '')
        .replace(/\s+/g, '').length;
      if (literal < 8) continue;
      const source = parts
        .map((p) =>
          p
            .trim()
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/\s+/g, '\\s+')
            // `channel(s)`, `pass(es)`: izer writes the singular or the plural (or, in a few messages, `(s)` itself).
            .replace(/(?<=[A-Za-z])\\\((s|es)\\\)/g, '(?:$1|\\($1\\))?'),
        )
        .join('[\\s\\S]*?');
      templates.push({ rule, pattern: new RegExp(source), literal });
    }
  }
  return templates;
}

/**
 * Rules whose messages share one template (``Unknown value "{value}" for `{key}` ``): the key izer names tells them
 * apart (#27 the activation, #29 the operation).
 */
const SAME_TEMPLATE_BY_KEY: { rule: number; key: RegExp }[] = [
  { rule: 27, key: /for `(activate|activation)`/ },
  { rule: 29, key: /for `(op|operation|operator|convolution)`/ },
];

/** The rule an izer message (with or without its `ERROR: ` prefix) comes from, or null when none fits or it is ambiguous. */
export function ruleOfMessage(message: string): number | null {
  const text = message.replace(/^(ERROR|WARNING|NOTICE):\s*/, '');
  let best: RuleTemplate[] = [];
  for (const t of ruleTemplates()) {
    if (!t.pattern.test(text)) continue;
    if (!best.length || t.literal > best[0].literal) best = [t];
    else if (t.literal === best[0].literal) best.push(t);
  }
  const rules = [...new Set(best.map((t) => t.rule))];
  if (rules.length <= 1) return rules[0] ?? null;
  const byKey = SAME_TEMPLATE_BY_KEY.filter((x) => rules.includes(x.rule) && x.key.test(text));
  return byKey.length === 1 ? byKey[0].rule : null;
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
