// One layer of izer's simulation loop, in izer's order (izer-compute §2.9): split into operands, element-wise
// first when pool_first is false, in_crop, C-order reshape to in_dim, pooling per operand, element-wise,
// flatten, operator, output stage.
import type { LayerPlan } from '../analysis/networkPlan';
import { ConvParams, ConvResult, conv1d, conv2d, convTranspose2d } from './convolution';
import { eltwise } from './eltwise';
import { applyOutputStage } from './outputStage';
import { pool1d, pool2d } from './pooling';
import { SimulationError, SIM } from './simulationError';
import { Tensor3, channelSlice, reshape, shapeText, tensor3 } from './tensor';

export interface LayerContext {
  /** --avg-pool-rounding */
  avgPoolRounding: boolean;
  /** BIAS_DIV of the device (128 on both). */
  biasScale: number;
}

export interface LayerOutput {
  out: Tensor3;
  macs: number;
}

/** izer's "Layer {ll}: " / "Layer {ll} ({name}): " prefix. */
export function layerPrefix(layer: LayerPlan): string {
  return layer.name ? `Layer ${layer.ll} (${layer.name}): ` : `Layer ${layer.ll}: `;
}

export function* simulateLayer(layer: LayerPlan, input: Tensor3, ctx: LayerContext): Generator<void, LayerOutput, void> {
  const ll = layer.ll;
  const pfx = layerPrefix(layer);
  const isConv1d = layer.op === 'conv1d';
  // 1. Operands: equal channel chunks of the assembled input.
  const k = Math.max(1, layer.operands);
  let ops: Tensor3[];
  if (k > 1) {
    if (!layer.eltwise) throw new SimulationError(SIM.badInput, `${pfx}${k} operands but no element-wise operator.`, ll);
    if (input.c % k !== 0) {
      throw new SimulationError(SIM.badInput, `${pfx}the ${input.c}-channel input cannot be split into ${k} equal operands.`, ll);
    }
    const per = input.c / k;
    ops = [];
    for (let i = 0; i < k; i++) ops.push(channelSlice(input, i * per, (i + 1) * per));
  } else {
    ops = [input];
  }
  const eltWidth: 8 | 32 = layer.op === 'none' ? layer.outputWidth : 8;

  // 2. Element-wise before pooling.
  if (k > 1 && !layer.poolFirst) ops = [eltwise(layer.eltwise!, ops, eltWidth)];

  // 3. in_crop: rows [crop0 : −crop1] of the assembled data.
  const [crop0, crop1] = layer.inCrop;
  if (crop0 !== 0 || crop1 !== 0) {
    if (crop1 === 0) {
      throw new SimulationError(SIM.unsupported, `${pfx}\`in_crop\` with 0 trailing rows selects no data in izer (it slices [${crop0}:-0]).`, ll);
    }
    ops = ops.map((t) => cropRows(t, crop0, t.h - crop1, pfx, ll));
  }

  // 4. C-order reshape to in_dim (1D↔2D conversion, re-tiling).
  const [d0, d1] = layer.inDim;
  if (isConv1d && d1 !== 1) {
    throw new SimulationError(SIM.badInput, `${pfx}Conv1d input dimension ${d0}x${d1} must have a second dimension of 1.`, ll);
  }
  ops = ops.map((t) => {
    const n = t.data.length;
    const per = d0 * d1;
    const r = per > 0 && n % per === 0 ? reshape(t, n / per, d0, d1) : null;
    if (!r) {
      throw new SimulationError('IZ277', `${pfx}Input data of ${n} values (${shapeText(t)}) cannot be reshaped to in_dim ${d0}x${d1}.`, ll);
    }
    return r;
  });

  // 5. Pooling, each operand on its own.
  if (isConv1d) {
    if (layer.pool[0] > 1 && ops.length > 1) {
      throw new SimulationError(
        SIM.unsupported,
        `${pfx}Conv1d with element-wise operands and pooling before the operation fails in izer; use \`pool_first: False\`.`,
        ll,
      );
    }
    ops = ops.map((t) => pool1d(t, layer.pool[0], layer.poolStride[0], layer.poolDilation[0], layer.poolAverage, ll));
  } else {
    const spec = { pool: layer.pool, stride: layer.poolStride, dilation: layer.poolDilation, average: layer.poolAverage, rounding: ctx.avgPoolRounding };
    ops = ops.map((t) => pool2d(t, spec, ll));
  }
  const got = ops[0];
  const [ph, pw] = layer.pooledDim;
  if (isConv1d) {
    if (got.c !== layer.inChannels || got.h !== ph || pw !== 1) {
      throw new SimulationError('IZ277', `${pfx}Input dimensions do not match. Expected: ${layer.inChannels}x${ph}, got ${got.c}x${got.h}.`, ll);
    }
  } else if (got.c !== layer.inChannels || got.h !== ph || got.w !== pw) {
    throw new SimulationError('IZ277', `${pfx}Input dimensions do not match. Expected: ${layer.inChannels}x${ph}x${pw}, got ${shapeText(got)}.`, ll);
  }

  // 6. Element-wise after pooling.
  let x: Tensor3;
  if (k > 1 && layer.poolFirst) {
    if (isConv1d) {
      throw new SimulationError(SIM.unsupported, `${pfx}Conv1d with element-wise operands fails in izer unless \`pool_first: False\`.`, ll);
    }
    x = eltwise(layer.eltwise!, ops, eltWidth);
  } else {
    x = ops[0];
  }

  // 7. Flatten and the operator.
  let result: ConvResult | null = null;
  switch (layer.op) {
    case 'conv2d':
    case 'linear':
      if (layer.flatten) x = tensor3(x.c * x.h * x.w, 1, 1, x.data);
      result = yield* conv2d(x, convParams(layer, pfx, ctx.biasScale));
      break;
    case 'convtranspose2d':
      result = yield* convTranspose2d(x, convParams(layer, pfx, ctx.biasScale), layer.outputPad);
      break;
    case 'conv1d':
      result = yield* conv1d(x, convParams(layer, pfx, ctx.biasScale));
      break;
    case 'none':
      break;
  }
  let out: Tensor3;
  if (result) {
    applyOutputStage(result.acc.data, layer.outputShift, layer.outputWidth, layer.activation);
    out = result.acc;
  } else {
    out = x.data.buffer === input.data.buffer ? tensor3(x.c, x.h, x.w, Float64Array.from(x.data)) : x;
  }

  // 8. izer asserts the simulated shape equals the predicted one.
  const [oh, ow] = layer.outDim;
  if (out.c !== layer.outChannels || out.h !== oh || out.w !== ow) {
    throw new SimulationError('IZ279', `${pfx}the simulated output is ${shapeText(out)}, but the network predicts ${layer.outChannels}x${oh}x${ow}.`, ll);
  }
  return { out, macs: result ? result.macs : 0 };
}

function convParams(layer: LayerPlan, pfx: string, biasScale: number): ConvParams {
  const groups = Math.max(1, layer.groups);
  if (layer.bypass) {
    // Kernel bypass (MAX78002): izer simulates it as all-ones kernels of k0×k0 (k0 for Conv1d).
    const k0 = layer.kernelSize[0];
    const kernel: [number, number] = layer.op === 'conv1d' ? [k0, 1] : [k0, k0];
    const size = layer.outChannels * (layer.inChannels / groups) * kernel[0] * kernel[1];
    return { ...baseParams(layer, biasScale, groups), kernel, weights: new Int32Array(size).fill(1) };
  }
  if (!layer.weights) {
    throw new SimulationError(SIM.badInput, `${pfx}no kernel data for this ${layer.op} layer (is a checkpoint associated?).`, layer.ll);
  }
  return { ...baseParams(layer, biasScale, groups), kernel: layer.kernelSize, weights: layer.weights.data };
}

function baseParams(layer: LayerPlan, biasScale: number, groups: number): Omit<ConvParams, 'kernel' | 'weights'> {
  return { layer: layer.ll, cout: layer.outChannels, groups, pad: layer.pad, stride: layer.stride, dilation: layer.dilation, bias: layer.bias, biasScale };
}

function cropRows(t: Tensor3, from: number, to: number, pfx: string, ll: number): Tensor3 {
  if (from < 0 || to <= from) {
    throw new SimulationError('IZ277', `${pfx}\`in_crop\` leaves no rows of the ${t.h}-row input.`, ll);
  }
  const out = tensor3(t.c, to - from, t.w);
  const plane = t.h * t.w;
  for (let c = 0; c < t.c; c++) {
    out.data.set(t.data.subarray(c * plane + from * t.w, c * plane + to * t.w), c * (to - from) * t.w);
  }
  return out;
}
