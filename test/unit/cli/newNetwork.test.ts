// The `ai8x new-network` contract, on a model, checkpoint and sample the test writes: exit 0 with a YAML that
// `ai8x check` passes (module and source line named per layer, modeline with the checkpoint), exit 1 with the
// model's file and line when the model cannot be expressed, exit 2 for usage and I/O problems.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/shared';
import { TINY_MODEL_SOURCE, writeTinyModel, writeTinyTrainingCheckpoint } from '../../support/modelFixture';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { quantizationState } from '../../../server/src/engine/quantize/quantizationState';

describe('ai8x new-network (CLI contract)', function () {
  this.timeout(60_000);
  let dir: string;
  const cli = (args: string[]) =>
    cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'new-network', ...args], { cwd: dir, encoding: 'utf8' });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-newnet-'));
    writeTinyModel(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a network that ai8x check passes, naming each module and its line, associated through the modeline', () => {
    const out = path.join(dir, 'tiny.yaml');
    const r = cli(['--model', 'models/tiny.py', '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy', '--output', out]);
    assert.equal(r.status, 0, r.stderr);
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /^# ai8x: device=MAX78000 checkpoint=tiny-q\.pth\.tar sample-input=sample_tiny\.npy$/m);
    assert.match(text, /^arch: tinynet$/m);
    const line = (needle: string) => TINY_MODEL_SOURCE.slice(0, TINY_MODEL_SOURCE.indexOf(needle)).split('\n').length;
    assert.match(text, new RegExp(`# Layer 0: conv1 = ai8x\\.FusedConv2dReLU \\(tiny\\.py line ${line('self.conv1 =')}\\)`));
    assert.match(text, /# Layer 2: fc = ai8x\.Linear/);
    assert.match(text, /flatten: true/);
    assert.match(text, /output_width: 32/);
    const check = cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'check', out], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout);
    assert.match(r.stderr, /note: tiny\.py line \d+: skipped/, 'the weight initialisation it could not follow is named, not hidden');
  });

  it('without --output prints the YAML; the arch defaults to the checkpoint’s', () => {
    const r = cli(['--model', 'models/tiny.py', '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^arch: tinynet$/m);
  });

  it('exit 1 with the file and line when the model cannot be expressed; the checkpoint disagreeing names both sides', () => {
    const bad = path.join(dir, 'models', 'bad.py');
    fs.writeFileSync(bad, TINY_MODEL_SOURCE.replace('x = self.conv2(x)', 'x = self.conv2(x)\n        while True:\n            break'));
    const r = cli(['--model', bad, '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: a while loop is not supported`));
    const wide = path.join(dir, 'models', 'wide.py');
    fs.writeFileSync(wide, TINY_MODEL_SOURCE.replace('planes=8', 'planes=16'));
    const w = cli(['--model', wide, '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy']);
    assert.equal(w.status, 1);
    assert.match(w.stderr, /`conv1` \(line \d+\) needs weights of shape \[16, 3, 3, 3\], but the checkpoint's `conv1\.op\.weight` is \[8, 3, 3, 3\]/);
    const bits = path.join(dir, 'models', 'bits.py');
    fs.writeFileSync(
      bits,
      TINY_MODEL_SOURCE.replace('padding=1, bias=bias, **kwargs)\n        self.conv2', 'padding=1, bias=bias, weight_bits=2, **kwargs)\n        self.conv2'),
    );
    const b = cli(['--model', bits, '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy']);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /`conv1` \(line \d+\) fixes weight_bits=2, but the checkpoint's `conv1\.weight_bits` is 8/);
  });

  it('takes a training checkpoint too: quantizes it on the way into <name>-q.pth.tar, says so, and the network uses that one', () => {
    writeTinyTrainingCheckpoint(path.join(dir, 'training', 'tiny.pth.tar'));
    const out = path.join(dir, 'from-training.yaml');
    const r = cli(['--model', 'models/tiny.py', '--checkpoint', 'training/tiny.pth.tar', '--sample-input', 'sample_tiny.npy', '--output', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /note: training\/tiny\.pth\.tar holds training weights: quantized them on the way, as quantize\.py does \(8-bit, MAX_BIT_SHIFT\), into training\/tiny-q\.pth\.tar/,
    );
    assert.match(fs.readFileSync(out, 'utf8'), /^# ai8x: device=MAX78000 checkpoint=training\/tiny-q\.pth\.tar /m);
    assert.equal(quantizationState(readCheckpoint(fs.readFileSync(path.join(dir, 'training', 'tiny-q.pth.tar')))), 'quantized');
    const check = cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'check', out], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout);
    // Again: the -q file is there now, and is not replaced.
    const again = cli(['--model', 'models/tiny.py', '--checkpoint', 'training/tiny.pth.tar', '--sample-input', 'sample_tiny.npy']);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /holds training weights and tiny-q\.pth\.tar exists next to it: give that one as the checkpoint/);
  });

  it('exit 2 for usage and I/O problems, and never replaces an existing file', () => {
    assert.equal(cli([]).status, 2);
    assert.equal(cli(['--model', 'models/tiny.py']).status, 2);
    assert.equal(cli(['--model', 'nope.py', '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy']).status, 2);
    const existing = path.join(dir, 'existing.yaml');
    fs.writeFileSync(existing, 'keep me');
    const r = cli(['--model', 'models/tiny.py', '--checkpoint', 'tiny-q.pth.tar', '--sample-input', 'sample_tiny.npy', '--output', existing]);
    assert.equal(r.status, 2);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
  });
});
