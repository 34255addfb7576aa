import type { IzerFlags } from '../izerFlags';
import type { TorchCheckpoint } from '../checkpoint/types';

/** A sample input as izer loads it (np.load of an int64 array, C×H×W or C×L). */
export interface SampleInput {
  shape: number[];
  dtype: string;
  /** Values in C order. */
  values: Float64Array;
  min: number;
  max: number;
}

export interface AnalysisInputs {
  flags: IzerFlags;
  /** The checkpoint, or why it could not be read; undefined when none is associated. */
  checkpoint?: TorchCheckpoint | { error: string };
  checkpointPath?: string;
  /** The sample input, or why it could not be read; undefined when none is associated. */
  sample?: SampleInput | { error: string };
  samplePath?: string;
}
