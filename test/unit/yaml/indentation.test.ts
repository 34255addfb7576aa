// A wrongly indented key or item is named on its own line (eemeli/yaml reports it in its own terms, often at the end
// of the line before), with a fix that indents it like the line before; valid files are never flagged.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../../../server/src/engine/check';
import { findMisindentation } from '../../../server/src/engine/yaml/indentation';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { quickFixes } from '../../../server/src/engine/services/quickFixes';
import { applyEdits } from '../../../server/src/engine/textEdits';
import { requireShared, sharedDir } from '../../support/shared';

const NETWORK =
  '---\narch: a\ndataset: d\nlayers:\n  - max_pool: 2\n    pool_stride: 2\n    pad: 1\n    out_offset: 0\n  - processors: 0x0000000000000001\n    out_offset: 0x2000\n';

function named(text: string) {
  const r = checkNetwork({ text, fileName: 'i.yaml' });
  assert.deepStrictEqual(
    r.diagnostics.map((d) => d.code),
    ['YAML001'],
    r.diagnostics.map((d) => d.message).join('\n'),
  );
  return { r, d: r.diagnostics[0] };
}

describe('YAML: wrongly indented lines', () => {
  for (const [wrong, spaces] of [
    ['   pad: 1', 3],
    ['     pad: 1', 5],
    ['  pad: 1', 2],
    ['      pad: 1', 6],
  ] as const) {
    it(`\`${wrong}\` among keys at column 5: named on its line, and the fix gives back the network`, () => {
      const text = NETWORK.replace('    pad: 1', wrong);
      const { r, d } = named(text);
      assert.strictEqual(r.lines.position(d.range[0]).line, 6);
      assert.match(
        d.message,
        new RegExp(`This key is indented by ${spaces} spaces, which fits no mapping or list it could belong to; the keys of the line before start at column 5`),
      );
      const fixes = quickFixes(r, d.range);
      assert.deepStrictEqual(
        fixes.map((f) => f.title),
        ['Indent it to column 5'],
      );
      assert.strictEqual(applyEdits(text, fixes[0].edits), NETWORK);
    });
  }

  it('a list item out of line with the items before it', () => {
    const text = NETWORK.replace('  - processors', '   - processors');
    const { r, d } = named(text);
    assert.match(d.message, /This item is indented by 3 spaces.*the items before it start at column 3/);
    assert.strictEqual(applyEdits(text, quickFixes(r, d.range)[0].edits), NETWORK);
  });

  it("on izer's own bad-indent mutation of mnist: the line izer names (17), and the fix gives back the shipped network", function () {
    const text = fs.readFileSync(requireShared(this, 'oracle', 'mutations', 'MAX78000-mnist', '52-yaml-bad-indent.yaml'), 'utf8');
    const { r, d } = named(text);
    assert.strictEqual(r.lines.position(d.range[0]).line + 1, 17);
    assert.strictEqual(
      applyEdits(text, quickFixes(r, d.range)[0].edits),
      fs.readFileSync(sharedDir('ai8x-synthesis', 'networks', 'mnist-chw-ai85.yaml'), 'utf8'),
    );
  });

  it('a flow list going on at its key\'s indentation, which PyYAML reads: YAML004 (not "izer cannot read"), with a fix', () => {
    const text = NETWORK.replace('layers:', 'snoop: [1, 2,\n3, 4]\nlayers:');
    const r = checkNetwork({ text, fileName: 'i.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML004'],
    );
    const [d] = r.diagnostics;
    assert.strictEqual(text.slice(d.range[0], d.range[1]), '3, 4]');
    assert.match(d.message, /PyYAML, and so izer, reads that; this checker follows YAML 1\.2 and cannot/);
    const fixes = quickFixes(r, d.range);
    assert.deepStrictEqual(
      fixes.map((f) => f.title),
      ["Indent the collection's line after the first"],
    );
    const fixed = applyEdits(text, fixes[0].edits);
    assert.strictEqual(fixed, NETWORK.replace('layers:', 'snoop: [1, 2,\n  3, 4]\nlayers:'));
    const tree = parseYamlTree(fixed);
    assert.deepStrictEqual(tree.problems, []);
    const snoop = tree.root?.type === 'map' ? tree.root.entries.find((e) => e.keyName === 'snoop')?.value : null;
    assert.strictEqual(snoop?.type === 'seq' && snoop.items.length, 4);
  });

  it('with such a list, a later error izer stops at is still reported, at its place in the file as written', () => {
    const text = NETWORK.replace('layers:', 'snoop: [1, 2,\n3, 4]\nlayers:').replace('    pad: 1', '   pad: 1');
    const r = checkNetwork({ text, fileName: 'i.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML001'],
    );
    const [d] = r.diagnostics;
    assert.match(d.message, /This key is indented by 3 spaces/);
    assert.strictEqual(text.slice(d.range[0], d.range[1] + 6), '   pad: 1');
    const fixed = applyEdits(text, quickFixes(r, d.range)[0].edits);
    assert.strictEqual(fixed, NETWORK.replace('layers:', 'snoop: [1, 2,\n3, 4]\nlayers:'), 'its fix, too, applies to the file as written');
  });

  it('a flow list never closed stays a syntax error (PyYAML refuses it too)', () => {
    const r = checkNetwork({ text: 'a: [1,\n2\n', fileName: 'i.yaml' });
    assert.deepStrictEqual(
      r.diagnostics.map((d) => d.code),
      ['YAML001'],
    );
  });

  it("flags nothing in valid YAML: lists at their key's column, nested lists, block and multi-line scalars, flow collections", () => {
    for (const text of [
      'layers:\n- a: 1\n  b: 2\n- c: 3\nnext: 1\n',
      'a:\n  - - x: 1\n      y: 2\n',
      'a:\n  b: |\n    x\n      y\n  c: 1\n',
      'a: "x\n y"\nb: 1\n',
      'a: long\n  text\nb: 1\n',
      'a: [1,\n    2]\nb: {c: 1,\n  d: 2}\n',
      'a: &x\n  b: 1\nc: !!map\n  d: 1\n',
      '# c\n---\na:\n  # comment at column 2\n    # deeper comment\n  b: 1\n',
    ])
      assert.strictEqual(findMisindentation(text), null, JSON.stringify(text));
  });

  it('flags nothing in any shipped or test network', function () {
    const root = requireShared(this, 'ai8x-synthesis');
    let files = 0;
    for (const dir of ['networks', 'tests'])
      for (const f of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.yaml'))) {
        assert.strictEqual(findMisindentation(fs.readFileSync(path.join(root, dir, f), 'utf8')), null, f);
        files++;
      }
    console.log(`      ${files} networks`);
    assert.ok(files > 0);
  });
});
