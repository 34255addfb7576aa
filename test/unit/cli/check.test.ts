// The `ai8x check` and `ai8x kernel-map` contract that scripts outside the project rely on.
import * as assert from 'node:assert';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { repoRoot, requireShared, sharedDir } from '../../support/shared';

const cli = () => path.join(repoRoot(), 'dist', 'cli.js');
const run = (args: string[], cwd?: string) => cp.spawnSync(process.execPath, [cli(), ...args], { encoding: 'utf8', cwd });

describe('ai8x check (CLI contract)', function () {
  // Each test starts several CLI processes; a busy machine takes a while over each.
  this.timeout(20000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-cli-'));
    fs.writeFileSync(path.join(dir, 'tinynet.yaml'), EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, 'tinynet-q.pth.tar'), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, 'sample_tinynet.npy'), exampleSampleBytes());
    const broken = EXAMPLE_NETWORK_YAML.replace('processors: 0x00000000000000ff', 'processors: 0x000000000000000f').replace(
      '    op: mlp',
      '    op: mlp\n    pool_strid: 2',
    );
    fs.writeFileSync(path.join(dir, 'broken.yaml'), broken);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exit 0 and no output for a clean network (checkpoint and sample from the modeline)', () => {
    const r = run(['check', path.join(dir, 'tinynet.yaml')]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stdout, '');
  });

  it('text: file:line:col: severity code message, 1-based; exit 1 with errors', () => {
    const file = path.join(dir, 'broken.yaml');
    const r = run(['check', file]);
    assert.strictEqual(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    const text = fs.readFileSync(file, 'utf8').split('\n');
    const procLine = text.findIndex((l) => l.includes('0x000000000000000f')) + 1;
    const keyLine = text.findIndex((l) => l.includes('pool_strid:')) + 1;
    assert.ok(
      lines.some((l) => l.startsWith(`${file}:${procLine}:17: error IZ222 `)),
      `IZ222 at ${procLine}:17 in\n${lines.join('\n')}`,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`${file}:${keyLine}:5: error IZ016 `)),
      lines.join('\n'),
    );
    for (const l of lines) assert.match(l, /^.+:\d+:\d+: (error|warning|information) [A-Z]+\d+ .+$/);
  });

  it('json: the documented fields, with the layer index', () => {
    const r = run(['check', path.join(dir, 'broken.yaml'), '--format', 'json']);
    assert.strictEqual(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual(Object.keys(out).sort(), ['device', 'diagnostics', 'file']);
    assert.strictEqual(out.device, 'MAX78000');
    const d = out.diagnostics.find((x: { code: string }) => x.code === 'IZ222');
    assert.deepStrictEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'layer', 'line', 'message', 'severity'].sort());
    assert.strictEqual(d.severity, 'error');
    assert.strictEqual(d.layer, 1);
    assert.strictEqual(d.column, 17);
    assert.strictEqual(d.endColumn, 17 + '0x000000000000000f'.length);
  });

  it('--device overrides the modeline; exit 2 for usage and I/O problems', () => {
    const j = JSON.parse(run(['check', path.join(dir, 'tinynet.yaml'), '--device', 'MAX78002', '--format', 'json']).stdout);
    assert.strictEqual(j.device, 'MAX78002');
    assert.strictEqual(run(['check', path.join(dir, 'tinynet.yaml'), '--device', 'MAX1']).status, 2);
    assert.strictEqual(run(['check', path.join(dir, 'missing.yaml')]).status, 2);
    assert.strictEqual(run(['check']).status, 2);
    assert.strictEqual(run(['check', path.join(dir, 'tinynet.yaml'), '--format', 'xml']).status, 2);
    assert.strictEqual(run(['frobnicate']).status, 2);
  });

  it('a missing or hostile checkpoint is a diagnostic, not a crash', () => {
    fs.writeFileSync(path.join(dir, 'bad-q.pth.tar'), Buffer.from('PK\u0003\u0004 this is not a zip'));
    const r = run(['check', path.join(dir, 'tinynet.yaml'), '--checkpoint', path.join(dir, 'bad-q.pth.tar'), '--format', 'json']);
    assert.strictEqual(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.ok(out.diagnostics.some((d: { code: string; message: string }) => d.code === 'AX210' && /checkpoint/i.test(d.message)));
    const r2 = run(['check', path.join(dir, 'tinynet.yaml'), '--checkpoint', path.join(dir, 'nope.pth.tar'), '--format', 'json']);
    assert.ok(JSON.parse(r2.stdout).diagnostics.some((d: { code: string; message: string }) => d.code === 'AX210' && /does not exist/.test(d.message)));
  });

  it('izer flags after `--` change the verdict (a streaming first layer needs --fifo)', () => {
    const streaming = EXAMPLE_NETWORK_YAML.replace('    data_format: CHW\n', '    data_format: CHW\n    streaming: true\n');
    fs.writeFileSync(path.join(dir, 'stream.yaml'), streaming);
    assert.match(run(['check', path.join(dir, 'stream.yaml')]).stdout, /IZ156/);
    assert.doesNotMatch(run(['check', path.join(dir, 'stream.yaml'), '--', '--fifo']).stdout, /IZ156/);
  });

  it("kernel-map prints izer's block and needs a checkpoint", () => {
    const r = run(['kernel-map', path.join(dir, 'tinynet.yaml')]);
    assert.strictEqual(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.strictEqual(lines[0], 'Kernel map:');
    assert.strictEqual(lines.length, 68, '"Kernel map:", two rulers, 64 processors and the final newline');
    assert.ok(lines.slice(2, 66).every((l) => l.length === 768));
    fs.writeFileSync(path.join(dir, 'nockpt.yaml'), EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, ''));
    assert.strictEqual(run(['kernel-map', path.join(dir, 'nockpt.yaml')]).status, 2);
  });

  it("matches izer's kernel_map.txt through the CLI (mnist, from ../shared)", function () {
    requireShared(this, 'oracle', 'runs', 'MAX78000-mnist', 'kernel_map.txt');
    const r = run(
      ['kernel-map', 'networks/mnist-chw-ai85.yaml', '--checkpoint', 'trained/ai85-mnist-qat8-q.pth.tar', '--device', 'MAX78000', '--', '--softmax'],
      sharedDir('ai8x-synthesis'),
    );
    assert.strictEqual(r.stdout, fs.readFileSync(sharedDir('oracle', 'runs', 'MAX78000-mnist', 'kernel_map.txt'), 'utf8'));
  });
});
