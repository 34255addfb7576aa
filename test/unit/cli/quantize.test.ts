// The `ai8x quantize` contract, on a training checkpoint the test writes: exit 0 with a checkpoint the reader (and
// the checks) take as quantized, 1 when a layer cannot be quantized (named), 2 for usage and I/O problems; an
// existing output is replaced only with --force, and a failed run leaves it as it was.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { scanValues, Tensor } from '../../../server/src/engine/checkpoint/types';
import { EXAMPLE_NETWORK_YAML, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { repoRoot } from '../../support/shared';
import { exampleTrainingCheckpointBytes } from '../../support/trainingCheckpoint';

describe('ai8x quantize (CLI contract)', function () {
  this.timeout(60_000);
  let dir: string;
  const cli = (args: string[]) =>
    cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'quantize', ...args], { cwd: dir, encoding: 'utf8' });
  const weights = (file: string) => readCheckpoint(fs.readFileSync(path.join(dir, file))).stateDict.filter((e) => e.key.endsWith('.op.weight'));

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-quantize-'));
    fs.writeFileSync(path.join(dir, 'tinynet.pth.tar'), exampleTrainingCheckpointBytes());
    fs.writeFileSync(path.join(dir, 'sample_tinynet.npy'), exampleSampleBytes());
    fs.writeFileSync(path.join(dir, 'tinynet.yaml'), EXAMPLE_NETWORK_YAML.replace('checkpoint=tinynet-q.pth.tar', 'checkpoint=tinynet.pth.tar'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes integer weights within 8 bits and says what it did; the network then checks clean with it', () => {
    const before = cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'check', 'tinynet.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.match(before.stdout, /AX202/, 'the training checkpoint is not quantized');
    const r = cli(['tinynet.pth.tar', 'tinynet-q.pth.tar', '--device', 'MAX78000']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tinynet-q\.pth\.tar: 4 layers quantized \(8-bit weights, MAX_BIT_SHIFT\)/);
    const ws = weights('tinynet-q.pth.tar');
    assert.equal(ws.length, 4);
    for (const { key, value } of ws) {
      const v = scanValues(value as Tensor);
      assert.ok(
        Array.from(v).every((x) => Number.isInteger(x) && x >= -128 && x <= 127),
        key,
      );
    }
    fs.writeFileSync(path.join(dir, 'tinynet.yaml'), EXAMPLE_NETWORK_YAML);
    const after = cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'check', 'tinynet.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(after.status, 0, after.stdout);
    assert.doesNotMatch(after.stdout, /AX202/);
  });

  it('never replaces an existing file without --force (exit 2, the file as it was); --force replaces it', () => {
    const out = path.join(dir, 'kept.pth.tar');
    fs.writeFileSync(out, 'mine');
    const r = cli(['tinynet.pth.tar', 'kept.pth.tar', '--device', 'MAX78000']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /kept\.pth\.tar exists \(nothing was written\); give --force to replace it/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'mine');
    const f = cli(['tinynet.pth.tar', 'kept.pth.tar', '--device', 'MAX78000', '--force']);
    assert.equal(f.status, 0, f.stderr);
    assert.equal(weights('kept.pth.tar').length, 4);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left behind',
    );
  });

  it('exit 1 names the layer that cannot be quantized (a bias under --clip-method), and writes nothing', () => {
    const r = cli(['tinynet.pth.tar', 'clipped.pth.tar', '--device', 'MAX78000', '--', '--clip-method', 'MAX']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /`conv1\.op\.bias`: with --clip-method quantize\.py stops at the first layer with a bias/);
    assert.equal(fs.existsSync(path.join(dir, 'clipped.pth.tar')), false);
  });

  it('-v prints quantize.py’s per-layer statistics', () => {
    const r = cli(['tinynet.pth.tar', 'verbose.pth.tar', '--device', 'MAX78002', '-v']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Model keys \(state_dict\):$/m);
    assert.match(r.stdout, /^conv1\.op\.weight avg_max: [\d.e-]+ max: [\d.e-]+ mean: [-\d.e]+ factor: \[\d+\.\] bits: 8$/m);
  });

  it('exit 2 for usage and I/O problems, in words', () => {
    const usage = (args: string[], pattern: RegExp) => {
      const r = cli(args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /TypeError|RangeError|SyntaxError|ReferenceError|at .*\.js:\d+/);
    };
    usage(['tinynet.pth.tar', 'x.pth.tar'], /--device MAX78000\|MAX78002 is required/);
    usage(['tinynet.pth.tar', '--device', 'MAX78000'], /give the training checkpoint and the file to write/);
    usage(['tinynet.pth.tar', 'x.pth.tar', '--device', 'MAX78000', '--clip-method', 'median'], /invalid choice "median"/);
    usage(['missing.pth.tar', 'x.pth.tar', '--device', 'MAX78000'], /cannot read missing\.pth\.tar: no such file or folder/);
    usage(['tinynet.yaml', 'x.pth.tar', '--device', 'MAX78000'], /cannot read tinynet\.yaml: This is not a PyTorch checkpoint/);
    usage(['tinynet.pth.tar', path.join('no-such-folder', 'x.pth.tar'), '--device', 'MAX78000'], /cannot write .*x\.pth\.tar: no such file or folder/);
    usage(['tinynet.pth.tar', 'x.pth.tar', '--device', 'MAX78000', '-c', 'nope.yaml'], /cannot read the config file nope\.yaml: no such file or folder/);
  });

  it('-c reads the network’s `quantization` per layer; a config file with an error is exit 1 with its line', () => {
    fs.writeFileSync(path.join(dir, 'four.yaml'), EXAMPLE_NETWORK_YAML.replace('    name: conv1\n', '    name: conv1\n    quantization: 4\n'));
    const r = cli(['tinynet.pth.tar', 'four.pth.tar', '--device', 'MAX78000', '-c', 'four.yaml']);
    assert.equal(r.status, 0, r.stderr);
    const first = weights('four.pth.tar').find((e) => e.key === 'conv1.op.weight')!.value as Tensor;
    assert.ok(Array.from(scanValues(first)).every((x) => x >= -8 && x <= 7));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), EXAMPLE_NETWORK_YAML.replace('    name: conv1\n', '    name: conv1\n    quantization: 3\n'));
    const bad = cli(['tinynet.pth.tar', 'bad.pth.tar', '--device', 'MAX78000', '-c', 'bad.yaml']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.yaml:\d+: `quantization` must be 1, 2, 4 or 8/);
  });
});
