// Per-operation arithmetic of the simulator against cases computed by hand from izer-compute §1–2.
import * as assert from 'node:assert/strict';
import { simulate, SimulationError } from '../../../server/src/engine/simulate';
import type { SimulationFlags } from '../../../server/src/engine/simulate';
import type { LayerPlan } from '../../../server/src/engine/analysis/networkPlan';
import { layer, network, sample, values } from './handPlan';

/** Runs a one-layer network on a C×H×W sample and returns the output values. */
function run1(l: LayerPlan, shape: [number, number, number], input: number[], flags: Partial<SimulationFlags> = {}): number[] {
  const r = simulate(network([l], shape), sample(shape, input), { device: 'MAX78002', flags });
  return values(r.output.values);
}

describe('simulator: Conv2d', () => {
  it('3×3 pad 1 sums the 3×3 neighbourhood with zero padding (shift 7 = identity scale)', () => {
    // x = 1..9 on a 3×3 plane, all-ones kernel; corner = 1+2+4+5, edge = 1+2+3+4+5+6, centre = 45.
    const l = layer(0, { inChannels: 1, outChannels: 1, inDim: [3, 3], weights: Array(9).fill(1), outputShift: 7 });
    assert.deepEqual(run1(l, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), [12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('is a correlation: kernel tap (1,2) reads the right-hand neighbour', () => {
    const w = [0, 0, 0, 0, 0, 1, 0, 0, 0];
    const l = layer(0, { inChannels: 1, outChannels: 1, inDim: [3, 3], weights: w, outputShift: 7 });
    assert.deepEqual(run1(l, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), [2, 3, 0, 5, 6, 0, 8, 9, 0]);
  });

  it('sums over input channels with per-output kernels and adds bias ×128', () => {
    // 2 in, 2 out, 1×1. o0 = 1·x0 + 2·x1 + 128·1; o1 = −x0 + 0·x1 + 128·(−1). Shift 7: y = acc, clipped.
    const l = layer(0, {
      inChannels: 2,
      outChannels: 2,
      inDim: [1, 2],
      kernelSize: [1, 1],
      pad: [0, 0],
      weights: [1, 2, -1, 0],
      bias: [1, -1],
      outputShift: 7,
    });
    // x0 = [3, −100], x1 = [4, 10]: o0 = [3+8+128 → 127, −100+20+128 = 48]; o1 = [−3−128 → −128, 100−128 = −28].
    assert.deepEqual(run1(l, [2, 1, 2], [3, -100, 4, 10]), [127, 48, -128, -28]);
  });

  it('depthwise (groups = channels) keeps the channels apart', () => {
    const l = layer(0, { inChannels: 2, outChannels: 2, inDim: [1, 2], kernelSize: [1, 1], pad: [0, 0], groups: 2, weights: [2, 3], outputShift: 7 });
    assert.deepEqual(run1(l, [2, 1, 2], [1, 2, 10, 20]), [2, 4, 30, 60]);
  });

  it('kernel bypass (MAX78002) sums the k0×k0 window over every input channel with all-ones kernels; bias still applies', () => {
    // 2 in, 1 out, 3×3 window, pad 1, shift 7 (identity scale): o = Σ over both channels of the neighbourhood + bias·128.
    const l = layer(0, { inChannels: 2, outChannels: 1, inDim: [1, 2], bypass: true, quantization: 8, bias: [0], outputShift: 7 });
    assert.deepEqual(run1(l, [2, 1, 2], [1, 2, 10, 20]), [33, 33]);
    const withBias = layer(0, { inChannels: 2, outChannels: 1, inDim: [1, 2], bypass: true, quantization: 8, bias: [-1], outputShift: 7 });
    assert.deepEqual(run1(withBias, [2, 1, 2], [1, 2, 10, 20]), [-95, -95]);
    // Depthwise bypass keeps the channels apart.
    const dw = layer(0, { inChannels: 2, outChannels: 2, inDim: [1, 2], bypass: true, groups: 2, quantization: 8, outputShift: 7 });
    assert.deepEqual(run1(dw, [2, 1, 2], [1, 2, 10, 20]), [3, 3, 30, 30]);
  });

  it('binary ±1 weights are used as literal ±1 (total shift 7 from the implicit 8 − 1)', () => {
    const l = layer(0, { inChannels: 2, outChannels: 1, inDim: [1, 1], kernelSize: [1, 1], pad: [0, 0], quantization: -1, weights: [1, -1], outputShift: 7 });
    assert.deepEqual(run1(l, [2, 1, 1], [5, 3]), [2]);
  });

  it('1-bit weights are literal −1/0', () => {
    const l = layer(0, {
      inChannels: 3,
      outChannels: 1,
      inDim: [1, 1],
      kernelSize: [1, 1],
      pad: [0, 0],
      quantization: 1,
      weights: [-1, 0, -1],
      outputShift: 7,
    });
    assert.deepEqual(run1(l, [3, 1, 1], [5, 100, -9]), [4]);
  });
});

describe('simulator: output stage (rounding, shift, clamp, activation, width)', () => {
  const oneByOne = (extra: Omit<Partial<LayerPlan>, 'weights' | 'bias'> & { weights?: number[]; bias?: number[] }, w: number) =>
    layer(0, { inChannels: 1, outChannels: 1, inDim: [1, w], kernelSize: [1, 1], pad: [0, 0], weights: [1], ...extra });

  it('shift 0 divides by 128 rounding half toward +∞', () => {
    // 64/128 = 0.5 → 1; 63/128 → 0; −64/128 = −0.5 → 0; −65/128 → −1.
    assert.deepEqual(run1(oneByOne({ outputShift: 0 }, 4), [1, 1, 4], [64, 63, -64, -65]), [1, 0, 0, -1]);
  });

  it('shift 1 divides by 64 with the same rounding', () => {
    assert.deepEqual(run1(oneByOne({ outputShift: 1 }, 4), [1, 1, 4], [32, 31, -32, -33]), [1, 0, 0, -1]);
  });

  it('clips to −128..127 only at the end', () => {
    // 127·127 + 128·127 = 32385 → /128 = 253.0 → 127;  −128·127 + 128·(−128) = −32640 → −255 → −128.
    const hi = oneByOne({ outputShift: 0, weights: [127], bias: [127] }, 1);
    const lo = oneByOne({ outputShift: 0, weights: [127], bias: [-128] }, 1);
    assert.deepEqual(run1(hi, [1, 1, 1], [127]), [127]);
    assert.deepEqual(run1(lo, [1, 1, 1], [-128]), [-128]);
  });

  it('a total shift above 7 multiplies (shift 9 = ×4)', () => {
    assert.deepEqual(run1(oneByOne({ outputShift: 9 }, 3), [1, 1, 3], [3, -40, 31]), [12, -128, 124]);
  });

  it('ReLU clips to 0..127 and Abs gives |y| capped at 127', () => {
    assert.deepEqual(run1(oneByOne({ outputShift: 7, activation: 'relu' }, 3), [1, 1, 3], [-5, 0, 9]), [0, 0, 9]);
    assert.deepEqual(run1(oneByOne({ outputShift: 7, activation: 'abs' }, 3), [1, 1, 3], [-5, -128, 9]), [5, 127, 9]);
  });

  it('32-bit output is the bare accumulator Σw·x + 128·bias: no shift, no rounding, no clamp', () => {
    // 100·100 + 128·3 = 10384; −100·100 + 384 = −9616 (the shift of −2 is ignored).
    const l = oneByOne({ outputShift: -2, outputWidth: 32, weights: [100], bias: [3] }, 2);
    assert.deepEqual(run1(l, [1, 1, 2], [100, -100]), [10384, -9616]);
  });

  it('32-bit output with ReLU (allowed on intermediate layers) clips the raw accumulator to 0..127', () => {
    const l = oneByOne({ outputShift: 0, outputWidth: 32, activation: 'relu', weights: [100] }, 3);
    assert.deepEqual(run1(l, [1, 1, 3], [100, -100, 1]), [127, 0, 100]);
  });
});

describe('simulator: pooling', () => {
  // Six 2×2 windows on a 2×12 plane with sums −3, −6, −10, 10, 6, −2 (averages −0.75, −1.5, −2.5, 2.5, 1.5, −0.5).
  const top = [-1, -1, -2, -2, -3, -3, 3, 3, 2, 2, -1, -1];
  const bottom = [-1, 0, -1, -1, -2, -2, 2, 2, 1, 1, 0, 0];
  const poolLayer = (average: boolean) =>
    layer(0, {
      op: 'none',
      inChannels: 1,
      outChannels: 1,
      inDim: [2, 12],
      pooledDim: [1, 6],
      pool: [2, 2],
      poolStride: [2, 2],
      poolAverage: average,
      quantization: 0,
    });

  it('average pooling truncates toward zero by default (−0.75 → 0, −1.5 → −1, −2.5 → −2)', () => {
    assert.deepEqual(run1(poolLayer(true), [1, 2, 12], [...top, ...bottom]), [0, -1, -2, 2, 1, 0]);
  });

  it('--avg-pool-rounding rounds half away from zero (−2.5 → −3, 2.5 → 3, −0.5 → −1)', () => {
    assert.deepEqual(run1(poolLayer(true), [1, 2, 12], [...top, ...bottom], { avgPoolRounding: true }), [-1, -2, -3, 3, 2, -1]);
  });

  it('max pooling takes the window maximum', () => {
    assert.deepEqual(run1(poolLayer(false), [1, 2, 12], [...top, ...bottom]), [0, -1, -2, 3, 2, 0]);
  });

  it('pool 1×1 with stride 2 subsamples x[::2, ::2] (ceil size)', () => {
    const l = layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [3, 3], pooledDim: [2, 2], poolStride: [2, 2], quantization: 0 });
    assert.deepEqual(run1(l, [1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 3, 7, 9]);
  });

  it('pool dilation 2 with a 2×2 pool reads every other row and column', () => {
    // 4×4 plane 0..15, pool 2 dilation 2 stride 1: pooled (4+1−2−2+1) = 2 per dim; window (0,0) = {0,2,8,10}.
    const l = layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [4, 4], pooledDim: [2, 2], pool: [2, 2], poolDilation: [2, 2], quantization: 0 });
    const x = Array.from({ length: 16 }, (_, i) => i);
    assert.deepEqual(run1(l, [1, 4, 4], x), [10, 11, 14, 15]);
  });

  it('refuses pool ≥ 3 with dilation ≥ 2, where izer reads past the channel', () => {
    const l = layer(0, { op: 'none', inChannels: 1, outChannels: 1, inDim: [6, 6], pooledDim: [2, 2], pool: [3, 3], poolDilation: [2, 2], quantization: 0 });
    assert.throws(
      () => run1(l, [1, 6, 6], Array(36).fill(1)),
      (e: unknown) => e instanceof SimulationError && e.code === 'AX400',
    );
  });

  it('1-D average honours dilation, truncates, and averages only the in-range part of the last window', () => {
    // L = 7, pool 3, dilation 2, stride 1 → (7+1−3−2+1) = 4 windows {0,2,4} {1,3,5} {2,4,6} {3,5,(7)}:
    // 30, 40, 50 and (40+60)/2 = 50. Then a 1×1 Conv1d with weight 1 and shift 7 passes the values on.
    const l = layer(0, {
      op: 'conv1d',
      inChannels: 1,
      outChannels: 1,
      inDim: [7, 1],
      pooledDim: [4, 1],
      outDim: [4, 1],
      kernelSize: [1, 1],
      pad: [0, 0],
      pool: [3, 1],
      poolStride: [1, 1],
      poolDilation: [2, 1],
      poolAverage: true,
      weights: [1],
      outputShift: 7,
    });
    assert.deepEqual(run1(l, [1, 7, 1], [10, 20, 30, 40, 50, 60, 70]), [30, 40, 50, 50]);
  });

  it('1-D max pooling ignores pool dilation', () => {
    const l = layer(0, {
      op: 'conv1d',
      inChannels: 1,
      outChannels: 1,
      inDim: [7, 1],
      pooledDim: [4, 1],
      outDim: [4, 1],
      kernelSize: [1, 1],
      pad: [0, 0],
      pool: [3, 1],
      poolStride: [1, 1],
      poolDilation: [2, 1],
      weights: [1],
      outputShift: 7,
    });
    assert.deepEqual(run1(l, [1, 7, 1], [10, 20, 30, 40, 50, 60, 70]), [30, 40, 50, 60]);
  });

  it('1-D average ignores --avg-pool-rounding (−1.5 stays −1)', () => {
    const l = layer(0, {
      op: 'conv1d',
      inChannels: 1,
      outChannels: 1,
      inDim: [2, 1],
      pooledDim: [1, 1],
      outDim: [1, 1],
      kernelSize: [1, 1],
      pad: [0, 0],
      pool: [2, 1],
      poolStride: [2, 1],
      poolAverage: true,
      weights: [1],
      outputShift: 7,
    });
    assert.deepEqual(run1(l, [1, 2, 1], [-1, -2], { avgPoolRounding: true }), [-1]);
  });
});

describe('simulator: element-wise operators', () => {
  const elt = (eltwise: LayerPlan['eltwise'], operands: number, w: number) =>
    layer(0, { op: 'none', eltwise, operands, inChannels: 1, outChannels: 1, inDim: [1, w], quantization: 0 });

  it('3-operand add clamps once at the end: 100 + 100 − 100 = 100 (not 27)', () => {
    // Input channels are the operands: ch0 = X0, ch1 = X1, ch2 = X2.
    assert.deepEqual(run1(elt('add', 3, 2), [3, 1, 2], [100, 1, 100, 2, -100, 3]), [100, 6]);
  });

  it('sub runs left to right and saturates: 10 − 20 − 120 = −130 → −128', () => {
    assert.deepEqual(run1(elt('sub', 3, 1), [3, 1, 1], [10, 20, 120]), [-128]);
  });

  it('xor and or work on two’s complement: −1 ^ 5 ^ 3 = −7, −128 | 1 | 2 = −125', () => {
    assert.deepEqual(run1(elt('xor', 3, 1), [3, 1, 1], [-1, 5, 3]), [-7]);
    assert.deepEqual(run1(elt('or', 3, 1), [3, 1, 1], [-128, 1, 2]), [-125]);
  });

  it('16 operands are accepted', () => {
    assert.deepEqual(run1(elt('add', 16, 1), [16, 1, 1], Array(16).fill(5)), [80]);
  });

  it('pool_first false adds and clips before pooling; pool_first true pools each operand first', () => {
    // X0 = all 100; X1 = [100, −50, 20, 30] on 2×2. Add → [200, 50, 120, 130] → clip [127, 50, 120, 127] → avg 106.
    // Pool first: avg X0 = 100, avg X1 = 25 → 125.
    const mk = (poolFirst: boolean) =>
      layer(0, {
        op: 'none',
        eltwise: 'add',
        operands: 2,
        poolFirst,
        inChannels: 1,
        outChannels: 1,
        inDim: [2, 2],
        pooledDim: [1, 1],
        pool: [2, 2],
        poolStride: [2, 2],
        poolAverage: true,
        quantization: 0,
      });
    const x = [100, 100, 100, 100, 100, -50, 20, 30];
    assert.deepEqual(run1(mk(false), [2, 2, 2], x), [106]);
    assert.deepEqual(run1(mk(true), [2, 2, 2], x), [125]);
  });

  it('in-flight add before a convolution feeds the clipped sum to the kernels', () => {
    // X0 = [100], X1 = [100]: sum 200 → 127, then 1×1 conv ×1 with shift 7.
    const l = layer(0, {
      eltwise: 'add',
      operands: 2,
      inChannels: 1,
      outChannels: 1,
      inDim: [1, 1],
      kernelSize: [1, 1],
      pad: [0, 0],
      weights: [1],
      outputShift: 7,
    });
    assert.deepEqual(run1(l, [2, 1, 1], [100, 100]), [127]);
  });
});

describe('simulator: Linear, Conv1d, ConvTranspose2d', () => {
  it('flatten orders the input as c·H·W + h·W + w (PyTorch view)', () => {
    // x = ch0 [[1,2],[3,4]], ch1 [[5,6],[7,8]] → flat [1..8]. o0 = x[0] − x[7] = −7; o1 = x[1] + 2·x[4] = 12.
    const w = [1, 0, 0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 2, 0, 0, 0];
    const l = layer(0, {
      op: 'linear',
      flatten: true,
      inChannels: 2,
      outChannels: 2,
      inDim: [2, 2],
      pooledDim: [2, 2],
      outDim: [1, 1],
      weights: w,
      outputShift: 7,
    });
    assert.deepEqual(run1(l, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), [-7, 12]);
  });

  it('Conv1d with dilation 2: y[t] = w0·x[t] + w1·x[t+2] + w2·x[t+4] (32-bit to see it whole)', () => {
    const l = layer(0, {
      op: 'conv1d',
      inChannels: 1,
      outChannels: 1,
      inDim: [8, 1],
      outDim: [4, 1],
      kernelSize: [3, 1],
      pad: [0, 0],
      dilation: [2, 1],
      weights: [1, 10, 100],
      outputWidth: 32,
    });
    assert.deepEqual(run1(l, [1, 8, 1], [1, 2, 3, 4, 5, 6, 7, 8]), [531, 642, 753, 864]);
  });

  it('Conv1d with dilation 6 (the Conv2d-hardware path) gives the same arithmetic', () => {
    const l = layer(0, {
      op: 'conv1d',
      hwOp: 'conv2d',
      inChannels: 1,
      outChannels: 1,
      inDim: [16, 1],
      outDim: [4, 1],
      kernelSize: [3, 1],
      pad: [0, 0],
      dilation: [6, 1],
      weights: [1, 10, 100],
      outputWidth: 32,
    });
    const x = Array.from({ length: 16 }, (_, i) => i + 1);
    assert.deepEqual(run1(l, [1, 16, 1], x), [1371, 1482, 1593, 1704]);
  });

  it('Conv1d pads both ends and sums over channels', () => {
    // 2 channels, L = 3, k = 3, pad 1: y[t] = Σ_c Σ_u w[c][u]·x[c][t+u−1]; w = ch0 [1,1,1], ch1 [0,0,−1].
    const l = layer(0, {
      op: 'conv1d',
      inChannels: 2,
      outChannels: 1,
      inDim: [3, 1],
      kernelSize: [3, 1],
      pad: [1, 0],
      weights: [1, 1, 1, 0, 0, -1],
      outputShift: 7,
    });
    // ch0 = [1,2,3], ch1 = [10,20,30]: t0 = (0+1+2) − 20 = −17; t1 = 6 − 30 = −24; t2 = (2+3+0) − 0 = 5.
    assert.deepEqual(run1(l, [2, 3, 1], [1, 2, 3, 10, 20, 30]), [-17, -24, 5]);
  });

  it('ConvTranspose2d (stride 2, pad 1, output pad 1) places each input at 2i−1+k of the PyTorch kernel', () => {
    // PyTorch kernel W: W[0][0] = 1, W[1][1] = 10, W[2][2] = 100; out[2i−1+ky][2j−1+kx] += x[i][j]·W[ky][kx].
    // izer stores W' = W flipped in both axes: W'[2][2] = 1, W'[1][1] = 10, W'[0][0] = 100.
    // x = [[1,2],[3,4]] → out (4×4): (0,0)=10·1, (0,2)=10·2, (2,0)=10·3, (2,2)=10·4, (1,1)=1·4+100·1, (1,3)=100·2,
    // (3,1)=100·3, (3,3)=100·4.
    const wPrime = [100, 0, 0, 0, 10, 0, 0, 0, 1];
    const l = layer(0, { op: 'convtranspose2d', inChannels: 1, outChannels: 1, inDim: [2, 2], outDim: [4, 4], weights: wPrime, outputWidth: 32 });
    assert.deepEqual(run1(l, [1, 2, 2], [1, 2, 3, 4]), [10, 0, 20, 0, 0, 104, 0, 200, 30, 0, 40, 0, 0, 300, 0, 400]);
  });

  it('passthrough copies its input unchanged', () => {
    const l = layer(0, { op: 'none', inChannels: 2, outChannels: 2, inDim: [1, 2], quantization: 0 });
    assert.deepEqual(run1(l, [2, 1, 2], [-128, 127, 0, 5]), [-128, 127, 0, 5]);
  });

  it('rejects kernels that do not match the layer (izer cannot reshape them)', () => {
    const l = layer(0, { inChannels: 2, outChannels: 1, inDim: [1, 1], kernelSize: [1, 1], pad: [0, 0], weights: [1] });
    assert.throws(
      () => run1(l, [2, 1, 1], [1, 2]),
      (e: unknown) => e instanceof SimulationError && e.code === 'IZ275',
    );
  });
});
