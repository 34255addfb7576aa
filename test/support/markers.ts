// Fixture text with markers: `$0` is the cursor, `«…»` marks ranges (in order). The markers are removed and
// returned as LSP positions and ranges of the clean text, so expected positions are written into the fixture.
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export interface MarkedText {
  text: string;
  /** Where `$0` was (required by `cursor`). */
  cursorOffset: number | null;
  /** The `«…»` ranges in the order they appear. */
  ranges: Range[];
  /** The text inside each `«…»`. */
  marked: string[];
}

const CURSOR = '$0';

export function parseMarkers(source: string): MarkedText {
  let text = '';
  let cursorOffset: number | null = null;
  const opens: number[] = [];
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < source.length;) {
    if (source.startsWith(CURSOR, i)) {
      if (cursorOffset !== null) throw new Error('fixture has two $0 markers');
      cursorOffset = text.length;
      i += CURSOR.length;
    } else if (source[i] === '«') {
      opens.push(text.length);
      i++;
    } else if (source[i] === '»') {
      const start = opens.pop();
      if (start === undefined) throw new Error('fixture has » without «');
      spans.push([start, text.length]);
      i++;
    } else {
      text += source[i++];
    }
  }
  if (opens.length) throw new Error('fixture has « without »');
  spans.sort((a, b) => a[0] - b[0]);
  return {
    text,
    cursorOffset,
    ranges: spans.map(([s, e]) => ({ start: positionAt(text, s), end: positionAt(text, e) })),
    marked: spans.map(([s, e]) => text.slice(s, e)),
  };
}

/** The fixture's `$0` as a position (throws when there is none). */
export function cursor(m: MarkedText): Position {
  if (m.cursorOffset === null) throw new Error('fixture has no $0 marker');
  return positionAt(m.text, m.cursorOffset);
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Position of the first occurrence of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`text does not contain ${JSON.stringify(needle)}`);
  return positionAt(text, at + delta);
}

/** Joins lines with \n (fixtures read better as arrays of lines). */
export function lines(...l: string[]): string {
  return l.join('\n') + '\n';
}
