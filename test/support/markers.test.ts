// The fixture-marker helper the LSP and e2e tests rely on.
import * as assert from 'node:assert';
import { cursor, lines, parseMarkers, positionAt, positionOf } from './markers';

describe('test support: fixture markers', () => {
  it('removes $0 and «…» and reports them as positions of the clean text', () => {
    const m = parseMarkers(lines('a: 1', '  «key»: «va$0l»', 'end'));
    assert.strictEqual(m.text, 'a: 1\n  key: val\nend\n');
    assert.deepStrictEqual(m.marked, ['key', 'val']);
    assert.deepStrictEqual(m.ranges[0], { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    assert.deepStrictEqual(m.ranges[1], { start: { line: 1, character: 7 }, end: { line: 1, character: 10 } });
    assert.deepStrictEqual(cursor(m), { line: 1, character: 9 });
    assert.deepStrictEqual(positionOf(m.text, 'val'), m.ranges[1].start);
  });

  it('counts positions from the start of each line', () => {
    assert.deepStrictEqual(positionAt('ab\ncd', 0), { line: 0, character: 0 });
    assert.deepStrictEqual(positionAt('ab\ncd', 3), { line: 1, character: 0 });
    assert.deepStrictEqual(positionAt('ab\ncd', 5), { line: 1, character: 2 });
  });

  it('rejects unbalanced or repeated markers', () => {
    assert.throws(() => parseMarkers('«a'), /«/);
    assert.throws(() => parseMarkers('a»'), /»/);
    assert.throws(() => parseMarkers('$0 $0'), /two/);
    assert.throws(() => cursor(parseMarkers('no cursor')), /no \$0/);
  });
});
