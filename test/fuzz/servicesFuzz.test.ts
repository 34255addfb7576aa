// Bounded fuzzing of the editor services on edited shared networks with their checkpoints: hovers at random
// places, inlay hints, references, both map models and every quick fix must answer without throwing.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import { hoverAt } from '../../server/src/engine/services/hover';
import { layerInlayHints } from '../../server/src/engine/services/inlayHints';
import { referencesAt, definitionAt } from '../../server/src/engine/services/layerReferences';
import { kernelMapModel } from '../../server/src/engine/services/kernelMapView';
import { dataMemoryModel } from '../../server/src/engine/services/dataMemoryView';
import { quickFixes } from '../../server/src/engine/services/quickFixes';
import { completeAt } from '../../server/src/engine/services/completion';
import { mutate, rng } from '../support/fuzzEdits';
import { checkLikeIzer, loadExtract, loadRuns, OracleRun } from '../support/oracleRuns';
import { requireShared, sharedDir } from '../support/shared';

describe('fuzz: editor services on edited networks', function () {
  this.timeout(600000);
  it('hover, completion, hints, references, maps and quick fixes never throw', function () {
    requireShared(this, 'oracle', 'runs.json');
    const runs = loadRuns().filter((r) => r.accepted && !/unet/.test(r.case));
    assert.ok(runs.length > 0, 'no accepted run to edit');
    const n = Number(process.env.AI8X_FUZZ_SERVICES_ITERATIONS ?? 150);
    const random = rng(Number(process.env.AI8X_FUZZ_SEED ?? 20261121) + 2);
    const texts = new Map(runs.map((r) => [r.case, fs.readFileSync(sharedDir('ai8x-synthesis', r.yaml), 'utf8')]));
    let slowest = 0;
    for (let i = 0; i < n; i++) {
      const run: OracleRun = runs[i % runs.length];
      const text = i % 5 === 0 ? texts.get(run.case)! : mutate(texts.get(run.case)!, random);
      const opts = { device: run.device, checkpoint: run.checkpoint, sampleInput: run.sample_input, izerFlags: run.izer_flags, extract: loadExtract(run) };
      const where = `iteration ${i} (${run.case})`;
      const t0 = performance.now();
      if (process.env.AI8X_FUZZ_TRACE) fs.writeFileSync(process.env.AI8X_FUZZ_TRACE, `${i}\n${run.case}\n${text}`);
      try {
        const r = checkLikeIzer(text, run.yaml, opts).result;
        const recheck = (t: string) => checkLikeIzer(t, run.yaml, opts).result;
        for (let k = 0; k < 8; k++) {
          const off = Math.floor(random() * (text.length + 1));
          hoverAt(r, off);
          completeAt(text, off, r.model);
          definitionAt(r, off);
          referencesAt(r, off, true);
        }
        layerInlayHints(r);
        kernelMapModel(r);
        dataMemoryModel(r);
        for (const d of r.diagnostics.slice(0, 6)) {
          for (const fix of quickFixes(r, d.range, recheck)) {
            for (const e of fix.edits) assert.ok(e.range[0] >= 0 && e.range[1] <= text.length && e.range[0] <= e.range[1], `${where}: edit outside the text`);
          }
        }
      } catch (e) {
        fs.mkdirSync('test-output', { recursive: true });
        fs.writeFileSync(`test-output/services-fuzz-failure-${i}.yaml`, text);
        throw new Error(`${where} threw: ${(e as Error).stack}`, { cause: e });
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > 5000) {
        fs.mkdirSync('test-output', { recursive: true });
        fs.writeFileSync(`test-output/services-fuzz-slow-${i}.yaml`, text);
        assert.fail(`${where}: the services took ${(ms / 1000).toFixed(1)} s (saved in test-output/)`);
      }
    }
    console.log(`      ${n} iterations over ${runs.length} networks; slowest iteration: ${slowest.toFixed(0)} ms`);
  });

  it('a layer whose kernels overrun their reserved columns is reported, not looped on (found by this fuzzer)', function () {
    requireShared(this, 'oracle', 'runs.json');
    const run = loadRuns().find((r) => r.yaml === 'networks/cats-dogs-hwc.yaml' && r.device === 'MAX78000');
    assert.ok(run, 'runs.json has no MAX78000 run of networks/cats-dogs-hwc.yaml');
    const lines = fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8').split('\n');
    // Processors outside the FIFO set on the first layer and a huge pad on layer 4: the flattened MLP at the end
    // then writes more kernel bytes than izer reserves and reaches a full column of another layer.
    const first = lines.findIndex((l) => /processors: 0x0000000000000007/.test(l));
    lines[first] = lines[first].replace('0x0000000000000007', '0x69452');
    const pads = lines.map((l, i) => (/^\s+pad: 1\b/.test(l) ? i : -1)).filter((i) => i >= 0);
    lines[pads[3]] = lines[pads[3]].replace('pad: 1', 'pad: 9740');
    const opts = { device: run.device, checkpoint: run.checkpoint, sampleInput: run.sample_input, izerFlags: run.izer_flags, extract: loadExtract(run) };
    const r = checkLikeIzer(lines.join('\n'), run.yaml, opts).result;
    const found = r.diagnostics.filter((d) => d.code === 'AX308');
    assert.strictEqual(found.length, 1, r.diagnostics.map((d) => d.code).join(' '));
    assert.strictEqual(found[0].layer, r.model.layers.length - 1);
    const view = kernelMapModel(r);
    assert.ok('model' in view, 'the kernel map view is available');
    assert.match(view.model.exhausted ?? '', /do not fit/);
  });
});
