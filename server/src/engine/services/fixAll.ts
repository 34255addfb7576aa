// "Fix all" for a network file: the preferred fix of every fixable diagnostic plus the normal form of every
// mask, applied in rounds (a fix can reveal or settle another: a corrected count moves the next layer's
// expectation), re-checking between rounds. The result is returned as the smallest edits from the original
// text, and only when it leaves fewer errors than before.
import type { CheckResult } from '../check';
import { fixesFor, maskFormFixes, OFFSET_CODES, Recheck } from './quickFixes';
import { applyEdits, editsOverlap, minimalEdits, TextEditSpec } from '../textEdits';

const MAX_ROUNDS = 6;

export interface FixAllResult {
  edits: TextEditSpec[];
  /** Titles of the fixes applied, in order. */
  applied: string[];
  text: string;
  result: CheckResult;
}

const problems = (r: CheckResult) => r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').length;
const errors = (r: CheckResult) => r.diagnostics.filter((d) => d.severity === 'error').length;
const errorKeys = (r: CheckResult) => new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}@${d.layer}`));

export function fixAll(result: CheckResult, recheck: Recheck): FixAllResult | null {
  const original = result.lines.text;
  let text = original;
  let current = result;
  const applied: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const chosen: TextEditSpec[] = [];
    const titles: string[] = [];
    let repairs = 0;
    const take = (edits: TextEditSpec[], title: string, repair = true) => {
      if (!edits.length || edits.some((e) => chosen.some((c) => editsOverlap(c, e)))) return;
      chosen.push(...edits);
      titles.push(title);
      if (repair) repairs++;
    };
    // Offsets interact (moving one output moves the next layer's input): one offset fix per round.
    let offsetTaken = false;
    for (const d of current.diagnostics) {
      if (d.severity === 'information') continue;
      const isOffset = OFFSET_CODES.has(d.code);
      if (isOffset && offsetTaken) continue;
      const best = fixesFor(current, d, recheck)[0];
      if (!best) continue;
      const n = chosen.length;
      take(best.edits, best.title);
      if (isOffset && chosen.length > n) offsetTaken = true;
    }
    for (const f of maskFormFixes(current, [0, text.length])) take(f.edits, f.title, false);
    if (!chosen.length) break;
    const next = applyEdits(text, chosen);
    if (next === text) break;
    const r = recheck(next);
    // Repairs must leave fewer problems (a fix that trades one error for another is no fix); clean-ups alone
    // must not add any. Otherwise the repair stops where it was.
    const same = errors(r) === errors(current) && [...errorKeys(r)].every((k) => errorKeys(current).has(k));
    const better = errors(r) < errors(current) || (same && problems(r) < problems(current));
    const harmless = errors(r) <= errors(current) && problems(r) <= problems(current);
    if (repairs > 0 ? !better : !harmless) break;
    text = next;
    current = r;
    applied.push(...titles);
  }
  if (text === original || errors(current) > errors(result)) return null;
  return { edits: minimalEdits(original, text), applied, text, result: current };
}
