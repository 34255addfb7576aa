// The allocate workflow (`ai8x allocate`, "ai8x: Allocate Processors and Memory", the allocator's code actions):
// processors, output_processors, in_offset and out_offset for the whole network, each candidate verified by the
// full check of the request (its checkpoint, sample, device and flags).
import { allocateNetwork, AllocationOutcome } from '../engine/allocate/allocateNetwork';
import { recheckFor } from './check';
import type { InputSources } from './inputSources';
import type { NetworkRequest } from './networkRequest';

export function allocateRequest(req: NetworkRequest, sources: InputSources, options: { keep?: boolean } = {}): AllocationOutcome {
  return allocateNetwork(req.text, recheckFor(req, sources), options);
}
