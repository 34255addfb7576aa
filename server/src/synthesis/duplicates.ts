// izer's copy of a finding we already show: izer stops at its first error, and with live errors in the file that
// error is almost always one of ours, placed by izer's words on a line of its choosing (another key, the previous
// layer). Such a copy is marked as a duplicate of ours, so the editor shows one problem for one mistake.
import type { Diagnostic } from '../engine/diagnostic';
import type { LineIndex } from '../engine/lineIndex';
import { SYNTHESIS_CODES } from './mapToYaml';

const overlaps = (a: Diagnostic['range'], b: Diagnostic['range']) => a[0] <= b[1] && b[0] <= a[1];

/**
 * Marks each of izer's diagnostics (from mapIzerMessages) that repeats one of `ours` (the live check of the same
 * text): yamllint findings on the same line as our YL finding; izer's errors and warnings on the same layer as one
 * of ours of that severity (or the layer next to it: izer sometimes names the previous one); file-level ones on
 * the same range. The others are izer's own news and stay.
 */
export function markIzerDuplicates(izer: readonly Diagnostic[], ours: readonly Diagnostic[], lines: LineIndex): Diagnostic[] {
  const line = (d: Diagnostic) => lines.lineOf(d.range[0]);
  return izer.map((d) => {
    let same: Diagnostic | undefined;
    if (d.code === SYNTHESIS_CODES.yamllint) {
      same = ours.find((o) => o.code.startsWith('YL') && line(o) === line(d));
    } else if (d.code === SYNTHESIS_CODES.izerError || d.code === SYNTHESIS_CODES.izerCrash || d.code === SYNTHESIS_CODES.izerWarning) {
      const severity = d.code === SYNTHESIS_CODES.izerWarning ? 'warning' : 'error';
      const candidates = ours.filter((o) => o.severity === severity && !o.code.startsWith('YL'));
      same =
        d.layer === null
          ? candidates.find((o) => o.layer === null && (overlaps(o.range, d.range) || line(o) === line(d)))
          : (candidates.find((o) => o.layer === d.layer) ?? candidates.find((o) => o.layer !== null && Math.abs(o.layer - d.layer!) === 1));
    }
    return same ? { ...d, duplicateOf: { code: same.code, range: same.range, message: same.message } } : d;
  });
}
