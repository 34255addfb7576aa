// ---- Getting started: the walkthrough's steps, one after the other, as a newcomer clicks them ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import type { SynthesisOutcome } from '../../server/src/synthesis/synthesize';
import { makeStandIn, tempDir } from '../unit/synthesis/standIn';
import type { SimulatorOutcome } from '../../client/src/simulator/registerSimulator';
import { EXAMPLE_NETWORK_YAML, exampleCheckpointBytes } from '../../server/src/example/exampleNetwork';
import type { MapViewShown } from '../../client/src/views/registerMapViews';
import type { OpenExampleResult } from '../../client/src/gettingStarted';
import { workspaceFile, activateExtension, workbenchShot } from './helpers';

describe('getting started in a real VS Code', function () {
  this.timeout(90000);
  let root: string;
  let decoys: string;
  let standIn: ReturnType<typeof makeStandIn>;
  const api = async () => (await activateExtension()).exports as { statusBarText(): string; networkUris(): string[] };

  before(async () => {
    await activateExtension();
    root = tempDir('e2e-getting-started');
    standIn = makeStandIn(root);
    // Checkpoints in the workspace for the picker: the right one among others.
    decoys = workspaceFile('trained-e2e').fsPath;
    nodeFs.mkdirSync(decoys, { recursive: true });
    nodeFs.writeFileSync(nodePath.join(decoys, 'ai85-tinynet-qat8-q.pth.tar'), exampleCheckpointBytes());
    for (const n of ['ai85-mnist-qat8-q.pth.tar', 'ai87-tinynet-qat8-q.pth.tar', 'ai85-kws20_v3-qat8-q.pth.tar', 'tinynet-train.pth.tar'])
      nodeFs.writeFileSync(nodePath.join(decoys, n), 'not a checkpoint');
  });
  after(async () => {
    const c = vscode.workspace.getConfiguration('ai8x');
    for (const s of ['synthesis.path', 'python', 'synthesis.outputFolder']) await c.update(s, undefined, vscode.ConfigurationTarget.Global);
    nodeFs.rmSync(decoys, { recursive: true, force: true });
    nodeFs.rmSync(root, { recursive: true, force: true });
  });

  it('the walkthrough opens, and every button in it runs a command the extension has', async () => {
    const ext = await activateExtension();
    const walkthrough = (ext.packageJSON.contributes.walkthroughs as { id: string; steps: { title: string; description: string }[] }[])[0];
    const commands = new Set(await vscode.commands.getCommands(true));
    const linked = walkthrough.steps.flatMap((s) => [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
    assert.ok(linked.length >= 7, linked.join(', '));
    for (const c of linked) assert.ok(commands.has(c), `the walkthrough's ${c} is a command`);
    await vscode.commands.executeCommand('ai8x.gettingStarted');
    const facts = await workbenchShot('walkthrough');
    if (facts) {
      assert.match(facts.activeTab ?? '', /Walkthrough|Welcome/, JSON.stringify(facts));
      for (const s of walkthrough.steps) assert.ok(facts.walkthrough.includes(s.title), `step "${s.title}" shown: ${facts.walkthrough.join(' | ')}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('1. opens the example, checked, with its device and checkpoint in the status bar', async () => {
    const r = (await vscode.commands.executeCommand('ai8x.openExample', nodePath.join(root, 'example'))) as OpenExampleResult;
    assert.deepStrictEqual(r.written.map((f) => nodePath.basename(f)).sort(), ['sample_tinynet.npy', 'tinynet-q.pth.tar', 'tinynet.yaml']);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, r.network);
    const a = await api();
    const deadline = Date.now() + 15000;
    while (!/MAX78000 · tinynet-q\.pth\.tar/.test(a.statusBarText())) {
      if (Date.now() > deadline) assert.fail(`status bar: "${a.statusBarText()}"`);
      await new Promise((res) => setTimeout(res, 100));
    }
    // Opening it again keeps what is there.
    nodeFs.appendFileSync(r.network, '# my note\n');
    const again = (await vscode.commands.executeCommand('ai8x.openExample', nodePath.join(root, 'example'))) as OpenExampleResult;
    assert.deepStrictEqual(again.kept, [r.network]);
    assert.match(nodeFs.readFileSync(r.network, 'utf8'), /# my note/);
    const facts = await workbenchShot('getting-started-example');
    if (facts)
      assert.ok(
        facts.statusBar.some((s) => /MAX78000 · tinynet-q\.pth\.tar/.test(s)),
        facts.statusBar.join(' | '),
      );
  });

  it("2. the checkpoint picker lists the workspace's checkpoints, the best name match first; picking one shows in the status bar", async () => {
    const file = nodePath.join(root, 'example', 'tinynet-bare.yaml');
    nodeFs.writeFileSync(file, EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*\n/m, ''));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const a = await api();
    const deadline = Date.now() + 15000;
    while (!/no checkpoint/.test(a.statusBarText())) {
      if (Date.now() > deadline) assert.fail(`status bar: "${a.statusBarText()}"`);
      await new Promise((res) => setTimeout(res, 100));
    }
    const listed = (await vscode.commands.executeCommand('ai8x.selectCheckpoint', uri.toString(), { list: true })) as string[];
    const names = listed.map((f) => nodePath.basename(f));
    assert.strictEqual(names.length, 5, names.join(', '));
    assert.strictEqual(names[0], 'ai85-tinynet-qat8-q.pth.tar', names.join(', '));
    assert.deepStrictEqual(names.slice(3).sort(), ['ai85-kws20_v3-qat8-q.pth.tar', 'ai85-mnist-qat8-q.pth.tar'], 'other models last');
    const chosen = await vscode.commands.executeCommand('ai8x.selectCheckpoint', uri.toString(), { file: listed[0], keep: false });
    assert.strictEqual(chosen, listed[0]);
    const until = Date.now() + 15000;
    while (!/MAX78000 · ai85-tinynet-qat8-q\.pth\.tar/.test(a.statusBarText())) {
      if (Date.now() > until) assert.fail(`status bar: "${a.statusBarText()}"`);
      await new Promise((res) => setTimeout(res, 100));
    }
    // Now the checkpoint-aware checks run: the inlay hints know the shapes.
    const doc = await vscode.workspace.openTextDocument(uri);
    let labels: string[] = [];
    for (let i = 0; i < 100 && labels.length !== 4; i++) {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, new vscode.Range(0, 0, doc.lineCount, 0));
      labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.strictEqual(labels.length, 4, labels.join(' | '));
  });

  it('3–5. the maps, the simulator and synthesis work on the example', async () => {
    const network = vscode.Uri.file(nodePath.join(root, 'example', 'tinynet.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    const kernel = await vscode.commands.executeCommand<MapViewShown>('ai8x.showKernelMap', network);
    assert.strictEqual(kernel.rendered?.available, true);
    const memory = await vscode.commands.executeCommand<MapViewShown>('ai8x.showDataMemoryMap', network);
    assert.strictEqual(memory.rendered?.available, true);
    const sim = (await vscode.commands.executeCommand('ai8x.runSimulator', network, { input: { kind: 'associated' } })) as SimulatorOutcome;
    assert.strictEqual(sim.status, 'ok');
    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('synthesis.path', standIn.dir, vscode.ConfigurationTarget.Global);
    await c.update('python', standIn.python, vscode.ConfigurationTarget.Global);
    await c.update('synthesis.outputFolder', nodePath.join(root, 'projects'), vscode.ConfigurationTarget.Global);
    standIn.behave({});
    const done: string[] = [];
    const outcome = (await vscode.commands.executeCommand('ai8x.synthesize', network, {
      overwrite: 'cancel',
      notes: { done: (m: string) => done.push(m) },
    })) as SynthesisOutcome | undefined;
    assert.strictEqual(outcome?.status, 'ok', outcome?.problem);
    assert.ok(nodeFs.existsSync(nodePath.join(root, 'projects', 'tinynet', 'cnn.c')));
    assert.match(done[0], /Build it with the MSDK/);
    await workbenchShot('getting-started-done');
  });
});
