// ---- Synthesis ("ai8x: Synthesize C Code") against a stand-in izer written to a temporary folder ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { e2eLog } from './log';
import type { SynthesisOutcome } from '../../server/src/synthesis/synthesize';
import { lineOf, makeStandIn, tempDir, TINY_NETWORK } from '../unit/synthesis/standIn';
import { workspaceFile, activateExtension, diagnosticsFor, codeOf, workbenchShot } from './helpers';

describe('synthesis in a real VS Code', function () {
  this.timeout(60000);
  let root: string;
  let standIn: ReturnType<typeof makeStandIn>;
  let network: vscode.Uri;
  const outFolder = () => nodePath.join(root, 'projects');
  const settings = ['synthesis.path', 'python', 'synthesis.outputFolder', 'synthesis.engine'];

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
    // These tests drive izer (a stand-in); native synthesis has its own suite.
    await c.update('synthesis.engine', 'izer', vscode.ConfigurationTarget.Global);
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
