// `ai8x simulate` contract: the JSON shape, the known answer against izer's sampleoutput.h on every shared run
// whose sample is in ../shared (printed as N of M), the built-in example without ../shared, the text report,
// izer flags after `--`, the seeded random input and the exit codes.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { checkNetwork } from '../../../server/src/engine/check';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { readNpy } from '../../../server/src/engine/sample/npy';
import { decodeKnownAnswer, outputLayout, simulate } from '../../../server/src/engine/simulate';
import { deviceByName } from '../../../server/src/engine/device/devices';
import { analysisFlags, loadExtract, loadRuns } from '../../support/oracleRuns';
import { repoRoot, sharedDir } from '../../support/shared';

interface SimJson {
  layers: { index: number; shape: number[]; width: number }[];
  output: { shape: number[]; data: number[] };
  known_answer: { address: string; mask: string; words: string[] }[];
}

const cli = path.join(repoRoot(), 'dist', 'cli.js');

function runSync(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, 'simulate', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, 'simulate', ...args], { cwd });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('ai8x simulate (CLI)', function () {
  this.timeout(60000);
  let dir: string;
  let network: string;

  before(function () {
    if (!fs.existsSync(cli)) {
      console.log(`      (skipped: ${cli} not built; run node esbuild.mjs)`);
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-cli-sim-'));
    network = path.join(dir, EXAMPLE_FILES.network);
    fs.writeFileSync(network, EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const json = (args: string[]) => {
    const sep = args.includes('--') ? args.indexOf('--') : args.length;
    const r = runSync([...args.slice(0, sep), '--format', 'json', ...args.slice(sep)], dir);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as SimJson;
  };

  describe('the built-in example (no ../shared needed)', () => {
    it('prints the JSON contract: layers with index/shape/width, the output, the known answer', () => {
      const out = json([network]);
      assert.deepEqual(Object.keys(out), ['layers', 'output', 'known_answer']);
      // Shapes as the YAML's comments describe the network: 1×16×16 in, 8 → 16 (pool 2) → 16 (pool 2) → 10 classes.
      assert.deepEqual(out.layers, [
        { index: 0, shape: [8, 16, 16], width: 8 },
        { index: 1, shape: [16, 8, 8], width: 8 },
        { index: 2, shape: [16, 4, 4], width: 8 },
        { index: 3, shape: [10, 1, 1], width: 32 },
      ]);
      assert.deepEqual(Object.keys(out.output), ['shape', 'data']);
      assert.deepEqual(out.output.shape, [10, 1, 1]);
      assert.equal(out.output.data.length, 10);
      assert.ok(out.output.data.every((v) => Number.isInteger(v)));
      assert.ok(out.known_answer.length > 0);
      for (const r of out.known_answer) {
        assert.deepEqual(Object.keys(r), ['address', 'mask', 'words']);
        assert.match(r.address, /^0x[0-9a-f]{8}$/);
        assert.match(r.mask, /^0x[0-9a-f]{8}$/);
        for (const w of r.words) assert.match(w, /^0x[0-9a-f]{8}$/);
      }
    });

    it("the known answer holds the printed output values at the output layer's data-memory addresses", () => {
      const out = json([network]);
      const text = fs.readFileSync(network, 'utf8');
      const result = checkNetwork({
        text,
        fileName: EXAMPLE_FILES.network,
        resolveInputs: () => ({
          checkpoint: readCheckpoint(new Uint8Array(fs.readFileSync(path.join(dir, EXAMPLE_FILES.checkpoint)))),
          sample: readNpy(new Uint8Array(fs.readFileSync(path.join(dir, EXAMPLE_FILES.sample)))),
        }),
      });
      const plan = result.analysis!.plan!;
      const last = plan.layers[3];
      const decoded = decodeKnownAnswer(out.known_answer, outputLayout(last, [10, 1, 1]), deviceByName('MAX78000'));
      assert.deepEqual(Array.from(decoded.data), out.output.data);
      // And the CLI ran the same simulation as the engine does in-process with the modeline's inputs and flags.
      const sample = readNpy(new Uint8Array(fs.readFileSync(path.join(dir, EXAMPLE_FILES.sample))));
      const sim = simulate(plan, sample, { device: result.device, flags: result.flags });
      assert.deepEqual(Array.from(sim.output.values!), out.output.data);
    });

    it('prints a per-layer table and the top classes in text form, consistent with the JSON', () => {
      const r = runSync([network], dir);
      assert.equal(r.code, 0, r.stderr);
      const data = json([network]).output.data;
      const rows = r.stdout.split('\n').filter((l) => /^\s+\d+\*?\s+\S+\s+(conv2d|linear)\s/.test(l));
      assert.deepEqual(
        rows.map((l) => l.trim().split(/\s+/).slice(0, 4)),
        [
          ['0', 'conv1', 'conv2d', '8×16×16'],
          ['1', 'conv2', 'conv2d', '16×8×8'],
          ['2', 'conv3', 'conv2d', '16×4×4'],
          ['3*', 'fc', 'linear', '10×1×1'],
        ],
      );
      const top = [...r.stdout.matchAll(/class\s+(\d+)\s+([\d.]+)%\s+value (-?\d+)/g)].map((m) => ({ c: Number(m[1]), p: Number(m[2]), v: Number(m[3]) }));
      assert.equal(top.length, 5);
      const byValue = data.map((v, i) => ({ i, v })).sort((a, b) => b.v - a.v || a.i - b.i);
      assert.deepEqual(
        top.map((t) => t.c),
        byValue.slice(0, 5).map((x) => x.i),
        'top classes are the largest outputs',
      );
      for (const t of top) assert.equal(t.v, data[t.c]);
      for (let i = 1; i < top.length; i++) assert.ok(top[i].p <= top[i - 1].p);
      assert.match(r.stdout, /Known answer \(sampleoutput\.h\): \d+ blocks?, 10 words/);
    });

    it('honours izer flags after `--`: --max-checklines cuts the known answer after N + 1 words', () => {
      const full = json([network]).known_answer.flatMap((r) => r.words);
      const cut = json([network, '--', '--max-checklines', '3']).known_answer.flatMap((r) => r.words);
      assert.equal(full.length, 10);
      assert.equal(cut.length, 4);
    });

    it('honours --avg-pool-rounding (a network with average pooling gives other values with it)', () => {
      const avg = path.join(dir, 'tinynet-avg.yaml');
      fs.writeFileSync(avg, EXAMPLE_NETWORK_YAML.replace(/max_pool: 2/g, 'avg_pool: 2'));
      const floor = json([avg]);
      const round = json([avg, '--', '--avg-pool-rounding']);
      assert.deepEqual(floor.layers, round.layers);
      assert.notDeepEqual(floor.output.data, round.output.data);
    });

    it("a seeded random input is reproducible, differs between seeds and takes the sample's shape", () => {
      const a = json([network, '--random-input', '7']);
      const b = json([network, '--random-input', '7']);
      const c = json([network, '--random-input', '8']);
      const sample = json([network]);
      assert.deepEqual(a.output.data, b.output.data);
      assert.notDeepEqual(a.output.data, c.output.data);
      assert.notDeepEqual(a.output.data, sample.output.data);
      assert.deepEqual(a.layers, sample.layers);
    });

    it('--random-input with --input-shape works without any sample file; without a shape it is an I/O problem (exit 2)', () => {
      const bare = path.join(dir, 'bare');
      fs.mkdirSync(bare, { recursive: true });
      const net = path.join(bare, 'net.yaml');
      fs.writeFileSync(net, EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, '# ai8x: device=MAX78000 izer-flags="--softmax"'));
      const ckpt = path.join(dir, EXAMPLE_FILES.checkpoint);
      const ok = runSync([net, '--checkpoint', ckpt, '--random-input', '3', '--input-shape', '1,16,16', '--format', 'json'], bare);
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual((JSON.parse(ok.stdout) as SimJson).output.shape, [10, 1, 1]);
      const noShape = runSync([net, '--checkpoint', ckpt, '--random-input', '3'], bare);
      assert.equal(noShape.code, 2);
      assert.match(noShape.stderr, /--input-shape/);
      const noSample = runSync([net, '--checkpoint', ckpt], bare);
      assert.equal(noSample.code, 2);
      assert.match(noSample.stderr, /needs a sample input .*sample_tinynet\.npy.*--random-input SEED/);
    });

    it('exits 1 and prints the errors exactly as `ai8x check` does when the network has errors', () => {
      const bad = path.join(dir, 'tinynet-bad.yaml');
      fs.writeFileSync(
        bad,
        EXAMPLE_NETWORK_YAML.replace(
          'kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    data_format',
          'kernel_size: 5x5\n    pad: 1\n    activate: ReLU\n    data_format',
        ),
      );
      for (const format of ['text', 'json']) {
        const r = runSync([bad, '--format', format], dir);
        assert.equal(r.code, 1, r.stderr);
        const check = spawnSync(process.execPath, [cli, 'check', bad, '--format', format], { cwd: dir, encoding: 'utf8' });
        assert.equal(check.status, 1);
        assert.equal(r.stdout, check.stdout);
        assert.match(r.stderr, /fix (it|them) before simulating/);
      }
    });

    it('exits 2 for usage and I/O problems, with a message', () => {
      const cases: [string[], RegExp][] = [
        [[], /expected exactly one network YAML file/],
        [[path.join(dir, 'missing.yaml')], /cannot read .*missing\.yaml: ENOENT/],
        [[network, '--format', 'xml'], /--format must be text or json/],
        [[network, '--device', 'MAX1'], /unknown device/],
        [[network, '--random-input', 'seven'], /--random-input needs a seed/],
        [[network, '--random-input', '1', '--sample-input', 'x.npy'], /either --sample-input or --random-input/],
        [[network, '--input-shape', '1,2,3'], /--input-shape goes with --random-input/],
        [[network, '--random-input', '1', '--input-shape', '1,0'], /--input-shape must be/],
        [[network, '--checkpoint', path.join(dir, 'none.pth.tar')], /cannot use the checkpoint .*none\.pth\.tar.*does not exist/],
        [[network, '--sample-input', path.join(dir, EXAMPLE_FILES.checkpoint)], /cannot use the sample input/],
      ];
      for (const [args, message] of cases) {
        const r = runSync(args, dir);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
      }
      const noCkpt = path.join(dir, 'no-ckpt.yaml');
      fs.writeFileSync(noCkpt, EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, ''));
      const r = runSync([noCkpt], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /needs the network's checkpoint: give --checkpoint FILE/);
    });
  });

  describe('known answers against izer (../shared runs)', () => {
    it("equal izer's sample_output_records word for word on every shared run whose sample is in ../shared", async function () {
      this.timeout(600000);
      const synthesis = sharedDir('ai8x-synthesis');
      if (!fs.existsSync(sharedDir('oracle', 'runs.json')) || !fs.existsSync(synthesis)) {
        console.log('      (skipped: ../shared not found)');
        this.skip();
      }
      const runs = loadRuns().filter((r) => r.accepted && r.extract);
      const todo: { name: string; args: string[]; expected: SimJson['known_answer'] }[] = [];
      let withAnswer = 0;
      const missing: string[] = [];
      for (const run of runs) {
        const extract = loadExtract(run)!;
        if (!extract.known_answer_present) continue;
        withAnswer++;
        if (!fs.existsSync(path.join(synthesis, extract.sample_input.file))) {
          missing.push(`${run.case} (${extract.sample_input.file})`);
          continue;
        }
        // Exactly as izer was run, from the ai8x-synthesis folder: the default sample is found by the CLI itself.
        const args = [run.yaml, '--checkpoint', run.checkpoint, '--device', run.device, '--format', 'json'];
        if (run.sample_input) args.push('--sample-input', run.sample_input);
        args.push('--', ...analysisFlags(run.izer_flags));
        todo.push({ name: run.case, args, expected: extract.sample_output_records.map((r) => ({ address: r.address, mask: r.mask, words: r.words_hex })) });
      }
      const failures: string[] = [];
      let equal = 0;
      const queue = [...todo];
      const worker = async () => {
        for (let t = queue.shift(); t; t = queue.shift()) {
          const r = await runAsync(t.args, synthesis);
          if (r.code !== 0) {
            failures.push(`${t.name}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
            continue;
          }
          const got = (JSON.parse(r.stdout) as SimJson).known_answer;
          try {
            assert.deepEqual(got, t.expected);
            equal++;
          } catch {
            const a = t.expected.flatMap((x) => x.words);
            const b = got.flatMap((x) => x.words);
            const i = a.findIndex((w, k) => w !== b[k]);
            failures.push(`${t.name}: ${got.length} records vs izer's ${t.expected.length}; first differing word ${i}`);
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      console.log(
        `      known answer equal to izer's: ${equal} of ${todo.length} runs with their sample in ../shared (${withAnswer} runs have a known answer)`,
      );
      if (missing.length) console.log(`      (${missing.length} without their sample file: ${missing.join(', ')})`);
      assert.deepEqual(failures, []);
      assert.ok(todo.length > 0);
    });
  });
});
