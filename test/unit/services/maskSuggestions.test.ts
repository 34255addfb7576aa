// Suggested masks: the count rules (one per channel, multi-pass rounding), one processor per data memory for
// CHW, keeping the lowest processor, alignment to where the data is, and the normal written form.
import * as assert from 'node:assert';
import { popcount, memoriesOf, ffs } from '../../../server/src/engine/model/processorMask';
import {
  alignedMask,
  isNormalMaskText,
  keepLowestMask,
  maskAdvice,
  maskNeed,
  onePerMemoryMask,
  sharesMemory,
} from '../../../server/src/engine/services/maskSuggestions';
import { checkFixture, MULTIPASS, RGB, withModeline } from '../../lsp/editorFeaturesFixtures';

describe('mask suggestions', () => {
  it('one processor per data memory, from the group of the lowest processor, within the 16 memories', () => {
    assert.strictEqual(onePerMemoryMask(0, 3), 0x111n);
    assert.strictEqual(onePerMemoryMask(5, 2), 0x110n, 'group 1 (processors 4–7) first');
    assert.strictEqual(onePerMemoryMask(62, 2), 0x11n << 56n, 'moved down to fit: processors 56 and 60');
    for (let lowest = 0; lowest < 64; lowest += 7) {
      for (const n of [1, 4, 16]) {
        const m = onePerMemoryMask(lowest, n)!;
        assert.strictEqual(popcount(m), n);
        assert.strictEqual(memoriesOf(m).length, n, 'each in its own memory');
        assert.ok(!sharesMemory(m));
      }
    }
    assert.strictEqual(onePerMemoryMask(0, 17), null, 'CHW has at most 16 channels (16 memories)');
  });

  it('keeps the lowest processor when the count fits above it, else moves down', () => {
    assert.strictEqual(keepLowestMask(4, 8), 0xff0n);
    assert.strictEqual(keepLowestMask(60, 8), 0xffn << 56n);
    assert.strictEqual(keepLowestMask(0, 64), (1n << 64n) - 1n);
    assert.strictEqual(keepLowestMask(0, 65), null);
  });

  it('aligns to a source map: the map itself when the count matches, else from its lowest processor', () => {
    assert.strictEqual(alignedMask(0xff00n, 8), 0xff00n);
    assert.strictEqual(alignedMask(0xff00n, 4), 0xf00n);
    assert.strictEqual(ffs(alignedMask(0xf0000n, 12)!), 16);
  });

  it('needs: 100 channels → 2 passes of 52 (rounded up from 50); 3 channels → 3 processors, CHW', () => {
    const r = checkFixture(MULTIPASS, withModeline(MULTIPASS));
    assert.deepStrictEqual(maskNeed(r, 1, 'processors'), { channels: 100, passes: 2, perPass: 52, rounded: true, chw: false, operands: 1 });
    assert.deepStrictEqual(maskNeed(r, 0, 'output_processors'), { channels: 100, passes: 2, perPass: 52, rounded: true, chw: false, operands: 1 });
    const rgb = checkFixture(RGB, withModeline(RGB));
    assert.deepStrictEqual(maskNeed(rgb, 0, 'processors'), { channels: 3, passes: 1, perPass: 3, rounded: false, chw: true, operands: 1 });
  });

  it('advice on a right mask is empty; on a wrong one it says what is wrong and what would be right', () => {
    const rgb = checkFixture(RGB, withModeline(RGB));
    const stem = rgb.model.layers[0];
    assert.deepStrictEqual(maskAdvice(rgb, stem, 'processors', 0x111n), {
      current: 0x111n,
      need: maskNeed(rgb, 0, 'processors'),
      problems: [],
      suggestions: [],
    });
    const shared = maskAdvice(rgb, stem, 'processors', 0x7n);
    assert.match(shared.problems.join(' '), /share one/);
    assert.deepStrictEqual(
      shared.suggestions.map((x) => x.mask),
      [0x111n],
    );
  });

  it('the normal form is 0x and 16 hex digits, unquoted', () => {
    assert.ok(isNormalMaskText('0x00000000000000ff', false));
    assert.ok(isNormalMaskText('0xFFFF000000000000', false));
    for (const t of ['0xff', '255', '0x0000.0000.0000.00ff', '0X00000000000000FF']) assert.ok(!isNormalMaskText(t, false), t);
    assert.ok(!isNormalMaskText('0x00000000000000ff', true), 'quoted');
  });
});
