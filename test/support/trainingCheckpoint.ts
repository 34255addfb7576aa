// A training checkpoint (float weights, as ai8x-training saves them after quantization-aware training) for the
// built-in example network (tinynet.yaml), written by the project's own checkpoint writer: what `ai8x quantize`,
// the AX202 quick fix and new-network's quantizing on the way start from in the tests.
import { writeTorchCheckpoint, TensorSpec } from '../../server/src/engine/checkpoint/writeCheckpoint';

const LAYERS = [
  { key: 'conv1', shape: [8, 1, 3, 3] },
  { key: 'conv2', shape: [16, 8, 3, 3] },
  { key: 'conv3', shape: [16, 16, 3, 3] },
  { key: 'fc', shape: [10, 256] },
];

/** Deterministic values in (−scale, scale), of one seed. */
function floats(seed: number, n: number, scale: number): number[] {
  let a = seed >>> 0;
  return Array.from({ length: n }, () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return ((a / 4294967296) * 2 - 1) * scale;
  });
}

const f32 = (shape: number[], values: number[]): TensorSpec => ({ dtype: 'float32', shape, values });

/** tinynet's training checkpoint: `<layer>.op.weight`/`.op.bias` floats and the QAT keys ai8x-training saves. */
export function exampleTrainingCheckpointBytes(prefix = ''): Uint8Array {
  const stateDict: { key: string; tensor: TensorSpec }[] = [];
  LAYERS.forEach((l, i) => {
    const n = l.shape.reduce((a, b) => a * b, 1);
    const k = `${prefix}${l.key}`;
    stateDict.push({ key: `${k}.output_shift`, tensor: f32([1], [0]) });
    stateDict.push({ key: `${k}.weight_bits`, tensor: f32([1], [8]) });
    stateDict.push({ key: `${k}.bias_bits`, tensor: f32([1], [8]) });
    stateDict.push({ key: `${k}.quantize_activation`, tensor: f32([1], [1]) });
    stateDict.push({ key: `${k}.adjust_output_shift`, tensor: f32([1], [1]) });
    stateDict.push({ key: `${k}.shift_quantile`, tensor: f32([1], [1]) });
    stateDict.push({ key: `${k}.op.weight`, tensor: f32(l.shape, floats(100 + i, n, 0.3)) });
    stateDict.push({ key: `${k}.op.bias`, tensor: f32([l.shape[0]], floats(200 + i, l.shape[0], 0.05)) });
  });
  return writeTorchCheckpoint({
    arch: 'ai85tinynet',
    epoch: 199,
    stateDict,
    extras: { kind: 'dict', entries: [['best_top1', 97.25]] },
  });
}
