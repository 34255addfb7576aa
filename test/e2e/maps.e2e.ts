// ---- Masks, quick fixes, inlay hints and the two map views on the built-in example (temporary folder) ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import * as nodeOs from 'node:os';
import { e2eLog } from './log';
import { writeTinyModel } from '../support/modelFixture';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import type { MapViewShown } from '../../client/src/views/registerMapViews';
import { activateExtension, diagnosticsFor, codeOf, hoverText, positionOf } from './helpers';

describe('masks, quick fixes and maps in a real VS Code', function () {
  this.timeout(60000);
  let dir: string;
  let network: vscode.Uri;
  let broken: vscode.Uri;
  const mapTabs = (viewType: string) =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));

  /** Polls `probe` until it returns a value (the server answers once the checkpoint is loaded). */
  async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  before(async () => {
    await activateExtension();
    dir = nodeFs.mkdtempSync(nodePath.join(nodeOs.tmpdir(), 'ai8x-e2e-maps-'));
    nodeFs.writeFileSync(nodePath.join(dir, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    nodeFs.writeFileSync(nodePath.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
    nodeFs.writeFileSync(nodePath.join(dir, EXAMPLE_FILES.network), EXAMPLE_NETWORK_YAML);
    nodeFs.writeFileSync(
      nodePath.join(dir, 'broken.yaml'),
      EXAMPLE_NETWORK_YAML.replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f  # conv2 input'),
    );
    network = vscode.Uri.file(nodePath.join(dir, EXAMPLE_FILES.network));
    broken = vscode.Uri.file(nodePath.join(dir, 'broken.yaml'));
  });
  after(() => {
    // The views stay open for the harness's workbench screenshot.
    nodeFs.rmSync(dir, { recursive: true, force: true });
  });

  it('hovering `processors` shows the decoded mask and what the layer needs', async () => {
    const doc = await vscode.workspace.openTextDocument(network);
    await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'processors: 0x00000000000000ff', 16);
    const text = await eventually('the mask hover with the checkpoint', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      return /needs\*\*/.test(t) ? t : undefined;
    });
    assert.match(text, /\*\*8\*\* processors: 0–7/);
    assert.ok(text.includes('Q0  0–15 ■■■■ ■■■■ ···· ····'), text);
    assert.match(text, /Layer 1 \(conv2\) needs\*\* 8 input channels → 8 processors, one per channel, in 1 pass\. ✓/);
    assert.match(text, /Kernel memory\*\* \(this layer's rows of the kernel map/);
  });

  it('the mask hover links to the kernel map, and the link opens it', async () => {
    const doc = await vscode.workspace.openTextDocument(network);
    await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'processors: 0x00000000000000ff', 16);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const md = hovers
      .flatMap((h) => h.contents)
      .find((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c && /command:ai8x\.showKernelMap/.test(c.value));
    assert.ok(md, 'a hover with the kernel-map link');
    const trusted = (md as vscode.MarkdownString).isTrusted;
    assert.ok(
      typeof trusted === 'object' && trusted.enabledCommands.includes('ai8x.showKernelMap'),
      `the link's command is enabled: ${JSON.stringify(trusted)}`,
    );
    const [, command, args] = /\(command:(ai8x\.showKernelMap)\?([^)]+)\)/.exec(md!.value)!;
    const shown = await vscode.commands.executeCommand<MapViewShown>(command, ...(JSON.parse(decodeURIComponent(args)) as string[]));
    assert.strictEqual(shown.viewType, 'ai8x.kernelMap');
    assert.strictEqual(shown.uri, doc.uri.toString());
    assert.ok(shown.rendered?.available, 'the map rendered');
  });

  it('a quick fix corrects a wrong mask, keeping the comment', async () => {
    const doc = await vscode.workspace.openTextDocument(broken);
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsFor(broken, (d) => d.some((x) => codeOf(x) === 'IZ222'), 20000);
    const d = diags.find((x) => codeOf(x) === 'IZ222')!;
    assert.strictEqual(d.range.start.line, positionOf(doc, 'processors: 0x000000000000000f').line);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      broken,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Use 0x00000000000000ff: 8 processors from processor 0');
    assert.ok(fix, `the fix is offered; got ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(fix!.isPreferred);
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.strictEqual(doc.lineAt(d.range.start.line).text, '  - processors: 0x00000000000000ff  # conv2 input');
    await diagnosticsFor(broken, (x) => !x.some((y) => y.severity === vscode.DiagnosticSeverity.Error), 20000);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('"ai8x: Allocate Processors and Memory" fills in a network without masks and offsets as one edit that Undo takes back', async () => {
    const bareText = EXAMPLE_NETWORK_YAML.replace(/^(\s*-?\s*)(processors|in_offset|out_offset|output_processors): .*\n/gm, (_m, lead: string) =>
      lead.includes('-') ? lead.trimEnd() + '\n' : '',
    );
    const bareFile = nodePath.join(dir, 'bare.yaml');
    nodeFs.writeFileSync(bareFile, bareText);
    const bare = vscode.Uri.file(bareFile);
    const doc = await vscode.workspace.openTextDocument(bare);
    await vscode.window.showTextDocument(doc);
    await diagnosticsFor(bare, (d) => d.some((x) => x.severity === vscode.DiagnosticSeverity.Error), 20000);
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; result: { ok: boolean } }>('ai8x.allocate', bare, { quiet: true });
    assert.ok(outcome?.applied, `the allocation was applied: ${JSON.stringify(outcome?.result)}`);
    assert.match(doc.getText(), /processors: 0x0000000000000001/);
    await diagnosticsFor(bare, (d) => !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error), 20000);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), bareText, 'one Undo restores the file as it was');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('"ai8x: New Network YAML from Model…" writes, saves and opens a network for a model and its checkpoint, clean', async () => {
    const files = writeTinyModel(dir);
    const output = nodePath.join(dir, 'tiny-from-model.yaml');
    const result = await vscode.commands.executeCommand<{ ok: boolean; message?: string }>('ai8x.newNetworkFromModel', {
      model: files.model,
      checkpoint: files.checkpoint,
      sampleInput: files.sample,
      device: 'MAX78000',
      output,
    });
    assert.ok(result?.ok, `written: ${result?.message}`);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.fsPath, output, 'the new file is open');
    assert.match(editor!.document.getText(), /# ai8x: device=MAX78000 checkpoint=tiny-q\.pth\.tar/);
    const uri = vscode.Uri.file(output);
    const hints = await eventually('the checkpoint-aware hints of the new file', async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        uri,
        new vscode.Range(0, 0, editor!.document.lineCount, 0),
      );
      return h.length ? h : undefined;
    });
    assert.ok(hints.length >= 3, 'the checkpoint is associated: every layer has its shapes');
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error),
      [],
    );
  });

  it('shows per-layer inlay hints', async () => {
    const doc = await vscode.workspace.openTextDocument(network);
    const range = new vscode.Range(0, 0, doc.lineCount, 0);
    const labels = await eventually('inlay hints', async () => {
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, range);
      const l = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
      return l.length === 4 ? l : undefined;
    });
    assert.deepStrictEqual(labels, ['1×16×16 → 8×16×16 · 1 pass', '8×16×16 → 16×8×8 · 1 pass', '16×8×8 → 16×4×4 · 1 pass', '16×4×4 → 10×1×1 · 1 pass']);
  });

  it('"ai8x: Show Kernel Map" opens the kernel-map view, which follows edits of the YAML', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    const shown = await vscode.commands.executeCommand<MapViewShown>('ai8x.showKernelMap', network);
    assert.strictEqual(shown.viewType, 'ai8x.kernelMap');
    assert.ok(shown.rendered, 'the view rendered');
    assert.strictEqual(shown.rendered!.available, true);
    assert.deepStrictEqual(shown.rendered!.legend, [
      'layer 0 (conv1): processors 0',
      'layer 1 (conv2): processors 0–7',
      'layer 2 (conv3): processors 0–15',
      'layer 3 (fc): processors 0–15',
    ]);
    assert.strictEqual(mapTabs('ai8x.kernelMap').length, 1, 'one kernel-map tab');
    // Move layer 2 to quadrant 1: its kernels follow, and the open view updates.
    const line = positionOf(editor.document, 'processors: 0x000000000000ffff\n    out_offset: 0x4000').line;
    await editor.edit((e) => e.replace(editor.document.lineAt(line).range, '  - processors: 0x00000000ffff0000'));
    const again = await vscode.commands.executeCommand<MapViewShown>('ai8x.showKernelMap', network);
    assert.ok(again.rendered, 'rendered again');
    assert.strictEqual(again.rendered!.version, editor.document.version);
    assert.ok((again.rendered!.legend as string[]).includes('layer 2 (conv3): processors 16–31'), JSON.stringify(again.rendered));
    assert.strictEqual(mapTabs('ai8x.kernelMap').length, 1, 'still one kernel-map tab');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('clicking a layer in the kernel-map view puts the cursor on that layer in the YAML', async function () {
    if (vscode.env.uiKind !== vscode.UIKind.Web) {
      e2eLog('      (skipped: the click is made by the code-server harness, scripts/run-e2e.mjs)');
      this.skip();
    }
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const shown = await vscode.commands.executeCommand<MapViewShown>('ai8x.showKernelMap', network);
    assert.ok(shown.rendered?.available, 'the view rendered');
    const target = positionOf(editor.document, 'processors: 0x000000000000ffff\n    out_offset: 0x4000');
    e2eLog('E2E_CLICK #grid .row[data-processor="5"] .seg[data-layer="2"]');
    const deadline = Date.now() + 15000;
    for (;;) {
      const active = vscode.window.activeTextEditor;
      if (active?.document.uri.toString() === network.toString() && active.selection.active.isEqual(target)) break;
      if (Date.now() > deadline)
        assert.fail(
          `the cursor did not move to ${target.line + 1}:${target.character + 1}; it is at ${active ? `${active.document.uri.path} ${active.selection.active.line + 1}:${active.selection.active.character + 1}` : 'no editor'}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('"ai8x: Show Data-Memory Map" opens the data-memory view', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    const shown = await vscode.commands.executeCommand<MapViewShown>('ai8x.showDataMemoryMap', network);
    assert.strictEqual(shown.viewType, 'ai8x.dataMemoryMap');
    assert.ok(shown.rendered);
    // Processors 0–15 at most: data memories 0–3; the example has no overwrites of data still needed.
    assert.deepStrictEqual([shown.rendered!.available, shown.rendered!.memories, shown.rendered!.problems], [true, 4, 0]);
    assert.strictEqual(mapTabs('ai8x.dataMemoryMap').length, 1);
  });
});
