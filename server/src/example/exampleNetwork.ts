// The built-in example: a small MAX78000 classifier (network YAML, quantized checkpoint and sample input)
// that the project writes itself, so every command works on a fresh clone without ai8x-synthesis data.
import { writeTorchCheckpoint, TensorSpec } from '../engine/checkpoint/writeCheckpoint';
import { writeNpy } from '../engine/sample/npy';

export const EXAMPLE_NETWORK_YAML = `---
# ai8x: device=MAX78000 checkpoint=tinynet-q.pth.tar sample-input=sample_tinynet.npy izer-flags="--softmax"
# A tiny 4-layer classifier written by ai8x-network-tools as a built-in example.
# Input: 1x16x16 (CHW), output: 10 classes (32-bit wide output for softmax).

arch: ai85tinynet
dataset: tinynet

layers:
  # Layer 0: 1 -> 8 channels, 3x3 convolution on the CHW input
  - processors: 0x0000000000000001
    in_offset: 0x0000
    out_offset: 0x4000
    op: conv2d
    kernel_size: 3x3
    pad: 1
    activate: ReLU
    data_format: CHW
    name: conv1

  # Layer 1: 8 -> 16 channels, 2x2 max-pool to 8x8
  - processors: 0x00000000000000ff
    out_offset: 0x0000
    op: conv2d
    max_pool: 2
    pool_stride: 2
    kernel_size: 3x3
    pad: 1
    activate: ReLU
    name: conv2

  # Layer 2: 16 -> 16 channels, 2x2 max-pool to 4x4
  - processors: 0x000000000000ffff
    out_offset: 0x4000
    op: conv2d
    max_pool: 2
    pool_stride: 2
    kernel_size: 3x3
    pad: 1
    activate: ReLU
    name: conv3

  # Layer 3: flatten 16x4x4 and classify into 10 classes
  - processors: 0x000000000000ffff
    out_offset: 0x0000
    op: mlp
    flatten: true
    output_width: 32
    activate: None
    name: fc
`;

export const EXAMPLE_FILES = {
  network: 'tinynet.yaml',
  checkpoint: 'tinynet-q.pth.tar',
  sample: 'sample_tinynet.npy',
};

/** Deterministic pseudo-random integers in [lo, hi]. */
function ints(seed: number, n: number, lo: number, hi: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out.push(lo + Math.floor(r * (hi - lo + 1)));
  }
  return out;
}

interface LayerDef {
  key: string;
  shape: number[];
  shift: number;
}

const LAYERS: LayerDef[] = [
  { key: 'conv1', shape: [8, 1, 3, 3], shift: -1 },
  { key: 'conv2', shape: [16, 8, 3, 3], shift: 0 },
  { key: 'conv3', shape: [16, 16, 3, 3], shift: 0 },
  { key: 'fc', shape: [10, 256], shift: 1 },
];

const f32 = (shape: number[], values: number[]): TensorSpec => ({ dtype: 'float32', shape, values });

/** The example's quantized checkpoint (torch zip format, 8-bit weights stored as integer-valued floats). */
export function exampleCheckpointBytes(): Uint8Array {
  const stateDict: { key: string; tensor: TensorSpec }[] = [];
  LAYERS.forEach((l, i) => {
    const n = l.shape.reduce((a, b) => a * b, 1);
    const out = l.shape[0];
    stateDict.push({ key: `${l.key}.output_shift`, tensor: f32([1], [l.shift]) });
    stateDict.push({ key: `${l.key}.weight_bits`, tensor: f32([1], [8]) });
    stateDict.push({ key: `${l.key}.bias_bits`, tensor: f32([1], [8]) });
    stateDict.push({ key: `${l.key}.quantize_activation`, tensor: f32([1], [1]) });
    stateDict.push({ key: `${l.key}.adjust_output_shift`, tensor: f32([1], [0]) });
    stateDict.push({ key: `${l.key}.op.weight`, tensor: f32(l.shape, ints(1000 + i, n, -40, 40)) });
    stateDict.push({
      key: `${l.key}.op.bias`,
      tensor: f32(
        [out],
        ints(2000 + i, out, -30, 30).map((b) => b * 128),
      ),
    });
  });
  return writeTorchCheckpoint({ arch: 'ai85tinynet', epoch: 42, stateDict });
}

/** A 1×16×16 int64 sample input: a soft diagonal stripe pattern. */
export function exampleSampleBytes(): Uint8Array {
  const values: number[] = [];
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) values.push(Math.max(-128, Math.min(127, Math.round(100 * Math.sin((x + y) / 3)) - 10)));
  return writeNpy([1, 16, 16], values);
}
