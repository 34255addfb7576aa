// Runs the analysis passes in izer's order over a read network.
import type { Device } from '../device/devices';
import type { DiagnosticSink } from '../diagnosticSink';
import type { NetworkModel } from '../model/network';
import type { AnalysisInputs } from './inputs';
import type { NetworkPlan } from './networkPlan';
import { initialState, IzerState } from './izerState';
import { PassContext } from './passContext';
import { runSequencing } from './sequencing';
import { runDimensions } from './dimensions';
import { runNetworkChecks } from './networkChecks';
import { runLayerChecks } from './layerChecks';
import { runProcessorChecks } from './processorChecks';
import { runOutputMapChecks } from './outputMapChecks';
import { MemoryAllocation, runMemoryAllocation } from './memoryAllocation';
import { runRegisterChecks, StreamingRegisters } from './registerChecks';
import { buildPlan } from './buildPlan';
import { runDataShapeChecks } from './dataShapes';
import { DataMemoryTrace, runDataMemoryChecks } from './dataMemory';
import { loadCheckpointLayers, CheckpointLayers } from './checkpointLayers';
import { loadSampleWeights } from './sampleWeights';
import { checkSampleInput } from '../sample/checkSampleInput';
import { fileRange } from './passContext';
import type { Range } from '../yaml/yamlTree';

export type { AnalysisInputs } from './inputs';

export interface AnalysisResult {
  state: IzerState;
  plan: NetworkPlan | null;
  memory: MemoryAllocation | null;
  streaming: (StreamingRegisters | null)[];
  checkpoint: CheckpointLayers | null;
  dataMemory: DataMemoryTrace | null;
}

export function runAnalysis(model: NetworkModel, device: Device, inputs: AnalysisInputs, sink: DiagnosticSink): AnalysisResult {
  const ctx: PassContext = { model, device, flags: inputs.flags, sink };
  const s = initialState(model);
  s.fifoFlag = inputs.flags.fifo;
  const result: AnalysisResult = { state: s, plan: null, memory: null, streaming: [], checkpoint: null, dataMemory: null };
  if (!layersUsable(model)) return result;
  const stages: [string, () => boolean | void][] = [
    ['checkpoint', () => (result.checkpoint = applyCheckpoint(ctx, s, inputs))],
    ['sample input', () => applySample(ctx, s, inputs)],
    ['sequencing', () => runSequencing(ctx, s)],
    ['dimensions', () => runDimensions(ctx, s)],
    ['network checks', () => runNetworkChecks(ctx, s)],
    ['layer checks', () => runLayerChecks(ctx, s)],
    ['processor checks', () => runProcessorChecks(ctx, s)],
    ['output map checks', () => runOutputMapChecks(ctx, s)],
    ['memory allocation', () => (result.memory = runMemoryAllocation(ctx, s))],
    ['register checks', () => (result.streaming = runRegisterChecks(ctx, s, result.memory?.bias ?? null))],
    ['data shapes', () => runDataShapeChecks(ctx, s)],
    ['data memory', () => (result.dataMemory = runDataMemoryChecks(ctx, s))],
    ['plan', () => (result.plan = buildPlan(model, s))],
  ];
  for (const [name, run] of stages) {
    try {
      // A pass returns false when izer would stop there and the later passes have nothing to work on.
      if (run() === false) break;
    } catch (e) {
      // A pass must never take the server down; say where it stopped instead.
      sink.add(
        'AX399',
        'error',
        model.globals.get('layers')?.key.range ?? [0, 0],
        null,
        `Internal error in the ${name} pass (${e instanceof Error ? e.message : String(e)}); the checks after it were skipped. Please report this file.`,
      );
      if (process.env.AI8X_DEBUG_PASSES) console.error(e);
      break;
    }
  }
  return result;
}

/** The value of a global key (the first of `keys` present), else the whole file. */
function globalRange(ctx: PassContext, ...keys: string[]): Range {
  for (const k of keys) {
    const e = ctx.model.globals.get(k);
    if (e) return (e.value ?? e.key).range;
  }
  return fileRange(ctx);
}

function anchor(ctx: PassContext, r: readonly [number, number] | undefined): Range {
  return r ? [r[0], r[1]] : fileRange(ctx);
}

function applyCheckpoint(ctx: PassContext, s: ReturnType<typeof initialState>, inputs: AnalysisInputs): CheckpointLayers | null {
  const c = inputs.checkpoint;
  const testNetwork = ctx.model.arch === 'test';
  if (testNetwork && c)
    ctx.sink.add('AX206', 'information', globalRange(ctx, 'arch'), null, 'With `arch: test` izer uses its sample weights and does not read the checkpoint.');
  let cl: CheckpointLayers;
  if (testNetwork) {
    if (!inputs.sampleWeights) return null;
    cl = loadSampleWeights(inputs.sampleWeights, ctx.model, ctx.flags, ctx.sink, {
      weights: ctx.flags.weightInput !== undefined ? anchor(ctx, inputs.sampleWeightsAnchor) : globalRange(ctx, 'weights', 'dataset'),
      bias: ctx.flags.biasInput !== undefined ? anchor(ctx, inputs.sampleWeightsAnchor) : globalRange(ctx, 'bias', 'dataset'),
    });
  } else {
    if (!c) return null;
    const where = anchor(ctx, inputs.checkpointAnchor);
    if ('error' in c) {
      ctx.sink.add('AX210', 'error', where, null, `The checkpoint cannot be used: ${c.error}`);
      return null;
    }
    cl = loadCheckpointLayers(c, ctx.model, ctx.device, ctx.flags, ctx.sink, { file: where });
  }
  if (cl.used && cl.layerCount === ctx.model.layers.length && cl.weights.length >= s.layers) {
    s.weights = cl.weights.slice();
    // izer's bias list can be shorter than the layers (no entry for bypass layers).
    s.bias = s.weights.map((_, i) => cl.bias[i] ?? null);
    s.inputChannels = cl.inputChannels.slice();
    s.outputChannels = cl.outputChannels.slice();
    s.outputShift = cl.outputShift.slice();
    s.quantization = cl.quantization.slice();
    s.channelsKnown = true;
  }
  return cl;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

function applySample(ctx: PassContext, s: ReturnType<typeof initialState>, inputs: AnalysisInputs): void {
  const where = anchor(ctx, inputs.sampleAnchor);
  const smp = inputs.sample;
  if (!smp) {
    const weightsGiven = ctx.model.arch === 'test' ? inputs.sampleWeights !== undefined : inputs.checkpoint !== undefined;
    if (weightsGiven && inputs.missingSampleCandidates?.length) {
      ctx.sink.izer(
        83,
        'error',
        where,
        null,
        `No sample input: izer reads its default \`tests/${baseName(inputs.missingSampleCandidates[0])}\` from the ai8x-synthesis folder; looked for ${[...new Set(inputs.missingSampleCandidates)].map((c) => '`' + c + '`').join(', ')}: none exists. Give one with \`# ai8x: sample-input=…\` (izer: --sample-input).`,
      );
    }
    return;
  }
  if ('error' in smp) {
    ctx.sink.izer(83, 'error', where, null, `The sample input cannot be used: ${smp.error}`);
    return;
  }
  const label = inputs.samplePath ?? 'sample input';
  checkSampleInput(smp, ctx.sink, where, label);
  const sh = smp.shape;
  if (sh.length < 2) {
    ctx.sink.add('AX250', 'error', where, null, `The sample input has shape [${sh.join(', ')}]; izer needs C×H×W or C×L data.`);
    return;
  }
  s.inputSize = [sh[0], sh[1], sh.length >= 3 ? sh[2] : 1];
  s.dimsKnown = true;
}

/** The passes need every layer to have been read (a broken layer list is reported by the reader). */
function layersUsable(model: NetworkModel): boolean {
  return model.layers.length > 0 && model.layers.every((l) => l.processors !== null);
}
