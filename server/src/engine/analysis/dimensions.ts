// izer's second traversal (izer.main): input offsets, dimensions through pooling/convolution/flatten,
// and the per-layer checks made on the way. Rules #99–#127.
import type { Pair } from '../model/network';
import { layerName, PassContext, pyAt, reportLayer } from './passContext';
import type { IzerState } from './izerState';
import { kernelRange } from './kernelRange';

const OP_TEXT: Record<string, string> = { none: 'passthrough', conv1d: 'conv1d', conv2d: 'conv2d', convtranspose2d: 'convtranspose2d', linear: 'linear' };

export function runDimensions(ctx: PassContext, s: IzerState): void {
  const { device } = ctx;
  const layers = s.layers;
  const dims = s.dimsKnown && s.inputSize !== null;
  let ll = s.startLayer;
  if (dims) s.autoInputDim[ll] = [s.inputSize![1], s.inputSize![2]];
  s.inputDim[ll] = s.confInputDim[ll] ?? s.autoInputDim[ll];
  if (s.inputOffset[ll] === null) s.inputOffset[ll] = 0;

  const fin = s.finalLayer;
  if (s.outputWidth[fin] !== 8 && s.activation[fin] !== null) {
    reportLayer(
      ctx,
      fin,
      99,
      'error',
      ['output_width', 'activate', 'activation'],
      `The final layer has \`output_width: ${s.outputWidth[fin]}\` and an activation; wide (32-bit) output is only possible without activation. Use \`activate: None\` or \`output_width: 8\`.`,
    );
  }
  if (ll === 0 && (s.pool[0][0] !== 1 || s.pool[0][1] !== 1)) {
    reportLayer(
      ctx,
      0,
      100,
      'information',
      ['max_pool', 'avg_pool'],
      'The first layer pools its input. Downscaling the data before it reaches the accelerator is usually cheaper.',
    );
  }

  const seen = new Set<number>();
  while (ll >= 0 && ll < layers && !seen.has(ll)) {
    seen.add(ll);
    const op = s.operator[ll];
    const opText = OP_TEXT[op];
    if (s.channelsKnown && s.inputChannels[ll] <= 0)
      reportLayer(ctx, ll, 101, 'error', ['in_channels'], 'The number of input channels cannot be derived for this layer; give `in_channels`.');
    if (s.quantization[ll] === null) s.quantization[ll] = !s.bypass[ll] && op !== 'none' ? 8 : 0;
    checkWeightRange(ctx, s, ll);

    const prev = s.prevSequence[ll];
    if (ll !== s.startLayer) {
      if (s.inputOffset[ll] === null) s.inputOffset[ll] = pyAt(s.outputOffset, prev) ?? 0;
      else if (s.inSequences[ll] === null && s.inputOffset[ll] !== pyAt(s.outputOffset, prev)) {
        reportLayer(
          ctx,
          ll,
          103,
          'warning',
          ['in_offset'],
          `\`in_offset\` 0x${s.inputOffset[ll]!.toString(16).padStart(4, '0')} differs from where ${layerName(ctx, prev)} writes (0x${(pyAt(s.outputOffset, prev) ?? 0).toString(16).padStart(4, '0')}), and there is no \`in_sequences\`; izer assumes the input comes from ${layerName(ctx, prev)}, which may be wrong.`,
        );
      }
      if (s.streaming[ll] && !pyAt(s.streaming, prev)) {
        reportLayer(
          ctx,
          ll,
          104,
          'error',
          ['streaming'],
          `This layer streams, but ${layerName(ctx, prev)} before it does not. Streaming layers must come first and follow each other without a gap.`,
        );
      }
      if (s.bigData[ll])
        reportLayer(ctx, ll, 105, 'error', ['data_format'], 'Only the first layer can read CHW data; every later layer reads HWC. Remove `data_format` here.');
    }

    const nextSeq = s.nextSequence[ll];
    if (s.outputWidth[ll] !== 8 && nextSeq !== -1 && (s.inSequences[nextSeq] == null || s.inSequences[nextSeq]!.includes(ll))) {
      reportLayer(
        ctx,
        ll,
        106,
        'warning',
        ['output_width'],
        `\`output_width: ${s.outputWidth[ll]}\` on a layer whose output feeds ${layerName(ctx, nextSeq)}; intermediate layers should write 8-bit data.`,
      );
    }

    const ins = s.inSequences[ll];
    if (ins) {
      if (device.features.linkLayer) {
        if (ins.some((i) => i > s.inSequences.length))
          reportLayer(ctx, ll, 107, 'error', ['in_sequences'], '`in_sequences` names a layer beyond the last layer.');
      } else if (ins.some((i) => i >= ll)) {
        reportLayer(
          ctx,
          ll,
          108,
          'error',
          ['in_sequences'],
          `On ${device.name} a layer can only read outputs of earlier layers; \`in_sequences\` names layer ${Math.max(...ins)}, which is not before layer ${ll}.`,
        );
      }
    }

    if (dims) traceDimensions(ctx, s, ll, opText);
    else checkWithoutDims(ctx, s, ll, opText);

    if (op === 'none' && (s.padding[ll][0] > 0 || s.padding[ll][1] > 0)) {
      reportLayer(
        ctx,
        ll,
        121,
        'error',
        ['pad'],
        `Padding [${s.padding[ll].join(', ')}] needs a convolution; a passthrough or element-wise layer must use \`pad: 0\`.`,
        { fix: { kind: 'replaceValue', range: layerRangeOf(ctx, ll, 'pad'), newText: '0', title: 'Use pad: 0' } },
      );
    }
    if (s.padding[ll][0] >= s.kernelSize[ll][0] || s.padding[ll][1] >= s.kernelSize[ll][1]) {
      const oneByOne = s.kernelSize[ll][0] === 1 && s.kernelSize[ll][1] === 1;
      reportLayer(
        ctx,
        ll,
        122,
        'error',
        ['pad', 'kernel_size'],
        `Padding [${s.padding[ll].join(', ')}] must be smaller than the kernel [${s.kernelSize[ll].join(', ')}]${oneByOne ? ': a 1×1 kernel needs `pad: 0` (the default padding is 1)' : ''}.`,
        {
          fix: oneByOne ? { kind: 'replaceValue', range: layerRangeOf(ctx, ll, 'pad'), newText: '0', title: 'Use pad: 0' } : undefined,
        },
      );
    }
    if (s.activation[ll] !== null && op === 'none') {
      reportLayer(
        ctx,
        ll,
        126,
        'error',
        ['activate', 'activation'],
        `A passthrough or element-wise layer cannot apply ${s.activation[ll] === 'relu' ? 'ReLU' : 'Abs'}; put the activation on a convolution layer.`,
      );
    }
    if (s.bufferShift[ll] !== null && op !== 'none') reportLayer(ctx, ll, 127, 'error', ['buffer_shift'], '`buffer_shift` only works in a passthrough layer.');
    if (device.features.passthroughAvgpoolAfterEltwise && ll > 0 && (pyAt(s.operands, prev) ?? 1) > 1 && s.poolAverage[ll]) s.avgpoolResetLayer[ll] = true;

    ll = s.nextSequence[ll];
    if (ll === -1) break;
  }
  if (ctx.flags.riscv && ctx.flags.riscvCache === false && ctx.flags.embeddedCode) {
    reportLayer(ctx, s.startLayer, 128, 'error', [], 'Embedded code on the RISC-V core needs `--riscv-cache` (remove `--no-riscv-cache`).');
  }
}

function layerRangeOf(ctx: PassContext, ll: number, key: string): readonly [number, number] {
  const l = ctx.model.layers[ll];
  const e = l.entries.get(key);
  if (e) return (e.value ?? e.key).range;
  const first = l.node.entries[0];
  return first ? [first.key.range[0], first.key.range[0]] : [l.node.range[0], l.node.range[0]];
}

function checkWeightRange(ctx: PassContext, s: IzerState, ll: number): void {
  const w = s.weights[ll];
  const q = s.quantization[ll];
  if (!w || s.operator[ll] === 'none' || s.bypass[ll] || q === null) return;
  const { min, max, binary } = kernelRange(w);
  const ok = q === -1 ? binary : min >= -(2 ** (q - 1)) && max <= 2 ** (q - 1) - 1;
  if (!ok) {
    reportLayer(
      ctx,
      ll,
      102,
      'error',
      ['quantization'],
      q === -1
        ? 'Binary quantization needs every weight to be −1 or +1.'
        : `The weights range from ${min} to ${max}, which does not fit ${q}-bit quantization [${-(2 ** (q - 1))}, ${2 ** (q - 1) - 1}]. izer stops with an assertion here.`,
    );
  }
}

/** Checks of the dimension pass that do not depend on the data dimensions. */
function checkWithoutDims(ctx: PassContext, s: IzerState, ll: number, opText: string): void {
  const op = s.operator[ll];
  if (op !== 'conv1d' && op !== 'none') {
    if (s.poolStride[ll][0] !== s.poolStride[ll][1]) reportNonSquarePool(ctx, s, ll, opText);
    checkStride2d(ctx, s, ll, opText);
    if (s.padding[ll][0] >= 3) reportPad3(ctx, s, ll, opText);
  } else if (op === 'conv1d') {
    checkConv1dLimits(ctx, s, ll, opText);
  } else if (s.padding[ll][0] >= 3) reportPad3(ctx, s, ll, opText);
}

function reportNonSquarePool(ctx: PassContext, s: IzerState, ll: number, opText: string): void {
  reportLayer(
    ctx,
    ll,
    113,
    'error',
    ['pool_stride'],
    `${opText} needs a square pooling stride; this layer uses ${s.poolStride[ll][0]}×${s.poolStride[ll][1]}.`,
  );
}

function checkStride2d(ctx: PassContext, s: IzerState, ll: number, opText: string): void {
  const st = s.stride[ll];
  if (st[0] !== st[1]) reportLayer(ctx, ll, 115, 'error', ['stride'], `${opText} needs a square stride; this layer uses ${st[0]}×${st[1]}.`);
  if (s.operator[ll] !== 'convtranspose2d' && st[0] !== 1) {
    reportLayer(
      ctx,
      ll,
      116,
      'error',
      ['stride'],
      `${opText} supports only stride 1 (this layer uses ${st[0]}×${st[1]}). Downsample with \`max_pool\`/\`avg_pool\` and \`pool_stride\` instead.`,
    );
  }
}

function reportPad3(ctx: PassContext, s: IzerState, ll: number, opText: string): void {
  reportLayer(ctx, ll, 119, 'error', ['pad'], `${opText} supports padding 0, 1 or 2; this layer uses ${s.padding[ll][0]}.`);
}

function checkConv1dLimits(ctx: PassContext, s: IzerState, ll: number, opText: string): void {
  if (s.padding[ll][0] >= 3) reportPad3(ctx, s, ll, opText);
  if (s.stride[ll][0] !== 1) reportLayer(ctx, ll, 120, 'error', ['stride'], `${opText} supports only stride 1 (this layer uses ${s.stride[ll][0]}).`);
}

function traceDimensions(ctx: PassContext, s: IzerState, ll: number, opText: string): void {
  const { device } = ctx;
  const op = s.operator[ll];
  if (s.inputDim[ll] === null) {
    let pixels = 0;
    const ins = s.inSequences[ll];
    let prevOp: string;
    if (ins) {
      const dimOf = (e: number): Pair => (e === -1 ? (s.autoInputDim[0] ?? [0, 0]) : (pyAt(s.outputDim, e) ?? [0, 0]));
      const dim = dimOf(ins[0]);
      let reported = false;
      for (const e of ins) {
        const odim = dimOf(e);
        if ((odim[0] !== dim[0] || odim[1] !== dim[1]) && s.confInputDim[ll] === null && !reported) {
          reported = true;
          reportLayer(
            ctx,
            ll,
            109,
            'error',
            ['in_sequences'],
            `The inputs have different dimensions (${dim.join('×')} and ${odim.join('×')}); concatenating them needs \`in_dim\`.`,
          );
        }
        pixels += odim[0] * odim[1];
      }
      s.autoInputDim[ll] = dim;
      prevOp = pyAt(s.operator, ins[0]) ?? 'none';
    } else {
      s.autoInputDim[ll] = pyAt(s.outputDim, s.prevSequence[ll]) ?? [0, 0];
      prevOp = pyAt(s.operator, s.prevSequence[ll]) ?? 'none';
    }
    const conf = s.confInputDim[ll];
    if (conf === null) {
      s.inputDim[ll] = s.autoInputDim[ll];
      const d = s.inputDim[ll]!;
      if (d[1] === 1 && (op === 'conv2d' || op === 'convtranspose2d') && prevOp === 'conv1d') {
        reportLayer(
          ctx,
          ll,
          111,
          'warning',
          ['op', 'operation', 'operator', 'convolution'],
          `This ${opText} layer gets 1-D data (${d[0]}×1) from a Conv1d layer. Reshape it with \`in_dim: [H, W]\` (or give \`in_dim\` to silence this).`,
        );
      }
    } else {
      const pixelcount = (conf[0] + s.inputCrop[ll][0] + s.inputCrop[ll][1]) * conf[1];
      if (pixels > 0 && pixelcount !== pixels) {
        reportLayer(ctx, ll, 112, 'error', ['in_dim'], `\`in_dim\` describes ${pixelcount} pixels, but the inputs in \`in_sequences\` hold ${pixels}.`);
      }
      s.inputDim[ll] = conf;
    }
  }
  const inDim = s.inputDim[ll]!;
  const pool = s.pool[ll];
  const ps = s.poolStride[ll];
  const pd = s.poolDilation[ll];
  const twoD = op !== 'conv1d' && (op !== 'none' || inDim[1] !== 1);
  let pooled: Pair;
  if (twoD) {
    if (ps[0] !== ps[1]) reportNonSquarePool(ctx, s, ll, opText);
    pooled = [Math.floor((inDim[0] + ps[0] - pool[0] - pd[0] + 1) / ps[0]), Math.floor((inDim[1] + ps[1] - pool[1] - pd[1] + 1) / ps[1])];
  } else {
    pool[1] = 1;
    pooled = [Math.floor((inDim[0] + ps[0] - pool[0] - pd[0] + 1) / ps[0]), 1];
  }
  s.pooledDim[ll] = pooled;
  if (pooled.some((d) => d === 0)) {
    reportLayer(
      ctx,
      ll,
      114,
      'error',
      ['max_pool', 'avg_pool', 'pool_stride'],
      `Pooling turns the ${inDim.join('×')} input into ${pooled.join('×')}: a dimension becomes zero.`,
    );
  }
  const k = s.kernelSize[ll];
  const pad = s.padding[ll];
  const dil = s.dilation[ll];
  const st = s.stride[ll];
  if (twoD) {
    checkStride2d(ctx, s, ll, opText);
    if (op === 'none' || op === 'conv2d' || op === 'linear') {
      s.outputDim[ll] = [
        Math.floor((pooled[0] - dil[0] * (k[0] - 1) - 1 + 2 * pad[0]) / st[0]) + 1,
        Math.floor((pooled[1] - dil[1] * (k[1] - 1) - 1 + 2 * pad[1]) / st[1]) + 1,
      ];
    } else if (op === 'convtranspose2d') {
      const opad = s.outputPadding[ll];
      s.outputDim[ll] = [
        (pooled[0] - 1) * st[0] - 2 * pad[0] + dil[0] * (k[0] - 1) + opad[0] + 1,
        (pooled[1] - 1) * st[1] - 2 * pad[1] + dil[1] * (k[1] - 1) + opad[1] + 1,
      ];
    } else {
      s.outputDim[ll] = [pooled[0], pooled[1]];
    }
    if (s.flatten[ll]) {
      const hw = pooled[0] * pooled[1];
      if (hw > 256)
        reportLayer(
          ctx,
          ll,
          117,
          'error',
          ['flatten'],
          `\`flatten\` supports at most 256 pixels, but the (pooled) input is ${pooled[0]}×${pooled[1]} = ${hw}. Pool more in earlier layers.`,
        );
      if (hw === 1) reportLayer(ctx, ll, 118, 'warning', ['flatten'], '`flatten` is not needed: the input is already 1×1.');
      s.outputDim[ll] = [1, 1];
      if (s.channelsKnown && hw > 0) {
        s.flattenInputs[ll] = s.inputChannels[ll];
        s.inputChannels[ll] = Math.floor(s.inputChannels[ll] / hw);
        if (s.inputChannels[ll] <= 0)
          reportLayer(
            ctx,
            ll,
            'AX302',
            'error',
            ['flatten'],
            `Flattening a ${pooled[0]}×${pooled[1]} input leaves fewer than one channel; the checkpoint's input size does not match the data reaching this layer (izer stops with an assertion).`,
          );
      }
    }
    if (pad[0] >= 3) reportPad3(ctx, s, ll, opText);
  } else {
    checkConv1dLimits(ctx, s, ll, opText);
    s.outputDim[ll] = [Math.floor((pooled[0] - dil[0] * (k[0] - 1) - 1 + 2 * pad[0]) / st[0]) + 1, 1];
  }
  const out = s.outputDim[ll];
  if (inDim.some((d) => d > device.maxRowCol))
    reportLayer(ctx, ll, 123, 'error', ['in_dim'], `The input ${inDim.join('×')} exceeds ${device.name}'s limit of ${device.maxRowCol} rows or columns.`);
  if (out.some((d) => d > device.maxRowCol))
    reportLayer(ctx, ll, 124, 'error', [], `The output ${out.join('×')} exceeds ${device.name}'s limit of ${device.maxRowCol} rows or columns.`);
  if (out.some((d) => d <= 0))
    reportLayer(
      ctx,
      ll,
      125,
      'error',
      ['pad', 'kernel_size'],
      `The output of this layer would be ${out.join('×')}: a dimension is zero. The kernel is larger than the (pooled, padded) input.`,
    );
}
