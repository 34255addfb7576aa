// Kernel and bias memory: deduplication, allocation, and the findings of izer's kernels.load / kbias.load
// (rules #234–#242).
import { layerName, PassContext, reportLayer } from './passContext';
import type { IzerState } from './izerState';
import { allocateKernels, KernelAllocation, KernelAllocationInput } from './kernelAllocation';
import type { Device } from '../device/devices';
import type { IzerFlags } from '../izerFlags';
import { allocateBias, BiasAllocation } from './biasAllocation';
import { deduplicateBias, deduplicateKernels } from './deduplication';
import { enabledProcessorMaps } from './quadProcessorMap';

export interface MemoryAllocation {
  kernels: KernelAllocation;
  bias: BiasAllocation;
  /** For each layer, the layer whose kernels it uses (deduplication), or null. */
  kernelPointers: (number | null)[];
  biasPointers: (number | null)[];
}

export function runMemoryAllocation(ctx: PassContext, s: IzerState): MemoryAllocation | null {
  if (!s.channelsKnown) return null;
  const { device, flags } = ctx;
  const quant = s.quantization.map((q) => q ?? 0);
  const kd = flags.noDeduplicateWeights ? null : deduplicateKernels(s.hwWeights, s.layers, quant, s.processorMap);
  const bd = flags.noDeduplicateWeights ? null : deduplicateBias(s.bias, s.layers);
  const kernels = allocateKernels(kernelAllocationInput(s, device, flags, kd ? kd.unique : s.hwWeights));
  const kernelPointers = kd ? kd.pointers : s.hwWeights.map((w, i) => (w ? i : null));
  // Layers that share kernels report the allocation of the layer they share with.
  kernelPointers.forEach((p, i) => {
    if (p !== null && p !== i && i < s.layers) {
      kernels.kernOffs[i] = kernels.kernOffs[p];
      kernels.kernLen[i] = kernels.kernLen[p];
      kernels.kernCount[i] = kernels.kernCount[p];
      kernels.kernOchan[i] = kernels.kernOchan[p];
    }
  });
  for (const m of kernels.kernelSizeMismatch) {
    reportLayer(
      ctx,
      m.layer,
      m.actual.length > 1 ? 234 : 235,
      'error',
      ['kernel_size'],
      `The configured kernel (${m.configured.join('×')}) does not match the kernels from the checkpoint (${m.actual.join('×')}).`,
    );
  }
  for (const ll of kernels.unalignedSubByte) {
    reportLayer(
      ctx,
      ll,
      236,
      'warning',
      ['output_processors', 'processors'],
      `${Math.abs(s.quantization[ll] ?? 8)}-bit weights with output processors that do not start at a multiple of 4 may not work correctly.`,
    );
  }
  if (kernels.exhausted) {
    const e = kernels.exhausted;
    reportLayer(
      ctx,
      e.layer,
      237,
      'error',
      ['processors'],
      `Kernel memory is full: processor ${e.processor} has no room for this layer's ${e.needed} kernel column${e.needed === 1 ? '' : 's'} (searched up to column ${e.offset}). Open the kernel map to see which layers fill it; fewer weights, smaller kernels or other processors can help.`,
    );
  }
  if (kernels.failed) {
    const f = kernels.failed;
    const where =
      f.owner === null
        ? `column ${f.column} of processor ${f.processor}`
        : `processor ${f.processor}, column ${f.column}, which already holds kernels of ${layerName(ctx, f.owner)}`;
    reportLayer(
      ctx,
      f.layer,
      'AX308',
      'error',
      ['processors'],
      `This layer's kernels do not fit the space izer reserved for them (they reach ${where}); izer stops with a Python exception here. The kernel count from the checkpoint does not match the layer's processors and channels — fix the other errors on this layer first.`,
    );
  }
  const bias = allocateBias({
    device,
    layers: s.layers,
    firstLayerUsed: s.firstLayerUsed,
    bias: bd ? bd.unique : s.bias,
    biasGroupMap: s.biasGroupMap,
    outputChannels: s.outputChannels,
    streaming: s.streaming,
    groups: s.groups,
    broadcastMode: s.broadcastMode,
    processorMap: enabledProcessorMaps(s.processorMap, s.startLayer, flags.fastFifoQuad),
    outputProcessorMap: s.outputProcessorMap.map((m) => m ?? 0n),
    outExpand: s.outExpand,
    outExpandThresh: s.outExpandThresh,
    groupsUsed: s.groupsUsed,
    flatten: s.flatten,
    calcx4: s.calcx4,
    fastFifoQuad: flags.fastFifoQuad,
  });
  const biasPointers = bd ? bd.pointers : s.bias.map((b, i) => (b ? i : null));
  biasPointers.forEach((p, i) => {
    if (p !== null && p !== i && i < s.layers) {
      bias.offsets[i] = bias.offsets[p];
      bias.group[i] = bias.group[p];
    }
  });
  for (const p of bias.problems) {
    switch (p.kind) {
      case 'lengthMismatch':
        reportLayer(ctx, p.layer, 238, 'error', ['out_channels'], `The layer has ${p.outChannels} output channels but ${p.values} bias values.`);
        break;
      case 'allZero':
        reportLayer(ctx, p.layer, 239, 'warning', [], 'All bias values of this layer are zero; izer ignores the bias.');
        break;
      case 'groupExhausted':
        reportLayer(ctx, p.layer, 240, 'error', ['processors'], `Bias memory of quadrant ${p.group} is full (${p.used} bytes used).`);
        break;
      case 'exhausted':
        reportLayer(
          ctx,
          p.layer,
          241,
          'error',
          ['bias_group', 'bias_quadrant', 'processors'],
          `Bias memory is full: this layer needs ${p.needed} bytes, but the best allowed quadrant (${p.best}) has only ${p.free} free (used so far per quadrant: [${p.usedSoFar.join(', ')}]; allowed quadrants [${p.groups.join(', ')}]).`,
        );
        break;
      case 'streamingBias':
        reportLayer(ctx, p.layer, 242, 'warning', ['streaming'], `Streaming combined with a bias may not work correctly on ${device.name}.`);
        break;
    }
  }
  return { kernels, bias, kernelPointers, biasPointers };
}

/** izer's inputs to kernels.load, from the state (with the kernels after deduplication, or all of them). */
export function kernelAllocationInput(s: IzerState, device: Device, flags: IzerFlags, kernels: IzerState['hwWeights']): KernelAllocationInput {
  return {
    device,
    layers: s.layers,
    firstLayerUsed: s.firstLayerUsed,
    operator: s.hwOperator,
    kernels,
    kernelSize: s.hwKernelSize,
    quantization: s.quantization.map((q) => q ?? 0),
    processorMap: s.processorMap,
    outputProcessorMap: s.outputProcessorMap.map((m) => m ?? 0n),
    inputChannels: s.inputChannels,
    outputChannels: s.outputChannels,
    outExpand: s.outExpand,
    outExpandThresh: s.outExpandThresh,
    inExpand: s.inExpand,
    inExpandThresh: s.inExpandThresh,
    groups: s.groups,
    flatten: s.flatten,
    bypass: s.bypass,
    calcx4: s.calcx4,
    weightStart: flags.weightStart,
    newKernelLoader: flags.newKernelLoader,
    fastFifoQuad: flags.fastFifoQuad,
  };
}
