// izer's generated C projects that the native generator is judged against, as one list: the shared recordings
// (../shared/oracle/synthesis/shipped.json and testsuite-MAX78000.json) and our own
// (scripts/record-izer-synthesis.mjs, in .izer-oracle/synthesis/ or the folder AI8X_IZER_ORACLE names). Each case
// says how izer was run (YAML, checkpoint, sample input, flags, all resolved to absolute paths) and where izer's
// files are. A conformance test runs our generator on a case, writes the project to a temp folder and compares it
// with `referenceDir` through server/src/projectImage.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeviceName } from '../../server/src/engine/device/devices';
import { IzerFlags, parseIzerFlags } from '../../server/src/engine/izerFlags';
import { repoRoot, sharedDir, synthesisFile } from './shared';

export interface SynthesisCase {
  /** "<set>/<case>": "shipped/MAX78000-mnist", "testsuite-MAX78002/MAX78002-test-conv1d", "fifo/MAX78000-cats-dogs". */
  label: string;
  /** The recording it belongs to: "shipped", "testsuite-MAX78000" (shared) or a recorded set's label. */
  set: string;
  case: string;
  source: 'shared' | 'recorded';
  device: DeviceName;
  /** The network YAML, absolute, and as izer was given it (relative to the ai8x-synthesis folder). */
  yaml: string;
  yamlRel: string;
  /** --checkpoint-file, absolute; null for a test network (`arch: test`), whose weights come from tests/. */
  checkpoint: string | null;
  /** --sample-input, absolute; null when izer used its default, tests/sample_<dataset>.npy. */
  sampleInput: string | null;
  /** izer's flags after --config-file, as recorded (--device, --checkpoint-file, --softmax, …). */
  izerFlags: string[];
  /** The same, parsed as our engine reads izer flags. */
  flags: IzerFlags;
  /**
   * The flags that shape the generated code: izerFlags without those that only locate inputs or set logging
   * (--checkpoint-file, --sample-input, --device, --verbose, --display-checkpoint, --yamllint, --log…).
   */
  generatorFlags: string[];
  /** izer's cnn.c, cnn.h, main.c (or main_riscv.c), weights.h, sampledata.h, sampleoutput.h (softmax.c when recorded). */
  referenceDir: string;
  /** Every file izer wrote (Makefile, .vscode/…, log.txt, …) with its size and mode. */
  files: Record<string, { size: number; mode: string }>;
  izerSeconds: number;
}

interface RecordedRun {
  case: string;
  yaml: string;
  izer_flags: string[];
  exit_code: number;
  seconds: number;
  files: Record<string, { size: number; mode: string }>;
}

/** Flags that only say where izer's inputs are or how much it prints, with whether they take a value. */
const LOCATING_FLAGS: Record<string, boolean> = {
  '--checkpoint-file': true,
  '--sample-input': true,
  '--device': true,
  '--config-file': true,
  '--prefix': true,
  '--test-dir': true,
  '--yamllint': true,
  '--verbose': false,
  '-v': false,
  '--display-checkpoint': false,
  '--log': false,
  '-L': false,
  '--no-log': false,
  '--overwrite': false,
  '--no-version-check': false,
};

export function generatorFlagsOf(izerFlags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < izerFlags.length; i++) {
    const f = izerFlags[i];
    if (f in LOCATING_FLAGS) {
      if (LOCATING_FLAGS[f]) i++;
    } else out.push(f);
  }
  return out;
}

function flagValue(izerFlags: readonly string[], name: string): string | null {
  const i = izerFlags.indexOf(name);
  return i >= 0 && i + 1 < izerFlags.length ? izerFlags[i + 1] : null;
}

/** The folder of our own recordings: AI8X_IZER_ORACLE or .izer-oracle, then synthesis/. */
export function recordedSynthesisDir(): string {
  return path.join(process.env.AI8X_IZER_ORACLE ?? path.join(repoRoot(), '.izer-oracle'), 'synthesis');
}

function casesOf(jsonFile: string, set: string, source: SynthesisCase['source']): SynthesisCase[] {
  const runs = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as RecordedRun[];
  const out: SynthesisCase[] = [];
  for (const run of runs) {
    const referenceDir = path.join(path.dirname(jsonFile), set, run.case);
    if (run.exit_code !== 0 || !fs.existsSync(referenceDir)) continue;
    const flags = parseIzerFlags(run.izer_flags);
    const checkpoint = flagValue(run.izer_flags, '--checkpoint-file');
    const sampleInput = flagValue(run.izer_flags, '--sample-input');
    out.push({
      label: `${set}/${run.case}`,
      set,
      case: run.case,
      source,
      device: flags.device ?? 'MAX78000',
      yaml: synthesisFile(run.yaml),
      yamlRel: run.yaml,
      checkpoint: checkpoint ? synthesisFile(checkpoint) : null,
      sampleInput: sampleInput ? synthesisFile(sampleInput) : null,
      izerFlags: run.izer_flags,
      flags,
      generatorFlags: generatorFlagsOf(run.izer_flags),
      referenceDir,
      files: run.files,
      izerSeconds: run.seconds,
    });
  }
  return out;
}

export interface SynthesisCaseQuery {
  /** The shared recordings (default true). */
  shared?: boolean;
  /** Our own recordings (default true). */
  recorded?: boolean;
}

/** Every accepted izer run whose generated files are present, shared ones first, each list in case order. */
export function synthesisCases(query: SynthesisCaseQuery = {}): SynthesisCase[] {
  const out: SynthesisCase[] = [];
  if (query.shared !== false) {
    const dir = sharedDir('oracle', 'synthesis');
    for (const set of ['shipped', 'testsuite-MAX78000']) {
      const file = path.join(dir, `${set}.json`);
      if (fs.existsSync(file)) out.push(...casesOf(file, set, 'shared'));
    }
  }
  if (query.recorded !== false) {
    const dir = recordedSynthesisDir();
    if (fs.existsSync(dir))
      for (const f of fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort())
        out.push(...casesOf(path.join(dir, f), f.replace(/\.json$/, ''), 'recorded'));
  }
  return out;
}

/** A spread-out sample of `n` cases (every k-th), so that a quick test sees every set and both devices. */
export function sampleOf<T>(cases: readonly T[], n: number): T[] {
  if (cases.length <= n) return [...cases];
  const step = cases.length / n;
  return Array.from({ length: n }, (_, i) => cases[Math.floor(i * step)]);
}

/** Runs `fn` on every item, `jobs` at a time; resolves with the results in the items' order. */
export async function withJobs<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return out;
}
