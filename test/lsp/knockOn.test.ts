// Knock-on findings (issue 12, item 4): a misspelled `pool_stride` leaves a layer without its stride, so later
// layers see the wrong shape. The findings that go away when the typo is fixed say "because of" it, carry related
// information pointing at it, and their quick fix is the typo's fix (not a mask for the network as mistyped).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionRequest, Diagnostic, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { checkNetwork } from '../../server/src/engine/check';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { readNpy } from '../../server/src/engine/sample/npy';
import { LspSession, messageOf } from '../support/lspSession';
import { requireShared, sharedDir } from '../support/shared';
import { checkFixture, EXAMPLE, withModeline, writeFixtureInputs } from './editorFeaturesFixtures';

/** The example with conv2's `pool_stride` misspelled. */
const TYPO = EXAMPLE.yaml.replace('    pool_stride: 2\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    name: conv2', (s) =>
  s.replace('pool_stride', 'pool_strid'),
);
const lineOf = (text: string, needle: string, nth = 0) => {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return text.slice(0, at).split('\n').length - 1;
};

describe('knock-on findings (engine)', () => {
  it('links the findings a misspelled key causes to it, and leaves the others alone', () => {
    assert.notStrictEqual(TYPO, EXAMPLE.yaml);
    const r = checkFixture(EXAMPLE, TYPO);
    const typo = r.diagnostics.find((d) => d.code === 'IZ016');
    assert.ok(typo, r.diagnostics.map((d) => d.code).join(', '));
    assert.strictEqual(typo!.causes, undefined, 'the typo itself is no knock-on');
    const knockOn = r.diagnostics.filter((d) => d.causes);
    // Layer 1 pools without a stride (IZ060), so fc sees 16×7×7: wrong size (IZ277) and, as izer reasons, 5 channels (IZ222).
    assert.deepStrictEqual(knockOn.map((d) => `${d.code}@${d.layer}`).sort(), ['IZ060@1', 'IZ222@3', 'IZ277@3']);
    for (const d of knockOn) {
      assert.match(d.message, / — because of the unknown key `pool_strid` on line \d+ \(did you mean `pool_stride`\?\)$/);
      assert.deepStrictEqual(d.related?.at(-1)?.range, typo!.range);
    }
    // A finding that has nothing to do with the typo stays as it was.
    const both = checkFixture(
      EXAMPLE,
      TYPO.replace('kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    name: conv3', 'kernel_size: 5x5\n    pad: 1\n    activate: ReLU\n    name: conv3'),
    );
    const kernel = both.diagnostics.find((d) => d.code === 'IZ040');
    assert.ok(kernel, both.diagnostics.map((d) => d.code).join(', '));
    assert.strictEqual(kernel!.causes, undefined);
    assert.doesNotMatch(kernel!.message, /because of/);
  });

  it('a misspelled value (an operation) is a cause too: the checkpoint mismatch it makes points to it', () => {
    const r = checkFixture(EXAMPLE, EXAMPLE.yaml.replace('op: mlp', 'op: mpl'));
    const typo = r.diagnostics.find((d) => d.code === 'IZ029');
    assert.ok(typo && typo.fix?.kind === 'replaceValue' && typo.fix.typo);
    const knockOn = r.diagnostics.filter((d) => d.causes);
    assert.deepStrictEqual(
      knockOn.map((d) => d.code),
      ['IZ074'],
    );
    assert.match(knockOn[0].message, /— because of the unknown value `mpl` on line \d+ \(did you mean `mlp`\?\)$/);
  });

  it('on a shipped network with its checkpoint (mnist), every finding but the typo goes back to it', function () {
    requireShared(this, 'ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar');
    const text = fs.readFileSync(sharedDir('ai8x-synthesis', 'networks', 'mnist-chw-ai85.yaml'), 'utf8');
    const at = text.indexOf('pool_stride');
    assert.ok(at > 0);
    const typo = text.slice(0, at) + 'pool_strid' + text.slice(at + 'pool_stride'.length);
    const r = checkNetwork({
      text: typo,
      fileName: 'mnist-chw-ai85.yaml',
      izerFlags: ['--softmax'],
      resolveInputs: () => ({
        checkpoint: readCheckpoint(new Uint8Array(fs.readFileSync(sharedDir('ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar')))),
        checkpointPath: 'ai85-mnist-qat8-q.pth.tar',
        sample: readNpy(new Uint8Array(fs.readFileSync(sharedDir('ai8x-synthesis', 'tests', 'sample_mnist.npy')))),
      }),
    });
    const problems = r.diagnostics.filter((d) => d.severity !== 'information');
    assert.ok(problems.length >= 3, `several findings from one typo: ${problems.map((d) => d.code).join(', ')}`);
    const unlinked = problems.filter((d) => d.code !== 'IZ016' && !d.causes);
    assert.deepStrictEqual(
      unlinked.map((d) => `${d.code} ${d.message}`),
      [],
    );
  });
});

describe('LSP: knock-on findings', function () {
  this.timeout(60000);
  let dir: string;
  let s: LspSession;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-knockon-'));
    writeFixtureInputs(dir);
    s = await LspSession.start({ settings: {}, workspaceFolders: [dir] });
  });
  after(() => {
    s?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes relatedInformation to the typo, and offers the typo fix (not a mask) on the knock-on IZ222', async () => {
    const text = withModeline(EXAMPLE, TYPO);
    const file = path.join(dir, 'typo.yaml');
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await s.open(uri, text, 1);
    const { diagnostics } = await s.diagnosticsFor(uri, 1, 20000);
    const typoLine = lineOf(text, 'pool_strid:');
    const typo = diagnostics.find((d) => d.code === 'IZ016');
    assert.strictEqual(typo?.range.start.line, typoLine);
    const mask = diagnostics.find((d) => d.code === 'IZ222');
    assert.ok(mask, diagnostics.map((d) => d.code).join(', '));
    assert.strictEqual(mask!.range.start.line, lineOf(text, '- processors: 0x000000000000ffff', 1), 'on the fc layer');
    assert.match(messageOf(mask!), /because of the unknown key `pool_strid` on line (\d+)/);
    assert.strictEqual(Number(/on line (\d+)/.exec(messageOf(mask!))![1]), typoLine + 1);
    const rel = mask!.relatedInformation ?? [];
    assert.ok(
      rel.some((r) => r.location.uri === uri && r.location.range.start.line === typoLine && /pool_stride/.test(r.message)),
      JSON.stringify(rel),
    );

    const actions = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: mask!.range,
      context: { diagnostics: [mask as Diagnostic] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(!titles.some((t) => /^Use 0x/.test(t)), `no mask for the network as mistyped: ${titles.join(' | ')}`);
    const cause = actions.find((a) => a.title === 'Change `pool_strid` to `pool_stride` (the cause)');
    assert.ok(cause, titles.join(' | '));
    assert.ok(cause!.isPreferred);
    const edits = (cause!.edit as WorkspaceEdit).changes![uri];
    assert.deepStrictEqual(
      edits.map((e) => [e.range.start.line, e.newText]),
      [[typoLine, 'pool_stride']],
    );
  });
});
