// LSP protocol: hover, completion and the outline (documentSymbol), positions taken from `$0`/`«…»` markers.
import * as assert from 'node:assert';
import { CompletionItem, CompletionItemKind, MarkupContent, MarkupKind, Position, TextEdit } from 'vscode-languageserver-protocol';
import { LAYER_KEYS, findKeyDoc } from '../../server/src/engine/model/keyCatalog';
import { LspSession, docUri } from '../support/lspSession';
import { cursor, lines, parseMarkers, positionOf } from '../support/markers';

const isBefore = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);

const NETWORK = [
  'arch: tinynet',
  'dataset: shapes',
  'layers:',
  '  - name: stem',
  '    out_offset: 0x2000',
  '    processors: 0x0000000000000007',
  '    op: conv2d',
  '    kernel_size: 3x3',
  '    pad: 1',
  '    activate: ReLU',
  '  - out_offset: 0x0000',
  '    processors: 0x000000000000ffff',
  '    op: conv2d',
  '    kernel_size: 1x1',
  '    pad: 0',
  '    activate: ReLU',
  '  - name: classifier',
  '    out_offset: 0x2000',
  '    processors: 0x00000000ffffffff',
  '    op: linear',
  '    flatten: true',
  '    output_width: 32',
  '    activate: None',
];

describe('LSP: hover, completion, outline', function () {
  this.timeout(20000);
  let s: LspSession;
  let n = 0;
  /** Opens `source` (with markers) as a new document and returns its URI and parsed markers. */
  const openMarked = async (source: string) => {
    const m = parseMarkers(source);
    const uri = docUri(`features-${++n}.yaml`);
    await s.open(uri, m.text);
    return { uri, m };
  };
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  before(async () => {
    s = await LspSession.start();
  });
  after(() => s?.dispose());

  describe('hover', () => {
    it('shows the documentation of a layer key as Markdown, over the key', async () => {
      const src = lines(...NETWORK).replace('    processors: 0x000000000000ffff', '    «proc$0essors»: 0x000000000000ffff');
      const { uri, m } = await openMarked(src);
      const h = await s.hover(uri, cursor(m));
      assert.ok(h, 'a hover');
      const c = h!.contents as MarkupContent;
      assert.strictEqual(c.kind, MarkupKind.Markdown);
      assert.ok(c.value.includes(findKeyDoc('layer', 'processors')!.summary), `documentation of processors in:\n${c.value}`);
      assert.deepStrictEqual(h!.range, m.ranges[0]);
    });

    it('describes a processor map value with its processor count', async () => {
      const src = lines(...NETWORK).replace('processors: 0x000000000000ffff', 'processors: «0x0000$000000000ffff»');
      const { uri, m } = await openMarked(src);
      const h = await s.hover(uri, cursor(m));
      const text = (h!.contents as MarkupContent).value;
      assert.match(text, /\b16\b/, '0xffff enables 16 processors');
      assert.deepStrictEqual(h!.range, m.ranges[0]);
    });

    it('shows the documentation of a top-level key', async () => {
      const { uri, m } = await openMarked(lines(...NETWORK).replace('dataset:', 'data$0set:'));
      const h = await s.hover(uri, cursor(m));
      assert.ok((h!.contents as MarkupContent).value.includes(findKeyDoc('global', 'dataset')!.summary));
    });

    it('has nothing to say on a comment', async () => {
      const { uri, m } = await openMarked(lines('# a com$0ment', ...NETWORK));
      assert.strictEqual(await s.hover(uri, cursor(m)), null);
    });
  });

  describe('completion', () => {
    it('offers the missing layer keys on a new line inside a layer', async () => {
      // In the middle of the second layer (out_offset, processors | op, kernel_size, pad, activate).
      const src = lines(...NETWORK.slice(0, 12), '    $0', ...NETWORK.slice(12));
      const { uri, m } = await openMarked(src);
      const items = await s.completion(uri, cursor(m));
      const got = labels(items);
      for (const k of ['name', 'max_pool', 'avg_pool', 'output_shift', 'in_sequences']) assert.ok(got.includes(k), `offers ${k}`);
      for (const k of ['processors', 'out_offset', 'op', 'kernel_size', 'pad', 'activate'])
        assert.ok(!got.includes(k), `does not offer ${k}, which the layer has`);
      for (const k of ['arch', 'dataset', 'output_map']) assert.ok(!got.includes(k), `does not offer top-level key ${k} in a layer`);
      assert.ok(items.every((i) => i.kind === CompletionItemKind.Property));
      assert.ok(
        got.every((k) => LAYER_KEYS.some((d) => d.key === k)),
        'only keys izer knows for layers',
      );
      const edit = items.find((i) => i.label === 'max_pool')!.textEdit as TextEdit;
      assert.deepStrictEqual(edit.range, { start: cursor(m), end: cursor(m) });
      assert.match(edit.newText, /^max_pool:/);
    });

    // SERVER BUG (completion-at-layer-end): server/src/engine/services/completion.ts presentKeys() finds the layer
    // through its node range, which ends at the last value; on a new line after the layer's last key no layer is
    // found, so keys the layer already has (processors, out_offset, op, ...) are offered again. Un-skip when fixed.
    it('does not offer keys the layer already has on a new line at the end of the layer', async () => {
      const { uri, m } = await openMarked(lines(...NETWORK.slice(0, 10), '    $0', ...NETWORK.slice(10)));
      const got = labels(await s.completion(uri, cursor(m)));
      assert.ok(got.includes('max_pool'));
      for (const k of ['processors', 'out_offset', 'op', 'activate', 'name']) assert.ok(!got.includes(k), `does not offer ${k}`);
    });

    it('narrows keys to the typed prefix and replaces the prefix', async () => {
      const src = lines(...NETWORK.slice(0, 11), '    «max_p$0»', ...NETWORK.slice(11));
      const { uri, m } = await openMarked(src);
      const items = await s.completion(uri, cursor(m));
      assert.deepStrictEqual(labels(items), ['max_pool']);
      assert.deepStrictEqual((items[0].textEdit as TextEdit).range, m.ranges[0]);
    });

    it('offers the operations after `op: `', async () => {
      const src = lines(...NETWORK.slice(0, 11), '    op: $0', ...NETWORK.slice(13));
      const { uri, m } = await openMarked(src);
      const items = await s.completion(uri, cursor(m));
      const got = labels(items);
      for (const v of ['conv2d', 'conv1d', 'convtranspose2d', 'linear', 'passthrough', 'add', 'sub', 'xor'])
        assert.ok(got.includes(v), `offers ${v}; got ${got.join(', ')}`);
      assert.ok(
        items.every((i) => i.kind === CompletionItemKind.EnumMember),
        'values, not keys',
      );
    });

    it('narrows values to the typed prefix and replaces it', async () => {
      const src = lines(...NETWORK.slice(0, 11), '    op: «conv$0»', ...NETWORK.slice(13));
      const { uri, m } = await openMarked(src);
      const items = await s.completion(uri, cursor(m));
      assert.deepStrictEqual(labels(items).sort(), ['conv1d', 'conv2d', 'convtranspose2d']);
      for (const i of items) assert.deepStrictEqual((i.textEdit as TextEdit).range, m.ranges[0]);
    });

    it('offers activations after `activate: `', async () => {
      const src = lines(...NETWORK.slice(0, 9), '    activate: $0', ...NETWORK.slice(10));
      const { uri, m } = await openMarked(src);
      const got = labels(await s.completion(uri, cursor(m))).map((l) => l.toLowerCase());
      assert.deepStrictEqual(got.sort(), ['abs', 'none', 'relu']);
    });

    it('offers missing top-level keys at the top level', async () => {
      const { uri, m } = await openMarked(lines('arch: tinynet', '$0', ...NETWORK.slice(1)));
      const got = labels(await s.completion(uri, cursor(m)));
      assert.ok(got.includes('output_map') && got.includes('unload'), `offers output_map and unload; got ${got.join(', ')}`);
      for (const k of ['arch', 'dataset', 'layers', 'processors']) assert.ok(!got.includes(k), `does not offer ${k}`);
    });
  });

  describe('outline', () => {
    it('gives one symbol per layer with its name and operation', async () => {
      const text = lines(...NETWORK);
      const uri = docUri(`features-${++n}.yaml`);
      await s.open(uri, text);
      const symbols = await s.symbols(uri);
      assert.strictEqual(symbols.length, 3);
      assert.match(symbols[0].name, /stem/);
      assert.doesNotMatch(symbols[1].name, /stem|classifier/);
      assert.match(symbols[2].name, /classifier/);
      assert.match(symbols[0].detail ?? '', /conv2d/i);
      assert.match(symbols[2].detail ?? '', /linear/i);
      const starts = ['name: stem', 'out_offset: 0x0000', 'name: classifier'].map((k) => positionOf(text, k));
      symbols.forEach((sym, i) => {
        assert.deepStrictEqual(sym.range.start, starts[i], `layer ${i} starts at its first key`);
        assert.ok(sym.selectionRange.start.line >= sym.range.start.line && sym.selectionRange.end.line <= sym.range.end.line, 'selection inside the range');
        if (i > 0) assert.ok(!isBefore(sym.range.start, symbols[i - 1].range.end), 'layers do not overlap');
      });
      const lastValueEnd = positionOf(text, 'activate: None', 'activate: None'.length);
      assert.ok(!isBefore(symbols[2].range.end, lastValueEnd), 'the last layer reaches its last value');
    });
  });
});
