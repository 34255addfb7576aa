// `ai8x synthesize` with the native generator (the default engine): the built-in example becomes an MSDK project with
// nothing but Node on the machine — no Python, no ai8x-synthesis, an empty PATH.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/shared';
import { tempDir } from './standIn';

describe('ai8x synthesize (CLI) with the native generator', function () {
  this.timeout(60000);
  let cli: string;
  let root: string;

  before(function () {
    cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) {
      console.log(`      (skipped: ${cli} not built; run node esbuild.mjs)`);
      this.skip();
    }
  });
  beforeEach(() => {
    root = tempDir('cli-native');
    const r = spawnSync(process.execPath, [cli, 'example', root], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  // Nothing to find on the PATH: only the Node that runs the CLI.
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, 'synthesize', path.join(root, 'tinynet.yaml'), ...args], {
      cwd: root,
      env: { PATH: '', HOME: root, MAXIM_PATH: '', AI8X_PYTHON: '', AI8X_SYNTHESIS_PATH: '' },
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('writes the whole project with an empty PATH and says how to build it', () => {
    const out = path.join(root, 'projects');
    const r = run(['--out', out]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const target = path.join(out, 'tinynet');
    for (const f of [
      'cnn.c',
      'cnn.h',
      'main.c',
      'weights.h',
      'sampledata.h',
      'sampleoutput.h',
      'softmax.c',
      'Makefile',
      'project.mk',
      'log.txt',
      '.vscode/tasks.json',
      '.vscode/launch.json',
    ])
      assert.ok(fs.existsSync(path.join(target, f)), `${f} is written`);
    assert.match(r.stdout, /^ai8x synthesize: 1\d files written to /m);
    assert.match(r.stdout, /^ai8x synthesize: {3}make {2,}# builds/m);
    assert.match(r.stdout, /^ai8x synthesize: Made by: ai8x synthesize tinynet\.yaml --device MAX78000/m);
    assert.doesNotMatch(r.stdout + r.stderr, /python|izer command line/i);
  });

  it('without --out and without an MSDK, says where the project could go (exit 2), and writes nothing', () => {
    const r = run([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /MaximSDK \(MSDK\) was not found[^\n]*MAXIM_PATH[^\n]*--out/);
    assert.deepEqual(fs.readdirSync(root).sort(), ['sample_tinynet.npy', 'tinynet-q.pth.tar', 'tinynet.yaml']);
  });

  it('refuses a flag it does not implement by name and points to izer (exit 2), writing nothing', () => {
    const out = path.join(root, 'projects');
    const r = run(['--out', out, '--', '--zero-unused']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not support --zero-unused .*--engine izer/);
    assert.ok(!fs.existsSync(out));
  });

  it('rejects an unknown engine as a usage error', () => {
    const r = run(['--out', path.join(root, 'p'), '--engine', 'python']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--engine must be native or izer/);
  });
});
