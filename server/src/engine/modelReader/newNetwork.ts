// A complete network YAML from a model's source and its checkpoint: read the model (readModel), lower what its
// forward() does to izer's layers (lowerGraph), check the checkpoint agrees, write the YAML, and allocate its
// processors and memory (engine/allocate). The result must pass the full check.
import { allocateNetwork, Recheck } from '../allocate/allocateNetwork';
import type { CheckResult } from '../check';
import type { TorchCheckpoint } from '../checkpoint/types';
import type { Device } from '../device/devices';
import { checkpointDisagreement, checkpointWeights } from './checkpointAgreement';
import type { ModuleLoader } from './interpreter';
import { lowerGraph, NetworkLayer } from './lowerGraph';
import { networkYaml } from './networkYaml';
import { readModel } from './readModel';
import { ModelReadError, Value } from './values';

export interface NewNetworkInput {
  modelFile: string;
  modelSource: string;
  loader: ModuleLoader;
  /** Default: the checkpoint's `arch`. */
  arch?: string;
  checkpoint: TorchCheckpoint;
  /** Shape of the sample input ([C, H, W] or [C, L]). */
  inputShape: number[];
  device: Device;
  dataset: string;
  izerFlags: string[];
  /** How the YAML names its checkpoint and sample input (relative to where it is written). */
  checkpointRef: string;
  sampleRef: string | null;
  /** The full check of a YAML text with this checkpoint, sample input, device and flags. */
  recheck: Recheck;
}

export type NewNetworkOutcome =
  | { ok: true; text: string; layers: NetworkLayer[]; result: CheckResult; className: string; notes: string[] }
  | { ok: false; message: string; file: string | null; line: number | null };

export function newNetwork(input: NewNetworkInput): NewNetworkOutcome {
  const arch = input.arch ?? input.checkpoint.arch ?? null;
  if (!arch) return { ok: false, message: 'the checkpoint names no `arch`; give --arch', file: null, line: null };
  const weights = checkpointWeights(input.checkpoint);
  if (!weights.length) return { ok: false, message: 'the checkpoint holds no weight tensors', file: null, line: null };
  const bias = input.checkpoint.stateDict.some((e) => e.key.endsWith('.bias'));
  const [c, h, w] = input.inputShape;
  const dimensions: Value = { t: 'tuple', items: input.inputShape.length >= 3 ? [h, w] : [h ?? 1, 1] };
  // num_classes is not in the checkpoint as such: try the output size of the last weight tensor first, then the others.
  const classCandidates = [
    ...new Set([weights[weights.length - 1].shape[0], ...weights.map((x) => x.shape[0]), ...Array.from({ length: 256 }, (_, i) => i + 1)]),
  ];
  let layers: NetworkLayer[] = [];
  let className: string;
  const notes: string[] = [];
  try {
    const read = readModel({
      file: input.modelFile,
      source: input.modelSource,
      loader: input.loader,
      arch,
      inputShape: input.inputShape,
      constructorArgs: classCandidates.map((n) => ({ num_classes: n, num_channels: c, dimensions, bias })),
      device: input.device.name === 'MAX78002' ? 87 : 85,
      accept: (graph) => {
        // On MAX78002 an element-wise operation cannot share a layer with a convolution that has a bias (izer #254).
        const hasBias = (p: string) => input.checkpoint.stateDict.some((e) => e.key === `${p}.op.bias` || e.key === `${p}.bias`);
        const max78002 = input.device.name === 'MAX78002';
        layers = lowerGraph(graph, { fuseEltwise: (p) => !max78002 || !hasBias(p), readGap: max78002 });
        return checkpointDisagreement(layers, weights);
      },
    });
    className = read.className;
    for (const s of read.skipped) notes.push(`${basename(s.file)} line ${s.line}: skipped (${s.why}); it builds no layer`);
  } catch (e) {
    if (e instanceof ModelReadError) return { ok: false, message: e.message, file: e.file, line: e.line };
    throw e;
  }

  // Outputs too large for a data memory need streaming (a prefix of the network, fed through the FIFO).
  const streamed = streamingPrefix(layers, input.device);
  if (typeof streamed === 'string') return { ok: false, message: streamed, file: null, line: null };
  const izerFlags = [...input.izerFlags];
  if (streamed > 0) {
    for (let i = 0; i < streamed; i++) layers[i].streaming = true;
    if (!izerFlags.some((f) => f === '--fifo' || f === '--fast-fifo')) {
      izerFlags.push('--fifo');
      notes.push(`layers 0–${streamed - 1} stream (their data does not fit a data memory), which needs izer's --fifo: added to the izer flags in the modeline`);
    }
  }
  // CHW keeps one channel per data memory: needed when the HWC input would not fit one memory (and not streamed).
  const pixels = input.inputShape.length >= 3 ? h * w : (h ?? 1);
  const chw = streamed === 0 && c <= 16 && pixels * 4 > input.device.dataMemoryBytes;
  const text = networkYaml({
    arch,
    dataset: input.dataset,
    device: input.device.name,
    modelFile: basename(input.modelFile),
    className,
    checkpoint: input.checkpointRef,
    sampleInput: input.sampleRef,
    izerFlags: izerFlags.filter((f) => input.izerFlags.indexOf(f) < 0 || f === '--fifo'),
    layers,
    chw,
  });
  const allocated = allocateNetwork(text, input.recheck);
  if (!allocated.ok) return { ok: false, message: `the network does not fit the accelerator: ${allocated.message}`, file: null, line: null };
  const text2 = allocated.text.endsWith('\n') ? allocated.text : allocated.text + '\n';
  return { ok: true, text: text2, layers, result: allocated.result, className, notes };
}

/** How many layers from the start must stream because an output does not fit one data memory (0: none). */
function streamingPrefix(layers: NetworkLayer[], device: Device): number | string {
  let last = -1;
  layers.forEach((l, i) => {
    const o = l.outShape;
    const bytes = o.h * o.w * Math.ceil(o.c / 64) * 4 * (l.layer?.wide ? 4 : 1);
    if (bytes > device.dataMemoryBytes) last = i;
  });
  if (last < 0) return 0;
  const count = last + 2;
  if (count > layers.length || count > 9)
    return `the output of layer ${last} (${layers[last].outShape.c}×${layers[last].outShape.h}×${layers[last].outShape.w}) does not fit a data memory, and streaming cannot reach far enough to consume it`;
  for (let i = 1; i < count; i++) {
    if (layers[i].inputs.length !== 1 || layers[i].inputs[0] !== layers[i - 1])
      return `layers 0–${count - 1} would have to stream (large data), but layer ${i} does not simply read the layer before it`;
  }
  return count;
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
