// Figures for izer's own test networks (`arch: test`) in `npm run bench`: the full check of every one (sample
// weights + sample input), median and slowest, and the simulator's M MAC/s over all the accepted ones.
import { simulate } from '../../server/src/engine/simulate';
import type { SampleInput } from '../../server/src/engine/sample/npy';
import { checkTestNetwork, loadTestsuite, missingFileOnly, extraFlags } from '../support/testsuite';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function testNetworksBench(): void {
  const cases = loadTestsuite('MAX78000').filter((c) => !missingFileOnly(c));
  console.log(`\n== izer's test networks (${cases.length} on MAX78000, sample weights): full check, warm, and the simulator`);
  if (!cases.length) {
    console.log('  (../shared/oracle/testsuite/MAX78000.json not found)');
    return;
  }
  for (const c of cases) checkTestNetwork(c.yaml, c.device, extraFlags(c)); // warm the file caches and the JIT
  const checks: { name: string; ms: number }[] = [];
  let macs = 0;
  let simMs = 0;
  let simulated = 0;
  for (const c of cases) {
    const times: number[] = [];
    let last = checkTestNetwork(c.yaml, c.device, extraFlags(c));
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      last = checkTestNetwork(c.yaml, c.device, extraFlags(c));
      times.push(performance.now() - t0);
    }
    checks.push({ name: c.case, ms: median(times) });
    const plan = last.result.analysis?.plan;
    const sample = last.inputs.sample;
    if (!c.accepted || !plan || !sample || 'error' in sample) continue;
    const st: number[] = [];
    let total = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      total = simulate(plan, sample as SampleInput, { device: last.result.device, flags: last.result.flags, keepAllValues: false }).totalMacs;
      st.push(performance.now() - t0);
    }
    macs += total;
    simMs += median(st);
    simulated++;
  }
  checks.sort((a, b) => a.ms - b.ms);
  const slowest = checks[checks.length - 1];
  console.log(
    `  check: median ${median(checks.map((c) => c.ms)).toFixed(2)} ms, slowest ${slowest.ms.toFixed(1)} ms (${slowest.name}), all ${checks.length} in ${checks.reduce((a, c) => a + c.ms, 0).toFixed(0)} ms`,
  );
  console.log(
    `  simulator: ${simulated} networks, ${(macs / 1e6).toFixed(1)} M MAC in ${simMs.toFixed(0)} ms → ${(macs / (simMs / 1000) / 1e6).toFixed(0)} M MAC/s`,
  );
}
