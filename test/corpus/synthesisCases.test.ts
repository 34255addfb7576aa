// izer's generated projects (test/support/synthesisCases.ts) through the hardware-image harness, compared with
// themselves: every shipped case and a sample of the others must come out "same", in a time that lets CI compare
// every case with our generator's project. Prints the compile and run seconds per case and what comparing every
// shared case would take. AI8X_IMAGE_ALL=1 compares every case (shared and recorded) instead of a sample,
// AI8X_IMAGE_ALL=shared every shared case.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareProjects } from '../../server/src/projectImage/compareProjects';
import { requireHarness } from '../support/projectCopies';
import { skipBecause } from '../support/shared';
import { SynthesisCase, sampleOf, synthesisCases, withJobs } from '../support/synthesisCases';

const JOBS = 2;

interface Timed {
  label: string;
  same: boolean;
  summary: string;
  compileSeconds: number;
  runSeconds: number;
  seconds: number;
}

/** CPU seconds used by this process's finished children (the compilers and the harness runs), from /proc. */
function childCpuSeconds(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3 of stat(5), cutime and cstime fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

async function selfCompare(cases: readonly SynthesisCase[]): Promise<{ results: Timed[]; seconds: number; cpuSeconds: number }> {
  const t0 = Date.now();
  const cpu0 = childCpuSeconds();
  const results = await withJobs(cases, JOBS, async (c) => {
    const t = Date.now();
    const r = await compareProjects(c.referenceDir, c.referenceDir, { device: c.device }).catch((e: unknown) => e as Error);
    if (r instanceof Error) return { label: c.label, same: false, summary: r.message, compileSeconds: 0, runSeconds: 0, seconds: (Date.now() - t) / 1000 };
    return {
      label: c.label,
      same: r.same,
      summary: r.summary,
      compileSeconds: r.reference.compileSeconds + r.candidate.compileSeconds,
      runSeconds: r.reference.runSeconds + r.candidate.runSeconds,
      seconds: (Date.now() - t) / 1000,
    };
  });
  return { results, seconds: (Date.now() - t0) / 1000, cpuSeconds: childCpuSeconds() - cpu0 };
}

function report(what: string, results: readonly Timed[], seconds: number, cpuSeconds: number): void {
  const compile = results.map((r) => r.compileSeconds / 2);
  const run = results.map((r) => r.runSeconds / 2);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
  console.log(
    `      ${what}: ${results.filter((r) => r.same).length} of ${results.length} compared the same as themselves in ${seconds.toFixed(0)} s with ${JOBS} jobs; ` +
      `per project: compile ${mean(compile).toFixed(2)} s (max ${Math.max(...compile).toFixed(2)} s), run ${mean(run).toFixed(2)} s`,
  );
  console.log(
    `      CPU time of the compilers and harness runs: ${cpuSeconds.toFixed(0)} s in all, ${(cpuSeconds / results.length).toFixed(2)} s per case ` +
      `(${(cpuSeconds / results.length / 2).toFixed(2)} s per project); on ${JOBS} idle cores about ${(cpuSeconds / JOBS / 60).toFixed(1)} min`,
  );
  const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 3);
  console.log(`      slowest: ${slowest.map((r) => `${r.label} ${r.seconds.toFixed(1)} s`).join(', ')}`);
}

describe('synthesis cases through the hardware-image harness', function () {
  this.timeout(3 * 60 * 60 * 1000);
  const all = synthesisCases();
  const shared = all.filter((c) => c.source === 'shared');

  it('lists every shared case with absolute inputs, parsed flags and izer files', function () {
    if (!shared.length) skipBecause(this, '../shared/oracle/synthesis not found');
    const sets = new Map<string, number>();
    for (const c of all) sets.set(c.set, (sets.get(c.set) ?? 0) + 1);
    console.log(`      ${all.length} cases: ${[...sets].map(([s, n]) => `${s} ${n}`).join(', ')}`);
    assert.equal(shared.filter((c) => c.set === 'shipped').length, 31);
    assert.equal(shared.filter((c) => c.set === 'testsuite-MAX78000').length, 206);
    for (const c of all) {
      assert.ok(path.isAbsolute(c.yaml) && fs.existsSync(c.yaml), `${c.label}: ${c.yaml}`);
      assert.ok(c.checkpoint === null || fs.existsSync(c.checkpoint), `${c.label}: ${c.checkpoint}`);
      assert.ok(c.sampleInput === null || fs.existsSync(c.sampleInput), `${c.label}: ${c.sampleInput}`);
      assert.ok(fs.existsSync(path.join(c.referenceDir, 'cnn.c')), c.label);
      assert.equal(c.flags.device, c.device);
    }
    const mnist = all.find((c) => c.label === 'shipped/MAX78000-mnist')!;
    assert.deepEqual(mnist.generatorFlags, ['--softmax', '--timer', '0']);
    assert.equal(path.basename(mnist.checkpoint!), 'ai85-mnist-qat8-q.pth.tar');
    assert.equal(mnist.flags.softmax, true);
    const riscv = all.find((c) => c.label === 'shipped/MAX78002-mnist-riscv')!;
    assert.deepEqual(riscv.generatorFlags, ['--softmax', '--timer', '0', '--riscv', '--riscv-debug']);
    assert.ok(fs.existsSync(path.join(riscv.referenceDir, 'main_riscv.c')));
  });

  it('every shipped project is the same as itself, in a time CI can afford', async function () {
    const shipped = shared.filter((c) => c.set === 'shipped');
    if (!shipped.length) skipBecause(this, '../shared/oracle/synthesis not found');
    requireHarness(this);
    const every = process.env.AI8X_IMAGE_ALL;
    const cases = every === 'shared' ? shared : every ? all : shipped;
    const { results, seconds, cpuSeconds } = await selfCompare(cases);
    report(every === 'shared' ? 'every shared case' : every ? 'every case' : 'shipped', results, seconds, cpuSeconds);
    if (!every) {
      const perCase = seconds / results.length;
      console.log(`      every shared case (${shared.length}) would take about ${((perCase * shared.length) / 60).toFixed(1)} min at this rate`);
    }
    assert.deepEqual(
      results.filter((r) => !r.same).map((r) => `${r.label}: ${r.summary}`),
      [],
    );
    assert.ok(results.length > 0);
  });

  it('a sample of the test networks and of our recordings is the same as itself', async function () {
    const others = all.filter((c) => c.set !== 'shipped');
    if (!others.length) skipBecause(this, 'no test-network or recorded cases (../shared and .izer-oracle/synthesis absent)');
    if (process.env.AI8X_IMAGE_ALL) skipBecause(this, 'AI8X_IMAGE_ALL compared every case above');
    requireHarness(this);
    // One case from every set, then a spread over all of them.
    const bySet = [...new Set(others.map((c) => c.set))].map((s) => others.find((c) => c.set === s)!);
    const sample = [...new Set([...bySet, ...sampleOf(others, 12)])];
    const { results, seconds, cpuSeconds } = await selfCompare(sample);
    report(`sample of ${sample.length} from ${bySet.length} sets`, results, seconds, cpuSeconds);
    assert.deepEqual(
      results.filter((r) => !r.same).map((r) => `${r.label}: ${r.summary}`),
      [],
    );
  });
});
