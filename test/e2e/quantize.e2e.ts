// ---- Quantizing in the editor: a network whose checkpoint holds training weights (AX202) is fixed by the quick fix,
// which runs ai8x: Quantize Checkpoint; the picker marks which checkpoints are quantized. The files are written here
// by the project's own checkpoint writer. ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { EXAMPLE_NETWORK_YAML, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { exampleTrainingCheckpointBytes } from '../support/trainingCheckpoint';
import { activateExtension, codeOf, diagnosticsFor, workspaceFile } from './helpers';

describe('quantizing a training checkpoint in a real VS Code', function () {
  this.timeout(90000);
  let dir: string;
  let network: vscode.Uri;

  before(async () => {
    await activateExtension();
    dir = workspaceFile('quantize-e2e').fsPath;
    nodeFs.rmSync(dir, { recursive: true, force: true });
    nodeFs.mkdirSync(dir, { recursive: true });
    nodeFs.writeFileSync(nodePath.join(dir, 'tinynet.pth.tar'), exampleTrainingCheckpointBytes());
    nodeFs.writeFileSync(nodePath.join(dir, 'sample_tinynet.npy'), exampleSampleBytes());
    nodeFs.writeFileSync(nodePath.join(dir, 'tinynet.yaml'), EXAMPLE_NETWORK_YAML.replace('checkpoint=tinynet-q.pth.tar', 'checkpoint=tinynet.pth.tar'));
    network = vscode.Uri.file(nodePath.join(dir, 'tinynet.yaml'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    nodeFs.rmSync(dir, { recursive: true, force: true });
  });

  it('an unquantized checkpoint (AX202) → the quick fix quantizes it into tinynet-q.pth.tar and points the modeline at it → a clean check', async () => {
    const doc = await vscode.workspace.openTextDocument(network);
    await vscode.window.showTextDocument(doc);
    const before = await diagnosticsFor(network, (d) => d.some((x) => codeOf(x) === 'AX202'), 30000);
    const ax202 = before.find((x) => codeOf(x) === 'AX202')!;
    assert.match(ax202.message, /not integers.*Is this a quantized checkpoint/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', network, ax202.range);
    const fix = actions.find((a) => a.command?.command === 'ai8x.quantizeCheckpoint');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.strictEqual(fix.title, 'Quantize tinynet.pth.tar into tinynet-q.pth.tar (as quantize.py does) and use it');
    const written = await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.strictEqual(written, nodePath.join(dir, 'tinynet-q.pth.tar'));
    assert.ok(nodeFs.statSync(nodePath.join(dir, 'tinynet-q.pth.tar')).size > 0);
    assert.match(doc.getText(), /^# ai8x: device=MAX78000 checkpoint=tinynet-q\.pth\.tar /m);
    const after = await diagnosticsFor(network, (d) => !d.some((x) => codeOf(x) === 'AX202'), 30000);
    assert.deepStrictEqual(
      after.map((x) => `${codeOf(x)} ${x.message}`),
      [],
      'the check is clean with the quantized checkpoint',
    );
    await doc.save();
  });

  it('the checkpoint picker marks the quantized file and the training one; choosing the training one offers to quantize it', async () => {
    type Item = { file: string; label: string; detail: string };
    const items = (await vscode.commands.executeCommand('ai8x.selectCheckpoint', network.toString(), { describe: true })) as Item[];
    const item = (name: string) => items.find((i) => nodePath.basename(i.file) === name);
    assert.match(item('tinynet-q.pth.tar')?.label ?? '', /^\$\(pass\) tinynet-q\.pth\.tar$/, JSON.stringify(items));
    assert.match(item('tinynet-q.pth.tar')?.detail ?? '', /quantized \(its weights are integers\)/);
    assert.match(item('tinynet.pth.tar')?.label ?? '', /^\$\(warning\) tinynet\.pth\.tar$/);
    assert.match(item('tinynet.pth.tar')?.detail ?? '', /training weights, not quantized: choosing it offers to quantize it/);
    // Choosing it (scripted: quantize, use the -q file that is there, in this session): the network uses tinynet-q.
    const chosen = await vscode.commands.executeCommand('ai8x.selectCheckpoint', network.toString(), {
      file: nodePath.join(dir, 'tinynet.pth.tar'),
      quantize: true,
      replace: false,
      keep: true,
    });
    assert.strictEqual(chosen, nodePath.join(dir, 'tinynet-q.pth.tar'));
  });
});
