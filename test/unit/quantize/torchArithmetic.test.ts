// The tensor arithmetic quantize.py relies on, computed as torch computes it: the rules checked here on their own,
// and, where a Python with torch is at hand, every result compared bit for bit with torch's on arrays of many sizes
// (torch on one thread, as the emulation describes).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { clamp, floorLog2, FloatDType, torchMean, torchQuantile, torchStd, torchSum } from '../../../server/src/engine/quantize/torchArithmetic';
import { averageMax } from '../../../server/src/engine/quantize/clipMethods';
import { skipBecause } from '../../support/shared';
import { NO_TORCH, pythonWithTorch } from '../../support/pythonTorch';

const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 129, 255, 257, 1000, 1023, 4096, 4099, 16385, 30000, 32767];
const QUANTILES = [1, 0.995, 0.5, 0.123, 0];

/** Deterministic values of many magnitudes and both signs (a trained layer's spread and worse). */
function arrays(dtype: FloatDType): Float64Array[] {
  let seed = 20260101;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  return SIZES.map((n, i) => Float64Array.from({ length: n }, () => round((random() - 0.45) * 10 ** ((i % 5) - 2) * (1 + 100 * random() ** 8))));
}

const PYTHON = `
import json, struct, sys
import numpy as np
import torch
torch.set_num_threads(1)
def num(t):
    return float(t.item())
results = {}
for spec in json.load(open(sys.argv[1])):
  dtype = {'float32': torch.float32, 'float64': torch.float64}[spec['dtype']]
  raw = np.fromfile(spec['file'], dtype=np.float32 if spec['dtype'] == 'float32' else np.float64)
  out, at = [], 0
  results[spec['dtype']] = out
  for n, rows in zip(spec['sizes'], spec['rows']):
    t = torch.from_numpy(raw[at:at + n].copy()).to(dtype); at += n
    tv = t.view(rows, -1)
    out.append({'sum': num(t.sum()), 'mean': num(t.mean()), 'std': num(t.std()) if n > 1 else None,
         'avgmax': num(torch.max(tv.min(dim=-1)[0].mean().abs_(), tv.max(dim=-1)[0].mean().abs_())),
         'quantiles': [num(torch.quantile(t.abs(), q)) for q in spec['quantiles']],
         'log2': [float(torch.floor(torch.log2(torch.tensor(1.0, dtype=dtype) / torch.quantile(t.abs(), q)))) for q in spec['quantiles'] if num(torch.quantile(t.abs(), q)) > 0]})
json.dump(results, open(sys.argv[2], 'w'))
`;

describe('torch arithmetic (as quantize.py computes with torch)', () => {
  it('sums of small whole numbers are exact in any order; a mean is the sum over the count', () => {
    for (const n of SIZES) {
      const xs = Float64Array.from({ length: n }, (_, i) => (i % 7) - 3);
      const exact = xs.reduce((a, b) => a + b, 0);
      assert.equal(torchSum(xs, 'float32'), exact, `n = ${n}`);
      assert.equal(torchMean(xs, 'float32'), Math.fround(exact / n));
    }
  });

  it('quantile: q = 1 is the largest, 0 the smallest, between them a linear interpolation of the neighbours', () => {
    const values = Float64Array.from([8, 2, 1, 4]);
    assert.equal(torchQuantile(values, 1, 'float64'), 8);
    assert.equal(torchQuantile(values, 0, 'float64'), 1);
    assert.equal(torchQuantile(values, 0.5, 'float64'), 3);
    assert.ok(Number.isNaN(torchQuantile([1, NaN], 0.5, 'float64')), 'a NaN makes the quantile NaN, as in torch');
  });

  it('floor(log2) of powers of two is exact; clamp lets the upper bound win when the bounds cross (torch.clamp)', () => {
    for (let k = -20; k <= 20; k++) assert.equal(floorLog2(2 ** k, 'float32'), k);
    assert.equal(floorLog2(Math.fround(3 * 2 ** -4), 'float32'), -3);
    assert.equal(clamp(5, 10, 2), 2);
    assert.ok(Number.isNaN(clamp(NaN, 0, 1)));
  });

  describe('bit for bit as torch (one thread) computes it', () => {
    const DTYPES = ['float32', 'float64'] as const;
    const data = { float32: arrays('float32'), float64: arrays('float64') };
    const rows = SIZES.map((n) => [8, 4, 3, 2, 1].find((r) => n % r === 0)!);
    let torch: Record<FloatDType, TorchResult[]> | null = null;
    before(function () {
      this.timeout(180_000);
      const python = pythonWithTorch();
      if (!python) return;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-torch-'));
      try {
        const specs = DTYPES.map((dtype) => {
          const all = data[dtype].flatMap((a) => [...a]);
          const file = path.join(dir, `${dtype}.bin`);
          fs.writeFileSync(file, new Uint8Array((dtype === 'float32' ? Float32Array.from(all) : Float64Array.from(all)).buffer));
          return { dtype, file, sizes: SIZES, rows, quantiles: QUANTILES };
        });
        fs.writeFileSync(path.join(dir, 'specs.json'), JSON.stringify(specs));
        fs.writeFileSync(path.join(dir, 'run.py'), PYTHON);
        const run = spawnSync(python, [path.join(dir, 'run.py'), path.join(dir, 'specs.json'), path.join(dir, 'out.json')], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        torch = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as Record<FloatDType, TorchResult[]>;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    for (const dtype of DTYPES) {
      it(`${dtype}: sum, mean, std, AVGMAX, quantile and floor(log2(1/quantile)) on ${SIZES.length} arrays of 1 to ${SIZES.at(-1)} values`, function () {
        if (!torch) skipBecause(this, NO_TORCH);
        const theirs = torch![dtype];
        const round = dtype === 'float32' ? Math.fround : (x: number) => x;
        let compared = 0;
        data[dtype].forEach((xs, i) => {
          const at = `${dtype} n = ${xs.length}`;
          assert.equal(torchSum(xs, dtype), theirs[i].sum, `sum, ${at}`);
          assert.equal(torchMean(xs, dtype), theirs[i].mean, `mean, ${at}`);
          if (theirs[i].std !== null) assert.equal(torchStd(xs, dtype), theirs[i].std, `std, ${at}`);
          assert.equal(averageMax(xs, rows[i], dtype), theirs[i].avgmax, `AVGMAX, ${at}`);
          const magnitudes = Float64Array.from(xs, Math.abs);
          const ours = QUANTILES.map((q) => torchQuantile(magnitudes, q, dtype));
          assert.deepEqual(ours, theirs[i].quantiles, `quantiles, ${at}`);
          assert.deepEqual(
            ours.filter((x) => x > 0).map((x) => floorLog2(round(1 / x), dtype)),
            theirs[i].log2,
            `floor(log2(1/quantile)), ${at}`,
          );
          compared++;
        });
        console.log(`      ${compared} of ${data[dtype].length} ${dtype} arrays agree with torch`);
        assert.ok(compared > 0);
      });
    }
  });
});

interface TorchResult {
  sum: number;
  mean: number;
  std: number | null;
  avgmax: number;
  quantiles: number[];
  log2: number[];
}
