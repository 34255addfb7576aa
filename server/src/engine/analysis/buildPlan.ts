// Turns izer's state after all passes into the NetworkPlan the simulator, maps and hovers read.
import type { IzerState } from './izerState';
import type { LayerPlan, NetworkPlan } from './networkPlan';
import type { NetworkModel } from '../model/network';

export function buildPlan(model: NetworkModel, s: IzerState): NetworkPlan | null {
  if (!s.channelsKnown || !s.dimsKnown || !s.inputSize) return null;
  const layers: LayerPlan[] = [];
  for (let ll = 0; ll < s.layers; ll++) {
    const spec = model.layers[ll];
    const inDim = s.inputDim[ll];
    const pooled = s.pooledDim[ll];
    layers.push({
      ll,
      yamlIndex: spec.yamlIndex,
      name: spec.name,
      op: s.operator[ll],
      hwOp: s.hwOperator[ll],
      eltwise: s.eltwise[ll],
      operands: s.operands[ll],
      poolFirst: s.poolFirst[ll],
      activation: s.activation[ll],
      inChannels: s.inputChannels[ll],
      outChannels: s.outputChannels[ll],
      inDim: inDim ? [inDim[0], inDim[1]] : [0, 0],
      pooledDim: pooled ? [pooled[0], pooled[1]] : [0, 0],
      outDim: [s.outputDim[ll][0], s.outputDim[ll][1]],
      inCrop: [s.inputCrop[ll][0], s.inputCrop[ll][1]],
      pool: [s.pool[ll][0], s.pool[ll][1]],
      poolAverage: s.poolAverage[ll],
      poolStride: [s.poolStride[ll][0], s.poolStride[ll][1]],
      poolDilation: [s.poolDilation[ll][0], s.poolDilation[ll][1]],
      pad: [s.padding[ll][0], s.padding[ll][1]],
      outputPad: [s.outputPadding[ll][0], s.outputPadding[ll][1]],
      stride: [s.stride[ll][0], s.stride[ll][1]],
      dilation: [s.dilation[ll][0], s.dilation[ll][1]],
      kernelSize: [s.kernelSize[ll][0], s.kernelSize[ll][1]],
      groups: s.groups[ll],
      flatten: s.flatten[ll],
      streaming: s.streaming[ll],
      bypass: s.bypass[ll],
      bigData: s.bigData[ll],
      quantization: s.quantization[ll] ?? 0,
      outputShift: s.outputShift[ll] ?? 0,
      outputWidth: s.outputWidth[ll] === 32 ? 32 : 8,
      weights: s.weights[ll],
      bias: s.bias[ll],
      processors: s.processorMap[ll],
      outputProcessors: s.outputProcessorMap[ll] ?? 0n,
      inOffset: s.inputOffset[ll] ?? 0,
      outOffset: s.outputOffset[ll],
      writeGap: s.writeGap[ll],
      readGap: s.inputSkip[ll],
      inExpand: s.inExpand[ll],
      inExpandThresh: s.inExpandThresh[ll],
      outExpand: s.outExpand[ll],
      outExpandThresh: s.outExpandThresh[ll],
      inSequences: s.inSequences[ll],
      nextSequence: s.nextSequence[ll],
      prevSequence: s.prevSequence[ll],
      simulatedSequence: s.simulatedSequence[ll],
      outputLayer: s.outputLayer[ll],
    });
  }
  return {
    layers,
    layerCount: s.layers,
    startLayer: s.startLayer,
    finalLayer: s.finalLayer,
    terminatingLayer: s.terminatingLayer,
    order: [...s.order],
    inputShape: s.inputSize,
    hasCheckpoint: s.channelsKnown,
  };
}
