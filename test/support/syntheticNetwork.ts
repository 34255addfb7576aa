// Small networks with generated checkpoints and samples, for analysis tests that must not need ../shared.
import type { ResolvedInputs } from '../../server/src/engine/check';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { writeTorchCheckpoint, TensorSpec } from '../../server/src/engine/checkpoint/writeCheckpoint';
import { readNpy, writeNpy } from '../../server/src/engine/sample/npy';

export interface SyntheticLayer {
  key: string;
  /** PyTorch weight shape, e.g. [out, in, 3, 3] or [out, in] for Linear. */
  shape: number[];
  bias?: boolean;
  shift?: number;
}

function ints(seed: number, n: number, lo: number, hi: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out.push(lo + (a % (hi - lo + 1)));
  }
  return out;
}

/** A quantized checkpoint (torch zip) with these layers: seeded 8-bit weights, optional bias and shift. */
export function syntheticCheckpointBytes(layers: SyntheticLayer[], arch = 'synthnet'): Uint8Array {
  const stateDict: { key: string; tensor: TensorSpec }[] = [];
  layers.forEach((l, i) => {
    const n = l.shape.reduce((a, b) => a * b, 1);
    stateDict.push({ key: `${l.key}.output_shift`, tensor: { dtype: 'float32', shape: [1], values: [l.shift ?? 0] } });
    stateDict.push({ key: `${l.key}.weight_bits`, tensor: { dtype: 'float32', shape: [1], values: [8] } });
    stateDict.push({ key: `${l.key}.op.weight`, tensor: { dtype: 'float32', shape: l.shape, values: ints(i + 1, n, -20, 20) } });
    if (l.bias)
      stateDict.push({
        key: `${l.key}.op.bias`,
        tensor: { dtype: 'float32', shape: [l.shape[0]], values: ints(i + 100, l.shape[0], -10, 10).map((b) => b * 128) },
      });
  });
  return writeTorchCheckpoint({ arch, epoch: 1, stateDict });
}

/** A seeded int64 sample input of this shape. */
export function syntheticSampleBytes(shape: number[]): Uint8Array {
  return writeNpy(
    shape,
    ints(
      7,
      shape.reduce((a, b) => a * b, 1),
      -128,
      127,
    ),
  );
}

/** Engine inputs for a checkpoint with these layers (arch `synthnet`) and a sample of `sampleShape`. */
export function syntheticInputs(layers: SyntheticLayer[], sampleShape: number[], arch = 'synthnet'): ResolvedInputs {
  return {
    checkpoint: readCheckpoint(syntheticCheckpointBytes(layers, arch)),
    checkpointPath: '/synthetic/synthnet-q.pth.tar',
    sample: readNpy(syntheticSampleBytes(sampleShape)),
    samplePath: '/synthetic/sample.npy',
  };
}
