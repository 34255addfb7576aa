// A generated MAX78000 network that takes a while to simulate (for cancellation tests and the benchmark): a stack
// of 3×3 convolutions, C → C channels on an S×S HWC input, with its own checkpoint and sample. Nothing from ../shared.
import { writeTorchCheckpoint, TensorSpec } from '../../server/src/engine/checkpoint/writeCheckpoint';
import { writeNpy } from '../../server/src/engine/sample/npy';

export interface ConvStack {
  yaml: string;
  checkpoint: Uint8Array;
  sample: Uint8Array;
  /** Multiply-accumulates of the whole network. */
  macs: number;
}

function ints(seed: number, n: number, lo: number, hi: number): number[] {
  let a = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((a >>> 8) % (hi - lo + 1));
  }
  return out;
}

/** `layers` conv2d 3×3 layers (pad 1, ReLU) with `channels` (≤ 64) in and out on a `size`×`size` input. */
export function convStack(layers: number, channels = 64, size = 64): ConvStack {
  const mask = '0x' + (channels === 64 ? 'ffffffffffffffff' : ((1n << BigInt(channels)) - 1n).toString(16).padStart(16, '0'));
  let yaml = `---\n# A generated stack of ${layers} 3x3 convolutions (${channels} channels, ${size}x${size}).\narch: convstack\ndataset: convstack\n\nlayers:\n`;
  for (let i = 0; i < layers; i++) {
    yaml += `  - processors: ${mask}\n    out_offset: ${i % 2 === 0 ? '0x4000' : '0x0000'}\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    name: conv${i}\n`;
  }
  const stateDict: { key: string; tensor: TensorSpec }[] = [];
  for (let i = 0; i < layers; i++) {
    const shape = [channels, channels, 3, 3];
    const n = channels * channels * 9;
    const f32 = (s: number[], v: number[]): TensorSpec => ({ dtype: 'float32', shape: s, values: v });
    stateDict.push({ key: `conv${i}.output_shift`, tensor: f32([1], [-2]) });
    stateDict.push({ key: `conv${i}.weight_bits`, tensor: f32([1], [8]) });
    stateDict.push({ key: `conv${i}.bias_bits`, tensor: f32([1], [8]) });
    stateDict.push({ key: `conv${i}.op.weight`, tensor: f32(shape, ints(10 + i, n, -12, 12)) });
    stateDict.push({
      key: `conv${i}.op.bias`,
      tensor: f32(
        [channels],
        ints(50 + i, channels, -8, 8).map((b) => b * 128),
      ),
    });
  }
  const checkpoint = writeTorchCheckpoint({ arch: 'convstack', epoch: 1, stateDict });
  const sample = writeNpy([channels, size, size], ints(99, channels * size * size, -128, 127));
  return { yaml, checkpoint, sample, macs: layers * channels * channels * 9 * size * size };
}
