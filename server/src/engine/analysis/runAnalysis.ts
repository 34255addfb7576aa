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
import { MemoryAllocation, runMemoryAllocation } from './memoryAllocation';
import { runRegisterChecks, StreamingRegisters } from './registerChecks';
import { buildPlan } from './buildPlan';

export type { AnalysisInputs } from './inputs';

export interface AnalysisResult {
  state: IzerState;
  plan: NetworkPlan | null;
  memory: MemoryAllocation | null;
  streaming: (StreamingRegisters | null)[];
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
  s.fifoFlag = inputs.flags.fifo;
  const result: AnalysisResult = { state: s, plan: null, memory: null, streaming: [] };
  if (!layersUsable(model)) return result;
  const stages: [string, () => void][] = [
    ['sequencing', () => runSequencing(ctx, s)],
    ['dimensions', () => runDimensions(ctx, s)],
    ['network checks', () => runNetworkChecks(ctx, s)],
    ['layer checks', () => runLayerChecks(ctx, s)],
    ['processor checks', () => runProcessorChecks(ctx, s)],
    ['memory allocation', () => (result.memory = runMemoryAllocation(ctx, s))],
    ['register checks', () => (result.streaming = runRegisterChecks(ctx, s, result.memory?.bias ?? null))],
    ['plan', () => (result.plan = buildPlan(model, s))],
  ];
  for (const [name, run] of stages) {
    try {
      run();
    } catch (e) {
      // A pass must never take the server down; say where it stopped instead.
      sink.add('AX399', 'error', model.globals.get('layers')?.key.range ?? [0, 0], null, `Internal error in the ${name} pass (${e instanceof Error ? e.message : String(e)}); the checks after it were skipped. Please report this file.`);
      break;
    }
  }
  return result;
}

/** The passes need every layer to have been read (a broken layer list is reported by the reader). */
function layersUsable(model: NetworkModel): boolean {
  return model.layers.length > 0 && model.layers.every((l) => l.processors !== null);
}
