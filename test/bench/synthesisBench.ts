// `npm run bench`: native synthesis against izer, on the largest shipped networks of each device. Each native run is
// a new `ai8x synthesize` process (check, simulation for the known answer, generation, writing the project); izer
// runs in the same bench when AI8X_SYNTHESIS_PATH and AI8X_PYTHON name a checkout and its Python (otherwise the time
// izer took when the shared recording was made is shown, marked as recorded). Target: at least 20× izer; about
// 300 ms for kws20. Node is started as a user starts it: where this environment sets NODE_EXTRA_CA_CERTS (Node 20
// parses that bundle at every start), without it; one run first writes the command's code cache and is not counted.
// The editor's figure is the same synthesis as *Synthesize C Code* runs it: one request to the language server,
// which has the network open and checked (no process to start, no bundle to load, its inputs read).
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SynthesizeRequest } from '../../server/src/protocol';
import { LspSession } from '../support/lspSession';
import { repoRoot, sharedDir, synthesisFile } from '../support/shared';
import { timeIzer } from './izerTiming';

interface ShippedRun {
  case: string;
  yaml: string;
  izer_flags: string[];
  seconds: number;
}

/** Per device: the biggest projects whose sample input ../shared has, and kws20 (the 300 ms figure). */
const CASES = [
  'MAX78000-kws20_v3',
  'MAX78000-cifar-10',
  'MAX78000-extra-inferred_camvid_unet_nofakept',
  'MAX78002-kws20_v3_1',
  'MAX78002-svhn_tinierssd',
  'MAX78002-extra-inferred_camvid_unet_nofakept',
];
const NATIVE_RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function flagValue(flags: string[], name: string): string | null {
  const i = flags.indexOf(name);
  return i >= 0 ? flags[i + 1] : null;
}

/** The flags after izer's input and logging flags (those our CLI takes as options, or that print only). */
function generatorFlags(flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (['--checkpoint-file', '--sample-input', '--device'].includes(flags[i])) i++;
    else if (!['--verbose', '--display-checkpoint'].includes(flags[i])) out.push(flags[i]);
  }
  return out;
}

/** izer's default sample when the run named none: tests/sample_<dataset>.npy. */
function samplePath(run: ShippedRun): string | null {
  const given = flagValue(run.izer_flags, '--sample-input');
  if (given) return synthesisFile(given);
  const text = fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
  const dataset = /^dataset:\s*(\S+)/m.exec(text)?.[1]?.toLowerCase();
  const p = dataset ? synthesisFile(`tests/sample_${dataset}.npy`) : null;
  return p && fs.existsSync(p) ? p : null;
}

/** izer's time for a case in this run, or the recorded one when izer is not set up here or fails. */
function izerTime(run: ShippedRun): { ms: number; note: string } {
  const t = timeIzer(run.yaml, run.izer_flags);
  return 'ms' in t ? { ms: t.ms, note: 'same run' } : { ms: run.seconds * 1000, note: `recorded; ${t.why}` };
}

/**
 * The editor's *Synthesize C Code*: the network is open in the language server (checked, its checkpoint and sample
 * read), and synthesis is one request to a warm check worker. Median of NATIVE_RUNS after a first one.
 */
async function inEditor(c: { yaml: string; checkpoint: string; sample: string; device: string; flags: string[]; out: string; name: string }): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-synthesis-bench-editor-'));
  const session = await LspSession.start({ settings: {} });
  try {
    const file = path.join(dir, path.basename(c.yaml));
    const modeline = `# ai8x: device=${c.device} checkpoint="${c.checkpoint}" sample-input="${c.sample}" izer-flags="${c.flags.join(' ')}"\n`;
    const text = modeline + fs.readFileSync(c.yaml, 'utf8');
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await session.open(uri, text, 1);
    await session.diagnosticsFor(uri, 1, 120_000);
    const times: number[] = [];
    for (let i = 0; i <= NATIVE_RUNS; i++) {
      const t0 = performance.now();
      const r = await session.conn.sendRequest(SynthesizeRequest, { uri, prefix: c.name, testDir: c.out, mode: 'project', overwrite: 'replace' });
      if (r.status !== 'ok') throw new Error(r.problem ?? r.status);
      if (i > 0) times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function synthesisBench(): Promise<void> {
  console.log('\n== Native synthesis against izer — target ≥ 20× izer, about 300 ms for kws20');
  console.log(`  cold: a new \`ai8x synthesize\` process (median of ${NATIVE_RUNS}); editor: *Synthesize C Code* on the open network, in the language server`);
  const cli = path.join(repoRoot(), 'dist', 'cli.js');
  if (!fs.existsSync(cli)) {
    console.log('  dist/cli.js is not built (node esbuild.mjs)');
    return;
  }
  const recorded = JSON.parse(fs.readFileSync(sharedDir('oracle', 'synthesis', 'shipped.json'), 'utf8')) as ShippedRun[];
  if (!process.env.AI8X_SYNTHESIS_PATH || !process.env.AI8X_PYTHON)
    console.log('  (izer is not set up here: AI8X_SYNTHESIS_PATH and AI8X_PYTHON; the izer column is the recorded time)');
  const userEnv: NodeJS.ProcessEnv = { ...process.env };
  if (userEnv.NODE_EXTRA_CA_CERTS) {
    delete userEnv.NODE_EXTRA_CA_CERTS;
    console.log("  (Node started without NODE_EXTRA_CA_CERTS, which this environment sets and a user's does not)");
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-synthesis-bench-'));
  const fmt = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;
  try {
    for (const name of CASES) {
      const run = recorded.find((r) => r.case === name);
      const sample = run && samplePath(run);
      if (!run || !sample) {
        console.log(`  ${name}: not in ../shared (or its sample input is missing)`);
        continue;
      }
      const checkpoint = sharedDir('ai8x-synthesis', flagValue(run.izer_flags, '--checkpoint-file')!);
      const device = flagValue(run.izer_flags, '--device')!;
      const flags = generatorFlags(run.izer_flags);
      const yaml = sharedDir('ai8x-synthesis', run.yaml);
      const args = [cli, 'synthesize', yaml, '--checkpoint', checkpoint, '--sample-input', sample, '--device', device];
      args.push('--prefix', name, '--out', scratch, '--force', '--', ...flags);
      const times: number[] = [];
      let failed = '';
      // The first run writes the command's code cache and is not counted.
      for (let i = 0; i <= NATIVE_RUNS && !failed; i++) {
        const t0 = performance.now();
        const r = cp.spawnSync(process.execPath, args, { encoding: 'utf8', env: userEnv });
        if (i > 0) times.push(performance.now() - t0);
        if (r.status !== 0) failed = (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`;
      }
      if (failed) {
        console.log(`  ${name}: native synthesis failed: ${failed}`);
        continue;
      }
      const cold = median(times);
      let editor: number | null = null;
      try {
        editor = await inEditor({ yaml, checkpoint, sample, device, flags, out: path.join(scratch, 'editor'), name });
      } catch (e) {
        console.log(`  ${name}: synthesis in the language server failed: ${(e as Error).message}`);
      }
      const izer = izerTime(run);
      const x = (ms: number) => `${(izer.ms / ms).toFixed(0)}×`;
      console.log(
        `  ${name.padEnd(46)} izer ${(izer.ms / 1000).toFixed(1).padStart(5)} s (${izer.note})   cold ${fmt(cold)} ${x(cold).padStart(4)}` +
          (editor !== null ? `   editor ${fmt(editor)} ${x(editor).padStart(4)}` : ''),
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
