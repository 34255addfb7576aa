// The simulate workflow: the network checked with its checkpoint and the chosen input (the associated sample, a
// chosen .npy file, or a seeded random input), then simulated. What stops it is a typed problem; each front end
// says it in its own words (the CLI names its options, the editor its commands).
import type { NetworkPlan } from '../engine/analysis/networkPlan';
import type { CheckResult, ResolvedInputs } from '../engine/check';
import type { Diagnostic } from '../engine/diagnostic';
import type { SampleInput } from '../engine/sample/npy';
import { simulate, SimulationResult } from '../engine/simulate';
import { checkRequest } from './check';
import type { InputSources } from './inputSources';
import type { NetworkRequest } from './networkRequest';

export interface PreparedSimulation {
  ok: true;
  result: CheckResult;
  plan: NetworkPlan;
  sample: SampleInput;
  /** The sample file, or null for a random input. */
  samplePath: string | null;
}

export type SimulationProblem =
  /** The file has no `layers` list (it is a network by the setting ai8x.networkFiles only). */
  | { ok: false; reason: 'no-layers' }
  | { ok: false; reason: 'no-checkpoint' }
  | { ok: false; reason: 'checkpoint-unreadable'; path: string; error: string }
  /** A random input was asked for without a usable shape, and there is no sample to take it from. */
  | { ok: false; reason: 'no-input-shape' }
  | { ok: false; reason: 'sample-unreadable'; path: string; error: string }
  /** No sample; `candidates`: izer's default sample files looked for. */
  | { ok: false; reason: 'no-sample'; candidates: string[] }
  | { ok: false; reason: 'network-errors'; result: CheckResult; errors: Diagnostic[] }
  /** No errors, but the checkpoint and sample do not take the network far enough to simulate it. */
  | { ok: false; reason: 'not-resolved'; result: CheckResult };

export function prepareSimulation(req: NetworkRequest, sources: InputSources): PreparedSimulation | SimulationProblem {
  const { result, inputs } = checkRequest(req, sources);
  if (!result.model.isNetwork) return { ok: false, reason: 'no-layers' };
  const problem = inputProblem(inputs, !!req.randomInput, result.model.arch === 'test');
  if (problem) return problem;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { ok: false, reason: 'network-errors', result, errors };
  const plan = result.analysis?.plan;
  if (!plan) return { ok: false, reason: 'not-resolved', result };
  return { ok: true, result, plan, sample: inputs.sample as SampleInput, samplePath: inputs.samplePath ?? null };
}

/** The bit-exact simulation of a prepared network (the language server runs it layer by layer instead). */
export function runSimulation(p: PreparedSimulation): SimulationResult {
  return simulate(p.plan, p.sample, { device: p.result.device, flags: p.result.flags });
}

function inputProblem(r: ResolvedInputs, random: boolean, testNetwork: boolean): SimulationProblem | null {
  // A test network (`arch: test`) runs on izer's sample weights; a missing weight file is one of its errors.
  if (!r.checkpointPath && !testNetwork) return { ok: false, reason: 'no-checkpoint' };
  if (r.checkpoint && 'error' in r.checkpoint) return { ok: false, reason: 'checkpoint-unreadable', path: r.checkpointPath ?? '', error: r.checkpoint.error };
  if (random && !r.sample) return { ok: false, reason: 'no-input-shape' };
  if (r.sample && 'error' in r.sample) return { ok: false, reason: 'sample-unreadable', path: r.samplePath ?? '', error: r.sample.error };
  if (!r.sample) return { ok: false, reason: 'no-sample', candidates: [...new Set(r.missingSampleCandidates ?? [])] };
  return null;
}
