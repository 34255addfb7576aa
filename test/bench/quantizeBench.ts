// Quantization time for `npm run bench`: the largest training checkpoint of the recorded quantize.py runs
// (../shared/oracle/quantize), read, quantized and written in this process (warm, median of 10) and by the CLI
// from a cold start (median of 3), with quantize.py's recorded time beside.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { writeCheckpointObject } from '../../server/src/engine/checkpoint/writeCheckpoint';
import { parseQuantizeArguments } from '../../server/src/engine/quantize/quantizeArguments';
import { quantizeCheckpoint } from '../../server/src/engine/quantize/quantizeCheckpoint';
import { repoRoot, sharedDir } from '../support/shared';

interface QuantizeRun {
  input: string;
  output: string;
  args: string[];
  seconds: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function quantizeBench(): void {
  const file = sharedDir('oracle', 'quantize', 'runs.json');
  console.log('\n== Quantization (ai8x quantize) of the largest checkpoint quantize.py was recorded on');
  if (!fs.existsSync(file)) {
    console.log(`  ${file} not found`);
    return;
  }
  const runs = JSON.parse(fs.readFileSync(file, 'utf8')) as QuantizeRun[];
  const size = (r: QuantizeRun) => fs.statSync(sharedDir('ai8x-synthesis', r.input)).size;
  const run = runs.reduce((a, b) => (size(b) > size(a) ? b : a));
  const input = sharedDir('ai8x-synthesis', run.input);
  const bytes = fs.readFileSync(input);
  const phases = { read: [] as number[], quantize: [] as number[], write: [] as number[], total: [] as number[] };
  for (let i = 0; i < 13; i++) {
    const t0 = performance.now();
    const c = readCheckpoint(bytes, { exactFloats: true });
    const t1 = performance.now();
    const q = quantizeCheckpoint(c);
    const t2 = performance.now();
    writeCheckpointObject(q.root);
    const t3 = performance.now();
    if (i < 3) continue;
    phases.read.push(t1 - t0);
    phases.quantize.push(t2 - t1);
    phases.write.push(t3 - t2);
    phases.total.push(t3 - t0);
  }
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
  const total = median(phases.total);
  console.log(
    `  ${run.input} (${(bytes.length / 1e6).toFixed(2)} MB), warm, median of 10: read ${ms(phases.read)} + quantize ${ms(phases.quantize)} + write ${ms(phases.write)} = ${ms(phases.total)}; quantize.py took ${run.seconds} s (${Math.round((run.seconds * 1000) / total)}×)`,
  );
  const cli = path.join(repoRoot(), 'dist', 'cli.js');
  if (!fs.existsSync(cli)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-quantize-bench-'));
  try {
    const args = parseQuantizeArguments(run.args);
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'quantize', input, path.join(dir, `out-${i}.pth.tar`), '--device', args.device ?? 'MAX78000'], {
        encoding: 'utf8',
      });
      cold.push(performance.now() - t0);
      if (r.status !== 0) {
        console.log(`  the CLI failed: ${r.stderr.trim()}`);
        return;
      }
    }
    console.log(`  cold \`ai8x quantize\` (Node started, file read, quantized and written), median of 3: ${ms(cold)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
