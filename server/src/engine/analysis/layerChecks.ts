// The backend's first per-layer loop (create_net): passes (expansion), data-memory sizes, Conv1d dilation
// emulation, passthrough/ConvTranspose2d/groups/flatten limits and `in_sequences` processor-map checks.
// Rules #169–#216.
import type { Pair } from '../model/network';
import { ffs, fls } from '../model/processorMask';
import { layerName, PassContext, reportLayer } from './passContext';
import type { IzerState } from './izerState';
import type { KernelTensor } from './networkPlan';

const pairCopy = (p: Pair | null): Pair | null => (p ? [p[0], p[1]] : null);

/** Passes (multi-pass) of a channel count, and processors per pass (izer's expand and expand_thresh). */
export function expansion(channels: number): { expand: number; thresh: number } {
  const expand = Math.max(1, Math.ceil(channels / 64));
  let thresh = Math.ceil(channels / expand);
  if (channels > 64) thresh = Math.min((thresh + 3) & ~3, 64);
  return { expand, thresh };
}

export function runLayerChecks(ctx: PassContext, s: IzerState): void {
  const { device, flags } = ctx;
  const ch = s.channelsKnown;
  const dims = s.dimsKnown;
  for (let ll = 0; ll < s.layers; ll++) {
    s.hwPadding[ll] = [s.padding[ll][0], s.padding[ll][1]];
    s.hwKernelSize[ll] = [s.kernelSize[ll][0], s.kernelSize[ll][1]];
    s.hwInputDim[ll] = pairCopy(s.inputDim[ll]);
    s.hwPooledDim[ll] = pairCopy(s.pooledDim[ll]);
    s.hwOutputDim[ll] = [s.outputDim[ll][0], s.outputDim[ll][1]];
    s.hwWeights[ll] = s.weights[ll];
    s.hwDilation[ll] = [s.dilation[ll][0], s.dilation[ll][1]];
    s.hwOperator[ll] = s.operator[ll];
  }
  const binary = s.quantization.slice(s.firstLayerUsed, s.layers).some((q) => q === -1);

  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const op = s.operator[ll];
    const q = s.quantization[ll] ?? 0;
    if (q === 1 && binary) reportLayer(ctx, ll, 169, 'error', ['quantization'], '1-bit and binary (±1) quantization cannot be mixed in one network.');
    if (s.outputShift[ll] === null) s.outputShift[ll] = s.bypass[ll] ? 7 : 0;
    const shift = s.outputShift[ll]!;
    if (shift < -15 || shift > 15) {
      const implicit = s.bypass[ll] ? 0 : 8 - Math.abs(q);
      reportLayer(
        ctx,
        ll,
        170,
        'error',
        ['output_shift', 'quantization'],
        `With ${Math.abs(q)}-bit weights, \`output_shift\` must lie in [${-15 - implicit}, ${15 - implicit}] (the hardware adds ${implicit} for the weight width); this layer's shift is ${shift - implicit}.`,
      );
    }
    if (s.bigData[ll]) {
      const pm = s.processorMap[ll];
      let p = pm >> BigInt(ffs(pm) & ~3);
      let reported = false;
      while (p > 0n && !reported) {
        const low = p & 3n;
        if (low === 3n) {
          reported = true;
          reportLayer(
            ctx,
            ll,
            171,
            'error',
            ['processors'],
            'CHW input keeps each channel in its own data memory, but two enabled processors here share a memory (processors 4k and 4k+1 use the same one). Use one processor per group of 4, e.g. 0x0000000000000001, 0x0000000000000011 (processors 0 and 4), …',
          );
        }
        p >>= 4n;
      }
    }
    if (ch) {
      const o = expansion(s.outputChannels[ll]);
      s.outExpand[ll] = o.expand;
      s.outExpandThresh[ll] = o.thresh;
      const i = expansion(s.inputChannels[ll]);
      s.inExpand[ll] = i.expand;
      s.inExpandThresh[ll] = i.thresh;
      if (s.tcalc[ll] === null) s.tcalc[ll] = s.readahead[ll] && i.expand > 1;
    }
    const inDim = s.inputDim[ll];
    if (ch && dims && inDim) {
      const inSize = inDim[0] * inDim[1] * s.inExpand[ll] * s.operands[ll] * (s.bigData[ll] ? 1 : 4);
      const inOffset = s.inputOffset[ll] ?? 0;
      if (!s.streaming[ll] && inSize + inOffset > device.dataMemoryBytes) {
        reportLayer(
          ctx,
          ll,
          173,
          'error',
          ['in_offset', 'processors'],
          `The input (${s.bigData[ll] ? '1 channel' : '4 channels'} per word, ${inDim[0]}×${inDim[1]}, ${s.inExpand[ll]} pass${s.inExpand[ll] === 1 ? '' : 'es'}${s.operands[ll] > 1 ? `, ${s.operands[ll]} operands` : ''}) takes ${inSize} bytes from offset 0x${inOffset.toString(16).padStart(4, '0')}, which overruns the ${device.dataMemoryBytes}-byte data memory instance by ${inSize + inOffset - device.dataMemoryBytes} bytes.`,
        );
      }
      if (inDim[0] * inDim[1] * s.inExpand[ll] >= device.frameSizeMax)
        reportLayer(
          ctx,
          ll,
          172,
          'error',
          ['in_dim'],
          `The input frame (${inDim[0]}×${inDim[1]} × ${s.inExpand[ll]} passes) is too large for the hardware counters.`,
        );
    }

    if (op === 'conv1d') {
      if (s.operands[ll] > 1) reportLayer(ctx, ll, 174, 'error', ['eltwise', 'operands'], 'Element-wise operations cannot be combined with Conv1d.');
      if (ch && !device.features.multipassPaddedConv1d && s.padding[ll][0] > 0 && s.inExpand[ll] > 1) {
        reportLayer(
          ctx,
          ll,
          175,
          flags.ignoreHwLimits ? 'warning' : 'error',
          ['pad'],
          `${device.name} cannot pad a Conv1d layer that needs more than one input pass (${s.inputChannels[ll]} input channels > 64). Use \`pad: 0\` or fewer channels.`,
        );
      }
    }
    const next = s.nextSequence[ll];
    if (op === 'none' && next !== -1 && s.operator[next] === 'none' && !s.inSequences.some((c) => c !== null && c.includes(ll))) {
      reportLayer(
        ctx,
        ll,
        176,
        'information',
        ['op', 'operation', 'operator'],
        `This passthrough layer is followed by passthrough ${layerName(ctx, next)}; they could probably be combined into one layer.`,
      );
      if (s.operands[ll] > 0 && s.pool[ll][0] === 1 && s.pool[ll][1] === 1 && (s.pool[next][0] > 1 || s.pool[next][1] > 1) && s.operands[next] === 1) {
        reportLayer(
          ctx,
          ll,
          177,
          'information',
          ['op', 'operation', 'operator'],
          'Use `pool_first: false` to combine an element-wise layer with the pooling that follows it.',
        );
      }
    }
    if (!s.poolFirst[ll] && s.operands[ll] > device.maxPoolLastElements && (s.pool[ll][0] > 1 || s.pool[ll][1] > 1)) {
      reportLayer(
        ctx,
        ll,
        178,
        'error',
        ['pool_first', 'operands'],
        `Pooling after the element-wise operation (\`pool_first: false\`) supports at most ${device.maxPoolLastElements} operands.`,
      );
    }
    checkDilation(ctx, s, ll);

    const outDim = s.outputDim[ll];
    if (ch && dims && s.inputDim[ll]) {
      const outSize = Math.floor(((outDim[0] * outDim[1] + s.outPad[ll]) * s.outExpand[ll] * 4 * s.outputWidth[ll]) / 8);
      if ((!s.streaming[ll] || ll === s.terminatingLayer) && outSize + s.outputOffset[ll] > device.dataMemoryBytes) {
        const free = device.dataMemoryBytes - outSize;
        reportLayer(
          ctx,
          ll,
          189,
          'error',
          ['out_offset'],
          `The output (${s.outputWidth[ll]}-bit, 4 channels per word, ${outDim[0]}×${outDim[1]}, ${s.outExpand[ll]} pass${s.outExpand[ll] === 1 ? '' : 'es'}) takes ${outSize} bytes; written at offset 0x${s.outputOffset[ll].toString(16).padStart(4, '0')} it overruns the ${device.dataMemoryBytes}-byte data memory instance by ${outSize + s.outputOffset[ll] - device.dataMemoryBytes} bytes.${free >= 0 ? ` The highest offset that fits is 0x${(free & ~3).toString(16).padStart(4, '0')}.` : ' It does not fit at any offset.'}`,
        );
      }
    }

    const hwOp = s.hwOperator[ll];
    if (hwOp === 'none') {
      if (s.activation[ll] !== null) reportLayer(ctx, ll, 190, 'error', ['activate', 'activation'], 'A passthrough layer must not have an activation.');
      if (s.padding[ll][0] !== 0 || s.padding[ll][1] !== 0) reportLayer(ctx, ll, 191, 'error', ['pad'], 'A passthrough layer must use `pad: 0`.');
      if (s.outputShift[ll] !== 0 && s.outputShift[ll] !== null)
        reportLayer(ctx, ll, 192, 'error', ['output_shift'], 'A passthrough layer must not shift its output (`output_shift: 0`).');
      const hp = s.hwPooledDim[ll];
      if (ch && (s.pool[ll][0] > 1 || s.pool[ll][1] > 1) && s.inExpand[ll] > device.maxPoolPasses && hp && (hp[0] > 1 || hp[1] > 1)) {
        reportLayer(
          ctx,
          ll,
          193,
          'error',
          ['max_pool', 'avg_pool'],
          `Pooling in a passthrough layer over ${s.inExpand[ll]} passes exceeds ${device.name}'s maximum of ${device.maxPoolPasses}.`,
        );
      }
    } else if (hwOp === 'convtranspose2d') {
      const hk = s.hwKernelSize[ll];
      const hd = s.hwDilation[ll];
      s.hwPadding[ll] = [hd[0] * (hk[0] - 1) - s.hwPadding[ll][0], hd[1] * (hk[1] - 1) - s.hwPadding[ll][1]];
      if (![0, 1, 2].includes(s.hwPadding[ll][0]) || ![0, 1, 2].includes(s.hwPadding[ll][1])) {
        reportLayer(ctx, ll, 194, 'error', ['pad'], `ConvTranspose2d supports \`pad\` 0, 1 or 2; [${s.padding[ll].join(', ')}] is not supported.`);
      }
      const op2 = s.outputPadding[ll];
      if (op2[0] !== 1 || op2[1] !== 1)
        reportLayer(ctx, ll, 195, 'error', ['output_pad'], `ConvTranspose2d needs \`output_pad: 1\`; [${op2.join(', ')}] is not supported.`);
    }
    if (hwOp !== 'convtranspose2d' && (s.outputPadding[ll][0] !== 0 || s.outputPadding[ll][1] !== 0)) {
      reportLayer(ctx, ll, 196, 'error', ['output_pad'], '`output_pad` is only for ConvTranspose2d; use 0 here.');
    }
    const g = s.groups[ll];
    if (ch && (s.inputChannels[ll] % g !== 0 || s.outputChannels[ll] % g !== 0)) {
      reportLayer(
        ctx,
        ll,
        197,
        'error',
        ['groups', 'conv_groups'],
        `\`groups: ${g}\` does not divide the ${s.inputChannels[ll]} input or ${s.outputChannels[ll]} output channels.`,
      );
    }
    if (s.flatten[ll] && hwOp === 'none') reportLayer(ctx, ll, 198, 'error', ['flatten'], '`flatten` does not work with a passthrough layer.');
    if (s.flatten[ll] && (s.pool[ll][0] > 1 || s.pool[ll][1] > 1))
      reportLayer(
        ctx,
        ll,
        199,
        'error',
        ['flatten', 'max_pool', 'avg_pool'],
        '`flatten` cannot be combined with pooling in the same layer; pool in the layer before.',
      );
    if (s.flatten[ll] && s.streaming[ll]) reportLayer(ctx, ll, 200, 'error', ['flatten', 'streaming'], '`flatten` cannot be combined with streaming.');
    if (g > 1) {
      if (!device.features.depthwise)
        reportLayer(
          ctx,
          ll,
          201,
          'error',
          ['groups', 'conv_groups'],
          `Depth-wise convolution (\`groups\` > 1) is a MAX78002 feature; ${device.name} does not have it.`,
        );
      if (ch && (g !== s.inputChannels[ll] || g !== s.outputChannels[ll])) {
        reportLayer(
          ctx,
          ll,
          202,
          'error',
          ['groups', 'conv_groups'],
          `Depth-wise convolution needs \`groups\` = input channels = output channels; here groups ${g}, ${s.inputChannels[ll]} in, ${s.outputChannels[ll]} out.`,
        );
      }
      if (s.flatten[ll]) reportLayer(ctx, ll, 203, 'error', ['groups', 'conv_groups'], 'Depth-wise convolution cannot be combined with `flatten`.');
      if (s.biasGroupMap[ll] !== null)
        reportLayer(ctx, ll, 204, 'error', ['bias_group', 'bias_quadrant'], '`bias_group` is not supported for depth-wise layers.');
    }
    if (s.inputSkip[ll] !== 0 && !device.features.linkLayer)
      reportLayer(ctx, ll, 205, 'error', ['read_gap', 'in_skip'], `\`read_gap\` must be 0 on ${device.name}.`);
    if (ch && s.inputSkip[ll] !== 0 && s.inExpand[ll] > 1)
      reportLayer(ctx, ll, 206, 'error', ['read_gap', 'in_skip'], '`read_gap` must be 0 for a layer with more than 64 input channels (multi-pass).');
    const pd = s.poolDilation[ll];
    if (pd[0] < 1 || pd[1] < 1 || pd[0] > device.maxPoolDilation || pd[1] > device.maxPoolDilation) {
      reportLayer(ctx, ll, 207, 'error', ['pool_dilation'], `\`pool_dilation\` must be between 1 and ${device.maxPoolDilation} on ${device.name}.`);
    }
    checkInSequenceMaps(ctx, s, ll);
    if (s.outputWidth[ll] !== 8 && hwOp === 'none') reportLayer(ctx, ll, 216, 'error', ['output_width'], 'A passthrough layer must write 8-bit output.');
  }
}

function checkDilation(ctx: PassContext, s: IzerState, ll: number): void {
  const { device } = ctx;
  const d = s.dilation[ll][0];
  if (d <= 1) return;
  const k = s.kernelSize[ll][0];
  if (s.operator[ll] !== 'conv1d') reportLayer(ctx, ll, 179, 'error', ['dilation'], '`dilation` > 1 only works with Conv1d.');
  if (k === 1) reportLayer(ctx, ll, 180, 'error', ['dilation', 'kernel_size'], '`dilation` > 1 needs a kernel longer than 1.');
  if ((k - 1) * d < 9) {
    // The kernel is stretched with zeros: 0 1 2 → 0 X 1 X 2.
    const w = s.weights[ll];
    if (w && w.shape.length === 2) s.hwWeights[ll] = stretchKernel(w, k, d);
    s.hwKernelSize[ll] = [(k - 1) * d + 1, 1];
  } else if (k <= 3) {
    if (s.pool[ll][0] !== 1)
      reportLayer(ctx, ll, 181, 'error', ['max_pool', 'avg_pool'], `A Conv1d with dilation ${d} runs on Conv2d hardware and cannot pool.`);
    if (s.padding[ll][0] > 0) reportLayer(ctx, ll, 182, 'error', ['pad'], `A Conv1d with dilation ${d} runs on Conv2d hardware and needs \`pad: 0\`.`);
    if (s.operands[ll] !== 1) reportLayer(ctx, ll, 183, 'error', ['operands', 'eltwise'], `A Conv1d with dilation ${d} cannot have an element-wise operation.`);
    if (s.bypass[ll] || s.flatten[ll] || s.readahead[ll] || s.streaming[ll])
      reportLayer(ctx, ll, 184, 'error', ['dilation'], `A Conv1d with dilation ${d} cannot use bypass, flatten, readahead or streaming.`);
    if (d > device.maxDilation1d) reportLayer(ctx, ll, 185, 'error', ['dilation'], `Conv1d dilation can be at most ${device.maxDilation1d} on ${device.name}.`);
    reportLayer(ctx, ll, 186, 'information', ['dilation'], `Dilation ${d} runs this Conv1d on Conv2d hardware.`);
    s.hwOperator[ll] = 'conv2d';
    const inDim = s.inputDim[ll];
    if (inDim) {
      const h = Math.floor((inDim[0] + d - 1) / d);
      s.hwInputDim[ll] = [h, d];
      s.hwPooledDim[ll] = [h, d];
      s.hwOutputDim[ll] = [h, d];
      s.outPad[ll] = h * d - s.outputDim[ll][0];
    }
    s.hwPadding[ll] = [1, 1];
    s.hwKernelSize[ll] = [3, 3];
    s.hwDilation[ll] = [1, 1];
    if (k === 3) s.outIgnore[ll] = 4 * d * Math.max(1, s.outExpand[ll]);
    const w = s.weights[ll];
    if (w && s.channelsKnown) s.hwWeights[ll] = conv1dAs3x3(w, k);
    if (s.outputOffset[ll] < s.outIgnore[ll]) {
      reportLayer(
        ctx,
        ll,
        187,
        'error',
        ['out_offset'],
        `With dilation ${d}, \`out_offset\` must be at least 0x${s.outIgnore[ll].toString(16).padStart(4, '0')} (the Conv2d emulation writes ${s.outIgnore[ll]} bytes before the output).`,
      );
    }
  } else {
    reportLayer(
      ctx,
      ll,
      188,
      'error',
      ['kernel_size', 'dilation'],
      `Dilation ${d} with a kernel of ${k} spans more than 9 taps; it needs a kernel of at most 3.`,
    );
  }
}

/** Inserts d−1 zeros between the taps of every 1-D kernel. */
function stretchKernel(w: KernelTensor, k: number, d: number): KernelTensor {
  const n = w.shape[0];
  const len = (k - 1) * d + 1;
  const data = new Int32Array(n * len);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) data[i * len + t * d] = w.data[i * k + t];
  return { shape: [n, len], data };
}

/** Puts each 1-D kernel (length 1–3) into the centre column of a 3×3 kernel, as izer's emulation does. */
function conv1dAs3x3(w: KernelTensor, k: number): KernelTensor {
  const n = w.shape[0];
  const data = new Int32Array(n * 9);
  const rowOffset = k === 1 ? 1 : k === 2 ? 1 : 0;
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) data[i * 9 + (t + rowOffset) * 3 + 1] = w.data[i * k + t];
  return { shape: [n, 3, 3], data };
}

function checkInSequenceMaps(ctx: PassContext, s: IzerState, ll: number): void {
  const ins = s.inSequences[ll];
  if (!ins || ins.some((i) => Number.isNaN(i))) return;
  const db = ctx.model.dataBuffer;
  const mapOf = (lt: number): bigint | null => (lt === -1 ? s.processorMap[0] : lt === -2 ? (db?.processors ?? 0n) : (s.outputProcessorMap[lt] ?? null));
  const maps = ins.map(mapOf);
  if (maps.some((m) => m === null)) return;
  let orMap = 0n;
  let andMap = (1n << 64n) - 1n;
  for (const m of maps) {
    orMap |= m!;
    andMap &= m!;
  }
  const pm = s.processorMap[ll];
  const list = `[${ins.join(', ')}]`;
  if (orMap !== pm)
    reportLayer(
      ctx,
      ll,
      208,
      'warning',
      ['processors', 'in_sequences'],
      `The output processors of the inputs ${list} together are 0x${orMap.toString(16).padStart(16, '0')}, which is not this layer's \`processors\` 0x${pm.toString(16).padStart(16, '0')}.`,
    );
  const inOffset = s.inputOffset[ll] ?? 0;
  const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');
  if (andMap !== pm) {
    if (andMap !== 0n)
      reportLayer(ctx, ll, 209, 'warning', ['in_sequences'], `The inputs ${list} are concatenated by processors, but their output processor maps overlap.`);
    ins.forEach((lt, i) => {
      if (lt !== -1 && lt >= 0 && inOffset !== s.outputOffset[lt]) {
        reportLayer(
          ctx,
          ll,
          210,
          'warning',
          ['in_offset', 'in_sequences'],
          `\`in_offset\` ${hex(inOffset)} (input #${i}) does not match the \`out_offset\` ${hex(s.outputOffset[lt])} of ${layerName(ctx, lt)}.`,
        );
      }
    });
  } else if (s.dimsKnown) {
    let offs = 0;
    ins.forEach((lt, i) => {
      if (lt >= 0 && inOffset + 4 * i !== s.outputOffset[lt] + 4 * s.inputCrop[ll][0] && inOffset + offs !== s.outputOffset[lt]) {
        reportLayer(
          ctx,
          ll,
          211,
          'warning',
          ['in_offset', 'in_sequences'],
          `\`in_offset\` ${hex(inOffset)} (input #${i}) does not match the \`out_offset\` ${hex(s.outputOffset[lt])} of ${layerName(ctx, lt)}.`,
        );
      }
      const od = lt >= 0 ? s.outputDim[lt] : lt === -1 ? s.outputDim[s.outputDim.length - 1] : s.outputDim[s.outputDim.length - 2];
      offs += 4 * od[0] * od[1];
    });
  }
  if (s.operands[ll] === 1) {
    if (s.writeGap[ll] === 0) {
      let minProc = -1;
      let maxProc = -1;
      for (const lt of ins) {
        const m = lt === -1 ? s.processorMap[0] : mapOf(lt)!;
        const first = ffs(m);
        const last = fls(m);
        if (first < minProc)
          reportLayer(
            ctx,
            ll,
            212,
            'warning',
            ['in_sequences'],
            `In \`in_sequences\` ${list}, an earlier input starts at a higher processor (${minProc}) than ${layerName(ctx, lt)} (${first}); concatenated channels must be in processor order.`,
          );
        if (last < maxProc)
          reportLayer(
            ctx,
            ll,
            213,
            'warning',
            ['in_sequences'],
            `In \`in_sequences\` ${list}, an earlier input ends at a higher processor (${maxProc}) than ${layerName(ctx, lt)} (${last}).`,
          );
        minProc = first;
        maxProc = last;
      }
    }
  } else {
    let eltMap = 0n;
    for (const lt of ins) {
      const m = lt === -1 ? s.processorMap[0] : mapOf(lt)!;
      if (eltMap !== 0n && eltMap !== m) {
        reportLayer(
          ctx,
          ll,
          214,
          'error',
          ['in_sequences'],
          `The operands of an element-wise operation must come from the same processors; in ${list}, ${layerName(ctx, lt)} uses 0x${m.toString(16).padStart(16, '0')} but an earlier input uses 0x${eltMap.toString(16).padStart(16, '0')}.`,
        );
      }
      eltMap = m;
    }
  }
  let merged = 0n;
  for (const lt of ins) merged |= lt === -1 ? s.processorMap[0] : lt === -2 ? (db?.processors ?? 0n) : (s.outputProcessorMap[lt] ?? 0n);
  if ((pm & merged) !== pm) {
    reportLayer(
      ctx,
      ll,
      215,
      'warning',
      ['processors'],
      `\`processors\` 0x${pm.toString(16).padStart(16, '0')} enables processors that receive no data from any input in ${list}.`,
    );
  }
}
