// Simulator figures for `npm run bench`: time and MAC/s per shared network, with izer's time beside it.
import { simulate } from '../../server/src/engine/simulate';
import { checkRun, OracleRun } from '../support/oracleRuns';

export async function simulatorBench(runs: OracleRun[]): Promise<void> {
  console.log('\n== Simulator: time and MAC/s per shared network (one Node thread) — targets ≥ 300 M MAC/s, ≥ 10× faster than izer');
  const seen = new Set<string>();
  let macs = 0;
  let ms = 0;
  for (const run of runs.filter((r) => r.accepted)) {
    const key = `${run.yaml} ${run.device} ${run.checkpoint}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { result, sample } = checkRun(run);
    const plan = result.analysis?.plan;
    if (!plan || !sample.sample) continue;
    const note = sample.standIn ? ' (zero-filled stand-in sample)' : '';
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = simulate(plan, sample.sample, { device: result.device, flags: result.flags });
      times.push(performance.now() - t0);
      total = r.totalMacs;
    }
    times.sort((a, b) => a - b);
    const t = times[1];
    macs += total;
    ms += t;
    const rate = total / (t / 1000) / 1e6;
    console.log(`  ${run.case.padEnd(44)} ${(total / 1e6).toFixed(1).padStart(8)} M MAC ${t.toFixed(1).padStart(8)} ms ${rate.toFixed(0).padStart(6)} M MAC/s   izer ${run.izer_seconds} s → ${Math.round((run.izer_seconds * 1000) / t)}×${note}`);
  }
  console.log(`  overall: ${(macs / (ms / 1000) / 1e6).toFixed(0)} M MAC/s`);
}
