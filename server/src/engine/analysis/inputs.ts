import type { IzerFlags } from '../izerFlags';
import type { TorchCheckpoint } from '../checkpoint/types';
import type { SampleInput } from '../sample/npy';
import type { SampleWeightInputs } from './sampleWeights';

export interface AnalysisInputs {
  flags: IzerFlags;
  /** The checkpoint, or why it could not be read; undefined when none is associated. */
  checkpoint?: TorchCheckpoint | { error: string };
  checkpointPath?: string;
  /** A test network's (`arch: test`) sample-weight files, as found by the caller; undefined when not looked for. */
  sampleWeights?: SampleWeightInputs;
  /** Where findings about --weight-input / --bias-input go (the modeline's izer flags). */
  sampleWeightsAnchor?: readonly [number, number];
  /** The sample input, or why it could not be read; undefined when none is associated. */
  sample?: SampleInput | { error: string };
  samplePath?: string;
  /** Where to show findings about the checkpoint / sample file (e.g. the modeline). */
  checkpointAnchor?: readonly [number, number];
  sampleAnchor?: readonly [number, number];
  /** izer's default sample files that were tried when none was associated and none exists. */
  missingSampleCandidates?: string[];
}
