import type { IzerFlags } from '../izerFlags';
import type { TorchCheckpoint } from '../checkpoint/types';
import type { SampleInput } from '../sample/npy';

export interface AnalysisInputs {
  flags: IzerFlags;
  /** The checkpoint, or why it could not be read; undefined when none is associated. */
  checkpoint?: TorchCheckpoint | { error: string };
  checkpointPath?: string;
  /** The sample input, or why it could not be read; undefined when none is associated. */
  sample?: SampleInput | { error: string };
  samplePath?: string;
  /** Where to show findings about the checkpoint / sample file (e.g. the modeline). */
  checkpointAnchor?: readonly [number, number];
  sampleAnchor?: readonly [number, number];
  /** izer's default sample files that were tried when none was associated and none exists. */
  missingSampleCandidates?: string[];
}
