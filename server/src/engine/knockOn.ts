// Knock-on findings: one typo can make several problems (a misspelled `pool_stride` leaves the layer without its
// stride, so the next layers see the wrong shape, need other masks, and so on). Like rust-analyzer, we say which
// finding caused which: for every misspelled key or value with a did-you-mean, the network is checked again with the key
// spelled as suggested, and every finding that goes away then is a knock-on of the typo. Such findings say
// "because of …" in their message, point at the typo (related information), and carry the typo's fix instead of
// their own (a mask "fix" for a shape that comes from the typo would be wrong for the intended network).
import type { Diagnostic, KnockOnCause } from './diagnostic';
import type { LineIndex } from './lineIndex';
import type { Range } from './yaml/yamlTree';

/** At most this many typos are tried (one extra check each). */
const MAX_CAUSES = 4;

export interface CauseEdit {
  diagnostic: Diagnostic;
  range: Range;
  newText: string;
  what: 'key' | 'value';
}

/** Misspellings with a did-you-mean: keys (IZ014, IZ016) and values (an operation, a layer name). */
export function causeCandidates(items: readonly Diagnostic[]): CauseEdit[] {
  const out: CauseEdit[] = [];
  for (const d of items) {
    const f = d.fix;
    if (f?.kind === 'renameKey' && f.candidates.length) out.push({ diagnostic: d, range: f.range, newText: f.candidates[0], what: 'key' });
    else if (f?.kind === 'replaceValue' && f.typo) out.push({ diagnostic: d, range: f.range, newText: f.newText, what: 'value' });
    else continue;
    if (out.length >= MAX_CAUSES) break;
  }
  return out;
}

/** An offset of the original text in the text with `edit` applied. */
function shift(offset: number, edit: CauseEdit): number {
  if (offset <= edit.range[0]) return offset;
  if (offset >= edit.range[1]) return offset + edit.newText.length - (edit.range[1] - edit.range[0]);
  return edit.range[0];
}

const sameFinding = (a: Diagnostic, b: Diagnostic, edit: CauseEdit) =>
  a.code === b.code && a.layer === b.layer && shift(a.range[0], edit) === b.range[0] && shift(a.range[1], edit) === b.range[1];

/**
 * Marks the knock-on findings in `items` (in place). `recheck` returns the findings for a text (before suppression
 * comments apply, like `items`).
 */
export function linkKnockOnFindings(text: string, lines: LineIndex, items: Diagnostic[], recheck: (text: string) => readonly Diagnostic[]): void {
  const causes = causeCandidates(items);
  for (const cause of causes) {
    const fixed = text.slice(0, cause.range[0]) + cause.newText + text.slice(cause.range[1]);
    let after: readonly Diagnostic[];
    try {
      after = recheck(fixed);
    } catch {
      continue;
    }
    const typo = text.slice(cause.range[0], cause.range[1]);
    const line = lines.lineOf(cause.range[0]) + 1;
    const info: KnockOnCause = {
      range: cause.range,
      code: cause.diagnostic.code,
      summary: `the unknown ${cause.what} \`${typo}\` on line ${line} (did you mean \`${cause.newText}\`?)`,
      fix: { range: cause.range, newText: cause.newText, title: `Change \`${typo}\` to \`${cause.newText}\` (the cause)` },
    };
    for (const d of items) {
      if (d === cause.diagnostic || causes.some((c) => c.diagnostic === d)) continue;
      if (after.some((a) => sameFinding(d, a, cause))) continue;
      d.causes = [...(d.causes ?? []), info];
      d.related = [
        ...(d.related ?? []),
        { range: cause.range, message: `the cause: \`${typo}\` is not a ${cause.what} izer knows; as \`${cause.newText}\` this goes away` },
      ];
    }
  }
  for (const d of items) {
    if (!d.causes) continue;
    d.message = `${d.message.replace(/\s+$/, '')} — because of ${d.causes.map((c) => c.summary).join(' and ')}`;
  }
}
