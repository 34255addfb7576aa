// `ai8x compare-synthesis` end to end, with izer's real project for a shipped network: a stand-in ai8xize.py puts
// izer's recorded files (../shared/oracle/synthesis) where izer would, so the command compares the native project
// with what izer really wrote. The same files with one weight changed must be reported as different, at the weights.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireHarness } from '../../support/projectCopies';
import { repoRoot, requireShared, skipBecause, synthesisFile } from '../../support/shared';
import { SynthesisCase, synthesisCases } from '../../support/synthesisCases';

/** An ai8xize.py that copies the files named in copy.json into <test-dir>/<prefix>, changing one text if asked. */
const COPYING_IZER = String.raw`
const fs = require('fs');
const path = require('path');
const argv = process.argv.slice(2);
const arg = (n) => argv[argv.indexOf(n) + 1];
const cfg = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'copy.json'), 'utf8'));
const target = path.join(arg('--test-dir'), arg('--prefix'));
fs.mkdirSync(target, { recursive: true });
for (const f of fs.readdirSync(cfg.from)) {
  let text = fs.readFileSync(path.join(cfg.from, f), 'utf8');
  if (cfg.change && f === cfg.change.file) text = text.replace(cfg.change.from, cfg.change.to);
  fs.writeFileSync(path.join(target, f), text);
}
process.stdout.write('Wrote ' + target + '\n');
`;

describe('ai8x compare-synthesis with izer’s recorded project', function () {
  this.timeout(120_000);
  let cli: string;
  let root: string;
  let izer: string;
  let c: SynthesisCase;

  before(function () {
    requireShared(this, 'oracle', 'synthesis', 'shipped');
    requireHarness(this);
    cli = path.join(repoRoot(), 'dist', 'cli.js');
    if (!fs.existsSync(cli)) skipBecause(this, `${cli} is not built (node esbuild.mjs)`);
    const found = synthesisCases().find((x) => x.label === 'shipped/MAX78000-mnist');
    if (!found) skipBecause(this, 'the shared recording of MAX78000-mnist was not found');
    c = found;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-compare-cli-'));
    izer = path.join(root, 'ai8x-synthesis');
    fs.mkdirSync(path.join(izer, 'izer'), { recursive: true });
    fs.writeFileSync(path.join(izer, 'izer', '__init__.py'), '');
    fs.writeFileSync(path.join(izer, 'ai8xize.py'), COPYING_IZER);
  });
  after(() => root && fs.rmSync(root, { recursive: true, force: true }));

  const compare = (change?: { file: string; from: string; to: string }) => {
    fs.writeFileSync(path.join(izer, 'copy.json'), JSON.stringify({ from: c.referenceDir, change }));
    const dataset = /^dataset:\s*(\S+)/m.exec(fs.readFileSync(c.yaml, 'utf8'))![1].toLowerCase();
    const args = [cli, 'compare-synthesis', c.yaml, '--device', c.device, '--checkpoint', c.checkpoint!];
    args.push('--sample-input', c.sampleInput ?? synthesisFile(`tests/sample_${dataset}.npy`));
    args.push('--synthesis-path', izer, '--python', process.execPath, '--format', 'json', '--', ...c.generatorFlags);
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, AI8X_SYNTHESIS_PATH: '', AI8X_PYTHON: '' } });
    const outcome = JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null') as { status: string; same?: boolean; summary?: string; problem?: string };
    return { code: r.status, outcome, stderr: r.stderr };
  };

  it('izer’s project and the native one: the same, exit 0', () => {
    const r = compare();
    assert.equal(r.code, 0, `${r.stderr}\n${JSON.stringify(r.outcome)}`);
    assert.equal(r.outcome.status, 'compared');
    assert.equal(r.outcome.same, true);
    assert.match(r.outcome.summary!, /^same: .*words/);
    assert.match(r.stderr, /running izer: .*ai8xize\.py/);
    console.log(`      ${c.label}: ${r.outcome.summary}`);
  });

  it('one weight changed in izer’s weights.h: different, exit 1, and the difference is in the weights', () => {
    const weights = fs.readFileSync(path.join(c.referenceDir, 'weights.h'), 'utf8');
    const word = /0x[0-9a-f]{8}/.exec(weights.slice(weights.indexOf('KERNELS')))![0];
    const flipped = word.slice(0, 9) + (word[9] === '0' ? '1' : '0');
    const r = compare({ file: 'weights.h', from: word, to: flipped });
    assert.equal(r.code, 1, `${r.stderr}\n${JSON.stringify(r.outcome)}`);
    assert.equal(r.outcome.same, false);
    assert.match(r.outcome.summary!, /configur|weight|kernel|memory/i);
    console.log(`      one word changed: ${r.outcome.summary}`);
  });

  it('izer that writes nothing: exit 2 and why, in words', () => {
    fs.writeFileSync(path.join(izer, 'copy.json'), JSON.stringify({ from: path.join(root, 'nowhere') }));
    const args = [
      cli,
      'compare-synthesis',
      c.yaml,
      '--device',
      c.device,
      '--checkpoint',
      c.checkpoint!,
      '--synthesis-path',
      izer,
      '--python',
      process.execPath,
    ];
    const r = spawnSync(process.execPath, [...args, '--', ...c.generatorFlags], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stderr, /izer|project/);
    assert.doesNotMatch(r.stderr, /\b(TypeError|ReferenceError|ENOENT)\b/);
  });
});
