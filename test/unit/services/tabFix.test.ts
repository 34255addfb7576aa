// The quick fix for tabs, which PyYAML (and so izer) refuses outside quoted and block scalars and comments: all of
// them become spaces in one edit: one between tokens, none at the end of a line, and where they indent, two per tab in
// a file indented with tabs, or the indentation of the keys of the line before in a file indented with spaces.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { quickFixes } from '../../../server/src/engine/services/quickFixes';
import { applyEdits } from '../../../server/src/engine/textEdits';
import * as fs from 'node:fs';
import { requireShared, sharedDir } from '../../support/shared';

function tabFix(text: string) {
  const r = checkNetwork({ text, fileName: 't.yaml' });
  const d = r.diagnostics.find((x) => x.code === 'YAML001');
  assert.ok(d && /tab character/.test(d.message), r.diagnostics.map((x) => `${x.code} ${x.message}`).join('\n'));
  assert.strictEqual(text[d.range[0]], '\t');
  return quickFixes(r, d.range);
}

describe('quick fix: tabs', () => {
  it('replaces every refused tab, and the file then reads as the one written with spaces', () => {
    const text =
      '---\narch: a\ndataset: d\nlayers:\n\t- processors:\t0x0000000000000001\n\t  out_offset: 0\t\n\t  op: none  # a\ttab in a comment stays\n\t  name: "a\ttab in a string stays"\n';
    const fixes = tabFix(text);
    assert.deepStrictEqual(
      fixes.map((f) => f.title),
      ['Replace the 6 tabs with spaces'],
    );
    const fixed = applyEdits(text, fixes[0].edits);
    assert.strictEqual(
      fixed,
      '---\narch: a\ndataset: d\nlayers:\n  - processors: 0x0000000000000001\n    out_offset: 0\n    op: none  # a\ttab in a comment stays\n    name: "a\ttab in a string stays"\n',
    );
    const r = checkNetwork({ text: fixed, fileName: 't.yaml' });
    assert.ok(!r.diagnostics.some((d) => d.code.startsWith('YAML') || d.code.startsWith('YL')), r.diagnostics.map((d) => d.code).join(' '));
    assert.strictEqual(r.model.layers[0].name, 'a\ttab in a string stays');
  });

  it('a tab that slipped into a file indented with spaces lines the key up with the keys of the line before', () => {
    const spaces =
      '---\narch: a\ndataset: d\nlayers:\n  - processors: 0x0000000000000001\n    out_offset: 0\n    op: none\n  - processors: 0x0000000000000001\n    out_offset: 0x2000\n    op: none\n';
    for (const [from, to] of [
      ['    out_offset: 0x2000', '\tout_offset: 0x2000'],
      ['    op: none\n  - processors', '    op: none\n\t- processors'],
    ]) {
      const text = spaces.replace(from, to);
      assert.notStrictEqual(text, spaces);
      const fixes = tabFix(text);
      assert.strictEqual(applyEdits(text, fixes[0].edits), from === to ? text : spaces.replace(from, from), to);
    }
  });

  it("on izer's own tab mutation of mnist (rejected with \"found character '\\t'\"), gives back the shipped network", function () {
    const mutation = fs.readFileSync(requireShared(this, 'oracle', 'mutations', 'MAX78000-mnist', '53-yaml-tab.yaml'), 'utf8');
    const fixes = tabFix(mutation);
    assert.strictEqual(applyEdits(mutation, fixes[0].edits), fs.readFileSync(sharedDir('ai8x-synthesis', 'networks', 'mnist-chw-ai85.yaml'), 'utf8'));
  });

  it('a single tab gets a singular title', () => {
    assert.deepStrictEqual(
      tabFix('---\narch: a\ndataset:\td\nlayers: []\n').map((f) => f.title),
      ['Replace the tab with spaces'],
    );
  });
});
