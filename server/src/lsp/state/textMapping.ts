// Offsets of an older version of a document's text (the one the last finished check analysed) mapped to the text
// the editor has now, and back. The two texts differ in one region (found by their common prefix and suffix);
// offsets outside it move with the text, offsets inside it have no counterpart. Requests answer from the last
// finished analysis this way while a check of the newest version runs, and drop what the edits touched.

/** A range of offsets, start inclusive, end exclusive. */
export type OffsetRange = readonly [start: number, end: number];

export class TextMapping {
  /** Length of the common prefix. */
  readonly prefix: number;
  /** End of the changed region in the old text and in the new text (the common suffix starts there). */
  readonly oldEnd: number;
  readonly newEnd: number;
  readonly identical: boolean;

  constructor(oldText: string, newText: string) {
    const max = Math.min(oldText.length, newText.length);
    let p = 0;
    if (oldText !== newText) {
      while (p < max && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
      let s = 0;
      while (s < max - p && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++;
      // Never split a CR LF pair or a surrogate pair at either end of the changed region.
      while (p > 0 && (splits(oldText, p) || splits(newText, p))) p--;
      while (s > 0 && (splits(oldText, oldText.length - s) || splits(newText, newText.length - s))) s--;
      this.oldEnd = oldText.length - s;
      this.newEnd = newText.length - s;
      this.identical = false;
    } else {
      p = oldText.length;
      this.oldEnd = p;
      this.newEnd = p;
      this.identical = true;
    }
    this.prefix = p;
  }

  /**
   * An old range in the new text. `strict`: only a range that does not overlap the changed region (touching its
   * border is allowed), else null — what a diagnostic or an edit needs. `widen`: a range that overlaps the changed
   * region grows to cover all of it (a layer in the outline while the user types inside it).
   */
  range(r: OffsetRange, mode: 'strict' | 'widen' = 'strict'): OffsetRange | null {
    if (this.identical) return r;
    const shift = this.newEnd - this.oldEnd;
    const [a, b] = r;
    if (b <= this.prefix) return r;
    if (a >= this.oldEnd) return [a + shift, b + shift];
    if (mode === 'strict') return null;
    const s = a <= this.prefix ? a : this.prefix;
    const e = b >= this.oldEnd ? b + shift : this.newEnd;
    return [s, Math.max(s, e)];
  }

  /** An old offset in the new text (a point such as an inlay hint), or null when it lies inside the changed region. */
  offset(oldOffset: number): number | null {
    if (this.identical || oldOffset <= this.prefix) return oldOffset;
    if (oldOffset >= this.oldEnd) return oldOffset + this.newEnd - this.oldEnd;
    return null;
  }

  /**
   * The old offset of a position in the new text, or null when a character next to it changed (the answer there
   * needs the newest analysis).
   */
  toOld(newOffset: number): number | null {
    if (this.identical || newOffset < this.prefix) return newOffset;
    if (newOffset > this.newEnd) return newOffset - this.newEnd + this.oldEnd;
    return null;
  }
}

function splits(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return (before === 13 && after === 10) || (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff);
}
