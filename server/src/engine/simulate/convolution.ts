// Conv2d / Linear (a 1×1 Conv2d, izer-compute §2.2, §2.5), ConvTranspose2d (§2.3) and Conv1d (§2.4), all as a
// correlation of a zero-padded (and for ConvTranspose2d zero-stuffed) input. These return the raw
// accumulators (Σ w·x + 128·bias); the output stage is applied by the caller.
import { CorrelateArgs, correlate, isExact } from './correlate';
import { SimulationError, SIM } from './simulationError';
import { Tensor3, tensor3 } from './tensor';

export interface ConvParams {
  /** izer layer number, for messages. */
  layer: number;
  cout: number;
  groups: number;
  kernel: [number, number];
  pad: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** O × (Cin/g) × kh × kw (for Conv1d: O × (Cin/g) × k). ConvTranspose2d: already flipped and transposed. */
  weights: Int32Array;
  bias: Int32Array | null;
  /** 128 on both devices (BIAS_DIV). */
  biasScale: number;
}

export interface ConvResult {
  acc: Tensor3;
  /** Multiply-accumulates as izer's statistics count them: (Cin/g)·kh·kw·Cout·Hout·Wout. */
  macs: number;
}

export function* conv2d(x: Tensor3, p: ConvParams): Generator<void, ConvResult, void> {
  const [kh, kw] = p.kernel;
  const [pr, pc] = p.pad;
  const [sh, sw] = p.stride;
  const [dh, dw] = p.dilation;
  checkKernels(x.c, p, kh * kw);
  const ho = Math.floor((x.h - dh * (kh - 1) - 1 + 2 * pr) / sh) + 1;
  const wo = Math.floor((x.w - dw * (kw - 1) - 1 + 2 * pc) / sw) + 1;
  if (ho < 1 || wo < 1) {
    throw new SimulationError(SIM.badInput, `Layer ${p.layer}: a ${kh}x${kw} kernel with pad ${pr}/${pc} does not fit the ${x.h}x${x.w} input.`, p.layer);
  }
  const hp = x.h + 2 * pr;
  const wp = x.w + 2 * pc;
  const xp = pr === 0 && pc === 0 ? x.data : padded(x, hp, wp, pr, pc);
  const acc = yield* run(p, {
    x: xp,
    cin: x.c,
    hp,
    wp,
    rowLive: null,
    w: p.weights,
    cout: p.cout,
    groups: p.groups,
    kh,
    kw,
    dh,
    dw,
    sh,
    sw,
    ho,
    wo,
    bias: p.bias,
    biasScale: p.biasScale,
  });
  return { acc: tensor3(p.cout, ho, wo, acc), macs: (x.c / p.groups) * kh * kw * p.cout * ho * wo };
}

/**
 * ConvTranspose2d: zero-stuff by the stride (2), pad q = d·(k−1) − pad rows/columns before and q + output_pad
 * after, then correlate at stride 1 with the flipped, transposed kernels izer stores.
 */
export function* convTranspose2d(x: Tensor3, p: ConvParams, outputPad: [number, number]): Generator<void, ConvResult, void> {
  const [kh, kw] = p.kernel;
  const [fh, fw] = p.stride;
  const [dh, dw] = p.dilation;
  checkKernels(x.c, p, kh * kw);
  const qh = dh * (kh - 1) - p.pad[0];
  const qw = dw * (kw - 1) - p.pad[1];
  if (qh < 0 || qw < 0) {
    throw new SimulationError(SIM.unsupported, `Layer ${p.layer}: ConvTranspose2d pad ${p.pad[0]} is larger than the kernel allows.`, p.layer);
  }
  const hp = x.h * fh - 1 + 2 * qh + outputPad[0];
  const wp = x.w * fw - 1 + 2 * qw + outputPad[1];
  const ho = hp - dh * (kh - 1);
  const wo = wp - dw * (kw - 1);
  const buf = new Float64Array(x.c * hp * wp);
  const rowLive = new Uint8Array(hp);
  for (let i = 0; i < x.h; i++) rowLive[qh + i * fh] = 1;
  for (let c = 0; c < x.c; c++) {
    for (let i = 0; i < x.h; i++) {
      const src = (c * x.h + i) * x.w;
      const dst = (c * hp + qh + i * fh) * wp + qw;
      for (let j = 0; j < x.w; j++) buf[dst + j * fw] = x.data[src + j];
    }
  }
  const acc = yield* run(p, {
    x: buf,
    cin: x.c,
    hp,
    wp,
    rowLive,
    w: p.weights,
    cout: p.cout,
    groups: p.groups,
    kh,
    kw,
    dh,
    dw,
    sh: 1,
    sw: 1,
    ho,
    wo,
    bias: p.bias,
    biasScale: p.biasScale,
  });
  return { acc: tensor3(p.cout, ho, wo, acc), macs: (x.c / p.groups) * kh * kw * p.cout * ho * wo };
}

/**
 * Conv1d on C×L×1 data: computed as a 1×k correlation over a 1×L plane (same memory layout, long inner rows).
 * p.kernel[0], p.pad[0], p.stride[0] and p.dilation[0] are used. The result is Cout×Lout×1.
 */
export function* conv1d(x: Tensor3, p: ConvParams): Generator<void, ConvResult, void> {
  const k = p.kernel[0];
  const pad = p.pad[0];
  const s = p.stride[0];
  const d = p.dilation[0];
  const len = x.h * x.w;
  checkKernels(x.c, p, k);
  const lo = Math.floor((len - d * (k - 1) - 1 + 2 * pad) / s) + 1;
  if (lo < 1) {
    throw new SimulationError(SIM.badInput, `Layer ${p.layer}: a kernel of ${k} with dilation ${d} and pad ${pad} does not fit length ${len}.`, p.layer);
  }
  const flat = tensor3(x.c, 1, len, x.data);
  const wp = len + 2 * pad;
  const xp = pad === 0 ? x.data : padded(flat, 1, wp, 0, pad);
  const acc = yield* run(p, {
    x: xp,
    cin: x.c,
    hp: 1,
    wp,
    rowLive: null,
    w: p.weights,
    cout: p.cout,
    groups: p.groups,
    kh: 1,
    kw: k,
    dh: 1,
    dw: d,
    sh: 1,
    sw: s,
    ho: 1,
    wo: lo,
    bias: p.bias,
    biasScale: p.biasScale,
  });
  return { acc: tensor3(p.cout, lo, 1, acc), macs: (x.c / p.groups) * k * p.cout * lo };
}

function* run(p: ConvParams, args: CorrelateArgs): Generator<void, Float64Array, void> {
  if (!isExact(args)) {
    throw new SimulationError(
      SIM.unsupported,
      `Layer ${p.layer}: the accumulator could exceed 2^53 (the input holds raw 32-bit values), beyond exact simulation.`,
      p.layer,
    );
  }
  return yield* correlate(args);
}

function checkKernels(cin: number, p: ConvParams, taps: number): void {
  const g = p.groups;
  if (g < 1 || cin % g !== 0) {
    throw new SimulationError(SIM.badInput, `Layer ${p.layer}: ${cin} input channels cannot be split into ${g} groups.`, p.layer);
  }
  const cpg = cin / g;
  // izer maps output channel o to input channels o·(Cin/g)…; beyond Cin it fails with an index error.
  if (g > 1 && p.cout * cpg > cin) {
    throw new SimulationError(
      SIM.unsupported,
      `Layer ${p.layer}: grouped convolution with ${p.cout} outputs over ${cin} inputs in ${g} groups is only simulated ` +
        'when it is depthwise (groups = in_channels = out_channels).',
      p.layer,
    );
  }
  const need = p.cout * cpg * taps;
  if (p.weights.length !== need) {
    throw new SimulationError(
      'IZ275',
      `Layer ${p.layer}: the kernel data has ${p.weights.length} values, but ${p.cout} outputs × ${cpg} inputs × ${taps} ` +
        `taps need ${need} (in_channels, out_channels or flatten do not match the checkpoint).`,
      p.layer,
    );
  }
  if (p.bias && p.bias.length < p.cout) {
    throw new SimulationError(SIM.badInput, `Layer ${p.layer}: ${p.bias.length} bias values for ${p.cout} output channels.`, p.layer);
  }
}

/** Copy of x with pr zero rows above/below and pc zero columns left/right. */
function padded(x: Tensor3, hp: number, wp: number, pr: number, pc: number): Float64Array {
  const out = new Float64Array(x.c * hp * wp);
  for (let c = 0; c < x.c; c++) {
    for (let i = 0; i < x.h; i++) {
      const src = (c * x.h + i) * x.w;
      out.set(x.data.subarray(src, src + x.w), (c * hp + pr + i) * wp + pc);
    }
  }
  return out;
}
