// Mapping offsets of the text the last check read onto the text the editor has now (server/src/lsp/state/textMapping.ts).
import * as assert from 'node:assert/strict';
import { TextMapping } from '../../../server/src/lsp/state/textMapping';

/** Where `needle` is in `text` (the first occurrence), as a range. */
const at = (text: string, needle: string): [number, number] => {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in ${text}`);
  return [i, i + needle.length];
};

describe('text mapping (older analysis → text now)', () => {
  const OLD = 'arch: net\nlayers:\n  - processors: 0x7\n    kernel_size: 5x5\n    pad: 1\n';

  it('is the identity for the same text', () => {
    const m = new TextMapping(OLD, OLD);
    assert.equal(m.identical, true);
    assert.deepEqual(m.range([3, 9]), [3, 9]);
    assert.equal(m.toOld(OLD.length), OLD.length);
    assert.equal(m.offset(12), 12);
  });

  it('moves what follows an insertion and keeps what precedes it', () => {
    const now = '# new line\n' + OLD;
    const m = new TextMapping(OLD, now);
    assert.deepEqual(m.range(at(OLD, 'pad')), at(now, 'pad'));
    assert.deepEqual(m.range(at(OLD, 'arch')), at(now, 'arch'), 'a range starting at the insertion point moves after it');
    assert.equal(m.toOld(now.indexOf('kernel_size') + 2), OLD.indexOf('kernel_size') + 2);
    assert.equal(m.toOld(3), null, 'inside the inserted text');
  });

  it('drops a range the edit overlaps (strict) or grows it over the edit (widen)', () => {
    const now = OLD.replace('5x5', '3x3');
    const m = new TextMapping(OLD, now);
    const kernel = at(OLD, '5x5');
    assert.equal(m.range(kernel), null, 'a diagnostic on the replaced value is gone');
    assert.deepEqual(m.range(at(OLD, 'kernel_size')), at(now, 'kernel_size'), 'the key before it stays');
    assert.deepEqual(m.range(at(OLD, 'pad: 1')), at(now, 'pad: 1'));
    const layer: [number, number] = [OLD.indexOf('- processors'), OLD.length - 1];
    assert.deepEqual(m.range(layer), null);
    assert.deepEqual(m.range(layer, 'widen'), [now.indexOf('- processors'), now.length - 1], 'the layer around the edit grows with it');
    assert.equal(m.toOld(now.indexOf('3x3') + 1), null);
    assert.equal(m.toOld(now.indexOf('3x3')), null, 'a position next to changed text is not mapped');
  });

  it('maps across a deletion and a longer replacement', () => {
    const deleted = OLD.replace('    pad: 1\n', '');
    const d = new TextMapping(OLD, deleted);
    assert.deepEqual(d.range(at(OLD, 'kernel_size')), at(deleted, 'kernel_size'));
    assert.equal(d.range(at(OLD, 'pad')), null);
    assert.equal(d.offset(OLD.length), deleted.length, 'the end of the text');
    const longer = OLD.replace('0x7', '0x0000000000000007');
    const l = new TextMapping(OLD, longer);
    assert.deepEqual(l.range(at(OLD, 'kernel_size: 5x5')), at(longer, 'kernel_size: 5x5'));
    assert.equal(l.toOld(longer.indexOf('pad')), OLD.indexOf('pad'));
  });

  it('never splits a CR LF pair or a surrogate pair at the border of the change', () => {
    const crlf = new TextMapping('a: 1\r\nb: 2\r\n', 'a: 1\nb: 2\r\n');
    assert.ok(crlf.prefix <= 4, `prefix ${crlf.prefix}`);
    const emoji = new TextMapping('x: "\u{1F600}"', 'x: "\u{1F601}"');
    assert.equal(emoji.prefix, 4, 'the change starts at the high surrogate');
    assert.equal(emoji.oldEnd, 6);
  });
});
