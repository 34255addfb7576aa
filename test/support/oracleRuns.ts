// The shared izer runs and mutation cases, and how to check them exactly as izer was run: same YAML,
// checkpoint, sample input, device and flags.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork, CheckResult, ResolvedInputs } from '../../server/src/engine/check';
import type { SampleInput } from '../../server/src/engine/sample/npy';
import type { DeviceName } from '../../server/src/engine/device/devices';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import type { TorchCheckpoint } from '../../server/src/engine/checkpoint/types';
import { readNpy } from '../../server/src/engine/sample/npy';
import { sharedDir, synthesisFile } from './shared';

export interface OracleRun {
  case: string;
  device: DeviceName;
  yaml: string;
  checkpoint: string;
  sample_input: string | null;
  izer_flags: string[];
  accepted: boolean;
  izer_error_lines: string[];
  izer_seconds: number;
  extract: string | null;
}

export interface MutationCase {
  id: string;
  base_case: string;
  device: DeviceName;
  checkpoint: string;
  sample_input: string | null;
  yaml: string;
  mutation_description: string;
  izer_flags: string[];
  accepted_no_yamllint: boolean;
  izer_error_lines_no_yamllint: string[];
  izer_layer_referenced?: (number | null)[];
  izer_crashed_with_python_exception?: boolean;
}

export interface OracleExtract {
  sample_input: { file: string; exists: boolean; shape: number[]; dtype: string; min: number; max: number };
  known_answer_present: boolean;
  sample_output_records: { address: string; mask: string; count: number; words_hex: string[] }[];
  log_config: Record<string, string>;
}

export const loadRuns = (): OracleRun[] => JSON.parse(fs.readFileSync(sharedDir('oracle', 'runs.json'), 'utf8'));
export const loadMutations = (): MutationCase[] => JSON.parse(fs.readFileSync(sharedDir('oracle', 'mutations', 'cases.json'), 'utf8'));
export const loadExtract = (run: OracleRun): OracleExtract | null =>
  run.extract ? JSON.parse(fs.readFileSync(sharedDir('oracle', 'runs', run.extract), 'utf8')) : null;

/** izer's flags without the ones that name files or the device (those are passed as inputs). */
export function analysisFlags(flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (['--checkpoint-file', '--sample-input', '--config-file', '--device', '--prefix', '--test-dir'].includes(flags[i])) i++;
    else out.push(flags[i]);
  }
  return out;
}

const checkpointCache = new Map<string, TorchCheckpoint>();
export function sharedCheckpoint(rel: string): TorchCheckpoint {
  let c = checkpointCache.get(rel);
  if (!c) {
    c = readCheckpoint(new Uint8Array(fs.readFileSync(sharedDir('ai8x-synthesis', rel))));
    checkpointCache.set(rel, c);
  }
  return c;
}

export interface SampleChoice {
  sample: SampleInput | null;
  path: string;
  /** True when the file izer used is in neither ../shared nor AI8X_SYNTHESIS_PATH and a zero-filled stand-in of its recorded shape is used. */
  standIn: boolean;
}

/** The sample izer used for a run: its file when ../shared has it, else zeros of the recorded shape (enough for checks). */
export function sampleFor(yamlText: string, sampleInput: string | null, extract: OracleExtract | null): SampleChoice {
  let rel = sampleInput;
  if (!rel) {
    const m = /^dataset\s*:\s*(\S+)/m.exec(yamlText);
    rel = extract?.sample_input.file ?? `tests/sample_${(m?.[1] ?? '').toLowerCase()}.npy`;
  }
  const abs = synthesisFile(rel);
  if (fs.existsSync(abs)) return { sample: readNpy(new Uint8Array(fs.readFileSync(abs))), path: abs, standIn: false };
  if (extract?.sample_input.exists) {
    const shape = extract.sample_input.shape;
    const n = shape.reduce((a, b) => a * b, 1);
    return { sample: { shape, dtype: extract.sample_input.dtype, values: new Float64Array(n), min: 0, max: 0 }, path: abs, standIn: true };
  }
  return { sample: null, path: abs, standIn: false };
}

export interface CheckedRun {
  result: CheckResult;
  sample: SampleChoice;
}

/** Checks a YAML text the way izer was run for `run` (or for a mutation case of it). */
export function checkLikeIzer(
  yamlText: string,
  yamlName: string,
  opts: { device: DeviceName; checkpoint: string; sampleInput: string | null; izerFlags: string[]; extract: OracleExtract | null },
): CheckedRun {
  const sample = sampleFor(yamlText, opts.sampleInput, opts.extract);
  const resolved: ResolvedInputs = {
    checkpoint: sharedCheckpoint(opts.checkpoint),
    checkpointPath: sharedDir('ai8x-synthesis', opts.checkpoint),
    ...(sample.sample ? { sample: sample.sample, samplePath: sample.path } : { missingSampleCandidates: [sample.path] }),
  };
  const result = checkNetwork({
    text: yamlText,
    fileName: path.basename(yamlName),
    deviceOverride: opts.device,
    izerFlags: analysisFlags(opts.izerFlags),
    resolveInputs: () => resolved,
  });
  return { result, sample };
}

export function checkRun(run: OracleRun): CheckedRun {
  const text = fs.readFileSync(sharedDir('ai8x-synthesis', run.yaml), 'utf8');
  return checkLikeIzer(text, run.yaml, {
    device: run.device,
    checkpoint: run.checkpoint,
    sampleInput: run.sample_input,
    izerFlags: run.izer_flags,
    extract: loadExtract(run),
  });
}

export function checkMutation(c: MutationCase, runs: OracleRun[]): CheckedRun {
  const text = fs.readFileSync(sharedDir('oracle', 'mutations', c.yaml), 'utf8');
  const base = runs.find((r) => r.case === c.base_case) ?? null;
  return checkLikeIzer(text, c.yaml, {
    device: c.device,
    checkpoint: c.checkpoint,
    sampleInput: c.sample_input,
    izerFlags: c.izer_flags,
    extract: base ? loadExtract(base) : null,
  });
}
