// ---- Native synthesis ("ai8x: Synthesize C Code" with the default engine) in a real VS Code ----
// The example network becomes an MSDK project with nothing but the extension: no ai8x-synthesis, no Python (the
// harness puts python/python3 stand-ins first on the PATH that only record that they were called).
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { e2eLog } from './log';
import type { SynthesisOutcome } from '../../server/src/synthesis/synthesize';
import type { EnvironmentReport } from '../../server/src/synthesis/environmentReport';
import { writeExample } from '../../server/src/example/writeExample';
import { tempDir } from '../unit/synthesis/standIn';
import { activateExtension, diagnosticsFor } from './helpers';

describe('native synthesis in a real VS Code', function () {
  this.timeout(60000);
  let root: string;
  let network: vscode.Uri;
  const outFolder = () => nodePath.join(root, 'projects');
  const settings = ['synthesis.path', 'python', 'synthesis.outputFolder', 'synthesis.engine'];
  const pythonCalls = () => {
    const f = process.env.AI8X_E2E_PYTHON_CALLS;
    return f && nodeFs.existsSync(f) ? nodeFs.readFileSync(f, 'utf8') : '';
  };

  before(async () => {
    await activateExtension();
    root = tempDir('e2e-native');
    network = vscode.Uri.file(writeExample(root).network);
    const c = vscode.workspace.getConfiguration('ai8x');
    for (const s of settings) await c.update(s, undefined, vscode.ConfigurationTarget.Global);
    await c.update('synthesis.outputFolder', outFolder(), vscode.ConfigurationTarget.Global);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(network));
    // The live check of the example (with its checkpoint and sample from the modeline) is clean.
    await diagnosticsFor(network, (d) => !d.some((x) => x.severity === vscode.DiagnosticSeverity.Error), 30000);
  });
  after(async () => {
    const c = vscode.workspace.getConfiguration('ai8x');
    for (const s of settings) await c.update(s, undefined, vscode.ConfigurationTarget.Global);
    nodeFs.rmSync(root, { recursive: true, force: true });
  });

  it('Check Synthesis Environment says the native engine needs nothing, and reports the MSDK for building', async () => {
    const report = (await vscode.commands.executeCommand('ai8x.checkSynthesisEnvironment')) as EnvironmentReport | undefined;
    assert.ok(report, 'the command answered');
    assert.match(report.lines[0], /^Engine: native .*needs no Python, PyTorch or ai8x-synthesis/);
    assert.ok(report.lines.some((l) => l.startsWith(`Projects go to: ${outFolder()}`)));
    assert.ok(report.lines.some((l) => /^MSDK, to build and flash the projects: /.test(l)));
  });

  it('writes the whole MSDK project of the example without any Python', async () => {
    const before = pythonCalls();
    const done: string[] = [];
    const outcome = (await vscode.commands.executeCommand('ai8x.synthesize', network, {
      overwrite: 'replace',
      notes: { done: (message: string) => done.push(message) },
    })) as SynthesisOutcome | undefined;
    assert.ok(outcome, 'the command ran');
    assert.strictEqual(outcome.status, 'ok', outcome.problem);
    const target = nodePath.join(outFolder(), 'tinynet');
    assert.strictEqual(outcome.target, target);
    // Everything `make` needs with the MSDK, and the VS Code tasks to build, flash and debug.
    for (const f of [
      'Makefile',
      'project.mk',
      'cnn.c',
      'cnn.h',
      'main.c',
      'weights.h',
      'sampledata.h',
      'sampleoutput.h',
      'softmax.c',
      '.vscode/tasks.json',
      '.vscode/launch.json',
    ])
      assert.ok(nodeFs.existsSync(nodePath.join(target, f)), `${f} is written`);
    const main = nodeFs.readFileSync(nodePath.join(target, 'main.c'), 'utf8');
    for (const fn of ['load_input', 'check_output', 'cnn_init', 'cnn_load_weights', 'cnn_load_bias', 'cnn_configure', 'cnn_start'])
      assert.ok(main.includes(fn), `main.c calls ${fn}`);
    assert.match(outcome.commandLine, /^ai8x synthesize tinynet\.yaml --device MAX78000/);
    assert.ok(
      done.some((m) => m.startsWith(`ai8x: generated ${outcome.files.length} files in ${target}`)),
      done.join(' | '),
    );
    assert.strictEqual(pythonCalls(), before, 'no Python was run');
    e2eLog(`      native synthesis wrote ${outcome.files.length} files to ${target}`);
  });

  it('asks before replacing a project that was changed since it was generated, and keeps it on cancel', async () => {
    const target = nodePath.join(outFolder(), 'tinynet');
    const main = nodePath.join(target, 'main.c');
    nodeFs.appendFileSync(main, '\n// my change\n');
    const outcome = (await vscode.commands.executeCommand('ai8x.synthesize', network, { overwrite: 'cancel' })) as SynthesisOutcome;
    assert.strictEqual(outcome.status, 'refused');
    assert.ok(outcome.needsConsent);
    assert.match(nodeFs.readFileSync(main, 'utf8'), /my change/);
  });

  it('Compare Synthesis with izer runs both engines and says whether the accelerator gets the same, or where it differs', async function () {
    // A stand-in ai8x-synthesis whose ai8xize.py (run by Node as the "Python") writes, as izer's project, a copy of the
    // native project made above — as it is, then with one kernel word changed.
    const target = nodePath.join(outFolder(), 'tinynet');
    const izer = nodePath.join(root, 'copying-izer');
    nodeFs.mkdirSync(nodePath.join(izer, 'izer'), { recursive: true });
    nodeFs.writeFileSync(nodePath.join(izer, 'izer', '__init__.py'), '');
    nodeFs.writeFileSync(
      nodePath.join(izer, 'ai8xize.py'),
      [
        "const fs = require('fs'), path = require('path'), argv = process.argv.slice(2), arg = (n) => argv[argv.indexOf(n) + 1];",
        "const cfg = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'copy.json'), 'utf8'));",
        "const out = path.join(arg('--test-dir'), arg('--prefix')); fs.mkdirSync(out, { recursive: true });",
        "for (const f of ['cnn.c', 'cnn.h', 'main.c', 'weights.h', 'sampledata.h', 'sampleoutput.h', 'softmax.c']) {",
        "  let t = fs.readFileSync(path.join(cfg.from, f), 'utf8'); if (cfg.change && f === 'weights.h') t = t.replace(cfg.change[0], cfg.change[1]);",
        '  fs.writeFileSync(path.join(out, f), t); }',
      ].join('\n'),
    );
    const c = vscode.workspace.getConfiguration('ai8x');
    await c.update('synthesis.path', izer, vscode.ConfigurationTarget.Global);
    await c.update('python', process.execPath, vscode.ConfigurationTarget.Global);
    const run = async (change?: [string, string]) => {
      nodeFs.writeFileSync(nodePath.join(izer, 'copy.json'), JSON.stringify({ from: target, change }));
      const done: string[] = [];
      const outcome = (await vscode.commands.executeCommand('ai8x.compareSynthesis', network, { done: (m: string) => done.push(m) })) as {
        status: string;
        same?: boolean;
        summary?: string;
        problem?: string;
      };
      return { outcome, done };
    };
    const same = await run();
    if (same.outcome.status === 'harness-failed' && /compiler|gcc|cc\b/i.test(same.outcome.problem ?? '')) this.skip(); // no C compiler for the harness on this machine
    assert.strictEqual(same.outcome.status, 'compared', JSON.stringify(same.outcome));
    assert.strictEqual(same.outcome.same, true, same.outcome.summary);
    assert.ok(
      same.done.some((m) => m.startsWith("izer's project and the native one give the accelerator the same")),
      same.done.join(' | '),
    );
    const weights = nodeFs.readFileSync(nodePath.join(target, 'weights.h'), 'utf8');
    const word = /0x[0-9a-f]{8}/.exec(weights.slice(weights.indexOf('KERNELS')))![0];
    const changed = await run([word, word.slice(0, 9) + (word[9] === '0' ? '1' : '0')]);
    assert.strictEqual(changed.outcome.same, false, JSON.stringify(changed.outcome));
    assert.ok(
      changed.done.some((m) => m.startsWith("izer's project and the native one differ: configured image")),
      changed.done.join(' | '),
    );
    e2eLog(`      compare synthesis: ${same.outcome.summary}`);
  });
});
