// From a finished check to a generated project: refuses what izer would refuse (errors in the file, a network it
// cannot resolve) and flags the generator does not implement, runs the simulator for the known answer, and
// generates the files.
import type { CheckResult } from '../check';
import type { SampleInput } from '../sample/npy';
import { simulate, SimulationError } from '../simulate';
import { GenerateResult, generateProject, unsupportedFeatures } from './generateProject';
import type { GeneratorInput } from './generatorInput';
import type { SynthesisOptions } from './synthesisOptions';
import { resolveSynthesisOptions } from './synthesisOptions';

export interface SynthesisRequest {
  /** The project name (izer's --prefix). */
  prefix: string;
  /** How the project was requested, for the generated files' first lines. */
  commandLine: string;
}

export type SynthesisOutcome = GenerateResult | { kind: 'not ready'; message: string };

export function synthesizeFromCheck(check: CheckResult, sample: SampleInput | null, request: SynthesisRequest): SynthesisOutcome {
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    return {
      kind: 'not ready',
      message: `the network has ${errors.length} error${errors.length === 1 ? '' : 's'}; izer would stop too. Fix ${errors.length === 1 ? 'it' : 'them'} first.`,
    };
  const a = check.analysis;
  if (!a || !a.plan || !a.memory)
    return { kind: 'not ready', message: 'the network could not be resolved far enough to generate code (it needs its checkpoint and sample input).' };
  if (!sample) return { kind: 'not ready', message: 'there is no sample input: the project loads it and checks the known answer computed from it.' };
  const resolved = resolveSynthesisOptions(check.flags, check.device);
  if (resolved.problems.length) return { kind: 'not ready', message: resolved.problems.join('; ') };
  if (resolved.unsupported.length) return { kind: 'refused', unsupported: resolved.unsupported };
  const input = generatorInput(check, sample, resolved.options, request);
  const features = unsupportedFeatures(input);
  if (features.length) return { kind: 'refused', unsupported: features };
  if (resolved.options.generateKat) {
    try {
      input.knownAnswer = simulate(a.plan, sample, { device: check.device, flags: check.flags, keepAllValues: false }).knownAnswer;
    } catch (e) {
      if (e instanceof SimulationError) return { kind: 'failed', message: `the known answer cannot be computed: ${e.message}` };
      throw e;
    }
  }
  return generateProject(input);
}

/** The generator's input from a check whose analysis went all the way (plan and memory allocation). */
export function generatorInput(check: CheckResult, sample: SampleInput, options: SynthesisOptions, request: SynthesisRequest): GeneratorInput {
  const a = check.analysis!;
  return {
    device: check.device,
    flags: check.flags,
    options,
    state: a.state,
    memory: a.memory!,
    streaming: a.streaming,
    plan: a.plan!,
    sample,
    customUnload: check.model.unload.length > 0,
    dataBuffer: check.model.dataBuffer !== null,
    snoop: check.model.snoopValues,
    knownAnswer: null,
    prefix: request.prefix,
    commandLine: request.commandLine,
  };
}
