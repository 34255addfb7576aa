// Runs the analysis passes in izer's order over a read network.
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { NetworkModel } from '../model/network';
import type { AnalysisInputs, SampleInput } from './inputs';
import type { NetworkPlan } from './networkPlan';
import { initialState, IzerState } from './izerState';
import { PassContext } from './passContext';
import { runSequencing } from './sequencing';
import { runDimensions } from './dimensions';
import { runNetworkChecks } from './networkChecks';
import { runLayerChecks } from './layerChecks';
import { runProcessorChecks } from './processorChecks';

export type { AnalysisInputs } from './inputs';

export interface AnalysisResult {
  state: IzerState;
  plan: NetworkPlan | null;
}

export function runAnalysis(model: NetworkModel, device: Device, inputs: AnalysisInputs, sink: DiagnosticSink): AnalysisResult {
  const ctx: PassContext = { model, device, flags: inputs.flags, sink };
  const s = initialState(model);
  const sample = inputs.sample && !('error' in inputs.sample) ? (inputs.sample as SampleInput) : null;
  if (sample) {
    const sh = sample.shape;
    s.inputSize = [sh[0] ?? 0, sh[1] ?? 1, sh.length >= 3 ? sh[2] : 1];
    s.dimsKnown = true;
  }
  if (!layersUsable(model)) return { state: s, plan: null };
  runSequencing(ctx, s);
  runDimensions(ctx, s);
  runNetworkChecks(ctx, s);
  runLayerChecks(ctx, s);
  runProcessorChecks(ctx, s);
  return { state: s, plan: null };
}

/** The passes need every layer to have been read (a broken layer list is reported by the reader). */
function layersUsable(model: NetworkModel): boolean {
  return model.layers.length > 0 && model.layers.every((l) => l.processors !== null);
}
