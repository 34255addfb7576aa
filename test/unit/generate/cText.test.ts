// The data headers' #define arrays: the byte-built text must read exactly as izer's layout (values, commas,
// continuation backslashes), including its corner cases.
import * as assert from 'node:assert/strict';
import { arrayDefine, hex } from '../../../server/src/engine/generate/cText';

/** The layout written out value by value, as the reference. */
function reference(name: string, values: number[], perLine: number, digits: number): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine)
    lines.push(
      '  ' +
        values
          .slice(i, i + perLine)
          .map((v) => hex(v, digits))
          .join(', ') +
        (i + perLine < values.length ? ',' : ''),
    );
  return `#define ${name} { \\\n${lines.join(' \\\n')} \\\n}\n`;
}

describe('C text: array #defines', () => {
  it('lays out words and bytes as the value-by-value reference does, for every line length and a partial last line', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    let compared = 0;
    for (const [digits, perLine] of [
      [8, 8],
      [8, 1],
      [2, 16],
      [2, 3],
    ]) {
      for (const n of [1, 2, perLine - 1, perLine, perLine + 1, 5 * perLine + 3]) {
        if (n < 1) continue;
        const values = Array.from({ length: n }, () => (digits === 8 ? next() : next() & 0xff));
        assert.equal(arrayDefine('X', values, perLine, digits), reference('X', values, perLine, digits), `${digits} digits, ${perLine} a line, ${n} values`);
        assert.equal(arrayDefine('X', Uint32Array.from(values), perLine, digits), reference('X', values, perLine, digits));
        compared++;
      }
    }
    assert.ok(compared >= 20);
  });

  it('no values, and values wider than their digits (printed in full), keep the same layout', () => {
    assert.equal(arrayDefine('EMPTY', [], 8), reference('EMPTY', [], 8, 8));
    assert.equal(arrayDefine('WIDE', [1, 0x1ff, -1], 16, 2), reference('WIDE', [1, 0x1ff, -1], 16, 2));
    assert.match(arrayDefine('WIDE', [0x1ff], 16, 2), /0x1ff/);
  });
});
