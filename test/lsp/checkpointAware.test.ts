// The language server with a checkpoint associated: a shipped network with its checkpoint is clean; a
// wrong mask gives the checkpoint-aware diagnostics; the association comes from a modeline or from a
// gen-demos script in the workspace; a changed checkpoint file on disk is picked up.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { LspSession, messageOf } from '../support/lspSession';
import { requireShared, sharedDir } from '../support/shared';

describe('LSP: checkpoint-aware diagnostics', function () {
  this.timeout(60000);
  let dir: string;
  let session: LspSession | undefined;

  before(function () {
    requireShared(this, 'ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-ckpt-'));
    fs.mkdirSync(path.join(dir, 'networks'));
    fs.mkdirSync(path.join(dir, 'trained'));
    fs.mkdirSync(path.join(dir, 'tests'));
    fs.symlinkSync(sharedDir('ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar'), path.join(dir, 'trained', 'ai85-mnist-qat8-q.pth.tar'));
    fs.symlinkSync(sharedDir('ai8x-synthesis', 'tests', 'sample_mnist.npy'), path.join(dir, 'tests', 'sample_mnist.npy'));
  });
  afterEach(() => {
    session?.dispose();
    session = undefined;
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const mnist = () => fs.readFileSync(sharedDir('ai8x-synthesis', 'networks', 'mnist-chw-ai85.yaml'), 'utf8');
  const errorCodes = (p: { diagnostics: { severity?: number; code?: string | number }[] }) =>
    p.diagnostics.filter((d) => d.severity === 1).map((d) => String(d.code));

  it('a shipped network with its checkpoint (from a modeline) is clean; a wrong mask is flagged; the fix clears it', async () => {
    const file = path.join(dir, 'networks', 'mnist-modeline.yaml');
    const text = `# ai8x: device=MAX78000 checkpoint=../trained/ai85-mnist-qat8-q.pth.tar izer-flags="--softmax"\n` + mnist();
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    session = await LspSession.start({ settings: {} });
    await session.open(uri, text, 1);
    const first = await session.diagnosticsFor(uri, 1);
    assert.deepStrictEqual(errorCodes(first), [], 'no errors with the right checkpoint');

    const broken = text.replace('processors: 0xfffffffffffffff0\n    op: conv2d', 'processors: 0x00000000ffffffff\n    op: conv2d');
    assert.notStrictEqual(broken, text);
    await session.change(uri, 2, [{ text: broken }]);
    const second = await session.diagnosticsFor(uri, 2);
    assert.ok(errorCodes(second).includes('IZ222'), `expected IZ222, got ${errorCodes(second).join(', ')}`);
    const d = second.diagnostics.find((x) => x.code === 'IZ222')!;
    assert.strictEqual(broken.split('\n')[d.range.start.line].trim(), 'processors: 0x00000000ffffffff', 'on the mask that is wrong');
    assert.match(messageOf(d), /60 input channels/);

    await session.change(uri, 3, [{ text }]);
    const third = await session.diagnosticsFor(uri, 3);
    assert.deepStrictEqual(errorCodes(third), []);
  });

  it('finds the checkpoint and flags through a gen-demos script, and re-checks when the checkpoint changes on disk', async () => {
    const file = path.join(dir, 'networks', 'mnist-script.yaml');
    const text = mnist();
    fs.writeFileSync(file, text);
    const ckpt = path.join(dir, 'trained', 'other-q.pth.tar');
    fs.copyFileSync(sharedDir('ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar'), ckpt);
    fs.writeFileSync(
      path.join(dir, 'gen-demos-max78000.sh'),
      '#!/bin/sh\nDEVICE="MAX78000"\nTARGET="sdk/Examples/$DEVICE/CNN"\nCOMMON_ARGS="--device $DEVICE --timer 0 --display-checkpoint --verbose"\n\n' +
        'python ai8xize.py --test-dir $TARGET --prefix mnist --checkpoint-file trained/other-q.pth.tar --config-file networks/mnist-script.yaml --softmax $COMMON_ARGS "$@"\n',
    );
    const uri = pathToFileURL(file).href;
    session = await LspSession.start({ settings: {}, workspaceFolders: [dir] });
    await session.open(uri, text, 1);
    const first = await session.diagnosticsFor(uri, 1);
    assert.deepStrictEqual(errorCodes(first), [], 'clean with the script-associated checkpoint');

    // Replace the checkpoint on disk with one for another architecture: the server re-checks without an edit.
    fs.copyFileSync(sharedDir('ai8x-synthesis', 'trained', 'ai85-cifar10-qat8-q.pth.tar'), ckpt);
    const before = session.published.length;
    await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(ckpt).href, type: FileChangeType.Changed }] });
    const next = await session.nextDiagnostics(uri, before);
    assert.ok(errorCodes(next).includes('IZ067'), `expected the arch mismatch IZ067, got ${errorCodes(next).join(', ')}`);
  });
});
