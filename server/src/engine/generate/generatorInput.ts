// What the generator works from: the analysis izer's front end and backend preparation produce (per-layer state,
// kernel and bias allocation, streaming registers), the sample input, the known answer and the synthesis options.
import type { Device } from '../device/devices';
import type { IzerFlags } from '../izerFlags';
import type { IzerState } from '../analysis/izerState';
import type { MemoryAllocation } from '../analysis/memoryAllocation';
import type { StreamingRegisters } from '../analysis/registerChecks';
import type { NetworkPlan } from '../analysis/networkPlan';
import type { SampleInput } from '../sample/npy';
import type { KnownAnswerRecord } from '../simulate/knownAnswer';
import type { SynthesisOptions } from './synthesisOptions';

export interface GeneratorInput {
  device: Device;
  flags: IzerFlags;
  options: SynthesisOptions;
  state: IzerState;
  memory: MemoryAllocation;
  streaming: (StreamingRegisters | null)[];
  plan: NetworkPlan;
  sample: SampleInput;
  /** The network has a custom `unload` description / a `data_buffer` (not generated natively). */
  customUnload: boolean;
  dataBuffer: boolean;
  /** The network's `snoop` register values (MAX78002), or null. */
  snoop: number[] | null;
  /** The known answer (sampleoutput.h records); null when the project has none (--no-kat). */
  knownAnswer: KnownAnswerRecord[] | null;
  /** The project name (izer's --prefix). */
  prefix: string;
  /** How the project was made, for the files' first lines. */
  commandLine: string;
}
