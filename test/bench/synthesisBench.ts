// `npm run bench`: native synthesis against izer, on the largest shipped networks of each device. Each native run is
// a new `ai8x synthesize` process (check, simulation for the known answer, generation, writing the project); izer
// runs in the same bench when AI8X_SYNTHESIS_PATH and AI8X_PYTHON name a checkout and its Python (otherwise the time
// izer took when the shared recording was made is shown, marked as recorded). Target: at least 20× izer; about
// 300 ms for kws20.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, sharedDir, synthesisFile } from '../support/shared';

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

export function synthesisBench(): void {
  console.log('\n== Native synthesis (cold `ai8x synthesize`, median of 5) against izer — target ≥ 20× izer, about 300 ms for kws20');
  const cli = path.join(repoRoot(), 'dist', 'cli.js');
  if (!fs.existsSync(cli)) {
    console.log('  dist/cli.js is not built (node esbuild.mjs)');
    return;
  }
  const recorded = JSON.parse(fs.readFileSync(sharedDir('oracle', 'synthesis', 'shipped.json'), 'utf8')) as ShippedRun[];
  const checkout = process.env.AI8X_SYNTHESIS_PATH;
  const python = process.env.AI8X_PYTHON;
  const izerHere = !!checkout && !!python && fs.existsSync(path.join(checkout, 'ai8xize.py'));
  if (!izerHere) console.log('  (izer is not set up here: AI8X_SYNTHESIS_PATH and AI8X_PYTHON; the izer column is the recorded time)');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-synthesis-bench-'));
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
      const args = [
        cli,
        'synthesize',
        sharedDir('ai8x-synthesis', run.yaml),
        '--checkpoint',
        checkpoint,
        '--sample-input',
        sample,
        '--device',
        device,
        '--prefix',
        name,
        '--out',
        scratch,
        '--force',
        '--',
        ...generatorFlags(run.izer_flags),
      ];
      const times: number[] = [];
      let failed = '';
      for (let i = 0; i < NATIVE_RUNS && !failed; i++) {
        const t0 = performance.now();
        const r = cp.spawnSync(process.execPath, args, { encoding: 'utf8' });
        times.push(performance.now() - t0);
        if (r.status !== 0) failed = (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.status}`;
      }
      if (failed) {
        console.log(`  ${name}: native synthesis failed: ${failed}`);
        continue;
      }
      const native = median(times);
      let izerMs = run.seconds * 1000;
      let izerNote = 'recorded';
      if (izerHere) {
        const out = path.join(scratch, 'izer');
        const t0 = performance.now();
        const r = cp.spawnSync(
          python,
          ['ai8xize.py', '--test-dir', out, '--prefix', name, '--config-file', run.yaml, ...run.izer_flags, '--overwrite', '--no-version-check'],
          { cwd: checkout, encoding: 'utf8' },
        );
        if (r.status === 0) {
          izerMs = performance.now() - t0;
          izerNote = 'same run';
        } else izerNote = `recorded; izer failed here: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
      }
      console.log(
        `  ${name.padEnd(48)} native ${native.toFixed(0).padStart(5)} ms   izer ${(izerMs / 1000).toFixed(1).padStart(5)} s (${izerNote})   ${(izerMs / native).toFixed(0)}× faster`,
      );
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
