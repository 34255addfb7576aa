// Runs the analysis passes in izer's order over a read network.
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { NetworkModel } from '../model/network';
import type { AnalysisInputs } from './inputs';
import type { NetworkPlan } from './networkPlan';

export type { AnalysisInputs } from './inputs';

export interface AnalysisResult {
  plan: NetworkPlan | null;
}

export function runAnalysis(model: NetworkModel, device: Device, inputs: AnalysisInputs, sink: DiagnosticSink): AnalysisResult {
  void model;
  void device;
  void inputs;
  void sink;
  return { plan: null };
}
