// Differential test against izer's own arithmetic: izerLayerCases.py runs izer's per-layer simulation functions
// on random single layers (every operator, element-wise with 2–4 operands and pool_first both ways, max/avg
// pooling with stride and dilation, --avg-pool-rounding, 1/2/4/8-bit and binary weights, bias, shifts,
// activations, 8- and 32-bit output, groups, flatten) and our simulator must give the same values.
// Runs only when AI8X_SYNTHESIS_PATH (an ai8x-synthesis checkout) and AI8X_PYTHON (its Python) are set.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simulate } from '../../../server/src/engine/simulate';
import { repoRoot } from '../../support/shared';
import { layer, network, sample } from './handPlan';

interface IzerCase {
  kind: 'conv2d' | 'linear' | 'convtranspose2d' | 'conv1d' | 'none';
  operands: number;
  eltwise: 'add' | 'sub' | 'or' | 'xor' | null;
  poolFirst: boolean;
  inChannels: number;
  outChannels: number;
  inDim: [number, number];
  pooledDim: [number, number];
  outDim: [number, number];
  pool: [number, number];
  poolStride: [number, number];
  poolDilation: [number, number];
  poolAverage: boolean;
  rounding: boolean;
  kernel: [number, number];
  pad: [number, number];
  stride: [number, number];
  dilation: [number, number];
  outputPad: [number, number];
  groups: number;
  flatten: boolean;
  shift: number;
  width: 8 | 32;
  activation: 'relu' | 'abs' | null;
  quantization: number;
  weights: number[] | null;
  bias: number[] | null;
  inputShape: number[];
  input: number[];
  output: number[];
}

describe('simulator: differential test against izer’s own layer functions', () => {
  const synth = process.env.AI8X_SYNTHESIS_PATH;
  const python = process.env.AI8X_PYTHON;
  let cases: IzerCase[] = [];

  before(function () {
    if (!synth || !python) {
      console.log('      (skipped: set AI8X_SYNTHESIS_PATH and AI8X_PYTHON to an ai8x-synthesis installation to run the differential test)');
      this.skip();
    }
    this.timeout(300_000);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-diff-')), 'cases.json');
    const script = path.join(repoRoot(), 'test', 'unit', 'simulate', 'izerLayerCases.py');
    const r = spawnSync(python!, [script, '20241', '1500', out], { env: { ...process.env, PYTHONPATH: synth }, encoding: 'utf8' });
    assert.equal(r.status, 0, `izerLayerCases.py failed: ${r.stderr}`);
    cases = JSON.parse(fs.readFileSync(out, 'utf8')) as IzerCase[];
  });

  it('matches izer on every generated layer', () => {
    assert.ok(cases.length > 1000, `only ${cases.length} cases`);
    const failures: string[] = [];
    cases.forEach((k, i) => {
      const l = layer(0, {
        op: k.kind,
        eltwise: k.eltwise,
        operands: k.operands,
        poolFirst: k.poolFirst,
        inChannels: k.inChannels,
        outChannels: k.outChannels,
        inDim: k.inDim,
        pooledDim: k.pooledDim,
        outDim: k.outDim,
        pool: k.pool,
        poolStride: k.poolStride,
        poolDilation: k.poolDilation,
        poolAverage: k.poolAverage,
        kernelSize: k.kernel,
        pad: k.pad,
        stride: k.stride,
        dilation: k.dilation,
        outputPad: k.outputPad,
        groups: k.groups,
        flatten: k.flatten,
        outputShift: k.shift,
        outputWidth: k.width,
        activation: k.activation,
        quantization: k.quantization,
        weights: k.weights ?? undefined,
        bias: k.bias,
      });
      const s = k.inputShape;
      const shape: [number, number, number] = [s[0], s[1], s.length === 3 ? s[2] : 1];
      try {
        const r = simulate(network([l], shape), sample(s, k.input), { device: 'MAX78002', flags: { avgPoolRounding: k.rounding } });
        const got = Array.from(r.output.values ?? []);
        if (got.length !== k.output.length || got.some((v, j) => v !== k.output[j])) failures.push(`case ${i} (${k.kind}): values differ`);
      } catch (e) {
        failures.push(`case ${i} (${k.kind}): ${(e as Error).message}`);
      }
    });
    assert.deepEqual(failures.slice(0, 10), []);
  });
});
