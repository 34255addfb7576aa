// Allocation time for `npm run bench`: every shipped network izer accepts, stripped of its processors and
// offsets, allocated again (warm, median of 5), with the number of full checks it took.
import * as fs from 'node:fs';
import { allocateNetwork } from '../../server/src/engine/allocate/allocateNetwork';
import { stripAllocation } from '../support/allocationCases';
import { checkLikeIzer, loadExtract, OracleRun } from '../support/oracleRuns';
import { sharedDir } from '../support/shared';

const TARGET_MS = 200;

export function allocationBench(runs: OracleRun[]): void {
  console.log(`\n== Allocation (ai8x allocate) of every shipped network, stripped of its four keys, warm, median of 5 — target ≤ ${TARGET_MS} ms`);
  const seen = new Set<string>();
  let worst = { ms: 0, name: '' };
  for (const run of runs.filter((r) => r.accepted)) {
    const key = `${run.yaml} ${run.device}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
    const opts = { device: run.device, checkpoint: run.checkpoint, sampleInput: run.sample_input, izerFlags: run.izer_flags, extract: loadExtract(run) };
    let checks = 0;
    const recheck = (t: string) => {
      checks++;
      return checkLikeIzer(t, run.yaml, opts).result;
    };
    const stripped = stripAllocation(text);
    allocateNetwork(stripped, recheck);
    const times: number[] = [];
    let ok = false;
    for (let i = 0; i < 5; i++) {
      checks = 0;
      const t0 = performance.now();
      ok = allocateNetwork(stripped, recheck).ok;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const ms = times[2];
    if (ms > worst.ms) worst = { ms, name: run.case };
    console.log(`  ${run.case.slice(0, 60).padEnd(60)} ${ms.toFixed(1).padStart(7)} ms  ${checks} checks${ok ? '' : '  NOT ALLOCATED'}`);
  }
  console.log(`  slowest: ${worst.name} ${worst.ms.toFixed(1)} ms (${worst.ms <= TARGET_MS ? 'meets' : 'MISSES'} the ${TARGET_MS} ms target)`);
}
