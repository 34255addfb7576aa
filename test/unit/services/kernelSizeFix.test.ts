// A quick fix for an unsupported `kernel_size` (issue 12, item 7): Conv2d runs 3x3 and 1x1 only; the fix offers
// those sizes, and with a checkpoint only the one its weights have.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { quickFixes } from '../../../server/src/engine/services/quickFixes';
import { applyEdits } from '../../../server/src/engine/textEdits';
import { checkFixture, EXAMPLE } from '../../lsp/editorFeaturesFixtures';

const K5 = EXAMPLE.yaml.replace(
  'kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    name: conv2',
  'kernel_size: 5x5\n    pad: 1\n    activate: ReLU\n    name: conv2',
);

function fixesOn(text: string, withCheckpoint: boolean) {
  const r = withCheckpoint ? checkFixture(EXAMPLE, text) : checkNetwork({ text, fileName: 'k5.yaml' });
  const d = r.diagnostics.find((x) => x.code === 'IZ040');
  assert.ok(d, r.diagnostics.map((x) => x.code).join(', '));
  assert.strictEqual(text.slice(d!.range[0], d!.range[1]), '5x5');
  return { r, fixes: quickFixes(r, d!.range) };
}

describe('quick fix: kernel_size 5x5', () => {
  it('without a checkpoint offers 3x3 (preferred) and 1x1, each a one-value edit that clears IZ040', () => {
    assert.notStrictEqual(K5, EXAMPLE.yaml);
    const { fixes } = fixesOn(K5, false);
    assert.deepStrictEqual(
      fixes.map((f) => [f.title, f.isPreferred]),
      [
        ['Use kernel_size 3x3', true],
        ['Use kernel_size 1x1', false],
      ],
    );
    for (const f of fixes) {
      const fixed = applyEdits(K5, f.edits);
      assert.ok(!checkNetwork({ text: fixed, fileName: 'k5.yaml' }).diagnostics.some((d) => d.code === 'IZ040'));
    }
  });

  it("with the checkpoint offers only the size of the layer's weights (3x3), and the fixed file is clean", () => {
    const { fixes } = fixesOn(K5, true);
    assert.deepStrictEqual(
      fixes.map((f) => f.title),
      ['Use kernel_size 3x3 (the size of its weights in the checkpoint)'],
    );
    const fixed = applyEdits(K5, fixes[0].edits);
    assert.strictEqual(fixed, EXAMPLE.yaml);
    assert.deepStrictEqual(
      checkFixture(EXAMPLE, fixed).diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  it('ConvTranspose2d has 3x3 only', () => {
    const t = K5.replace(
      'op: conv2d\n    max_pool: 2\n    pool_stride: 2\n    kernel_size: 5x5',
      'op: convtranspose2d\n    max_pool: 2\n    pool_stride: 2\n    kernel_size: 5x5',
    );
    assert.notStrictEqual(t, K5);
    assert.deepStrictEqual(
      fixesOn(t, false).fixes.map((f) => f.title),
      ['Use kernel_size 3x3'],
    );
  });
});
