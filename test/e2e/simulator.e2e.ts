// ---- Simulator ("ai8x: Run Simulator") on the built-in example, written to a temporary folder ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import * as nodeOs from 'node:os';
import { e2eLog } from './log';
import type { SimulatorOutcome } from '../../client/src/simulator/registerSimulator';
import type { FolderExport } from '../../client/src/simulator/simulatorExports';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { readNpy } from '../../server/src/engine/sample/npy';
import { convStack } from '../support/simulationFixtures';
import type { MapViewShown } from '../../client/src/views/registerMapViews';
import { activateExtension, positionOf } from './helpers';

describe('simulator in a real VS Code', function () {
  this.timeout(60000);
  let root: string;
  let network: vscode.Uri;

  const simulatorTabs = () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('ai8x.simulator'));
  const runSimulator = (uri: vscode.Uri, options: Record<string, unknown>) =>
    vscode.commands.executeCommand('ai8x.runSimulator', uri, options) as Thenable<SimulatorOutcome | undefined>;

  before(async () => {
    await activateExtension();
    root = nodeFs.mkdtempSync(nodePath.join(nodeOs.tmpdir(), 'ai8x-e2e-sim-'));
    nodeFs.writeFileSync(nodePath.join(root, EXAMPLE_FILES.network), EXAMPLE_NETWORK_YAML);
    nodeFs.writeFileSync(nodePath.join(root, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    nodeFs.writeFileSync(nodePath.join(root, EXAMPLE_FILES.sample), exampleSampleBytes());
    network = vscode.Uri.file(nodePath.join(root, EXAMPLE_FILES.network));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
  });
  after(() => {
    if (root) nodeFs.rmSync(root, { recursive: true, force: true });
  });

  it('runs the simulator on the example network and shows the results view', async () => {
    const progress: string[] = [];
    const outcome = await runSimulator(network, { observer: { progress: (m: string) => progress.push(m) } });
    assert.ok(outcome, 'the command ran');
    assert.strictEqual(outcome!.status, 'ok', JSON.stringify(outcome!.result));
    const r = outcome!.result!;
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepStrictEqual(
      r.layers.map((l) => l.shape.join('x')),
      ['8x16x16', '16x8x8', '16x4x4', '10x1x1'],
    );
    assert.strictEqual(r.input.label, EXAMPLE_FILES.sample);
    assert.strictEqual(r.knownAnswerWords, 10);
    assert.strictEqual(r.output.top!.length, 5);
    assert.deepStrictEqual(outcome!.rendered, { layers: 4, failed: false }, 'the view drew the four layers');
    const tabs = simulatorTabs();
    assert.strictEqual(tabs.length, 1);
    assert.strictEqual(tabs[0].label, 'Simulation: tinynet.yaml');
    assert.ok(
      progress.some((m) => /layer 3 \(fc\), 4 of 4/.test(m)),
      `progress: ${progress.join(' | ')}`,
    );
    e2eLog(`      simulated ${r.layers.length} layers, ${r.totalMacs} MACs in ${r.ms.toFixed(1)} ms; top class ${r.output.top![0].index}`);
  });

  it('reuses the view for a random input and exports every layer to a folder, keeping a file that exists', async () => {
    const outcome = await runSimulator(network, { input: { kind: 'random', seed: 5 } });
    assert.strictEqual(outcome!.status, 'ok');
    assert.strictEqual(simulatorTabs().length, 1, 'one view per network');
    const folder = nodePath.join(root, 'tensors');
    nodeFs.mkdirSync(folder);
    const mine = nodePath.join(folder, 'tinynet-layer00-conv1.npy');
    nodeFs.writeFileSync(mine, 'my file');
    const out = (await vscode.commands.executeCommand('ai8x.simulator.exportAllLayersTo', network, folder, 'keep')) as FolderExport;
    assert.deepStrictEqual(out.kept, [mine]);
    assert.strictEqual(nodeFs.readFileSync(mine, 'utf8'), 'my file', 'the existing file is untouched');
    assert.deepStrictEqual(
      out.written.map((f) => nodePath.basename(f)),
      ['tinynet-layer01-conv2.npy', 'tinynet-layer02-conv3.npy', 'tinynet-layer03-fc.npy'],
    );
    const fc = readNpy(new Uint8Array(nodeFs.readFileSync(out.written[2])));
    assert.deepStrictEqual(fc.shape, [10, 1, 1]);
    const r = outcome!.result!;
    assert.ok(r.ok && r.output.values.every((v, i) => v === fc.values[i]), 'the exported output equals the shown one');
  });

  it('reports a network without a checkpoint in the view', async () => {
    const file = nodePath.join(root, 'no-checkpoint.yaml');
    nodeFs.writeFileSync(file, EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, '# ai8x: device=MAX78000'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const outcome = await runSimulator(uri, { input: { kind: 'associated' } });
    assert.strictEqual(outcome!.status, 'failed');
    assert.ok(outcome!.result && !outcome!.result.ok && outcome!.result.reason === 'no-checkpoint');
    assert.deepStrictEqual(outcome!.rendered, { layers: 0, failed: true });
  });

  it('without a checkpoint says so at once, without asking for an input first', async () => {
    const file = nodePath.join(root, 'no-checkpoint-ask.yaml');
    // No checkpoint and no sample: before, the command asked for the input source, a seed and a shape first.
    nodeFs.writeFileSync(file, EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, '# ai8x: device=MAX78000'));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const asked = new Promise<'asked'>((r) => setTimeout(() => r('asked'), 8000));
    const outcome = await Promise.race([runSimulator(uri, {}), asked]);
    if (outcome === 'asked') {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.fail('the simulator asked for an input (or hung) instead of reporting the missing checkpoint');
    }
    assert.strictEqual(outcome!.status, 'failed');
    assert.ok(outcome!.result && !outcome!.result.ok && outcome!.result.reason === 'no-checkpoint', JSON.stringify(outcome!.result));
    // The view's "Random…" button goes the same way.
    const viaButton = await Promise.race([runSimulator(uri, { inputKind: 'random' }), asked]);
    assert.notStrictEqual(viaButton, 'asked', 'the Random… button asked for a seed without a checkpoint');
    assert.strictEqual((viaButton as SimulatorOutcome).result?.ok, false);
  });

  it('a random input on a network without a sample: Enter accepts the offered seed and shape', async () => {
    const file = nodePath.join(root, 'no-sample.yaml');
    nodeFs.writeFileSync(file, EXAMPLE_NETWORK_YAML.replace(/ sample-input=\S+/, ''));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const running = runSimulator(uri, { inputKind: 'random' });
    // Two input boxes (seed, then shape): press Enter in each, as a user accepting what is offered.
    for (let box = 0; box < 2; box++) {
      await new Promise((r) => setTimeout(r, 700));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const outcome = await Promise.race([running, new Promise<undefined>((r) => setTimeout(() => r(undefined), 15000))]);
    assert.ok(outcome, 'the simulation ran after two Enters');
    assert.strictEqual(outcome!.status, 'ok', JSON.stringify(outcome!.result));
    const r = outcome!.result!;
    assert.ok(r.ok && r.input.kind === 'random');
    // The example's first layer reads 1 channel (from the checkpoint), and its fc weights take 16×4×4: 16×16 is offered.
    assert.deepStrictEqual(r.ok && r.input.shape, [1, 16, 16]);
  });

  it('a file recognised only by the setting ai8x.networkFiles gets the editor-title buttons, the simulator and the maps', async () => {
    // Quoted keys: a valid network that the content test (top-level `arch:` and `layers:`) does not recognise.
    const file = nodePath.join(root, 'quoted.net.yaml');
    nodeFs.writeFileSync(file, EXAMPLE_NETWORK_YAML.replace(/^arch:/m, '"arch":').replace(/^layers:/m, '"layers":'));
    const uri = vscode.Uri.file(file);
    const api = (await activateExtension()).exports as { networkUris(): string[]; activeEditorIsNetwork(): boolean };
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    assert.strictEqual(await runSimulator(uri, { input: { kind: 'associated' } }), undefined, 'without the setting, not a network');
    assert.strictEqual(api.activeEditorIsNetwork(), false);

    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('networkFiles', ['**/*.net.yaml'], vscode.ConfigurationTarget.Global);
    try {
      const deadline = Date.now() + 15000;
      while (!api.networkUris().includes(uri.toString()) || !api.activeEditorIsNetwork()) {
        if (Date.now() > deadline) throw new Error(`not recognised: networkUris ${api.networkUris().join(', ')}, context ${api.activeEditorIsNetwork()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const outcome = await runSimulator(uri, { input: { kind: 'associated' } });
      assert.strictEqual(outcome?.status, 'ok', JSON.stringify(outcome?.result));
      assert.strictEqual(outcome!.result!.ok && outcome!.result!.knownAnswerWords, 10);
      const shown = await vscode.commands.executeCommand<MapViewShown>('ai8x.showKernelMap', uri);
      assert.strictEqual(shown.rendered?.available, true, JSON.stringify(shown.rendered));
    } finally {
      await c.update('networkFiles', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('"ai8x: Explain Known-Answer Mismatch" puts a board mismatch line at its layer, with the channel that differs', async () => {
    const sim = await runSimulator(network, { input: { kind: 'associated' } });
    const r = sim!.result!;
    assert.ok(r.ok);
    if (!r.ok) return;
    const block = r.knownAnswer[1];
    const expected = parseInt(block.words[1], 16);
    const address = parseInt(block.address, 16) + 4;
    const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
    const log = `\r\n*** CNN Inference Test tinynet ***\r\nData mismatch (2/${block.words.length}) at address ${hex(address)}: Expected ${hex(expected)}, read ${hex(expected + 16)}.\r\n`;
    const result = (await vscode.commands.executeCommand('ai8x.explainMismatch', network, { log })) as {
      ok: boolean;
      explanations: { layer: number; channels: number[]; message: string; causes: string[] }[];
    };
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.explanations.length, 1);
    const e = result.explanations[0];
    assert.strictEqual(e.layer, 3);
    assert.strictEqual(e.channels.length, 1);
    assert.match(
      e.message,
      /^Layer 3 \(fc\) output at row 0, column 0, channel \d+ \(data memory \d+ \(processors \d+–\d+\) at offset 0x[0-9a-f]{4}\): channel \d+ \(32-bit\) is -?\d+ instead of -?\d+\.$/,
    );
    const board = vscode.languages.getDiagnostics(network).filter((d) => d.source === 'board');
    assert.strictEqual(board.length, 1);
    const doc = await vscode.workspace.openTextDocument(network);
    assert.strictEqual(board[0].range.start.line, positionOf(doc, '- processors: 0x000000000000ffff\n    out_offset: 0x0000').line);
    assert.match(board[0].message, /Worth checking:\n• The firmware's known answer agrees with this YAML/);
  });

  it('cancels a long simulation', async () => {
    const big = convStack(10);
    nodeFs.writeFileSync(nodePath.join(root, 'convstack-q.pth.tar'), big.checkpoint);
    nodeFs.writeFileSync(nodePath.join(root, 'convstack-sample.npy'), big.sample);
    const file = nodePath.join(root, 'convstack.yaml');
    nodeFs.writeFileSync(file, `# ai8x: checkpoint=convstack-q.pth.tar sample-input=convstack-sample.npy\n${big.yaml}`);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const abort = new AbortController();
    const progress: string[] = [];
    const outcome = await runSimulator(uri, {
      input: { kind: 'associated' },
      signal: abort.signal,
      observer: {
        progress: (m: string) => {
          progress.push(m);
          if (/ of 10$/.test(m)) abort.abort();
        },
      },
    });
    assert.strictEqual(outcome!.status, 'cancelled', `progress: ${progress.join(' | ')}`);
    assert.ok(!progress.some((m) => /10 of 10/.test(m)), 'stopped before the last layer');
    // Leave the example's results in view for the harness's screenshot.
    await runSimulator(network, { input: { kind: 'associated' } });
  });
});
