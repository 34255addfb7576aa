// Builds, for one shared izer run (../shared/oracle/runs.json `case`), everything the simulator needs: the
// resolved NetworkPlan (YAML + checkpoint + izer flags), the sample input, the flags and the device.
// PLACEHOLDER: the plan builder and checkpoint reader are being written by the lead engineer, who fills this in.
// Until then it throws PIPELINE_NOT_AVAILABLE and the conformance tests skip with a visible message.
import type { NetworkPlan } from '../../server/src/engine/analysis/networkPlan';
import type { SampleInput } from '../../server/src/engine/analysis/inputs';
import type { DeviceName } from '../../server/src/engine/device/devices';
import type { IzerFlags } from '../../server/src/engine/izerFlags';

export interface PipelineRun {
  plan: NetworkPlan;
  sample: SampleInput;
  flags: IzerFlags;
  device: DeviceName;
}

export const PIPELINE_NOT_AVAILABLE = 'pipeline not available yet';

export async function buildPlanForRun(caseName: string): Promise<PipelineRun> {
  throw new Error(`${PIPELINE_NOT_AVAILABLE} (case ${caseName})`);
}
