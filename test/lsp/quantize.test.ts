// LSP: quantizing a training checkpoint from the editor — the quick fix on AX202 (it runs ai8x.quantizeCheckpoint
// with the network and its checkpoint), the ai8x/quantizeCheckpoint request (writes <name>-q.pth.tar, never over an
// existing file unless asked), and ai8x/checkpointStates, which tells the picker which files are quantized.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionRequest } from 'vscode-languageserver-protocol';
import { CheckpointStatesRequest, QUANTIZE_COMMAND, QuantizeCheckpointRequest } from '../../server/src/protocol';
import { EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { LspSession } from '../support/lspSession';
import { exampleTrainingCheckpointBytes } from '../support/trainingCheckpoint';

describe('LSP: quantize a training checkpoint', function () {
  this.timeout(60_000);
  let dir: string;
  let s: LspSession;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lsp-quantize-'));
    fs.writeFileSync(path.join(dir, 'tinynet.pth.tar'), exampleTrainingCheckpointBytes());
    fs.writeFileSync(path.join(dir, 'shipped-q.pth.tar'), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, 'sample_tinynet.npy'), exampleSampleBytes());
    fs.writeFileSync(path.join(dir, 'broken.pth.tar'), 'not a checkpoint');
    s = await LspSession.start({ settings: {}, workspaceFolders: [dir] });
  });
  after(() => {
    s?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('AX202 offers "Quantize tinynet.pth.tar into tinynet-q.pth.tar", which runs ai8x.quantizeCheckpoint on the network and checkpoint', async () => {
    const text = EXAMPLE_NETWORK_YAML.replace('checkpoint=tinynet-q.pth.tar', 'checkpoint=tinynet.pth.tar');
    const file = path.join(dir, 'tinynet.yaml');
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await s.open(uri, text, 1);
    const { diagnostics } = await s.diagnosticsFor(uri, 1, 20_000);
    const unquantized = diagnostics.filter((d) => d.code === 'AX202');
    assert.equal(unquantized.length, 4, JSON.stringify(diagnostics.map((d) => d.code)));
    const actions = (await s.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: unquantized[0].range,
      context: { diagnostics: [unquantized[0]] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.command?.command === QUANTIZE_COMMAND);
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.title, 'Quantize tinynet.pth.tar into tinynet-q.pth.tar (as quantize.py does) and use it');
    assert.deepEqual(fix.command!.arguments, [uri, path.join(dir, 'tinynet.pth.tar')]);
    assert.deepEqual(
      fix.diagnostics?.map((d) => d.code),
      ['AX202'],
    );
    assert.equal(fix.isPreferred, true);
  });

  it('ai8x/quantizeCheckpoint writes <name>-q.pth.tar next to the input, then says `exists` until asked to replace it', async () => {
    const input = path.join(dir, 'tinynet.pth.tar');
    const first = await s.conn.sendRequest(QuantizeCheckpointRequest, { input, device: 'MAX78000' });
    assert.deepEqual(first, { ok: true, output: path.join(dir, 'tinynet-q.pth.tar'), layers: 4, bits: [8], clippingMethod: 'MAX_BIT_SHIFT', warnings: [] });
    const written = fs.statSync(path.join(dir, 'tinynet-q.pth.tar')).mtimeMs;
    const again = await s.conn.sendRequest(QuantizeCheckpointRequest, { input, device: 'MAX78000' });
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.reason, 'exists');
    assert.equal(fs.statSync(path.join(dir, 'tinynet-q.pth.tar')).mtimeMs, written, 'not replaced');
    const replaced = await s.conn.sendRequest(QuantizeCheckpointRequest, { input, device: 'MAX78000', replace: true });
    assert.equal(replaced.ok, true);
    const broken = await s.conn.sendRequest(QuantizeCheckpointRequest, { input: path.join(dir, 'broken.pth.tar'), device: 'MAX78000' });
    assert.equal(broken.ok, false);
    assert.match(!broken.ok ? `${broken.reason}: ${broken.message}` : '', /^io: cannot read .*broken\.pth\.tar: This is not a PyTorch checkpoint/);
  });

  it('ai8x/checkpointStates tells quantized files from training ones by their weights, whatever their names', async () => {
    const files = ['tinynet.pth.tar', 'tinynet-q.pth.tar', 'shipped-q.pth.tar', 'broken.pth.tar', 'missing.pth.tar'].map((f) => path.join(dir, f));
    const r = await s.conn.sendRequest(CheckpointStatesRequest, { files });
    assert.deepEqual(r.states, ['training', 'quantized', 'quantized', 'unreadable', 'unreadable']);
  });
});
