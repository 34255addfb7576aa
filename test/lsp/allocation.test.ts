// LSP: the allocator in the editor — the ai8x/allocate request (edits the client applies as one change), the
// "Allocate processors and memory" source action, quick fixes on findings an allocation removes (this layer
// alone when that is enough), and the allocator's reason in the hover on processors and offsets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionRequest, Diagnostic, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { ALLOCATE_ACTION_KIND, AllocateRequest } from '../../server/src/protocol';
import { LspSession } from '../support/lspSession';
import { positionOf } from '../support/markers';
import { TINY_TEST_NETWORK, writeTinyTestCheckout } from '../support/testNetworkFixture';

function applyLspEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)))
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe('LSP: allocation', function () {
  this.timeout(60_000);
  let checkout: string;
  let s: LspSession;
  let n = 0;

  before(async () => {
    checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-alloc-'));
    writeTinyTestCheckout(checkout);
    s = await LspSession.start({ settings: {}, workspaceFolders: [checkout] });
  });
  after(() => {
    s?.dispose();
    fs.rmSync(checkout, { recursive: true, force: true });
  });

  const open = async (text: string) => {
    const file = path.join(checkout, 'tests', `alloc-${++n}.yaml`);
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await s.open(uri, text, 1);
    const { diagnostics } = await s.diagnosticsFor(uri, 1, 20000);
    return { uri, diagnostics };
  };
  const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 1);

  it('ai8x/allocate fills in a network without processors and offsets; the edited text checks clean', async () => {
    const bare = TINY_TEST_NETWORK.replace(/^ {4}(processors|in_offset|out_offset): .*\n/gm, '');
    const { uri, diagnostics } = await open(bare);
    assert.ok(errors(diagnostics).length > 0, 'the bare network has errors');
    const r = await s.conn.sendRequest(AllocateRequest, { uri });
    assert.equal(r.ok, true, r.ok ? '' : r.message);
    if (!r.ok) return;
    assert.equal(r.changed, true);
    assert.deepEqual(
      r.layers.map((l) => [l.ll, l.processors]),
      [
        [0, '0x0000000000000007'],
        [1, r.layers[1].processors],
      ],
    );
    assert.match(r.layers[0].reason, /3 channels → 3 processors/);
    const fixed = applyLspEdits(bare, r.edits);
    const again = await open(fixed);
    assert.deepEqual(errors(again.diagnostics), []);
  });

  it('a wrong mask gets a quick fix for that layer alone, and the source action covers the network', async () => {
    const wrong = TINY_TEST_NETWORK.replace('processors: 0x000000000000000f', 'processors: 0x0000000000000003');
    const { uri, diagnostics } = await open(wrong);
    const d = diagnostics.find((x) => x.code === 'IZ222');
    assert.ok(d, JSON.stringify(diagnostics.map((x) => x.code)));
    const actions = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as CodeAction[];
    const local = actions.find((a) => a.title === "Use the allocator's processors and offsets for this layer");
    assert.ok(local, actions.map((a) => a.title).join(' | '));
    const fixed = applyLspEdits(wrong, local.edit!.changes![uri]);
    assert.equal(errors((await open(fixed)).diagnostics).length, 0);

    const source = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: [ALLOCATE_ACTION_KIND] },
    })) as CodeAction[];
    assert.deepEqual(
      source.map((a) => [a.kind, a.title]),
      [[ALLOCATE_ACTION_KIND, 'Allocate processors and memory for the whole network']],
    );
  });

  it('the hover on processors and offsets says what the allocator would choose, and why', async () => {
    const { uri } = await open(TINY_TEST_NETWORK);
    const h = await s.hover(uri, positionOf(TINY_TEST_NETWORK, 'processors: 0x0000000000000007', 13));
    const text = (h!.contents as MarkupContent).value;
    assert.match(text, /\*\*Allocator\*\*.*chooses the same: `0x0000000000000007` — 3 channels → 3 processors/);
    const off = await s.hover(uri, positionOf(TINY_TEST_NETWORK, 'out_offset: 0x2000', 13));
    assert.match((off!.contents as MarkupContent).value, /\*\*Allocator\*\*/);
  });

  it('a network without weights: a clear refusal, no actions', async () => {
    const { uri } = await open(TINY_TEST_NETWORK.replace('dataset: Tiny_Set', 'dataset: no_such_set'));
    const r = await s.conn.sendRequest(AllocateRequest, { uri });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /weights|fix this first/);
  });
});
