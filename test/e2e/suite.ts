// Runs inside a real VS Code extension host (scripts/run-e2e.mjs, or scripts/run-test-electron.mjs) with the
// workspace test/e2e/workspace open. Other suites may append their own describe blocks below the first one.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { findKeyDoc } from '../../server/src/engine/model/keyCatalog';
import { e2eLog } from './log';
import { writeTinyModel } from '../support/modelFixture';

const EXTENSION_NAME = 'ai8x-network-tools';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e workspace folder is open');
  return vscode.Uri.joinPath(folder!.uri, name);
}

async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === EXTENSION_NAME);
  assert.ok(ext, `extension ${EXTENSION_NAME} is loaded`);
  await ext!.activate();
  return ext!;
}

/** The diagnostics VS Code holds for `uri` once `ready` accepts them (they arrive asynchronously from the server). */
async function diagnosticsFor(uri: vscode.Uri, ready: (d: readonly vscode.Diagnostic[]) => boolean, timeoutMs = 15000): Promise<readonly vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = vscode.languages.getDiagnostics(uri);
    if (ready(d)) return d;
    if (Date.now() > deadline)
      throw new Error(`diagnostics for ${uri.path} did not arrive; have: ${JSON.stringify(d.map((x) => [x.code, x.range.start.line, x.message]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

async function completionLabels(doc: vscode.TextDocument, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  // Only the language server's items (keys are properties, values enum members), not word-based suggestions.
  const ours = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property || i.kind === vscode.CompletionItemKind.EnumMember);
  return ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** The position of the first occurrence of `needle` in the document, plus `delta` characters. */
function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `fixture contains ${JSON.stringify(needle)}`);
  return doc.positionAt(at + delta);
}

interface WorkbenchFacts {
  settingsText: string | null;
  settingsTab: string;
  notifications: string[];
  activeTab: string | null;
  statusBar: string[];
  walkthrough: string[];
}

/**
 * Asks the code-server harness for a screenshot (test-output/e2e/<name>.png) and what the workbench shows then;
 * null outside the harness (test-electron), where nobody can take one.
 */
async function workbenchShot(name: string): Promise<WorkbenchFacts | null> {
  if (vscode.env.uiKind !== vscode.UIKind.Web) return null;
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === EXTENSION_NAME)!;
  const file = nodePath.join(ext.extensionPath, 'test-output', 'e2e', `${name}.json`);
  nodeFs.rmSync(file, { force: true });
  e2eLog(`E2E_SHOT ${name}`);
  for (let i = 0; i < 150; i++) {
    if (nodeFs.existsSync(file)) return JSON.parse(nodeFs.readFileSync(file, 'utf8')) as WorkbenchFacts;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the harness did not take the screenshot ${name}`);
}

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

// ---- Synthesis ("ai8x: Synthesize C Code") against a stand-in izer written to a temporary folder ----
import type { SynthesisOutcome } from '../../server/src/synthesis/synthesize';
import { lineOf, makeStandIn, tempDir, TINY_NETWORK } from '../unit/synthesis/standIn';

describe('synthesis in a real VS Code', function () {
  this.timeout(60000);
  let root: string;
  let standIn: ReturnType<typeof makeStandIn>;
  let network: vscode.Uri;
  const outFolder = () => nodePath.join(root, 'projects');
  const settings = ['synthesis.path', 'python', 'synthesis.outputFolder'];

  before(async () => {
    await activateExtension();
    root = tempDir('e2e-synthesis');
    standIn = makeStandIn(root);
    nodeFs.writeFileSync(nodePath.join(root, 'ck.pth.tar'), 'checkpoint');
    const file = nodePath.join(root, 'tiny net.yaml');
    nodeFs.writeFileSync(file, `# ai8x: checkpoint=ck.pth.tar\n${TINY_NETWORK}`);
    network = vscode.Uri.file(file);
    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('synthesis.path', standIn.dir, vscode.ConfigurationTarget.Global);
    await c.update('python', standIn.python, vscode.ConfigurationTarget.Global);
    await c.update('synthesis.outputFolder', outFolder(), vscode.ConfigurationTarget.Global);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
  });
  after(async () => {
    const c = vscode.workspace.getConfiguration('ai8x');
    for (const s of settings) await c.update(s, undefined, vscode.ConfigurationTarget.Global);
    nodeFs.rmSync(root, { recursive: true, force: true });
  });

  const run = async (extra: Record<string, unknown> = {}) => {
    const progress: string[] = [];
    const output: string[] = [];
    const notes: { questions: string[]; done: { message: string; buttons: string[] }[]; environment: unknown[] } = { questions: [], done: [], environment: [] };
    const outcome = (await vscode.commands.executeCommand('ai8x.synthesize', extra.uri ?? network, {
      overwrite: 'cancel',
      // The stand-in checkpoint is not a real one, so the live check reports an error (AX210): run izer anyway.
      liveErrors: 'run',
      observer: { progress: (m: string) => progress.push(m), output: (l: string) => output.push(l) },
      notes: {
        question: (m: string) => notes.questions.push(m),
        done: (message: string, buttons: string[]) => notes.done.push({ message, buttons }),
        environment: (r: unknown) => notes.environment.push(r),
      },
      ...extra,
    })) as SynthesisOutcome | undefined;
    return { outcome, progress, output: output.join('\n'), notes };
  };

  it('synthesizes a project with progress and output, and shows the command line', async () => {
    standIn.behave({});
    const { outcome, progress, output } = await run();
    assert.ok(outcome, 'the command ran');
    assert.strictEqual(outcome!.status, 'ok', outcome!.problem);
    assert.ok(nodeFs.existsSync(nodePath.join(outFolder(), 'tiny net', 'cnn.c')));
    assert.ok(progress.length >= 2, `progress reported: ${progress.join(' | ')}`);
    assert.match(output, /\$ .*ai8xize\.py --test-dir \S+ --prefix 'tiny net'/);
    assert.match(output, /Reading .*ck\.pth\.tar to configure network weights/);
    assert.strictEqual(outcome!.summary?.weightMemory?.used, 71148);
    e2eLog(`      synthesis wrote ${outcome!.files.length} files to ${outcome!.target}`);
  });

  it('after success says how to build (MSDK, MAXIM_PATH, make) and shows the izer command line', async () => {
    standIn.behave({});
    nodeFs.rmSync(nodePath.join(outFolder(), 'tiny net'), { recursive: true, force: true });
    const { outcome, output, notes } = await run();
    assert.strictEqual(outcome!.status, 'ok', outcome!.problem);
    assert.match(outcome!.commandLine, /ai8xize\.py --test-dir \S+projects --prefix 'tiny net'/, 'the real output folder, not the scratch one');
    const lines = output.split('\n');
    assert.ok(
      lines.some((l) => /^izer command line: .*ai8xize\.py .*--config-file .*tiny net\.yaml/.test(l)),
      output,
    );
    assert.ok(
      lines.some((l) => /^Build the MAX78000 project with the MaximSDK/.test(l) && /MAXIM_PATH/.test(l)),
      output,
    );
    assert.ok(lines.includes(`  cd '${nodePath.join(outFolder(), 'tiny net')}'`), output);
    assert.ok(
      lines.some((l) => /^ {2}make\s+# builds build\//.test(l)),
      output,
    );
    assert.strictEqual(notes.done.length, 1);
    assert.match(notes.done[0].message, /Build it with the MSDK: make/);
    assert.deepStrictEqual(notes.done[0].buttons, ['How to Build', 'Copy izer Command', 'Open Generated Project']);
  });

  it('with live errors in the file, asks before running izer, and does not run it on "no"', async () => {
    standIn.behave({});
    const before = standIn.calls().length;
    const { outcome, notes } = await run({ liveErrors: 'cancel' });
    assert.strictEqual(outcome, undefined, 'nothing ran');
    assert.strictEqual(standIn.calls().length, before, 'izer was not started');
    assert.strictEqual(notes.questions.length, 1);
    assert.match(notes.questions[0], /^tiny net\.yaml has \d+ errors? \(line \d+: .+\)\. izer will stop at the first one\. Run izer anyway\?$/);
  });

  it("izer's copy of one of our errors is not a second problem on another line; izer's own news stays", async () => {
    // A typo in layer 3 that the live check reports (IZ016); the stand-in izer reports it too, on its own terms,
    // plus an error about layer 1 that the live check does not have.
    const file = nodePath.join(root, 'dup.yaml');
    const text = `# ai8x: checkpoint=ck.pth.tar\n${TINY_NETWORK.replace('    flatten: true\n', '    flatten: true\n    pool_strid: 2\n')}`;
    nodeFs.writeFileSync(file, text);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await diagnosticsFor(uri, (d) => d.some((x) => codeOf(x) === 'IZ016'));
    standIn.behave({ errors: ["Layer 3 (fc): Unknown key(s) for `layers`: {'pool_strid'}.", 'Layer 1: `pad` is not compatible with something.'] });
    const { outcome, output } = await run({ uri });
    assert.strictEqual(outcome!.status, 'izer-failed');
    const izer = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'izer');
    // izer's "Layer 1 … `pad`" lands on layer 1's `pad` (the second `pad: 1` of the file).
    assert.deepStrictEqual(
      izer.map((d) => [d.range.start.line, d.message]),
      [[lineOf(text, 'pad: 1', lineOf(text, '0xfffffffffffffff0')), 'izer: Layer 1: `pad` is not compatible with something.']],
    );
    assert.ok(!izer.some((d) => /pool_strid/.test(d.message)), "izer's copy of IZ016 is not shown again");
    assert.match(output, /izer agrees with IZ016 on line \d+: izer: Layer 3 \(fc\): Unknown key/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it("puts izer's errors on the YAML lines as diagnostics, and clears them on edit", async () => {
    standIn.behave({ errors: ['Layer 3 (fc): `flatten` is not compatible with pooling.'], warnings: ['Using default pool stride of 1 in layer 1.'] });
    const { outcome, output } = await run();
    assert.strictEqual(outcome!.status, 'izer-failed');
    // eslint-disable-next-line no-control-regex
    assert.match(output.replace(/\x1b\[[0-9;]*m/g, ''), /ERROR: Layer 3 \(fc\)/);
    const izer = vscode.languages.getDiagnostics(network).filter((d) => d.source === 'izer');
    const text = nodeFs.readFileSync(network.fsPath, 'utf8');
    const err = izer.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(err, `izer diagnostics: ${JSON.stringify(izer.map((d) => [d.range.start.line, d.message]))}`);
    assert.strictEqual(err!.range.start.line, lineOf(text, 'flatten: true'));
    const warn = izer.find((d) => d.severity === vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(warn!.range.start.line, lineOf(text, '- processors: 0xfffffffffffffff0'));

    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), '# edited\n'));
    assert.strictEqual(vscode.languages.getDiagnostics(network).filter((d) => d.source === 'izer').length, 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('does not replace a project the user changed when the answer is no', async () => {
    standIn.behave({});
    const main = nodePath.join(outFolder(), 'tiny net', 'main.c');
    nodeFs.writeFileSync(main, 'my changes');
    const { outcome } = await run({ overwrite: 'cancel' });
    assert.strictEqual(outcome!.status, 'refused');
    assert.strictEqual(nodeFs.readFileSync(main, 'utf8'), 'my changes');
  });

  it('cancels a hanging izer and leaves no process behind', async () => {
    standIn.behave({ hang: true });
    const abort = new AbortController();
    const pidsFile = nodePath.join(standIn.dir, 'pids.json');
    nodeFs.rmSync(pidsFile, { force: true });
    // The previous test left a user-changed project, which would stop synthesis before izer starts.
    nodeFs.rmSync(nodePath.join(outFolder(), 'tiny net'), { recursive: true, force: true });
    const running = run({ signal: abort.signal });
    for (let i = 0; i < 200 && !nodeFs.existsSync(pidsFile); i++) await new Promise((r) => setTimeout(r, 50));
    const pids = JSON.parse(nodeFs.readFileSync(pidsFile, 'utf8')) as { child: number; grandchild: number };
    abort.abort();
    const { outcome } = await running;
    assert.strictEqual(outcome!.status, 'cancelled');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      try {
        return !/^\d+ \(.*\) Z/.test(nodeFs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return true;
      }
    };
    for (let i = 0; i < 100 && (alive(pids.child) || alive(pids.grandchild)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!alive(pids.child) && !alive(pids.grandchild), 'izer and its child ended');
  });

  it('"Open Setting ai8x.synthesis.path" opens the settings scope where it applies (Remote in code-server), showing the setting', async () => {
    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('synthesis.path', nodePath.join(root, 'no-such-checkout'), vscode.ConfigurationTarget.Global);
    try {
      const { outcome, notes } = await run({ environmentAnswer: 'open-setting' });
      assert.strictEqual(outcome, undefined);
      const r = notes.environment[0] as { action: string; scope: string; offered: string[]; message: string };
      assert.match(r.message, /no-such-checkout/);
      assert.deepStrictEqual(r.offered, ['Choose Folder…', 'Open Setting ai8x.synthesis.path', 'Check Synthesis Environment']);
      assert.strictEqual(r.scope, vscode.env.remoteName ? 'remote' : 'user');
      const facts = await workbenchShot('settings-synthesis-path');
      if (facts) {
        assert.ok(facts.settingsText, `a settings editor is open: ${JSON.stringify(facts)}`);
        assert.doesNotMatch(facts.settingsText!, /No Settings Found/);
        assert.match(facts.settingsText!, /Synthesis: Path/);
        if (vscode.env.remoteName) assert.match(facts.settingsTab, /Remote/);
      }
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await c.update('synthesis.path', standIn.dir, vscode.ConfigurationTarget.Global);
    }
  });

  it('without an MSDK offers "Choose Output Folder…", which writes the workspace setting, and synthesis then works', async () => {
    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('synthesis.outputFolder', undefined, vscode.ConfigurationTarget.Global);
    const saved = process.env.MAXIM_PATH;
    delete process.env.MAXIM_PATH;
    const chosen = nodePath.join(root, 'chosen-projects');
    try {
      const first = await run({ environmentAnswer: { action: 'choose-output-folder', folder: chosen } });
      assert.strictEqual(first.outcome, undefined);
      const r = first.notes.environment[0] as { offered: string[]; value: string; message: string };
      assert.match(r.message, /MaximSDK \(MSDK\) was not found/);
      assert.strictEqual(r.offered[0], 'Choose Output Folder…');
      assert.strictEqual(r.value, chosen);
      assert.strictEqual(vscode.workspace.getConfiguration('ai8x').inspect('synthesis.outputFolder')?.workspaceValue, chosen);
      standIn.behave({});
      const second = await run();
      assert.strictEqual(second.outcome?.status, 'ok', second.outcome?.problem);
      assert.ok(nodeFs.existsSync(nodePath.join(chosen, 'tiny net', 'cnn.c')));
    } finally {
      if (saved !== undefined) process.env.MAXIM_PATH = saved;
      await vscode.workspace.getConfiguration('ai8x').update('synthesis.outputFolder', undefined, vscode.ConfigurationTarget.Workspace);
      await c.update('synthesis.outputFolder', outFolder(), vscode.ConfigurationTarget.Global);
      const ws = workspaceFile('.vscode/settings.json').fsPath;
      if (nodeFs.existsSync(ws) && /^\s*\{\s*\}\s*$/.test(nodeFs.readFileSync(ws, 'utf8')))
        nodeFs.rmSync(nodePath.dirname(ws), { recursive: true, force: true });
    }
  });

  it('checks the synthesis environment and reports what it found', async () => {
    const report = (await vscode.commands.executeCommand('ai8x.checkSynthesisEnvironment')) as { lines: string[]; problems: string[] } | undefined;
    assert.ok(report, 'a report in a trusted workspace');
    assert.ok(report!.lines.includes(`ai8x-synthesis: ${standIn.dir} (from the setting ai8x.synthesis.path)`), report!.lines.join('\n'));
    assert.ok(report!.lines.includes(`Python: ${standIn.python} (from the setting ai8x.python)`), report!.lines.join('\n'));
    // The stand-in's "python" is Node, which cannot run the Python version probe: that is reported as a problem.
    assert.match(report!.problems.join('\n'), /does not run/);
  });

  it("without a Python setting, takes the interpreter from the Python extension's API", async function () {
    const ext = vscode.extensions.getExtension('ms-python.python');
    const api = ext
      ? ((await ext.activate()) as { e2e?: { setActivePath(p: string): void; calls: { method: string; resource: string | null }[] } })
      : undefined;
    if (!api?.e2e) {
      e2eLog('      (skipped: needs the stand-in Python extension that scripts/run-e2e.mjs loads)');
      this.skip();
    }
    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('python', undefined, vscode.ConfigurationTarget.Global);
    try {
      api!.e2e!.setActivePath(standIn.python);
      const before = api!.e2e!.calls.length;
      const report = (await vscode.commands.executeCommand('ai8x.checkSynthesisEnvironment')) as { lines: string[] } | undefined;
      assert.ok(report!.lines.includes(`Python: ${standIn.python} (from the Python extension's active environment)`), report!.lines.join('\n'));
      const calls = api!.e2e!.calls.slice(before);
      assert.ok(
        calls.some((k) => k.method === 'getActiveEnvironmentPath'),
        JSON.stringify(calls),
      );
      assert.ok(
        calls.some((k) => k.method === 'resolveEnvironment'),
        JSON.stringify(calls),
      );
    } finally {
      await c.update('python', standIn.python, vscode.ConfigurationTarget.Global);
    }
  });

  // The problem matcher's markers do not reach vscode.languages.getDiagnostics() in the extension host (checked:
  // they show in the Problems view, on the right line, in the harness's problems.png); its regular expression is
  // tested against the CLI's real output in test/unit/synthesis/cli.test.ts.
  it("runs as an `ai8xize` task that exits with izer's status", async () => {
    standIn.behave({ errors: ['Unknown value "conv9" for `op` (found in layer sequence 2 in YAML configuration).'] });
    nodeFs.rmSync(nodePath.join(outFolder(), 'tiny net'), { recursive: true, force: true });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    const tasks = await vscode.tasks.fetchTasks({ type: 'ai8xize' });
    const task = tasks.find((t) => (t.definition as { network?: string }).network === network.fsPath);
    assert.ok(task, `an ai8xize task is offered for the open network; got ${tasks.map((t) => t.name).join(', ')}`);
    assert.deepStrictEqual(task!.problemMatchers, ['$ai8xize']);
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.definition.type === 'ai8xize') {
          sub.dispose();
          resolve(e.exitCode);
        }
      });
    });
    await vscode.tasks.executeTask(task!);
    assert.strictEqual(await ended, 1, "the task exits with izer's status");
    assert.strictEqual(standIn.calls().pop()!.argv.includes('--no-version-check'), true, 'settings reach the task');
  });
});

// ---- Simulator ("ai8x: Run Simulator") on the built-in example, written to a temporary folder ----
import * as nodeOs from 'node:os';
import type { SimulatorOutcome } from '../../client/src/simulator/registerSimulator';
import type { FolderExport } from '../../client/src/simulator/simulatorExports';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import { readNpy } from '../../server/src/engine/sample/npy';
import { convStack } from '../support/simulationFixtures';

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

// ---- Masks, quick fixes, inlay hints and the two map views on the built-in example (temporary folder) ----
import type { MapViewShown } from '../../client/src/views/registerMapViews';

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

import type { StatusItemView } from '../../client/src/networkStatus';
import type { ServerState } from '../../client/src/languageClient/serverClient';
import * as fs from 'node:fs';
import * as path from 'node:path';

describe('ai8x language server status (issue 13)', function () {
  this.timeout(90000);
  interface StatusApi {
    statusItems(): StatusItemView[];
    serverState(): ServerState;
  }
  const api = async () => (await activateExtension()).exports as StatusApi;
  async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const item = (a: StatusApi, id: string) => a.statusItems().find((i) => i.id === id)!;

  it('shows a failed check in the status item (the checker crashed), and the next check clears it', async function () {
    if (process.env.AI8X_SERVER_TEST_HOOKS !== '1') {
      e2eLog('      (skipped: needs AI8X_SERVER_TEST_HOOKS=1, which scripts/run-e2e.mjs sets)');
      this.skip();
    }
    const a = await api();
    const text = fs.readFileSync(workspaceFile('with-mistakes.yaml').fsPath, 'utf8');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: `# ai8x-test-hook: exit\n${text}` });
    const editor = await vscode.window.showTextDocument(doc);
    const failed = await until('the failed check in the status item', () => {
      const it = item(a, 'ai8x.network');
      return it.visible && /check failed/.test(it.text) ? it : undefined;
    });
    assert.strictEqual(failed.severity, 'error');
    assert.match(failed.detail ?? '', /the checker stopped unexpectedly/);
    assert.strictEqual(a.serverState().kind, 'running', 'the server itself runs on');
    // Without the hook line the file is checked again: its problems show, and the status is the network's again.
    await editor.edit((e) => e.delete(new vscode.Range(0, 0, 1, 0)));
    await diagnosticsFor(doc.uri, (d) => d.some((x) => codeOf(x) === 'IZ040'));
    const ok = await until('the status after a good check', () => {
      const it = item(a, 'ai8x.network');
      return it.visible && !/check failed/.test(it.text) ? it : undefined;
    });
    assert.notStrictEqual(ok.severity, 'error');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a server that failed to start in its status item, keeps every command, and restarts once it can', async () => {
    const a = await api();
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === EXTENSION_NAME)!;
    const serverJs = path.join(ext.extensionPath, 'dist', 'server.js');
    const aside = `${serverJs}.e2e-aside`;
    fs.renameSync(serverJs, aside);
    try {
      await vscode.commands.executeCommand('ai8x.restartServer');
      const state = await until('the failed start', () => {
        const s = a.serverState();
        return s.kind === 'failed' ? s : undefined;
      });
      e2eLog(`      server state: ${state.message}`);
      const server = item(a, 'ai8x.server');
      assert.deepStrictEqual([server.visible, server.severity, server.command], [true, 'error', 'ai8x.restartServer']);
      assert.match(server.text, /failed to start/);
      const registered = new Set(await vscode.commands.getCommands(true));
      const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
      assert.deepStrictEqual(
        contributed.filter((c) => !registered.has(c)),
        [],
        'every contributed command is still registered',
      );
    } finally {
      fs.renameSync(aside, serverJs);
    }
    await vscode.commands.executeCommand('ai8x.restartServer');
    await until('the server running again', () => (a.serverState().kind === 'running' ? true : undefined));
    assert.strictEqual(item(a, 'ai8x.server').visible, false);
    const uri = workspaceFile('with-mistakes.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await diagnosticsFor(uri, (d) => d.some((x) => codeOf(x) === 'IZ040'));
  });
});

// ---- Getting started: the walkthrough's steps, one after the other, as a newcomer clicks them ----
import type { OpenExampleResult } from '../../client/src/gettingStarted';

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
