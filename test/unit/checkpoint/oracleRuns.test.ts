// loadCheckpointLayers against what real izer printed for the shipped networks (../shared/oracle, never committed).
//
// What is a fair comparison: izer's log.txt table shows the values *after* its two traversals. The traversal
// replaces a layer's input channels when the YAML gives `in_channels`, when the layer has `in_sequences`
// (concatenation/element-wise inputs) and, for `flatten`, divides them by the pooled H×W; it replaces output
// channels when the YAML gives `out_channels`; passthrough layers get their channels from their input. So we
// compare, for layers that take weights from the checkpoint only:
//   output channels (unless YAML out_channels), input channels (unless in_channels / in_sequences / flatten),
//   the total output shift, the kernel dimensions and the weight bit width.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { loadCheckpointLayers } from '../../../server/src/engine/analysis/checkpointLayers';
import { readNetwork } from '../../../server/src/engine/model/readNetwork';
import { parseYamlTree } from '../../../server/src/engine/yaml/yamlTree';
import { deviceByName, DeviceName } from '../../../server/src/engine/device/devices';
import { parseIzerFlags } from '../../../server/src/engine/izerFlags';
import { DiagnosticSink } from '../../../server/src/engine/diagnosticSink';
import type { TorchCheckpoint } from '../../../server/src/engine/checkpoint/types';
import { requireShared, sharedDir } from '../../support/shared';

interface Run {
  case: string;
  device: DeviceName;
  yaml: string;
  checkpoint: string;
  izer_flags: string[];
  accepted: boolean;
  izer_error_lines: string[];
  extract: string | null;
}

/** izer's printed Python lists (`[3, 64]`, `[[3, 3], [1, 1]]`, `None`) as JSON. */
function pyList(text: string): unknown[] {
  return JSON.parse(
    text
      .replace(/\bNone\b/g, 'null')
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false'),
  );
}

describe('checkpoint model vs izer on the shipped networks', function () {
  this.timeout(60000);
  let runs: Run[] = [];
  const checkpoints = new Map<string, TorchCheckpoint>();
  before(function () {
    requireShared(this, 'oracle', 'runs.json');
    runs = JSON.parse(fs.readFileSync(sharedDir('oracle', 'runs.json'), 'utf8'));
  });

  function load(run: Run) {
    const device = deviceByName(run.device);
    const yamlSink = new DiagnosticSink();
    const model = readNetwork(parseYamlTree(fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8')), device, yamlSink);
    let ckpt = checkpoints.get(run.checkpoint);
    if (!ckpt)
      checkpoints.set(run.checkpoint, (ckpt = readCheckpoint(fs.readFileSync(sharedDir('ai8x-synthesis', run.checkpoint)), { fileName: run.checkpoint })));
    const sink = new DiagnosticSink();
    const layers = loadCheckpointLayers(ckpt, model, device, parseIzerFlags(run.izer_flags), sink, { file: [0, 0] });
    return { model, layers, sink };
  }

  it('izer got past the checkpoint in every run, and so do we: no error among rules 65–80, counts agree', () => {
    assert.ok(runs.length > 10, `only ${runs.length} runs`);
    let loaded = 0;
    for (const run of runs) {
      // every recorded run failed (if at all) after loading the checkpoint
      assert.ok(!run.izer_error_lines.some((l) => /state_dict|checkpoint file|kernel_size/.test(l)), run.case);
      const { model, layers, sink } = load(run);
      const errors = sink.items.filter((d) => d.severity === 'error');
      assert.deepEqual(
        errors.map((d) => `${d.code}: ${d.message}`),
        [],
        run.case,
      );
      assert.equal(layers.fatal, false, run.case);
      assert.equal(layers.layerCount, model.layers.length, run.case);
      assert.equal(layers.weights.length, model.layers.length, run.case);
      loaded++;
    }
    console.log(`      ${loaded} of ${runs.length} runs load their checkpoint as izer did`);
  });

  it("gives izer's channels, output shift, kernel dimensions and bit widths for every weight layer", () => {
    let compared = 0;
    const withExtract = runs.filter((r) => r.extract);
    for (const run of withExtract) {
      const extract = JSON.parse(fs.readFileSync(path.join(sharedDir('oracle', 'runs'), run.extract!), 'utf8'));
      const log = extract.log_config as Record<string, string>;
      const outCh = pyList(log['Output channels']) as (number | null)[];
      const inCh = pyList(log['Input channels']) as (number | null)[];
      const shift = pyList(log['Output shift']) as (number | null)[];
      const kdims = pyList(log['Kernel dimensions']) as ([number, number] | null)[];
      const bits = pyList(log['Kernel size (bits)']) as (number | null)[];
      const flatten = pyList(log['Flatten']) as (boolean | null)[];
      const { model, layers } = load(run);
      for (let ll = 0; ll < outCh.length; ll++) {
        const L = model.layers[ll];
        const w = layers.weights[ll];
        if (!w || outCh[ll] === null) continue; // no weights, or a layer izer's traversal never reached
        const where = `${run.case} layer ${ll}`;
        if (!L.entries.has('out_channels')) assert.equal(layers.outputChannels[ll], outCh[ll], `${where}: output channels`);
        if (!L.entries.has('in_channels') && !L.inSequences && !flatten[ll]) assert.equal(layers.inputChannels[ll], inCh[ll], `${where}: input channels`);
        assert.equal(layers.outputShift[ll], shift[ll], `${where}: output shift`);
        const k = w.shape.length === 3 && L.op === 'linear' ? [1, 1] : w.shape.length === 2 ? [w.shape[1], 1] : [w.shape[1], w.shape[2]];
        assert.deepEqual(k, kdims[ll], `${where}: kernel dimensions`);
        assert.equal(Math.abs(layers.quantization[ll]!), bits[ll], `${where}: weight bits`);
        compared++;
      }
    }
    console.log(`      ${compared} weight layers of ${withExtract.length} of ${runs.length} runs (those with izer's log) compared`);
    assert.ok(compared > 200, `only ${compared} layers compared`);
  });

  it('names the weights izer ignores (a checkpoint that holds its state_dict twice)', function () {
    const run = runs.find((r) => r.checkpoint.endsWith('ai85-kws20_v3-qat8-q.pth.tar') && r.device === 'MAX78000');
    assert.ok(run, 'runs.json has no MAX78000 run of ai85-kws20_v3-qat8-q.pth.tar');
    const { layers, sink } = load(run);
    assert.equal(layers.matchedCount, 9);
    assert.ok(layers.matches.every((m) => m.key.startsWith('module.')));
    assert.deepEqual(layers.ignoredWeightKeys.slice(0, 2), ['voice_conv1.op.weight', 'voice_conv2.op.weight']);
    const d = sink.items.find((x) => x.code === 'AX200');
    assert.equal(d?.severity, 'information');
  });
});
