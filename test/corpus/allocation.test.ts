// The allocator against real networks: every shipped network izer accepts, and every test network izer accepts
// (on each recorded device and izer-flag set), stripped of processors, output_processors, in_offset and
// out_offset on every layer, must come back from allocateNetwork with a clean check and simulate to exactly the
// output of the hand-allocated original.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allocateNetwork } from '../../server/src/engine/allocate/allocateNetwork';
import { checkNetwork, CheckResult } from '../../server/src/engine/check';
import type { DeviceName } from '../../server/src/engine/device/devices';
import type { SampleInput } from '../../server/src/engine/sample/npy';
import { simulate } from '../../server/src/engine/simulate';
import { stripAllocation } from '../support/allocationCases';
import { checkLikeIzer, loadExtract, loadRuns } from '../support/oracleRuns';
import { repoRoot, requireShared, sharedDir } from '../support/shared';
import { extraFlags, missingFileOnly, TestsuiteCase, testNetworkInputs } from '../support/testsuite';

/** Allocates the stripped text and compares the simulated output with the original's; null when all is well. */
function allocateAndCompare(text: string, recheck: (t: string) => CheckResult, sample: SampleInput | null): { problem: string | null; ms: number } {
  const stripped = stripAllocation(text);
  const t0 = performance.now();
  const out = allocateNetwork(stripped, recheck);
  const ms = performance.now() - t0;
  if (!out.ok) return { problem: `not allocated: ${out.message}`, ms };
  if (!out.changed) return { problem: 'the stripped network came back unchanged', ms };
  const original = recheck(text);
  const a = original.analysis?.plan;
  const b = out.result.analysis?.plan;
  if (!a || !b || !sample) return { problem: 'no plan or sample to simulate', ms };
  const x = simulate(a, sample, { device: original.device, flags: original.flags, keepAllValues: false }).output.values;
  const y = simulate(b, sample, { device: out.result.device, flags: out.result.flags, keepAllValues: false }).output.values;
  const same = !!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]);
  return { problem: same ? null : 'the allocated network computes another output', ms };
}

describe('allocator: shipped networks izer accepts, stripped and allocated again', function () {
  this.timeout(600_000);
  before(function () {
    requireShared(this, 'oracle', 'runs.json');
  });

  it('every one checks clean and computes the same output', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    let compared = 0;
    let slowest = 0;
    for (const run of loadRuns().filter((r) => r.accepted)) {
      const key = `${run.yaml} ${run.device} ${run.izer_flags.join(' ')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const text = fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
      const opts = { device: run.device, checkpoint: run.checkpoint, sampleInput: run.sample_input, izerFlags: run.izer_flags, extract: loadExtract(run) };
      const sample = checkLikeIzer(text, run.yaml, opts).sample;
      const r = allocateAndCompare(text, (t) => checkLikeIzer(t, run.yaml, opts).result, sample.sample);
      compared++;
      slowest = Math.max(slowest, r.ms);
      if (r.problem) problems.push(`${run.case}: ${r.problem}`);
      else if (sample.standIn) problems.push(`${run.case}: compared on a zero-filled stand-in sample only`);
    }
    console.log(
      `      ${compared - problems.length} of ${compared} shipped networks allocated, clean and computing the same output (slowest ${slowest.toFixed(0)} ms)`,
    );
    assert.ok(compared > 0, 'no shipped network compared');
    assert.deepEqual(
      problems.filter((p) => !p.includes('stand-in')),
      [],
    );
  });
});

describe('allocator: izer test networks, stripped and allocated again', function () {
  this.timeout(900_000);
  const sets: { label: string; file: string }[] = [{ label: 'MAX78000 (shared recording)', file: sharedDir('oracle', 'testsuite', 'MAX78000.json') }];
  const dir = process.env.AI8X_IZER_ORACLE ?? path.join(repoRoot(), '.izer-oracle');
  if (fs.existsSync(dir))
    for (const f of fs
      .readdirSync(dir)
      .filter((x) => x.endsWith('.json'))
      .sort())
      sets.push({ label: `${f} (recorded here)`, file: path.join(dir, f) });

  for (const set of sets) {
    it(set.label, function () {
      if (!fs.existsSync(set.file)) {
        console.log(`      (skipped: ${set.file} not found)`);
        this.skip();
      }
      requireShared(this, 'ai8x-synthesis', 'tests');
      const root = sharedDir('ai8x-synthesis');
      const cases = (JSON.parse(fs.readFileSync(set.file, 'utf8')) as TestsuiteCase[]).filter((c) => c.accepted && !missingFileOnly(c));
      if (!cases.length) {
        console.log(`      (skipped: izer accepted none of the networks in ${set.file})`);
        this.skip();
      }
      const problems: string[] = [];
      let total = 0;
      for (const c of cases) {
        const yamlPath = path.join(root, c.yaml);
        let sample: SampleInput | null = null;
        const recheck = (t: string) =>
          checkNetwork({
            text: t,
            fileName: path.basename(c.yaml),
            deviceOverride: c.device as DeviceName,
            izerFlags: extraFlags(c),
            resolveInputs: (ctx) => {
              const inputs = testNetworkInputs(yamlPath, ctx);
              if (inputs.sample && !('error' in inputs.sample)) sample = inputs.sample;
              return inputs;
            },
          });
        const text = fs.readFileSync(yamlPath, 'utf8');
        recheck(text);
        const r = allocateAndCompare(text, recheck, sample);
        total += r.ms;
        if (r.problem) problems.push(`${c.case}: ${r.problem}`);
      }
      console.log(
        `      ${cases.length - problems.length} of ${cases.length} test networks allocated, clean and computing the same output (mean ${(total / Math.max(1, cases.length)).toFixed(0)} ms)`,
      );
      for (const p of problems.slice(0, 20)) console.log(`        ${p}`);
      assert.ok(cases.length > 0, `no accepted case in ${set.file}`);
      assert.deepEqual(problems, []);
    });
  }
});
