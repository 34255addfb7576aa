// The model reader against the shipped networks: for every shipped network whose `arch` ai8x-training's models
// define (with a checkpoint and sample in ../shared), the YAML written from the model's source and the checkpoint
// must check clean and simulate to exactly what the hand-written YAML computes. Models that cannot be expressed
// must be refused with the construct and the line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deviceByName } from '../../server/src/engine/device/devices';
import { newNetwork } from '../../server/src/engine/modelReader/newNetwork';
import { simulate } from '../../server/src/engine/simulate';
import { modelCases, modelFileFor, siblingLoader, syntheticCheckpoint } from '../support/modelCases';
import { sharedCheckpoint } from '../support/oracleRuns';
import { requireShared, sharedDir } from '../support/shared';
import { checkNetwork } from '../../server/src/engine/check';
import { lowerGraph } from '../../server/src/engine/modelReader/lowerGraph';
import { readModel } from '../../server/src/engine/modelReader/readModel';
import { ModelReadError } from '../../server/src/engine/modelReader/values';
import { readNpy } from '../../server/src/engine/sample/npy';

describe('new-network: shipped models, read from their source and checkpoint', function () {
  this.timeout(600_000);
  before(function () {
    requireShared(this, 'ai8x-training', 'models');
    requireShared(this, 'oracle', 'runs.json');
  });

  it('write a YAML that checks clean and computes what the hand-written one computes (or are refused with a reason)', () => {
    const { cases, notCompared } = modelCases();
    let same = 0;
    const refused: string[] = [];
    const wrong: string[] = [];
    for (const c of cases) {
      const original = c.check(fs.readFileSync(path.join(path.dirname(path.dirname(c.modelFile)), '..', 'ai8x-synthesis', c.yaml), 'utf8'));
      const sample = original.sample.sample!;
      const text = fs.readFileSync(path.join(path.dirname(path.dirname(c.modelFile)), '..', 'ai8x-synthesis', c.yaml), 'utf8');
      const out = newNetwork({
        modelFile: c.modelFile,
        modelSource: fs.readFileSync(c.modelFile, 'utf8'),
        loader: siblingLoader,
        checkpoint: sharedCheckpoint(c.checkpoint),
        inputShape: sample.shape,
        device: deviceByName(c.device),
        dataset: /^dataset:\s*(\S+)/m.exec(text)![1],
        izerFlags: c.izerFlags.filter(
          (f, i, a) =>
            !['--checkpoint-file', '--device', '--sample-input'].includes(f) && !['--checkpoint-file', '--device', '--sample-input'].includes(a[i - 1]),
        ),
        checkpointRef: c.checkpoint,
        sampleRef: c.sampleInput,
        recheck: (t) => c.check(t).result,
      });
      if (!out.ok) {
        refused.push(`${c.name}: ${out.message}${out.file ? ` (${path.basename(out.file)} line ${out.line})` : ''}`);
        continue;
      }
      const errors = out.result.diagnostics.filter((d) => d.severity === 'error');
      const x = simulate(original.result.analysis!.plan!, sample, { device: original.result.device, flags: original.result.flags, keepAllValues: false }).output
        .values!;
      const y = simulate(out.result.analysis!.plan!, sample, { device: out.result.device, flags: out.result.flags, keepAllValues: false }).output.values!;
      if (errors.length || x.length !== y.length || x.some((v, i) => v !== y[i]))
        wrong.push(`${c.name}: ${errors.length ? errors[0].message : 'computes another output'}`);
      else same++;
    }
    console.log(`      ${same} of ${cases.length} shipped networks written from their model: clean and computing the same output`);
    for (const r of refused) console.log(`        refused: ${r}`);
    for (const n of notCompared) console.log(`        not compared: ${n}`);
    assert.ok(cases.length > 0, 'no shipped network compared');
    assert.deepEqual(wrong, [], 'a written network is wrong');
    // Refusals must name what could not be handled, with its line.
    for (const r of refused) assert.match(r, /line \d+|checkpoint|accelerator/, r);
  });

  it('shipped networks whose checkpoint is not in ../shared: the written YAML and the hand-written one agree on seeded random weights', () => {
    const root = sharedDir('ai8x-synthesis');
    const { cases } = modelCases();
    const done = new Set(cases.map((c) => c.yaml));
    let same = 0;
    let compared = 0;
    const refused: string[] = [];
    const wrong: string[] = [];
    const skipped: string[] = [];
    for (const f of fs
      .readdirSync(path.join(root, 'networks'))
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const yaml = `networks/${f}`;
      if (done.has(yaml)) continue;
      const text = fs.readFileSync(path.join(root, yaml), 'utf8');
      const arch = /^arch:\s*(\S+)/m.exec(text)?.[1] ?? '';
      const dataset = /^dataset:\s*(\S+)/m.exec(text)?.[1] ?? '';
      const modelFile = modelFileFor(arch);
      const samplePath = path.join(root, 'tests', `sample_${dataset.toLowerCase()}.npy`);
      if (!modelFile || !fs.existsSync(samplePath)) continue;
      const sample = readNpy(fs.readFileSync(samplePath));
      const device = deviceByName(/^ai87/.test(f) ? 'MAX78002' : 'MAX78000');
      let layers;
      try {
        const read = readModel({
          file: modelFile,
          source: fs.readFileSync(modelFile, 'utf8'),
          loader: siblingLoader,
          arch,
          inputShape: sample.shape,
          constructorArgs: [
            {
              num_channels: sample.shape[0],
              dimensions: { t: 'tuple', items: sample.shape.length >= 3 ? [sample.shape[1], sample.shape[2]] : [sample.shape[1], 1] },
            },
          ],
        });
        layers = lowerGraph(read.graph);
      } catch (e) {
        if (!(e instanceof ModelReadError)) throw e;
        refused.push(`${yaml}: ${e.message} (${path.basename(e.file)} line ${e.line})`);
        continue;
      }
      const checkpoint = syntheticCheckpoint(arch, layers);
      const check = (t: string) =>
        checkNetwork({
          text: t,
          fileName: f,
          deviceOverride: device.name,
          resolveInputs: () => ({ checkpoint, checkpointPath: 'synthetic.pth.tar', sample, samplePath }),
        });
      const original = check(text);
      const firstError = original.diagnostics.find((d) => d.severity === 'error');
      if (firstError || !original.analysis?.plan) {
        skipped.push(`${yaml}: the hand-written YAML does not check with these weights (${firstError?.code} ${firstError?.message.slice(0, 100)})`);
        continue;
      }
      compared++;
      const out = newNetwork({
        modelFile,
        modelSource: fs.readFileSync(modelFile, 'utf8'),
        loader: siblingLoader,
        arch,
        checkpoint,
        inputShape: sample.shape,
        device,
        dataset,
        izerFlags: [],
        checkpointRef: 'synthetic.pth.tar',
        sampleRef: null,
        recheck: check,
      });
      if (!out.ok) {
        refused.push(`${yaml}: ${out.message}${out.file ? ` (${path.basename(out.file)} line ${out.line})` : ''}`);
        continue;
      }
      const x = simulate(original.analysis.plan, sample, { device, flags: original.flags, keepAllValues: false }).output.values!;
      const y = simulate(out.result.analysis!.plan!, sample, { device, flags: out.result.flags, keepAllValues: false }).output.values!;
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) wrong.push(`${yaml}: computes another output`);
      else same++;
    }
    console.log(`      ${same} of ${compared} shipped networks (seeded random weights) written from their model compute what the hand-written YAML computes`);
    for (const r of refused) console.log(`        refused: ${r}`);
    for (const r of skipped) console.log(`        not compared: ${r}`);
    for (const r of wrong) console.log(`        WRONG: ${r}`);
    assert.ok(compared > 0, 'nothing compared');
    assert.deepEqual(wrong, []);
  });
});
