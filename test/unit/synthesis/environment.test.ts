import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_NAMES, findEnvironment, isSynthesisCheckout, resolveExecutable, SETTING_NAMES } from '../../../server/src/synthesis/environment';
import { describeEnvironment } from '../../../server/src/synthesis/environmentReport';
import { parseLogSummary, summaryLine } from '../../../server/src/synthesis/logSummary';
import { mayRunSynthesis } from '../../../server/src/synthesis/trust';
import { makeStandIn, tempDir } from './standIn';

describe('finding the synthesis tools', () => {
  let root: string;
  beforeEach(() => (root = tempDir('env')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const venv = (dir: string) => {
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'bin', 'python3'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'pyvenv.cfg'), 'home = /usr/bin\n');
    return path.join(dir, 'bin', 'python3');
  };

  it('recognises a checkout by ai8xize.py next to izer/', () => {
    const s = makeStandIn(root, 'synth');
    assert.ok(isSynthesisCheckout(s.dir));
    fs.mkdirSync(path.join(root, 'other'));
    assert.ok(!isSynthesisCheckout(path.join(root, 'other')));
  });

  it('says what to install and which setting to point when nothing is configured', () => {
    const env = findEnvironment({ workspaceFolders: [root], env: {}, needMsdk: true, names: SETTING_NAMES });
    assert.strictEqual(env.synthesis, null);
    assert.strictEqual(env.python, null);
    const byTool = Object.fromEntries(env.problems.map((p) => [p.tool, p.message]));
    assert.match(byTool.synthesis, /git clone https:\/\/github\.com\/analogdevicesinc\/ai8x-synthesis/);
    assert.match(byTool.synthesis, /`ai8x\.synthesis\.path`/);
    assert.match(byTool.python, /`ai8x\.python`/);
    assert.match(byTool.msdk, /MAXIM_PATH/);
  });

  it('names CLI options on the command line', () => {
    const env = findEnvironment({ synthesisPath: { path: path.join(root, 'nope'), source: '--synthesis-path' }, env: {}, needMsdk: false, names: CLI_NAMES });
    assert.match(env.problems[0].message, /does not exist/);
    assert.match(env.problems[0].message, /--synthesis-path DIR/);
    assert.ok(!env.problems.some((p) => p.tool === 'msdk'), 'MSDK only needed when the output folder comes from it');
  });

  it("uses the workspace when it is a checkout, and its venv/ before the Python extension's choice", () => {
    const s = makeStandIn(root, 'ai8x-synthesis');
    const py = venv(path.join(s.dir, 'venv'));
    const other = venv(path.join(root, 'training-venv'));
    const elsewhere = findEnvironment({
      synthesisPath: { path: s.dir, source: 'setting' },
      workspaceFolders: [root],
      pythonFromExtension: other,
      env: {},
      needMsdk: false,
      names: SETTING_NAMES,
    });
    assert.strictEqual(elsewhere.python?.path, py);
    assert.match(elsewhere.python!.source, /venv\//);
    const inside = findEnvironment({ workspaceFolders: [s.dir], pythonFromExtension: other, env: {}, needMsdk: false, names: SETTING_NAMES });
    assert.strictEqual(inside.synthesis?.source, 'the workspace folder');
    assert.strictEqual(inside.python?.path, other, 'the interpreter chosen for the synthesis workspace itself wins');
  });

  it('takes .venv/, the Python extension, or a setting (also an environment folder)', () => {
    const s = makeStandIn(root, 'synth');
    const dotVenv = venv(path.join(s.dir, '.venv'));
    assert.strictEqual(findEnvironment({ synthesisPath: { path: s.dir, source: 's' }, env: {}, needMsdk: false, names: SETTING_NAMES }).python?.path, dotVenv);
    fs.rmSync(path.join(s.dir, '.venv'), { recursive: true });
    const ext = venv(path.join(root, 'ext-env'));
    const viaExt = findEnvironment({
      synthesisPath: { path: s.dir, source: 's' },
      pythonFromExtension: path.join(root, 'ext-env'),
      env: {},
      needMsdk: false,
      names: SETTING_NAMES,
    });
    assert.strictEqual(viaExt.python?.path, ext);
    const viaSetting = findEnvironment({
      synthesisPath: { path: s.dir, source: 's' },
      python: { path: path.join(root, 'ext-env'), source: 'setting ai8x.python' },
      env: {},
      needMsdk: false,
      names: SETTING_NAMES,
    });
    assert.strictEqual(viaSetting.python?.path, ext);
    const bad = findEnvironment({
      synthesisPath: { path: s.dir, source: 's' },
      python: { path: '/no/python', source: 'setting ai8x.python' },
      env: {},
      needMsdk: false,
      names: SETTING_NAMES,
    });
    assert.match(bad.problems[0].message, /"\/no\/python" \(from setting ai8x\.python\) was not found/);
  });

  it('finds the MSDK through the setting or MAXIM_PATH, and rejects a folder that is not one', () => {
    const msdk = path.join(root, 'MaximSDK');
    fs.mkdirSync(path.join(msdk, 'Examples'), { recursive: true });
    assert.strictEqual(findEnvironment({ env: { MAXIM_PATH: msdk }, needMsdk: true, names: SETTING_NAMES }).msdk?.path, msdk);
    const viaSetting = findEnvironment({
      msdkPath: { path: msdk, source: 'setting' },
      env: { MAXIM_PATH: '/elsewhere' },
      needMsdk: true,
      names: SETTING_NAMES,
    });
    assert.strictEqual(viaSetting.msdk?.source, 'setting');
    const wrong = findEnvironment({ env: { MAXIM_PATH: root }, needMsdk: true, names: SETTING_NAMES });
    assert.strictEqual(wrong.msdk, null);
    assert.match(wrong.problems.find((p) => p.tool === 'msdk')!.message, /not an MSDK folder/);
  });
});

describe('workspace trust', () => {
  it('runs nothing in an untrusted workspace, and says why', () => {
    const d = mayRunSynthesis(false);
    assert.strictEqual(d.allowed, false);
    assert.match(d.reason!, /Restricted Mode/);
    assert.match(d.reason!, /Trust the workspace/);
    assert.deepStrictEqual(mayRunSynthesis(true), { allowed: true });
  });
});

describe('resource use from log.txt', () => {
  it('reads the summary izer writes at the end of log.txt', () => {
    const log = `x\nSUMMARY OF OPS\nHardware: 12,148,288 ops (11,987,328 macc; 157,376 comp; 3,584 add; 0 mul; 0 bitwise)\n  Layer 0: 1,720,320 ops (1,658,880 macc; 61,440 comp; 0 add; 0 mul; 0 bitwise)\n\nRESOURCE USAGE\nWeight memory: 72,228 bytes out of 442,368 bytes total (16.3%)\nBias memory:   10 bytes out of 2,048 bytes total (0.5%)\n`;
    const s = parseLogSummary(log);
    assert.deepStrictEqual(s.weightMemory, { used: 72228, total: 442368, percent: 16.3 });
    assert.deepStrictEqual(s.biasMemory, { used: 10, total: 2048, percent: 0.5 });
    assert.strictEqual(s.hardwareOps, 12148288);
    assert.strictEqual(s.macc, 11987328);
    assert.strictEqual(summaryLine(s), 'weights: 72,228 of 442,368 bytes (16.3%), bias: 10 of 2,048 bytes (0.5%), 12,148,288 ops');
    assert.deepStrictEqual(parseLogSummary('nothing here'), { weightMemory: null, biasMemory: null, hardwareOps: null, macc: null, latencyCycles: null });
  });
});

describe('the environment report', function () {
  this.timeout(120000);

  it('names the tools, the Python version and every package izer imports, with the missing ones as problems', async function () {
    const python = resolveExecutable('python3');
    if (!python) {
      console.log('      (skipped: no python3 on PATH)');
      this.skip();
    }
    const root = tempDir('report');
    try {
      const s = makeStandIn(root, 'synth');
      const report = await describeEnvironment({
        synthesis: { path: s.dir, source: 'test' },
        python: { path: python!, source: 'PATH' },
        msdk: null,
        problems: [],
      });
      const version = spawnSync(python!, ['--version'], { encoding: 'utf8' });
      const v = /Python (\S+)/.exec(version.stdout + version.stderr)![1];
      assert.ok(report.lines.includes(`  Python ${v}`), report.lines.join('\n'));
      assert.ok(report.lines.includes(`ai8x-synthesis: ${s.dir} (from test)`));
      assert.ok(
        report.lines.some((l) => /^ {2}version: unknown/.test(l)),
        'a folder without git metadata has no version',
      );
      const missing = ['numpy', 'torch', 'PyYAML', 'rich', 'xxhash', 'GitPython', 'PyGithub'].filter((p) => {
        const line = report.lines.find((l) => l.startsWith(`  ${p}: `));
        assert.ok(line, `${p} reported`);
        return line!.endsWith('MISSING');
      });
      if (missing.length) assert.match(report.problems.join('\n'), new RegExp(`lacks ${missing.join(', ')}\\. Install the requirements`));
      else assert.deepStrictEqual(report.problems, []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('says when the interpreter does not run', async () => {
    const root = tempDir('report');
    try {
      const fake = path.join(root, 'python3');
      fs.writeFileSync(fake, '#!/bin/sh\necho broken >&2\nexit 3\n', { mode: 0o755 });
      const report = await describeEnvironment({ synthesis: null, python: { path: fake, source: 'test' }, msdk: null, problems: [] });
      assert.ok(report.lines.includes('  could not run it: broken'), report.lines.join('\n'));
      assert.match(report.problems[0], /does not run/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
