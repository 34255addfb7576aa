// ---- The editor on the workspace networks: diagnostics, hovers, completion, quick fixes, symbols, inlay hints ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { findKeyDoc } from '../../server/src/engine/model/keyCatalog';
import { e2eLog } from './log';
import { workspaceFile, activateExtension, diagnosticsFor, codeOf, hoverText, completionLabels, positionOf } from './helpers';

describe('ai8x extension in a real VS Code', function () {
  this.timeout(60000);

  before(async () => {
    e2eLog(`  VS Code ${vscode.version}, ui kind ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, remote ${vscode.env.remoteName ?? 'none'}`);
  });

  it('activates and exposes its API', async () => {
    const ext = await activateExtension();
    assert.ok(ext.isActive);
    const api = ext.exports as { networkUris?: () => string[]; activationMs?: number } | undefined;
    assert.strictEqual(typeof api?.networkUris, 'function');
    // `npm run bench` prints the time to load the bundle; this is activate() itself, until the server is initialized.
    e2eLog(`      activate() took ${api?.activationMs?.toFixed(0)} ms (language server started and initialized)`);
  });

  it('reports an unsupported kernel_size (IZ040) and an unknown layer key (IZ016) on their lines', async () => {
    await activateExtension();
    const uri = workspaceFile('with-mistakes.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await diagnosticsFor(uri, (d) => d.some((x) => codeOf(x) === 'IZ016') && d.some((x) => codeOf(x) === 'IZ040'));

    const kernel = diags.find((x) => codeOf(x) === 'IZ040')!;
    assert.strictEqual(kernel.range.start.line, positionOf(doc, 'kernel_size: 5x5').line);
    assert.strictEqual(kernel.severity, vscode.DiagnosticSeverity.Error);
    assert.match(kernel.message, /5x5/);
    assert.strictEqual(kernel.source, 'ai8x');

    const unknown = diags.find((x) => codeOf(x) === 'IZ016')!;
    const keyPos = positionOf(doc, 'pading:');
    assert.deepStrictEqual([unknown.range.start.line, unknown.range.start.character], [keyPos.line, keyPos.character]);
    assert.strictEqual(unknown.range.end.character, keyPos.character + 'pading'.length);
    assert.match(unknown.message, /pading/);
  });

  it('reports no problems in a correct network', async () => {
    await activateExtension();
    const uri = workspaceFile('tiny-classifier.yaml');
    await vscode.workspace.openTextDocument(uri);
    // Wait until the extension has classified the file, then for the server's (empty) diagnostics to settle.
    const ext = await activateExtension();
    const api = ext.exports as { networkUris(): string[] };
    const deadline = Date.now() + 15000;
    while (!api.networkUris().includes(uri.toString())) {
      if (Date.now() > deadline) throw new Error(`the server never reported ${uri.toString()} as a network; known: ${api.networkUris().join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual(
      errors.map((d) => `${codeOf(d)} ${d.message}`),
      [],
    );
  });

  it('leaves an ordinary YAML file alone', async () => {
    await activateExtension();
    const net = workspaceFile('with-mistakes.yaml');
    await diagnosticsFor(net, (d) => d.length > 0);
    const uri = workspaceFile('not-a-network.yaml');
    await vscode.workspace.openTextDocument(uri);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ai8x'),
      [],
    );
  });

  it('shows the key documentation when hovering `processors`', async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument(workspaceFile('tiny-classifier.yaml'));
    const pos = positionOf(doc, 'processors: 0x000000000000ffff', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /`processors`/);
    assert.ok(text.includes(findKeyDoc('layer', 'processors')!.summary), `hover shows the processors documentation; got:\n${text}`);
  });

  it("reports izer's yamllint rules live: trailing spaces get a warning with a fix", async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: ['---', 'arch: tinynet   ', 'dataset: shapes', 'layers:', '  - processors: 0x0000000000000007', '    out_offset: 0x2000', ''].join('\n'),
    });
    const diags = await diagnosticsFor(doc.uri, (d) => d.some((x) => codeOf(x) === 'YL001'));
    const d = diags.find((x) => codeOf(x) === 'YL001')!;
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.message, 'Trailing spaces (yamllint trailing-spaces; with yamllint installed, izer stops here).');
    assert.deepStrictEqual([d.range.start.line, d.range.start.character, d.range.end.character], [1, 13, 16]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const fix = actions.find((a) => a.title === 'Remove the trailing spaces');
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix!.edit!));
    assert.strictEqual(doc.lineAt(1).text, 'arch: tinynet');
  });

  it('offers 3x3 and 1x1 for an unsupported kernel_size (IZ040)', async () => {
    await activateExtension();
    const uri = workspaceFile('with-mistakes.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const d = (await diagnosticsFor(uri, (x) => x.some((y) => codeOf(y) === 'IZ040'))).find((y) => codeOf(y) === 'IZ040')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Use kernel_size 3x3') && titles.includes('Use kernel_size 1x1'), titles.join(' | '));
    assert.strictEqual(doc.getText(d.range), '5x5');
  });

  const layerEndText = ['arch: tinynet', 'dataset: shapes', 'layers:', '  - processors: 0x7', '    out_offset: 0x2000', '    ', ''].join('\n');

  it('completes layer keys on a new line of a layer', async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: layerEndText });
    const labels = await completionLabels(doc, new vscode.Position(5, 4));
    for (const k of ['kernel_size', 'op', 'activate', 'max_pool', 'pad']) assert.ok(labels.includes(k), `offers ${k}; got ${labels.join(', ')}`);
    assert.ok(!labels.includes('arch'), 'does not offer top-level keys inside a layer');
  });

  // SERVER BUG (completion-at-layer-end): server/src/engine/services/completion.ts presentKeys() looks the layer up
  // by its node range, which ends at the last value; on a new line below it no layer is found, so keys the layer
  // already has (processors, out_offset) are offered again. Un-skip when fixed.
  it('does not offer keys the layer already has, on a new line at the end of the layer', async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: layerEndText });
    const labels = await completionLabels(doc, new vscode.Position(5, 4));
    assert.ok(labels.includes('kernel_size'), `offers kernel_size; got ${labels.join(', ')}`);
    assert.ok(!labels.includes('processors'), 'does not offer processors again');
    assert.ok(!labels.includes('out_offset'), 'does not offer out_offset again');
  });

  it('does not offer keys the layer already has, on a new line inside the layer', async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: ['arch: tinynet', 'dataset: shapes', 'layers:', '  - processors: 0x7', '    ', '    out_offset: 0x2000', ''].join('\n'),
    });
    const labels = await completionLabels(doc, new vscode.Position(4, 4));
    assert.ok(labels.includes('kernel_size'), `offers kernel_size; got ${labels.join(', ')}`);
    assert.ok(!labels.includes('processors'), 'does not offer processors again');
    assert.ok(!labels.includes('out_offset'), 'does not offer out_offset again');
  });

  it('completes the values of `op`', async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: ['arch: tinynet', 'dataset: shapes', 'layers:', '  - processors: 0x7', '    out_offset: 0x2000', '    op: ', ''].join('\n'),
    });
    const labels = await completionLabels(doc, new vscode.Position(5, 8));
    for (const v of ['conv2d', 'conv1d', 'convtranspose2d', 'linear', 'passthrough', 'add'])
      assert.ok(labels.includes(v), `offers ${v}; got ${labels.join(', ')}`);
    assert.ok(!labels.includes('kernel_size'), 'offers values, not keys');

    const narrowed = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: ['arch: tinynet', 'dataset: shapes', 'layers:', '  - processors: 0x7', '    op: conv', ''].join('\n'),
    });
    const conv = await completionLabels(narrowed, new vscode.Position(4, 12));
    assert.ok(conv.includes('conv1d') && conv.includes('conv2d'), `offers conv* values; got ${conv.join(', ')}`);
  });

  after(async () => {
    // Close the scratch documents and leave the broken file in front for the harness's screenshot.
    for (const d of vscode.workspace.textDocuments.filter((t) => t.isUntitled)) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    const doc = await vscode.workspace.openTextDocument(workspaceFile('with-mistakes.yaml'));
    await vscode.window.showTextDocument(doc);
  });
});
