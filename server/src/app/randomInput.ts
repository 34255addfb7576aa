// A seeded random input in place of the sample: the simulator's choice, and the allocator's probe of input shapes.
import type { ResolvedInputs } from '../engine/check';
import { randomSampleInput } from '../engine/services/simulationInput';
import { inputShapeProblem } from '../shared/inputShape';
import type { RandomInput } from './networkRequest';

/**
 * Puts a random input of the requested shape (or the sample's) in place of the sample. Without a usable shape the
 * sample is dropped, so that a simulation says it needs one instead of running on the file.
 */
export function substituteRandomInput(inputs: ResolvedInputs, random: RandomInput): void {
  const shape = random.shape ?? (inputs.sample && !('error' in inputs.sample) ? inputs.sample.shape : null);
  if (!shape || inputShapeProblem(shape)) {
    inputs.sample = undefined;
    return;
  }
  inputs.sample = randomSampleInput(shape, random.seed);
  inputs.samplePath = undefined;
  inputs.sampleAnchor = undefined;
  inputs.missingSampleCandidates = undefined;
}
