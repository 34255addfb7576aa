// `npm run bench`: a cold `ai8x check` of the largest shipped network with its checkpoint and a sample input, each
// run a new Node process, and where its time goes. The CLI reports its own marks (AI8X_TIMING=1, server/src/cli/
// timing.ts); the wall time is measured here, from spawning the process to its exit:
//   start     Node itself: creating the process, Node's bootstrap, and exiting after our last mark
//   load      reading and compiling (or loading from the code cache) the CLI and the `check` command
//   parse     reading the YAML and the network model, the checkpoint and the sample input
//   analysis  izer's checks, and writing the diagnostics
// izer runs the same check in the same bench run when AI8X_SYNTHESIS_PATH and AI8X_PYTHON name a checkout (else its
// recorded time is shown). The target (≤ 90 ms, ≥ 100× izer) is judged with Node started as a user starts it: where
// this environment sets NODE_EXTRA_CA_CERTS, without it (Node 20 parses that bundle at every start; a user's does not).
// Runs alternate with `node -e 0` so that both see the same machine load; figures are medians (CPU: user + system,
// all threads, as the CLI's process.cpuUsage() saw it).
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeNpy } from '../../server/src/engine/sample/npy';
import type { OracleRun } from '../support/oracleRuns';
import { analysisFlags } from '../support/oracleRuns';
import { repoRoot, sharedDir } from '../support/shared';
import { timeIzer } from './izerTiming';

const NETWORK = 'networks/aisegment-unet-large-fakept.yaml';
const DEVICE = 'MAX78002';
/** izer's sample for this network (its run read it by default); a zero sample of the network's input shape without it. */
const IZER_SAMPLE = 'tests/sample_aisegment_352_reduced.npy';
const SAMPLE_SHAPE = [48, 88, 88];
const IZER_RUNS = 3;
const RUNS = 9;
const AB_RUNS = 21;

interface Timing {
  bootstrap: number;
  marks: Record<string, [wall: number, cpu: number]>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time (ms) of one process, measured from here. */
function timed(args: string[], cwd: string, env: NodeJS.ProcessEnv): { ms: number; stderr: string; status: number | null } {
  const t0 = performance.now();
  const r = cp.spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return { ms: performance.now() - t0, stderr: r.stderr, status: r.status };
}

function timingOf(stderr: string): Timing {
  const line = stderr.split('\n').find((l) => l.startsWith('ai8x-timing '));
  if (!line) throw new Error(`the CLI printed no timing line:\n${stderr.slice(0, 400)}`);
  return JSON.parse(line.slice('ai8x-timing '.length)) as Timing;
}

/** RUNS cold runs of the CLI with these arguments, each next to a `node -e 0`, split by the CLI's own marks. */
function measure(args: string[], cwd: string, env: NodeJS.ProcessEnv, nodeEnv: NodeJS.ProcessEnv = process.env) {
  const rows: {
    wall: number;
    node: number;
    start: number;
    load: number;
    parse: number;
    analysis: number;
    cpu: number;
    cpuLoad: number;
    cpuParse: number;
    cpuAnalysis: number;
  }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const node = timed(['-e', '0'], cwd, nodeEnv).ms;
    const r = timed(args, cwd, env);
    const t = timingOf(r.stderr);
    const m = t.marks;
    const end = m.written;
    rows.push({
      wall: r.ms,
      node,
      start: t.bootstrap + (r.ms - end[0]),
      load: m['command loaded'][0] - t.bootstrap,
      parse: m['inputs read'][0] - m['command loaded'][0],
      analysis: end[0] - m['inputs read'][0],
      cpu: end[1],
      cpuLoad: m['command loaded'][1],
      cpuParse: m['inputs read'][1] - m['command loaded'][1],
      cpuAnalysis: end[1] - m['inputs read'][1],
    });
  }
  return rows;
}

/**
 * Interleaved runs of another build's CLI (`baseline`, a folder with its cli.js and cliMain.js) and this one, each with
 * a code-cache folder of its own: the CLI deletes caches of other builds, so one shared folder would leave both
 * without a cache. Machine load drifts between runs, so only such pairs tell whether a change moved the wall time.
 */
function compareWithBaseline(baseline: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, tmp: string): void {
  const builds = [
    { label: 'baseline', cli: path.join(path.resolve(baseline), 'cli.js') },
    { label: 'this build', cli: args[0] },
  ];
  if (!fs.existsSync(builds[0].cli)) throw new Error(`--baseline: no cli.js in ${baseline}`);
  const walls: number[][] = builds.map(() => []);
  const envs = builds.map((_, i) => ({ ...env, AI8X_COMPILE_CACHE: path.join(tmp, `ab-cache-${i}`) }));
  builds.forEach((b, i) => timed([b.cli, ...args.slice(1)], cwd, envs[i]));
  for (let r = 0; r < AB_RUNS; r++) builds.forEach((b, i) => walls[i].push(timed([b.cli, ...args.slice(1)], cwd, envs[i]).ms));
  const med = walls.map(median);
  console.log(
    `  A/B, ${AB_RUNS} interleaved runs each: ${builds.map((b, i) => `${b.label} ${med[i].toFixed(1)} ms (fastest ${Math.min(...walls[i]).toFixed(1)})`).join(', ')}`,
  );
  console.log(`    difference of the medians: ${(med[1] - med[0]).toFixed(1)} ms`);
}

export function coldCheckBench(runs: OracleRun[], baseline: string | null = null): void {
  const run = runs.find((r) => r.yaml === NETWORK && r.device === DEVICE && r.accepted);
  if (!run) {
    console.log(`\n== Cold check: no accepted ${DEVICE} run of ${NETWORK} in ../shared`);
    return;
  }
  const izerSample = sharedDir('ai8x-synthesis', IZER_SAMPLE);
  const haveIzerSample = fs.existsSync(izerSample);
  console.log(
    `\n== Cold \`ai8x check\` in a new process: ${NETWORK} on ${DEVICE} with its checkpoint and ${haveIzerSample ? IZER_SAMPLE : `a [${SAMPLE_SHAPE.join(', ')}] sample`}` +
      ' — target ≤ 90 ms and ≥ 100× izer in the same run, with Node started as a user starts it (without NODE_EXTRA_CA_CERTS)',
  );
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-bench-cold-'));
  try {
    let sample = izerSample;
    if (!haveIzerSample) {
      sample = path.join(tmp, 'sample.npy');
      fs.writeFileSync(sample, writeNpy(SAMPLE_SHAPE, new Array(SAMPLE_SHAPE.reduce((a, b) => a * b, 1)).fill(0)));
    }
    const cli = path.join(repoRoot(), 'dist', 'cli.js');
    const args = [cli, 'check', run.yaml, '--device', DEVICE, '--checkpoint', run.checkpoint, '--sample-input', sample, '--format', 'json'];
    args.push('--', ...analysisFlags(run.izer_flags));
    const cwd = sharedDir('ai8x-synthesis');
    const env = { ...process.env, AI8X_TIMING: '1', AI8X_COMPILE_CACHE: path.join(tmp, 'code-cache') };

    // The very first run of the command on a machine compiles everything and writes the code cache.
    const first = timed(args, cwd, env);
    if (first.status !== 0) throw new Error(`ai8x check exited with ${first.status}: ${first.stderr.slice(0, 400)}`);
    const cacheFiles = fs.existsSync(env.AI8X_COMPILE_CACHE) ? fs.readdirSync(env.AI8X_COMPILE_CACHE) : [];

    const f = (ms: number) => `${ms.toFixed(0)} ms`;
    const izer = izerSameRun(run, sample);
    console.log(
      izer.seconds !== null
        ? `  izer in this run (median of ${IZER_RUNS}): ${izer.seconds.toFixed(1)} s`
        : `  izer is not set up here (AI8X_SYNTHESIS_PATH and AI8X_PYTHON); its time is the recorded ${run.izer_seconds} s (${izer.why})`,
    );
    const izerMs = (izer.seconds ?? run.izer_seconds) * 1000;
    const izerLabel = izer.seconds !== null ? 'in this run' : 'recorded';
    console.log(`  first run on the machine (no code cache yet): ${f(first.ms)}; it wrote ${cacheFiles.length} code-cache file(s)`);
    const report = (rows: ReturnType<typeof measure>, label: string, judged: boolean): void => {
      const med = (k: keyof (typeof rows)[number]) => median(rows.map((r) => r[k]));
      const wall = med('wall');
      console.log(
        `  ${label}, median of ${RUNS}: ${f(wall)} = start ${f(med('start'))} + load ${f(med('load'))} + parse ${f(med('parse'))} + analysis ${f(med('analysis'))}` +
          ` (medians of each part; fastest run ${f(Math.min(...rows.map((r) => r.wall)))})`,
      );
      console.log(
        `    CPU, median: ${f(med('cpu'))} in the process = Node and load ${f(med('cpuLoad'))} + parse ${f(med('cpuParse'))} + analysis ${f(med('cpuAnalysis'))}; \`node -e 0\` alternating with it: ${f(med('node'))}`,
      );
      const x = izerMs / wall;
      const verdict = judged ? `; ${wall <= 90 && x >= 100 ? 'meets' : 'misses'} the target` : '';
      console.log(`    izer (${izerLabel}) ${(izerMs / 1000).toFixed(1)} s → ${x.toFixed(0)}× faster${verdict}`);
    };
    const withCaCerts = !!process.env.NODE_EXTRA_CA_CERTS;
    report(measure(args, cwd, env), 'cold', !withCaCerts);
    // Node 20 reads the certificates NODE_EXTRA_CA_CERTS names at every start, before any of our code runs; where the
    // variable is set, the same check is also measured without it, as on a machine that does not set it.
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const clean: NodeJS.ProcessEnv = { ...env };
      delete clean.NODE_EXTRA_CA_CERTS;
      console.log('  this environment sets NODE_EXTRA_CA_CERTS, which Node 20 reads at every start:');
      report(measure(args, cwd, clean, clean), 'cold, with Node started without NODE_EXTRA_CA_CERTS', true);
    }
    console.log(`  (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
    if (baseline) compareWithBaseline(baseline, args, cwd, env, tmp);
    // izer's run used --overlap-data; without it (izer's default) the check also traces every data-memory word.
    const plain = measure(args.slice(0, args.indexOf('--')), cwd, env);
    const pm = (k: keyof (typeof plain)[number]) => median(plain.map((r) => r[k]));
    console.log(
      `  the same check without izer's flags (data-memory overwrite checks on), median of ${RUNS}: ${f(pm('wall'))} = start ${f(pm('start'))} + load ${f(pm('load'))} + parse ${f(pm('parse'))} + analysis ${f(pm('analysis'))}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** izer's time for the same check in this run (median of IZER_RUNS), when izer is set up here. */
function izerSameRun(run: OracleRun, sample: string): { seconds: number | null; why: string } {
  const times: number[] = [];
  for (let i = 0; i < IZER_RUNS; i++) {
    const t = timeIzer(run.yaml, ['--sample-input', sample, ...run.izer_flags]);
    if ('why' in t) return { seconds: null, why: t.why };
    times.push(t.ms / 1000);
  }
  return { seconds: median(times), why: '' };
}
