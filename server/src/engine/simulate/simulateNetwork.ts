// izer's network simulation loop (izer-compute §3): start at the start layer, feed each layer the output of the
// layer that ran just before it (or its `in_sequences`), follow next_sequence / simulated_sequence, and collect
// the known answer of every output layer plus the terminating layer.
import type { LayerPlan, NetworkPlan } from '../analysis/networkPlan';
import type { SampleInput } from '../sample/npy';
import { Device, DeviceName, deviceByName } from '../device/devices';
import type { IzerFlags } from '../izerFlags';
import { CheckedLayer, KnownAnswerRecord, encodeKnownAnswer, outputLayout } from './knownAnswer';
import { layerPrefix, simulateLayer } from './layerStep';
import { sampleTensor } from './sampleInput';
import { SimulationCancelled, SimulationError, SIM } from './simulationError';
import { Tensor3, allZero, concatChannels, concatPixels, shapeOf, tensor3 } from './tensor';
import type { Code } from '../rules';

export type SimulationFlags = Pick<IzerFlags, 'avgPoolRounding' | 'maxChecklines' | 'synthesizeInput' | 'synthesizeWords' | 'noWarnZero'>;

export interface SimulateOptions {
  device: Device | DeviceName;
  /** The izer flags that change simulated values or the known answer; the rest are resolved in the plan. */
  flags?: Partial<SimulationFlags>;
  /** Called after every executed layer; `expected` is the planned number of executed layers. */
  onLayer?: (layer: SimulatedLayer, done: number, expected: number) => void;
  /** Checked between output channels and layers; a fired signal ends the run with SimulationCancelled. */
  signal?: AbortSignal;
  /** Keep the values of layers that are not checked (default true; false saves memory on big networks). */
  keepAllValues?: boolean;
}

export interface SimulatedLayer {
  /** izer layer number ll. */
  index: number;
  name: string | null;
  op: LayerPlan['op'];
  /** C, H, W (Conv1d: C, L, 1; flatten/Linear: C, 1, 1). */
  shape: [number, number, number];
  width: 8 | 32;
  /** Output values in C order, or null when dropped (keepAllValues false). */
  values: Float64Array | null;
  ms: number;
  macs: number;
  /** Part of the known answer (an output layer or the terminating layer). */
  checked: boolean;
}

export interface SimulationWarning {
  code: Code;
  layer: number;
  message: string;
}

export interface SimulationResult {
  /** In execution order. */
  layers: SimulatedLayer[];
  /** The last executed layer. */
  output: SimulatedLayer;
  /** sampleoutput.h blocks. */
  knownAnswer: KnownAnswerRecord[];
  totalMacs: number;
  ms: number;
  warnings: SimulationWarning[];
}

/** Runs the whole simulation synchronously. */
export function simulate(plan: NetworkPlan, sample: SampleInput, options: SimulateOptions): SimulationResult {
  const steps = simulationSteps(plan, sample, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (options.signal?.aborted) throw new SimulationCancelled();
  }
}

/** Runs the simulation in slices of about `sliceMs`, giving the event loop a turn in between (for cancellation). */
export async function simulateAsync(plan: NetworkPlan, sample: SampleInput, options: SimulateOptions & { sliceMs?: number }): Promise<SimulationResult> {
  const slice = options.sliceMs ?? 30;
  const steps = simulationSteps(plan, sample, options);
  let since = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - since >= slice) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    if (options.signal?.aborted) throw new SimulationCancelled();
  }
}

/** The simulation as a generator that yields at every layer boundary and, within large layers, between output channels. */
export function* simulationSteps(plan: NetworkPlan, sample: SampleInput, options: SimulateOptions): Generator<void, SimulationResult, void> {
  const t0 = performance.now();
  const device = typeof options.device === 'string' ? deviceByName(options.device) : options.device;
  const flags = options.flags ?? {};
  const keepAll = options.keepAllValues ?? true;
  const ctx = { avgPoolRounding: flags.avgPoolRounding ?? false, biasScale: device.biasDiv };

  const input = sampleTensor(sample, { synthesizeInput: flags.synthesizeInput, synthesizeWords: flags.synthesizeWords });
  // dataBuf[j] = the output of the layer executed just before layer j (dataBuf[start] = the sample input);
  // `in_sequences: [a]` reads dataBuf[a + 1], as izer does (§3.2, §6 quirk 3).
  const dataBuf: (Tensor3 | null)[] = new Array(plan.layerCount + 1).fill(null);
  let ll = plan.startLayer;
  dataBuf[ll] = input;

  const layers: SimulatedLayer[] = [];
  const checked: CheckedLayer[] = [];
  const warnings: SimulationWarning[] = [];
  let totalMacs = 0;
  const maxSteps = 2 * plan.layerCount + 2;

  while (ll < plan.layerCount) {
    if (layers.length >= maxSteps) {
      throw new SimulationError(SIM.badInput, `The execution order does not end (layer ${ll} runs again); check next_sequence.`, ll);
    }
    const layer = plan.layers[ll];
    if (!layer) throw new SimulationError(SIM.badInput, `The plan has no layer ${ll}.`, ll);
    const start = performance.now();
    const x = assembleInput(layer, dataBuf);
    yield;
    const { out, macs } = yield* simulateLayer(layer, x, ctx);
    const isChecked = layer.outputLayer || ll === plan.terminatingLayer;
    const result: SimulatedLayer = {
      index: ll,
      name: layer.name,
      op: layer.op,
      shape: shapeOf(out),
      width: layer.outputWidth,
      values: out.data,
      ms: performance.now() - start,
      macs,
      checked: isChecked,
    };
    layers.push(result);
    totalMacs += macs;
    if (isChecked) checked.push({ layout: outputLayout(layer, result.shape), values: out.data, layer: ll });
    if (!flags.noWarnZero && allZero(out)) {
      warnings.push({
        code: 'IZ284',
        layer: ll,
        message: `${layerPrefix(layer)}All output values for the given sample input are zero. The generated known-answer test for this network may not be meaningful. See the log file for details.`,
      });
    }
    options.onLayer?.(result, layers.length, plan.order.length);

    const next = layer.simulatedSequence !== null ? layer.simulatedSequence : layer.nextSequence;
    if (next === -1) break;
    ll = next;
    if (ll < 0 || ll > plan.layerCount)
      throw new SimulationError(SIM.badInput, `Layer ${layer.ll} continues at layer ${next}, which does not exist.`, layer.ll);
    dataBuf[ll] = out;
  }
  if (layers.length === 0) throw new SimulationError(SIM.badInput, `The start layer ${plan.startLayer} is not part of the network.`);

  if (!keepAll) for (const l of layers) if (!l.checked && l !== layers[layers.length - 1]) l.values = null;
  const knownAnswer = encodeKnownAnswer(checked, device, flags.maxChecklines ?? null);
  return { layers, output: layers[layers.length - 1], knownAnswer, totalMacs, ms: performance.now() - t0, warnings };
}

/** The input tensor of a layer: the previous output, one `in_sequences` source, or several concatenated. */
function assembleInput(layer: LayerPlan, dataBuf: (Tensor3 | null)[]): Tensor3 {
  const pfx = layerPrefix(layer);
  const seq = layer.inSequences;
  const read = (slot: number, what: string): Tensor3 => {
    const t = slot >= 0 && slot < dataBuf.length ? dataBuf[slot] : null;
    if (!t) throw new SimulationError(SIM.missingData, `${pfx}${what} has not been produced when this layer runs.`, layer.ll);
    return t;
  };
  if (!seq || seq.length === 0) return read(layer.ll, 'its input');
  if (seq.includes(-2)) {
    throw new SimulationError(SIM.unsupported, `${pfx}the MAX78002 data buffer (\`in_sequences: -2\`) is not simulated.`, layer.ll);
  }
  const srcs = seq.map((i) => read(i + 1, i === -1 ? 'the network input' : `the output of layer ${i}`));
  if (srcs.length === 1) return srcs[0];
  const { h, w } = srcs[0];
  if (srcs.every((t) => t.h === h && t.w === w)) return concatChannels(srcs);
  // Different spatial sizes: join along the pixel axis (equal channel counts), then shape as in_dim.
  const c = srcs[0].c;
  const [d0, d1] = layer.inDim;
  if (srcs.every((t) => t.c === c)) {
    const joined = concatPixels(srcs);
    if (joined.pixels === d0 * d1) return tensor3(c, d0, d1, joined.data);
  }
  const shapes = srcs.map((t) => `${t.c}x${t.h}x${t.w}`).join(', ');
  throw new SimulationError(
    'IZ276',
    `${pfx}Input data concatenation unsuccessful: the inputs (${shapes}) can be joined neither along channels (different ` +
      `dimensions) nor along pixels into ${c}x${d0}x${d1}.`,
    layer.ll,
  );
}
