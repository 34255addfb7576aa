// Minimal edits: applying the edits minimalEdits finds turns the old text into the new one; unchanged lines
// (comments, formatting) are never inside an edit; a changed value is replaced as a whole token.
import * as assert from 'node:assert';
import { applyEdits, editsOverlap, minimalEdits } from '../../../server/src/engine/textEdits';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 32;
  };
}

const BASE = [
  '# header comment',
  'arch: x',
  'layers:',
  '  # layer 0',
  '  - processors: 0x000000000000000f  # four',
  '    out_offset: 0x4000',
  '    op: conv2d',
  '  - processors: 0x00000000000000ff',
  '    out_offset: 0x0000',
  '',
].join('\n');

describe('text edits', () => {
  it('a value change is one replacement of that value, comments on the line untouched', () => {
    const after = BASE.replace('0x000000000000000f', '0x00000000000000ff');
    const edits = minimalEdits(BASE, after);
    assert.deepStrictEqual(
      edits.map((e) => [BASE.slice(e.range[0], e.range[1]), e.newText]),
      [['0x000000000000000f', '0x00000000000000ff']],
    );
    assert.strictEqual(applyEdits(BASE, edits), after);
  });

  it('a removed line is one edit covering exactly that line', () => {
    const after = BASE.replace('    op: conv2d\n', '');
    const edits = minimalEdits(BASE, after);
    assert.strictEqual(edits.length, 1);
    assert.strictEqual(BASE.slice(edits[0].range[0], edits[0].range[1]), '    op: conv2d\n');
    assert.strictEqual(applyEdits(BASE, edits), after);
  });

  it('random line edits round-trip and never touch unchanged lines', () => {
    const next = rng(42);
    for (let trial = 0; trial < 300; trial++) {
      const lines = BASE.split('\n');
      const changed = new Set<number>();
      const ops = 1 + Math.floor(next() * 3);
      for (let k = 0; k < ops; k++) {
        const i = Math.floor(next() * lines.length);
        const r = next();
        if (r < 0.4) {
          lines[i] = lines[i].replace(
            /0x[0-9a-f]+/,
            '0x' +
              Math.floor(next() * 65536)
                .toString(16)
                .padStart(4, '0'),
          );
          changed.add(i);
        } else if (r < 0.7) lines.splice(i, 0, `    inserted_${trial}: ${k}`);
        else lines.splice(i, 1);
      }
      const after = lines.join('\n');
      const edits = minimalEdits(BASE, after);
      assert.strictEqual(applyEdits(BASE, edits), after, `trial ${trial}`);
      for (let a = 0; a < edits.length; a++) for (let b = a + 1; b < edits.length; b++) assert.ok(!editsOverlap(edits[a], edits[b]));
      // Comment lines that survive in the new text are never rewritten.
      for (const e of edits) {
        const replaced = BASE.slice(e.range[0], e.range[1]);
        if (replaced.includes('# header comment')) assert.ok(!after.includes('# header comment'), `trial ${trial}: a kept comment was inside an edit`);
      }
    }
  });

  it('refuses overlapping edits', () => {
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { range: [0, 3], newText: 'x' },
          { range: [2, 4], newText: 'y' },
        ]),
      /overlapping/,
    );
  });
});
