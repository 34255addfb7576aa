// izer's sample-weight mode for test networks (`arch: test`), on small networks and weight files the tests
// write. Expected values are worked out by hand from izer's sampleweight.py behaviour, not from our output.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSampleWeights, sampleWeightNames, SampleWeightFile, SampleWeightInputs } from '../../../server/src/engine/analysis/sampleWeights';
import type { Diagnostic } from '../../../server/src/engine/diagnostic';
import { DiagnosticSink } from '../../../server/src/engine/diagnosticSink';
import { deviceByName } from '../../../server/src/engine/device/devices';
import { parseIzerFlags } from '../../../server/src/engine/izerFlags';
import { readNetwork } from '../../../server/src/engine/model/readNetwork';
import { NpyArray, readNpyArrays, writeNpy } from '../../../server/src/engine/sample/npy';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { repoRoot } from '../../support/shared';
import { TINY_LAYER1_WEIGHTS, TINY_TEST_NETWORK, writeTinyTestCheckout } from '../../support/testNetworkFixture';

function network(layers: string[][], globals: string[] = []): string {
  return `arch: test\ndataset: Tiny_Set\n${globals.map((g) => g + '\n').join('')}layers:\n${layers.map((l) => l.map((kv, i) => `${i ? '    ' : '  - '}${kv}`).join('\n')).join('\n')}\n`;
}

const conv = (extra: string[] = []) => ['processors: 0x000000000000000f', 'out_offset: 0x1000', 'op: conv2d', 'kernel_size: 3x3', 'pad: 1', ...extra];

function arr(shape: number[], values: number[] | ((i: number) => number)): NpyArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float64Array.from({ length: n }, (_, i) => (typeof values === 'function' ? values(i) : values[i]));
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { shape, dtype: 'int64', values: v, min, max };
}

const file = (name: string, arrays: NpyArray[] | null): SampleWeightFile =>
  arrays
    ? { name, path: `/x/${name}`, lookedAt: [`/x/${name}`], content: { arrays, stoppedBy: null } }
    : { name, path: null, lookedAt: [`/a/${name}`, `/b/${name}`] };

function load(yaml: string, inputs: SampleWeightInputs, flags: string[] = []) {
  const model = readNetwork(parseYamlTree(yaml), deviceByName('MAX78000'), new DiagnosticSink());
  const sink = new DiagnosticSink();
  const r = loadSampleWeights(inputs, model, parseIzerFlags(flags), sink, { weights: [1, 2], bias: [3, 4] });
  return { r, diags: sink.items as Diagnostic[] };
}

describe('sample weights of test networks (arch: test)', () => {
  it('names the files izer opens: weights_<dataset, lower case>, the weights/bias keys, --weight-input/--bias-input', () => {
    const model = (g: string[]) => readNetwork(parseYamlTree(network([conv()], g)), deviceByName('MAX78000'), new DiagnosticSink());
    assert.deepEqual(sampleWeightNames(model([]), parseIzerFlags([])), { weights: 'tests/weights_tiny_set.npy', bias: null });
    assert.deepEqual(sampleWeightNames(model(['weights: my_w', 'bias: my_b']), parseIzerFlags([])), { weights: 'tests/my_w.npy', bias: 'tests/bias_my_b.npy' });
    assert.deepEqual(sampleWeightNames(model(['bias: my_b']), parseIzerFlags(['--weight-input', 'w.npy', '--bias-input', '/abs/b.npy'])), {
      weights: 'w.npy',
      bias: '/abs/b.npy',
    });
  });

  it('8-bit weights stay as they are; channels from the array shape; output shift 8 − bits added', () => {
    const w = arr([2, 3, 3, 3], (i) => (i % 2 ? 127 : -128));
    // (Two arrays: a file holding a single array is indexed along its first axis, see below.)
    const { r, diags } = load(network([conv(['output_shift: 1'])]), { weights: file('w.npy', [w, w]), bias: null });
    assert.deepEqual(diags, []);
    assert.deepEqual(r.weights[0]!.shape, [6, 3, 3], 'Conv2d weights are stored as [out×in, kh, kw]');
    assert.deepEqual(Array.from(r.weights[0]!.data), Array.from(w.values));
    assert.deepEqual([r.inputChannels[0], r.outputChannels[0]], [3, 2]);
    assert.equal(r.outputShift[0], 1);
    assert.equal(r.layerCount, 1);
  });

  it('re-quantizes by an arithmetic shift to the YAML quantization, and sets ±1 for binary', () => {
    // Values −100 … 100 need 8 bits (fls(99) + 2 = 8); quantization 2 shifts right by 6 (floor: −100 → −2, 100 → 1).
    const w = arr([1, 4, 1, 1], [-100, -1, 63, 100]);
    const two = load(network([conv(['quantization: 2', 'kernel_size: 1x1', 'pad: 0'])]), { weights: file('w.npy', [w, w]), bias: null });
    assert.deepEqual(Array.from(two.r.weights[0]!.data), [-2, -1, 0, 1]);
    assert.equal(two.r.outputShift[0], 6, '8 − 2');
    // Values −8 … 7 need 4 bits: quantization 4 leaves them, 8 too.
    const small = arr([1, 2, 1, 1], [-8, 7]);
    assert.deepEqual(
      Array.from(
        load(network([conv(['quantization: 4', 'kernel_size: 1x1', 'pad: 0'])]), { weights: file('w.npy', [small, small]), bias: null }).r.weights[0]!.data,
      ),
      [-8, 7],
    );
    const bin = load(network([conv(['quantization: binary', 'kernel_size: 1x1', 'pad: 0'])]), { weights: file('w.npy', [w, w]), bias: null });
    assert.deepEqual(Array.from(bin.r.weights[0]!.data), [-1, -1, 1, 1]);
  });

  it('values beyond 8 bits: izer stops with a ValueError (AX209 on the weights anchor)', () => {
    const big = arr([1, 1, 3, 3], (i) => (i === 4 ? 300 : 0));
    const { diags, r } = load(network([conv()]), { weights: file('w.npy', [big, big]), bias: null });
    assert.deepEqual(
      diags.map((d) => [d.code, d.range]),
      [['AX209', [1, 2]]],
    );
    assert.match(diags[0].message, /beyond 8 bits/);
    assert.ok(r.fatal);
  });

  it('one array in the file: izer indexes it along its first axis, one layer per entry', () => {
    const both = arr([2, 1, 1, 3, 3], (i) => (i < 9 ? 1 : 2));
    const { r, diags } = load(network([conv(), conv()]), { weights: file('w.npy', [both]), bias: null });
    assert.deepEqual(diags, []);
    assert.deepEqual(
      r.weights.map((w) => Array.from(w!.data)),
      [Array(9).fill(1), Array(9).fill(2)],
    );
  });

  it('too few arrays: izer stops with an IndexError (AX209 naming the layer and the count)', () => {
    const a = arr([1, 1, 3, 3], () => 1);
    const { diags } = load(network([conv(), conv(), conv()]), { weights: file('w.npy', [a, a]), bias: null });
    assert.deepEqual(
      diags.map((d) => [d.code, d.layer]),
      [['AX209', 2]],
    );
    assert.match(diags[0].message, /needs weight array #3, but w\.npy holds only 2/);
  });

  it('layers without weights get none; biases come raw from the bias file, compacted, --no-bias drops a layer (by YAML index)', () => {
    const yaml = network([conv(), ['processors: 0x000000000000000f', 'out_offset: 0x2000', 'op: none'], conv()]);
    const w = arr([1, 1, 3, 3], () => 1);
    const b0 = arr([1], [5]);
    const b2 = arr([1], [-7]);
    const plain = load(yaml, { weights: file('w.npy', [w, w]), bias: file('b.npy', [b0, b2]) });
    assert.deepEqual(plain.diags, []);
    assert.equal(plain.r.weights[1], null);
    assert.deepEqual(
      plain.r.bias.slice(0, 3).map((b) => (b ? Array.from(b) : null)),
      [[5], null, [-7]],
    );
    const noBias = load(yaml, { weights: file('w.npy', [w, w]), bias: file('b.npy', [b0, b2]) }, ['--no-bias', '2']);
    assert.deepEqual(
      noBias.r.bias.slice(0, 3).map((b) => (b ? Array.from(b) : null)),
      [[5], null, null],
    );
  });

  it('a missing weight or bias file is IZ088 on its anchor, naming every path looked at', () => {
    const missing = load(network([conv()]), { weights: file('tests/weights_tiny_set.npy', null), bias: null });
    assert.deepEqual(
      missing.diags.map((d) => [d.code, d.range]),
      [['IZ088', [1, 2]]],
    );
    assert.match(missing.diags[0].message, /`\/a\/tests\/weights_tiny_set\.npy`, `\/b\/tests\/weights_tiny_set\.npy`/);
    const one = arr([1, 1, 3, 3], () => 1);
    const bias = load(network([conv()]), { weights: file('w.npy', [one, one]), bias: file('tests/bias_x.npy', null) });
    assert.deepEqual(
      bias.diags.map((d) => [d.code, d.range]),
      [['IZ088', [3, 4]]],
    );
  });
});

describe('sample weights through checkNetwork and the CLI', function () {
  this.timeout(60_000);
  let dir: string;
  const yaml = TINY_TEST_NETWORK;
  before(() => {
    // An ai8x-synthesis-like folder: tests/ with the network, its weights and its sample input.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-testnet-'));
    writeTinyTestCheckout(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[], cwd: string) => cp.spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), ...args], { encoding: 'utf8', cwd });

  it('the generated weight file holds the two arrays the network needs', () => {
    const { arrays } = readNpyArrays(fs.readFileSync(path.join(dir, 'tests', 'weights_tiny_set.npy')));
    assert.deepEqual(
      arrays.map((a) => a.shape),
      [
        [4, 3, 3, 3],
        [2, 4, 1, 1],
      ],
    );
  });

  it('ai8x check, kernel-map and simulate work from the checkout folder and from the YAML folder (nearest folder holding tests/)', () => {
    for (const [cwd, file] of [
      [dir, 'tests/test-tiny.yaml'],
      [os.tmpdir(), path.join(dir, 'tests', 'test-tiny.yaml')],
    ]) {
      const check = cli(['check', file], cwd);
      assert.equal(check.status, 0, check.stdout + check.stderr);
      const map = cli(['kernel-map', file], cwd);
      assert.equal(map.status, 0, map.stderr);
      assert.match(map.stdout, /^Kernel map:\n-+\n/);
      const sim = cli(['simulate', file, '--format', 'json'], cwd);
      assert.equal(sim.status, 0, sim.stderr);
      const out = JSON.parse(sim.stdout);
      assert.deepEqual(out.output.shape, [2, 4, 4]);
      assert.ok(out.known_answer.length > 0);
    }
  });

  it('the simulation uses the weight file named by --weight-input (after `--`): other weights, other output', () => {
    const sim = JSON.parse(cli(['simulate', 'tests/test-tiny.yaml', '--format', 'json'], dir).stdout);
    const negated = writeNpy(
      [2, 4, 1, 1],
      TINY_LAYER1_WEIGHTS.map((x) => -x),
    );
    const w = fs.readFileSync(path.join(dir, 'tests', 'weights_tiny_set.npy'));
    const w0len = w.length - negated.length;
    fs.writeFileSync(path.join(dir, 'tests', 'weights_neg.npy'), Buffer.concat([w.subarray(0, w0len), Buffer.from(negated)]));
    const other = JSON.parse(cli(['simulate', 'tests/test-tiny.yaml', '--format', 'json', '--', '--weight-input', 'tests/weights_neg.npy'], dir).stdout);
    assert.notDeepEqual(other.output.data, sim.output.data);
  });

  it('outside any checkout: IZ088 on `dataset` naming where it looked, and exit 1', () => {
    const lone = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-lone-'));
    try {
      fs.writeFileSync(path.join(lone, 'net.yaml'), yaml);
      const r = cli(['check', 'net.yaml'], lone);
      assert.equal(r.status, 1);
      const line = r.stdout.split('\n').find((l) => l.includes('IZ088'));
      assert.ok(line, r.stdout);
      assert.match(line, /^net\.yaml:2:10: error IZ088 /);
      assert.ok(
        line.includes(path.join(fs.realpathSync(lone), 'tests', 'weights_tiny_set.npy')) || line.includes(path.join(lone, 'tests', 'weights_tiny_set.npy')),
        line,
      );
    } finally {
      fs.rmSync(lone, { recursive: true, force: true });
    }
  });
});
