// Text edits as offset ranges of the original text: applying them, and the smallest edits that turn one text
// into another (line diff, then the changed part of each changed line), so fixes never touch comments or
// formatting they do not need to.
import type { Range } from './yaml/yamlTree';

export interface TextEditSpec {
  range: Range;
  newText: string;
}

/** Applies non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly TextEditSpec[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.range[0] < at) throw new Error('overlapping edits');
    out += text.slice(at, e.range[0]) + e.newText;
    at = e.range[1];
  }
  return out + text.slice(at);
}

/** An entry's whole line(s) when it stands alone on them; on a `- ` line, up to the next key (which moves up). */
export function removalRange(text: string, r: Range): Range {
  const lineStart = text.lastIndexOf('\n', r[0] - 1) + 1;
  const before = text.slice(lineStart, r[0]);
  let end = r[1];
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  const after = text.slice(end, lineEnd);
  if (!/^\s*(#.*)?\s*$/.test(after)) return r;
  if (/^\s*$/.test(before)) return [lineStart, lineEnd];
  if (/^\s*-\s+$/.test(before)) {
    const m = /^[ \t]*(?:\r?\n[ \t]*)*/.exec(text.slice(end));
    end += m ? m[0].length : 0;
    return [r[0], end];
  }
  return r;
}

export function editsOverlap(a: TextEditSpec, b: TextEditSpec): boolean {
  if (a.range[0] === a.range[1] && b.range[0] === b.range[1]) return a.range[0] === b.range[0];
  return a.range[0] < b.range[1] && b.range[0] < a.range[1];
}

function splitLines(text: string): { lines: string[]; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl + 1;
    starts.push(at);
    lines.push(text.slice(at, end));
    at = end;
  }
  starts.push(text.length);
  return { lines, starts };
}

/** The smallest edits (by line, then by character within a changed line) that turn `before` into `after`. */
export function minimalEdits(before: string, after: string): TextEditSpec[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  let pre = 0;
  while (pre < a.lines.length && pre < b.lines.length && a.lines[pre] === b.lines[pre]) pre++;
  let suf = 0;
  while (suf < a.lines.length - pre && suf < b.lines.length - pre && a.lines[a.lines.length - 1 - suf] === b.lines[b.lines.length - 1 - suf]) suf++;
  const A = a.lines.slice(pre, a.lines.length - suf);
  const B = b.lines.slice(pre, b.lines.length - suf);
  const edits: TextEditSpec[] = [];
  // Longest common subsequence of the middle lines (fixes change few lines; the middle stays small).
  const n = A.length;
  const m = B.length;
  if (n * m > 4_000_000) return [{ range: [a.starts[pre], a.starts[a.lines.length - suf]], newText: B.join('') }];
  const dp = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i * (m + 1) + j] = A[i] === B[j] ? dp[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(dp[(i + 1) * (m + 1) + j], dp[i * (m + 1) + j + 1]);
  let i = 0;
  let j = 0;
  const flush = (i0: number, i1: number, j0: number, j1: number) => {
    if (i0 === i1 && j0 === j1) return;
    const start = a.starts[pre + i0];
    const end = a.starts[pre + i1];
    if (i1 - i0 === j1 - j0) {
      for (let k = 0; k < i1 - i0; k++) edits.push(...lineEdit(A[i0 + k], B[j0 + k], a.starts[pre + i0 + k]));
    } else edits.push({ range: [start, end], newText: B.slice(j0, j1).join('') });
  };
  let i0 = 0;
  let j0 = 0;
  while (i < n || j < m) {
    if (i < n && j < m && A[i] === B[j]) {
      flush(i0, i, j0, j);
      i++;
      j++;
      i0 = i;
      j0 = j;
    } else if (j < m && (i === n || dp[i * (m + 1) + j + 1] >= dp[(i + 1) * (m + 1) + j])) j++;
    else i++;
  }
  flush(i0, n, j0, m);
  return edits;
}

function lineEdit(x: string, y: string, offset: number): TextEditSpec[] {
  if (x === y) return [];
  let p = 0;
  while (p < x.length && p < y.length && x[p] === y[p]) p++;
  let s = 0;
  while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
  // Keep whole tokens: widen to word boundaries so `0x00ff` → `0x0fff` is one readable replacement.
  while (p > 0 && /\w/.test(x[p - 1]) && /\w/.test(x[p] ?? '')) p--;
  while (s > 0 && /\w/.test(x[x.length - s]) && /\w/.test(x[x.length - s - 1] ?? '')) s--;
  return [{ range: [offset + p, offset + x.length - s], newText: y.slice(p, y.length - s) }];
}
