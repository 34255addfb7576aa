// Explaining the board's known-answer failures (issue 12): mismatch lines made from known answers — ours for
// generated networks, izer's own sampleoutput.h records for the shipped networks (../shared) — must come back with
// the layer whose output is at the address, and channels and a position whose simulated values are exactly the
// bytes the line expected; a line whose Expected is not this network's known answer says the firmware was made
// from other inputs; an address the known answer does not check gets layer null.
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckResult } from '../../../server/src/engine/check';
import type { NetworkPlan } from '../../../server/src/engine/analysis/networkPlan';
import { readNpy } from '../../../server/src/engine/sample/npy';
import { BoardMismatch, explainMismatches, parseBoardLog } from '../../../server/src/engine/services/explainMismatch';
import { simulate, SimulationResult } from '../../../server/src/engine/simulate';
import { hex32 } from '../../../server/src/engine/simulate/knownAnswer';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../../server/src/example/exampleNetwork';
import { checkFixture, EXAMPLE, MULTIPASS, SKIP, FixtureNetwork, withModeline } from '../../lsp/editorFeaturesFixtures';
import { loadExtract, loadRuns } from '../../support/oracleRuns';
import { buildPlanForRun, SAMPLE_MISSING } from '../../support/runPipeline';
import { repoRoot, sharedDir } from '../../support/shared';

interface Records {
  address: string;
  mask: string;
  words: string[];
}

const line = (index: number, count: number, address: number, expected: number, read: number) =>
  `Data mismatch (${index}/${count}) at address ${hex32(address)}: Expected ${hex32(expected)}, read ${hex32(read)}.`;

/**
 * One mismatch line per chosen word of the records (first, middle, last of each block), the read value with the
 * bits of `flip` changed, within the block's mask (the firmware prints the read word masked).
 */
function mismatchLog(
  records: readonly Records[],
  flip: (i: number, lanes: number[]) => number,
): { text: string; words: { address: number; expected: number }[] } {
  const out: string[] = ['', '*** CNN Inference Test ***'];
  const words: { address: number; expected: number }[] = [];
  let k = 0;
  for (const r of records) {
    const picks = [...new Set([0, Math.floor(r.words.length / 2), r.words.length - 1])];
    for (const i of picks) {
      const address = parseInt(r.address, 16) + 4 * i;
      const expected = parseInt(r.words[i], 16);
      const mask = parseInt(r.mask, 16);
      const lanes = [0, 1, 2, 3].filter((l) => ((mask >>> (8 * l)) & 0xff) === 0xff);
      out.push(line(i + 1, r.words.length, address, expected, (expected ^ flip(k++, lanes)) >>> 0));
      words.push({ address, expected });
    }
  }
  return { text: out.join('\r\n') + '\r\n', words };
}

/** Checks every explanation of mismatch lines made from `records` against the simulated outputs. */
function checkExplanations(result: CheckResult, plan: NetworkPlan, sim: SimulationResult, records: readonly Records[], what: string): number {
  // Flip one bit in a different byte lane of the mask each time.
  const log = mismatchLog(records, (k, lanes) => (1 << (8 * lanes[k % lanes.length] + (k % 7))) >>> 0);
  const parsed = parseBoardLog(log.text);
  assert.equal(parsed.mismatches.length, log.words.length);
  const explained = explainMismatches(parsed.mismatches, { result, plan, sim });
  explained.forEach((e, k) => {
    assert.notEqual(e.layer, null, `${what}: ${e.message}`);
    const simLayer = sim.layers.find((l) => l.index === e.ll)!;
    assert.ok(simLayer.checked, `${what}: layer ${e.ll} is a checked layer`);
    assert.equal(e.layer, result.model.layers[e.ll!].yamlIndex);
    assert.equal(e.knownAnswer, hex32(log.words[k].expected), `${what}: our known answer at ${e.address} is the line's Expected`);
    assert.ok(!e.causes.some((c) => /generated from other inputs/.test(c)), `${what}: ${e.causes.join(' | ')}`);
    assert.equal(e.differences.length, 1, `${what}: one value differs: ${e.message}`);
    const [, h, w] = simLayer.shape;
    const d = e.differences[0];
    const values = simLayer.values!;
    const v = values[d.channel * h * w + e.position!.row * w + e.position!.column];
    // The channel and pixel named hold exactly the value the line expected (8-bit: the byte; 32-bit: the word).
    assert.equal(simLayer.width === 8 ? ((v % 256) + 256) % 256 : v | 0, simLayer.width === 8 ? (d.expected + 256) % 256 : d.expected, `${what}: ${e.message}`);
    assert.deepEqual(e.channels, [d.channel]);
    assert.match(e.memory!, /^data memory \d+ \(processors \d+–\d+\) at offset 0x[0-9a-f]{4}$/);
  });
  // The Expected of another network: the firmware was made from other inputs.
  const first = log.words[0];
  const other = explainMismatches(parseBoardLog(line(1, 1, first.address, (first.expected ^ 0x01) >>> 0, first.expected)).mismatches, { result, plan, sim })[0];
  assert.ok(other.causes[0].includes('generated from other inputs'), other.causes.join(' | '));
  // An address the known answer does not check.
  const all = new Set(records.flatMap((r) => r.words.map((_, i) => parseInt(r.address, 16) + 4 * i)));
  let outside = parseInt(records[0].address, 16) - 4;
  while (all.has(outside)) outside -= 4;
  const none = explainMismatches(parseBoardLog(line(1, 1, outside, 1, 2)).mismatches, { result, plan, sim })[0];
  assert.equal(none.layer, null);
  assert.match(none.message, /is not an address the known answer of this network checks/);
  return explained.length;
}

function runFixture(f: FixtureNetwork): { result: CheckResult; plan: NetworkPlan; sim: SimulationResult } {
  const result = checkFixture(f, withModeline(f));
  const plan = result.analysis!.plan!;
  assert.ok(plan, result.diagnostics.map((d) => d.message).join('\n'));
  return { result, plan, sim: simulate(plan, readNpy(f.sample), { device: result.device, flags: result.flags }) };
}

describe('explain-mismatch: known-answer failures from the board', () => {
  it('reads mismatch lines out of serial output (CRLF, noise, PASS)', () => {
    const log = parseBoardLog(
      'junk\r\nData mismatch (3/40) at address 0x50400010: Expected 0x00fe7f01, read 0x00fe7f11.\r\n\x1b[0m noise Data mismatch (1/2) at address 0x50408000: Expected 0x1, read 0x0.\n*** PASS ***\n',
    );
    assert.deepEqual(log.mismatches, [
      { line: 2, index: 3, count: 40, address: 0x50400010, expected: 0x00fe7f01, read: 0x00fe7f11 },
      { line: 3, index: 1, count: 2, address: 0x50408000, expected: 1, read: 0 },
    ] satisfies BoardMismatch[]);
    assert.equal(log.passed, true);
  });

  for (const f of [EXAMPLE, SKIP, MULTIPASS]) {
    it(`generated network ${f.name}: every explained word names the layer, channel and pixel that hold it`, () => {
      const { result, plan, sim } = runFixture(f);
      const n = checkExplanations(result, plan, sim, sim.knownAnswer, f.name);
      assert.ok(n >= 3);
    });
  }

  it('says which byte differs, as a signed value, with the bits', () => {
    const { result, plan, sim } = runFixture(SKIP);
    const r = sim.knownAnswer[0];
    const expected = parseInt(r.words[0], 16);
    const read = (expected ^ 0x00001000) >>> 0;
    const [e] = explainMismatches(parseBoardLog(line(1, r.words.length, parseInt(r.address, 16), expected, read)).mismatches, { result, plan, sim });
    assert.equal(e.differences.length, 1);
    assert.equal(e.differences[0].lane, 1);
    assert.match(
      e.message,
      /^Layer 3 output at row \d+, column \d+, \d channels? [\d, ]+ \(data memory \d+ \(processors \d+–\d+\) at offset 0x[0-9a-f]{4}\): channel \d+ \(byte 1\) is -?\d+ instead of -?\d+ \(bits 0x10 differ\)\.$/,
    );
  });

  it('names a later layer that overwrites the checked output', () => {
    // SKIP keeps layer 0's output for layer 3; make layer 0 an `output` layer and let layer 2 write over it.
    const yaml = SKIP.yaml.replace('    data_format: CHW\n', '    data_format: CHW\n    output: true\n').replace('out_offset: 0x6000', 'out_offset: 0x2000');
    const f = { ...SKIP, yaml };
    const result = checkFixture(f, withModeline(f, yaml));
    const plan = result.analysis?.plan;
    if (!plan) return assert.fail(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    const sim = simulate(plan, readNpy(f.sample), { device: result.device, flags: { ...result.flags } });
    const layer0 = sim.knownAnswer.find((r) => r.address.endsWith('2000'));
    assert.ok(layer0, JSON.stringify(sim.knownAnswer.map((r) => r.address)));
    const expected = parseInt(layer0!.words[0], 16);
    const [e] = explainMismatches(parseBoardLog(line(1, layer0!.words.length, parseInt(layer0!.address, 16), expected, expected ^ 1)).mismatches, {
      result,
      plan,
      sim,
    });
    assert.equal(e.ll, 0);
    assert.ok(
      e.causes.some((c) => /^layer 2 writes the same word \(data memory 0 \(processors 0–3\) at offset 0x2000\) after layer 0 \(first\)/.test(c)),
      e.causes.join('\n'),
    );
  });

  describe("on izer's own known answers (../shared/oracle runs)", function () {
    this.timeout(600_000);
    const runs = fs.existsSync(sharedDir('oracle', 'runs.json')) ? loadRuns().filter((r) => r.accepted && r.extract) : [];
    if (!runs.length) {
      it('needs ../shared/oracle', function () {
        console.log(`      (skipped: ${sharedDir('oracle', 'runs.json')} not found)`);
        this.skip();
      });
      return;
    }
    // The quicker runs: every device, classifiers and detectors, 8- and 32-bit outputs, multi-pass outputs.
    const chosen = runs.filter((r) => r.izer_seconds < 30).slice(0, 12);
    for (const run of chosen) {
      it(run.case, async function () {
        const extract = loadExtract(run)!;
        if (!extract.known_answer_present) this.skip();
        let input;
        try {
          input = await buildPlanForRun(run.case);
        } catch (e) {
          if (e instanceof Error && e.message.startsWith(SAMPLE_MISSING)) {
            console.log(`      (skipped: ${e.message})`);
            this.skip();
          }
          throw e;
        }
        const sim = simulate(input.plan, input.sample, { device: input.device, flags: input.flags });
        const records = extract.sample_output_records.map((r) => ({ address: r.address, mask: r.mask, words: r.words_hex }));
        checkExplanations(input.result, input.plan, sim, records, run.case);
      });
    }
  });
});

describe('ai8x explain-mismatch (CLI)', function () {
  this.timeout(60000);
  let dir: string;
  const cli = path.join(repoRoot(), 'dist', 'cli.js');
  before(function () {
    if (!fs.existsSync(cli)) {
      console.log(`      (skipped: ${cli} not built; node esbuild.mjs)`);
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-explain-'));
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.network), EXAMPLE_NETWORK_YAML);
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.checkpoint), exampleCheckpointBytes());
    fs.writeFileSync(path.join(dir, EXAMPLE_FILES.sample), exampleSampleBytes());
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const run = (args: string[], input?: string) => cp.spawnSync(process.execPath, [cli, 'explain-mismatch', ...args], { cwd: dir, input, encoding: 'utf8' });

  it('reads the log from stdin and prints JSON: line, address, expected, read, layer, memory, channels, position, message', () => {
    const { result, plan, sim } = runFixture(EXAMPLE);
    void result;
    void plan;
    const r = sim.knownAnswer[1];
    const expected = parseInt(r.words[2], 16);
    const address = parseInt(r.address, 16) + 8;
    const log = `boot\n${line(3, r.words.length, address, expected, expected ^ 0x100)}\n${line(1, 1, 0x50400ff0, 5, 6)}\n`;
    const out = run([EXAMPLE_FILES.network, '--log', '-', '--format', 'json'], log);
    assert.equal(out.status, 1, out.stderr);
    const json = JSON.parse(out.stdout) as { mismatches: Record<string, unknown>[] };
    assert.equal(json.mismatches.length, 2);
    const [a, b] = json.mismatches;
    assert.deepEqual(Object.keys(a).slice(0, 9), ['line', 'address', 'expected', 'read', 'layer', 'memory', 'channels', 'position', 'message']);
    assert.equal(a.line, 2);
    assert.equal(a.address, hex32(address));
    assert.equal(a.layer, 3);
    assert.match(a.memory as string, /^data memory \d+ \(processors/);
    assert.deepEqual(a.position, { row: 0, column: 0 });
    assert.equal((a.channels as number[]).length, 1);
    assert.equal(b.layer, null);
    assert.match(b.message as string, /is not an address the known answer of this network checks/);
  });

  it('text output, exit 0 for a passing log, usage errors exit 2', () => {
    const logFile = path.join(dir, 'pass.log');
    fs.writeFileSync(logFile, 'CNN ok\n*** PASS ***\n');
    const pass = run([EXAMPLE_FILES.network, '--log', logFile]);
    assert.equal(pass.status, 0, pass.stderr);
    assert.match(pass.stdout, /\*\*\* PASS \*\*\*/);
    assert.equal(run([EXAMPLE_FILES.network]).status, 2, 'no --log');
    assert.equal(run([EXAMPLE_FILES.network, '--log', path.join(dir, 'none.log')]).status, 2);
    const noCkpt = path.join(dir, 'nock.yaml');
    fs.writeFileSync(noCkpt, EXAMPLE_NETWORK_YAML.replace(/^# ai8x:.*$/m, ''));
    const r = run([noCkpt, '--log', logFile]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /needs the network's checkpoint/);
  });
});
