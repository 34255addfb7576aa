// Bounded fuzzing in CI: random edits of real network files must never throw, hang or produce a range
// outside the document. (`npm run bench` runs a much longer fuzz session.)
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../../server/src/engine/check';
import { mutate, rng } from '../support/fuzzEdits';
import { requireShared, sharedDir } from '../support/shared';
import { checkLikeIzer, loadExtract, loadRuns } from '../support/oracleRuns';
import { EXAMPLE_NETWORK_YAML } from '../../server/src/example/exampleNetwork';

const ITERATIONS = Number(process.env.AI8X_FUZZ_ITERATIONS ?? 1500);

function corpus(): { name: string; text: string }[] {
  const out = [{ name: 'example', text: EXAMPLE_NETWORK_YAML }];
  const dir = sharedDir('ai8x-synthesis', 'networks');
  if (fs.existsSync(dir))
    for (const f of fs
      .readdirSync(dir)
      .filter((x) => x.endsWith('.yaml'))
      .sort())
      out.push({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') });
  else console.log('      (../shared not found: fuzzing the built-in example only)');
  return out;
}

describe('fuzz: random edits of network files', function () {
  this.timeout(300000);
  it(`${ITERATIONS} edited files check without exceptions and with ranges inside the text`, () => {
    const files = corpus();
    const seed = Number(process.env.AI8X_FUZZ_SEED ?? 20261121);
    const random = rng(seed);
    let slowest = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const f = files[i % files.length];
      const text = mutate(f.text, random);
      const t0 = performance.now();
      let r;
      try {
        r = checkNetwork({ text, fileName: f.name, deviceOverride: i % 3 === 0 ? 'MAX78002' : 'MAX78000' });
      } catch (e) {
        fs.mkdirSync('test-output', { recursive: true });
        fs.writeFileSync(`test-output/fuzz-failure-${seed}-${i}.yaml`, text);
        throw new Error(`iteration ${i} (seed ${seed}, ${f.name}) threw: ${(e as Error).stack}`, { cause: e });
      }
      slowest = Math.max(slowest, performance.now() - t0);
      for (const d of r.diagnostics) {
        assert.ok(
          d.range[0] >= 0 && d.range[0] <= d.range[1] && d.range[1] <= text.length,
          `iteration ${i}: range ${d.range} outside a ${text.length}-character text (${d.code})`,
        );
        assert.ok(!d.code.startsWith('AX399'), `iteration ${i}: internal error ${d.message}`);
      }
    }
    console.log(`      slowest single check: ${slowest.toFixed(1)} ms`);
  });

  it('edited shared networks checked with their checkpoint and sample: no exception, no internal error', function () {
    requireShared(this, 'oracle', 'runs.json');
    const runs = loadRuns().filter((r) => r.accepted);
    assert.ok(runs.length > 0, 'no accepted run to edit');
    const n = Number(process.env.AI8X_FUZZ_CHECKPOINT_ITERATIONS ?? 400);
    const random = rng(Number(process.env.AI8X_FUZZ_SEED ?? 20261121) + 1);
    const texts = new Map(runs.map((r) => [r.case, fs.readFileSync(sharedDir('ai8x-synthesis', r.yaml), 'utf8')]));
    for (let i = 0; i < n; i++) {
      const run = runs[i % runs.length];
      const text = mutate(texts.get(run.case)!, random);
      let r;
      try {
        r = checkLikeIzer(text, run.yaml, {
          device: run.device,
          checkpoint: run.checkpoint,
          sampleInput: run.sample_input,
          izerFlags: run.izer_flags,
          extract: loadExtract(run),
        }).result;
      } catch (e) {
        fs.mkdirSync('test-output', { recursive: true });
        fs.writeFileSync(`test-output/fuzz-checkpoint-failure-${i}.yaml`, text);
        throw new Error(`iteration ${i} (${run.case}) threw: ${(e as Error).stack}`, { cause: e });
      }
      const internal = r.diagnostics.find((d) => d.code === 'AX399');
      if (internal) {
        fs.mkdirSync('test-output', { recursive: true });
        fs.writeFileSync(`test-output/fuzz-checkpoint-failure-${i}.yaml`, text);
        assert.fail(`iteration ${i} (${run.case}): ${internal.message} (saved in test-output/)`);
      }
      for (const d of r.diagnostics)
        assert.ok(d.range[0] >= 0 && d.range[0] <= d.range[1] && d.range[1] <= text.length, `iteration ${i}: range outside the text (${d.code})`);
    }
    console.log(`      ${n} edited networks checked, from ${runs.length} networks izer accepted`);
  });
});
