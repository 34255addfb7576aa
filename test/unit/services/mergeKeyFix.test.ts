// The quick fix for YAML003 on a merge key (`<<: *first`, which izer's loader cannot read): it writes out the
// merged keys where the merge key was, with PyYAML's precedence, so the file means what the merge meant.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { quickFixes } from '../../../server/src/engine/services/quickFixes';
import { applyEdits } from '../../../server/src/engine/textEdits';

const HEAD = '---\narch: a\ndataset: d\nlayers:\n';

function mergeFix(text: string) {
  const r = checkNetwork({ text, fileName: 'm.yaml' });
  const d = r.diagnostics.find((x) => x.code === 'YAML003');
  assert.ok(d, r.diagnostics.map((x) => `${x.code} ${x.message}`).join('\n'));
  return quickFixes(r, d.range);
}

function fixed(text: string, title = 'Write out the merged keys'): string {
  const fixes = mergeFix(text);
  assert.deepStrictEqual(
    fixes.map((f) => f.title),
    [title],
  );
  return applyEdits(text, fixes[0].edits);
}

/** What the check makes of each layer: its keys as izer reads them. */
function layers(text: string) {
  const r = checkNetwork({ text, fileName: 'm.yaml' });
  assert.ok(!r.diagnostics.some((d) => d.code.startsWith('YAML')), r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.model.layers.map((l) => ({
    processors: l.processors,
    outOffset: l.outOffset,
    op: l.op,
    kernelSize: l.kernelSize,
    pad: l.pad,
    activation: l.activation,
    name: l.name,
    inSequences: l.inSequences?.map((s) => s.value),
  }));
}

describe('quick fix: write out merge keys', () => {
  const FIRST = '  - &first\n    processors: 0x0000000000000001\n    out_offset: 0\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n';

  it('replaces `<<: *first` by the keys the layer does not set itself, in its indentation', () => {
    const text = HEAD + FIRST + '  - <<: *first\n    out_offset: 0x2000\n';
    assert.strictEqual(
      fixed(text),
      HEAD + FIRST + '  - processors: 0x0000000000000001\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    out_offset: 0x2000\n',
    );
  });

  it('the fixed file reads as PyYAML reads the merge: own keys win, then the merged mappings in order', () => {
    const second =
      '  - &second\n    processors: 0x0000000000000006\n    out_offset: 0x4000\n    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n    in_sequences:\n      - 0\n';
    const text = HEAD + FIRST + second + '  - name: third\n    <<: [*second, *first]\n    out_offset: 0x2000\n';
    const after = fixed(text);
    // Written by hand as PyYAML 6 (SafeLoader, which merges) loads the original.
    const byHand =
      HEAD +
      FIRST +
      second +
      '  - name: third\n    out_offset: 0x2000\n    processors: 0x0000000000000006\n    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n    in_sequences:\n      - 0\n';
    assert.deepStrictEqual(layers(after), layers(byHand));
    assert.match(after, /name: third\n {4}processors: 0x0000000000000006\n[^]*in_sequences:\n {6}- 0\n {4}out_offset: 0x2000\n$/);
  });

  it('moves a multi-line value to the new indentation, and writes out merges of merges in one go', () => {
    const text =
      '---\nbase: &base\n  in_sequences:\n    - 0\n  pad: 1\narch: a\ndataset: d\nlayers:\n' +
      FIRST +
      '  - &mid\n    <<: *base\n    processors: 0x0000000000000001\n    out_offset: 0x1000\n    op: conv2d\n    kernel_size: 3x3\n    activate: ReLU\n' +
      '  - <<: *mid\n    out_offset: 0x2000\n';
    const after = fixed(text, 'Write out the merged keys of all 2 merge keys');
    assert.ok(!after.includes('<<'), after);
    assert.match(after, /- &mid\n {4}in_sequences:\n {6}- 0\n {4}pad: 1\n {4}processors/);
    assert.match(after, /out_offset: 0x1000\n[^]*- processors: 0x0000000000000001\n[^]*in_sequences:\n {6}- 0\n {4}pad: 1\n {4}out_offset: 0x2000\n$/);
    const r = checkNetwork({ text: after, fileName: 'm.yaml' });
    // `base` is not a key izer knows (IZ014): the fix only writes out the merges.
    assert.deepStrictEqual([...new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))], ['IZ014']);
    assert.deepStrictEqual(
      r.model.layers[2].inSequences?.map((s) => s.value),
      [0],
    );
  });

  it('removes a merge key whose keys the mapping all sets itself', () => {
    const text =
      HEAD +
      FIRST +
      '  - processors: 0x0000000000000001\n    <<: *first\n    out_offset: 0\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n';
    assert.strictEqual(
      fixed(text),
      HEAD + FIRST + '  - processors: 0x0000000000000001\n    out_offset: 0\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n',
    );
  });

  it('writes out a merged mapping written in place', () => {
    const text = HEAD + '  - <<:\n      processors: 0x0000000000000001\n      op: none\n    out_offset: 0\n';
    assert.strictEqual(fixed(text), HEAD + '  - processors: 0x0000000000000001\n    op: none\n    out_offset: 0\n');
  });

  it('keeps CRLF line ends', () => {
    const text = (HEAD + FIRST + '  - <<: *first\n    out_offset: 0x2000\n').replace(/\n/g, '\r\n');
    const after = fixed(text);
    assert.ok(!/[^\r]\n/.test(after), JSON.stringify(after));
    assert.deepStrictEqual(layers(after)[1].outOffset, 0x2000);
  });

  it('offers nothing where the text cannot be copied: a flow mapping, a merged scalar, an anchor inside the merged keys', () => {
    for (const text of [
      HEAD + FIRST + '  - {<<: *first, out_offset: 0x2000}\n',
      HEAD + '  - &one 1\n  - processors: 0x1\n    <<: *one\n',
      HEAD + FIRST.replace('pad: 1', 'pad: &p 1') + '  - <<: *first\n    out_offset: 0x2000\n',
    ])
      assert.deepStrictEqual(mergeFix(text), [], text);
  });
});
