// Builds, for one shared izer run (../shared/oracle/runs.json `case`), everything the simulator needs: the
// resolved NetworkPlan (YAML + checkpoint + sample through checkNetwork, with that run's izer flags), the sample
// input, the flags and the device. Throws SAMPLE_MISSING when the run's sample file is neither in ../shared nor
// in the AI8X_SYNTHESIS_PATH checkout (some runs used inputs that ../shared does not ship).
import * as fs from 'node:fs';
import type { NetworkPlan } from '../../server/src/engine/analysis/networkPlan';
import type { SampleInput } from '../../server/src/engine/sample/npy';
import { checkNetwork, CheckResult } from '../../server/src/engine/check';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import type { DeviceName } from '../../server/src/engine/device/devices';
import type { IzerFlags } from '../../server/src/engine/izerFlags';
import { readNpy } from '../../server/src/engine/sample/npy';
import { sharedDir, synthesisFile } from './shared';

export interface PipelineRun {
  plan: NetworkPlan;
  /** The check the plan comes from (model, device, data-memory walk). */
  result: CheckResult;
  sample: SampleInput;
  flags: IzerFlags;
  device: DeviceName;
}

export const SAMPLE_MISSING = 'sample input not in ../shared';

interface RunEntry {
  case: string;
  device: DeviceName;
  yaml: string;
  checkpoint: string;
  izer_flags: string[];
  extract: string | null;
}

export async function buildPlanForRun(caseName: string): Promise<PipelineRun> {
  const runs = JSON.parse(fs.readFileSync(sharedDir('oracle', 'runs.json'), 'utf8')) as RunEntry[];
  const run = runs.find((r) => r.case === caseName);
  if (!run || !run.extract) throw new Error(`no izer run with an extract named ${caseName}`);
  const extract = JSON.parse(fs.readFileSync(sharedDir('oracle', 'runs', run.extract), 'utf8')) as { sample_input: { file: string } };
  const base = sharedDir('ai8x-synthesis');
  const samplePath = synthesisFile(extract.sample_input.file);
  if (!fs.existsSync(samplePath))
    throw new Error(`${SAMPLE_MISSING}: ${extract.sample_input.file} (AI8X_SYNTHESIS_PATH may name an ai8x-synthesis checkout that has it)`);
  const sample = readNpy(new Uint8Array(fs.readFileSync(samplePath)));
  // The checkpoint is passed as an input; the other flags are izer's, as the run had them.
  const izerFlags = run.izer_flags.filter((f, i, all) => f !== '--checkpoint-file' && all[i - 1] !== '--checkpoint-file');
  const result = checkNetwork({
    text: fs.readFileSync(`${base}/${run.yaml}`, 'utf8'),
    fileName: run.yaml,
    izerFlags,
    deviceOverride: run.device,
    resolveInputs: () => ({
      checkpoint: readCheckpoint(new Uint8Array(fs.readFileSync(`${base}/${run.checkpoint}`))),
      checkpointPath: run.checkpoint,
      sample,
      samplePath,
    }),
  });
  const plan = result.analysis?.plan;
  if (!plan) {
    const errors = result.diagnostics
      .filter((d) => d.severity === 'error')
      .slice(0, 3)
      .map((d) => `${d.code} ${d.message}`);
    throw new Error(`no plan for ${caseName}: ${errors.join(' | ') || 'analysis stopped early'}`);
  }
  return { plan, result, sample, flags: result.flags, device: run.device };
}
