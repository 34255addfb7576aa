// `npm run bench`: the speed and memory figures the issues ask for, printed with izer's recorded time
// beside them. Run on a quiet machine; every figure is a median of repeated runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkNetwork } from '../../server/src/engine/check';
import { checkpointParseStats } from '../../server/src/engine/checkpoint/parseStats';
import { mutate, rng } from '../support/fuzzEdits';
import { checkRun, loadRuns, OracleRun } from '../support/oracleRuns';
import { sharedDir } from '../support/shared';
import { LspSession } from '../support/lspSession';
import { pathToFileURL } from 'node:url';
import { simulatorBench } from './simulatorBench';
import { testNetworksBench } from './testNetworksBench';
import { allocationBench } from './allocationBench';
import { bundleBench } from './bundleBench';
import { serverBench } from './serverBench';
import { coldCheckBench } from './coldCheckBench';
import { synthesisBench } from './synthesisBench';
import { quantizeBench } from './quantizeBench';

const LARGEST = 'networks/aisegment-unet-large-fakept.yaml';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number, warmup = 20): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)) + ' ms';

function section(title: string): void {
  console.log(`\n== ${title}`);
}

function yamlLevel(): void {
  section('YAML-level validation (no checkpoint), warm, median of 200 runs — target ≤ 5 ms');
  for (const rel of [LARGEST, 'networks/camvid-unet-large-fakept.yaml', 'networks/ai87-mobilefacenet-112.yaml']) {
    const text = fs.readFileSync(sharedDir('ai8x-synthesis', rel), 'utf8');
    const ms = time(() => checkNetwork({ text, fileName: path.basename(rel) }), 200);
    console.log(`  ${rel.padEnd(45)} ${String(text.length).padStart(6)} chars  ${fmt(ms)}`);
  }
}

function checkpointParse(runs: OracleRun[]): void {
  section('Checkpoint parse speed — target ≥ 200 MB/s');
  const seen = new Set<string>();
  let totalBytes = 0;
  let totalMs = 0;
  for (const r of runs) {
    if (seen.has(r.checkpoint)) continue;
    seen.add(r.checkpoint);
    const bytes = new Uint8Array(fs.readFileSync(sharedDir('ai8x-synthesis', r.checkpoint)));
    const st = checkpointParseStats(bytes, 9);
    totalBytes += bytes.length;
    totalMs += st.ms;
    console.log(
      `  ${r.checkpoint.padEnd(55)} ${(bytes.length / 1e6).toFixed(2).padStart(6)} MB  ${fmt(st.ms).padStart(9)}  ${st.mbPerSecond.toFixed(0).padStart(5)} MB/s`,
    );
  }
  console.log(`  all ${seen.size} checkpoints: ${(totalBytes / 1e6 / (totalMs / 1000)).toFixed(0)} MB/s`);
}

function fullValidation(runs: OracleRun[]): void {
  section('Full validation (YAML + checkpoint + sample), warm, median of 50 runs — target ≤ 20 ms');
  const run = runs.find((r) => r.yaml === LARGEST && r.accepted)!;
  checkRun(run); // warm the checkpoint cache
  const ms = time(() => checkRun(run), 50, 10);
  console.log(`  ${run.case}: ${fmt(ms)} warm; izer took ${run.izer_seconds} s for the same network (${Math.round((run.izer_seconds * 1000) / ms)}× faster)`);
  for (const r of runs.filter((x) => x.accepted && x.yaml !== LARGEST).slice(0, 6)) {
    checkRun(r);
    const t = time(() => checkRun(r), 20, 5);
    console.log(`  ${r.case.padEnd(40)} ${fmt(t).padStart(9)}   izer ${r.izer_seconds} s`);
  }
}

async function serverMemory(runs: OracleRun[]): Promise<void> {
  section('Language server memory with every shared network open and its checkpoint loaded — target ≤ 300 MB');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-bench-'));
  const session = await LspSession.start({ settings: {} });
  try {
    let v = 0;
    const uris: string[] = [];
    const seen = new Set<string>();
    for (const r of runs) {
      if (seen.has(r.yaml)) continue;
      seen.add(r.yaml);
      const ckpt = sharedDir('ai8x-synthesis', r.checkpoint);
      const text = `# ai8x: device=${r.device} checkpoint="${ckpt}"\n` + fs.readFileSync(sharedDir('ai8x-synthesis', r.yaml), 'utf8');
      const file = path.join(dir, path.basename(r.yaml));
      fs.writeFileSync(file, text);
      const uri = pathToFileURL(file).href;
      uris.push(uri);
      await session.open(uri, text, ++v);
      await session.diagnosticsFor(uri, v, 20000);
    }
    const rss = Number(fs.readFileSync(`/proc/${session.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
    console.log(`  ${uris.length} networks open (${seen.size} checkpoints): resident memory ${rss.toFixed(0)} MB`);
  } finally {
    await session.shutdown().catch(() => undefined);
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function longFuzz(): void {
  const n = Number(process.env.AI8X_BENCH_FUZZ ?? 20000);
  section(`Fuzz: ${n} random edits of the shared networks`);
  const dir = sharedDir('ai8x-synthesis', 'networks');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
  const random = rng(7);
  let worst = 0;
  let bad = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const { f, text } = files[i % files.length];
    const t = mutate(text, random);
    const s = performance.now();
    try {
      const r = checkNetwork({ text: t, fileName: f });
      if (r.diagnostics.some((d) => d.range[0] < 0 || d.range[1] > t.length || d.range[0] > d.range[1])) bad++;
    } catch {
      bad++;
    }
    worst = Math.max(worst, performance.now() - s);
  }
  console.log(`  ${n} checks in ${((performance.now() - t0) / 1000).toFixed(1)} s, slowest ${fmt(worst)}, problems: ${bad}`);
}

/** `--only a,b`: just those sections (bundles, yaml, parse, warm, cold, memory, server, simulator, test-networks, allocation, synthesis, quantize, fuzz). */
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? new Set(process.argv[i + 1].split(',')) : null;
})();
const wanted = (name: string) => !only || only.has(name);
/** `--baseline DIR`: the cold check also runs interleaved with another build's CLI (DIR holds its cli.js and cliMain.js). */
const baselineDist = (() => {
  const i = process.argv.indexOf('--baseline');
  return i >= 0 ? process.argv[i + 1] : null;
})();

async function main(): Promise<void> {
  console.log(
    `ai8x network tools benchmark — node ${process.version}, ${os.cpus().length} CPU(s): ${os.cpus()[0]?.model ?? ''}, load ${os.loadavg()[0].toFixed(2)}`,
  );
  // Needs nothing from ../shared.
  if (wanted('bundles')) bundleBench();
  if (!fs.existsSync(sharedDir('oracle', 'runs.json'))) {
    console.log('\n../shared is not available: the rest of the benchmark needs the shared networks, checkpoints and izer timings.');
    return;
  }
  const runs = loadRuns();
  if (wanted('yaml')) yamlLevel();
  if (wanted('parse')) checkpointParse(runs);
  if (wanted('warm')) fullValidation(runs);
  if (wanted('cold')) coldCheckBench(runs, baselineDist);
  if (wanted('memory')) await serverMemory(runs);
  if (wanted('server')) await serverBench(runs);
  if (wanted('simulator')) await simulatorBench(runs);
  if (wanted('test-networks')) testNetworksBench();
  if (wanted('allocation')) allocationBench(runs);
  if (wanted('synthesis')) await synthesisBench();
  if (wanted('quantize')) quantizeBench();
  if (wanted('fuzz')) longFuzz();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
