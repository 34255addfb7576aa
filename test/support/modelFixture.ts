// A small ai8x-training model written by the tests, with a quantized checkpoint whose weights fit it and a sample
// input: for the new-network CLI, LSP and real-VS-Code tests (no ../shared needed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeTorchCheckpoint } from '../../server/src/engine/checkpoint/writeCheckpoint';
import { writeNpy } from '../../server/src/engine/sample/npy';

export const TINY_MODEL_SOURCE = `###################################################################################################
# A tiny model for the tests
###################################################################################################
"""
Tiny network: two convolutions and a classifier
"""
from torch import nn

import ai8x


class TinyNet(nn.Module):
    """
    Tiny CNN
    """
    def __init__(self, num_classes=10, num_channels=3, dimensions=(8, 8), planes=8, bias=False, **kwargs):
        super().__init__()
        dim = dimensions[0]
        self.conv1 = ai8x.FusedConv2dReLU(num_channels, planes, 3, padding=1, bias=bias, **kwargs)
        self.conv2 = ai8x.FusedMaxPoolConv2dReLU(planes, planes, 3, pool_size=2, pool_stride=2,
                                                 padding=1, bias=bias, **kwargs)
        dim //= 2
        self.fc = ai8x.Linear(planes * dim * dim, num_classes, bias=True, wide=True, **kwargs)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')

    def forward(self, x):  # pylint: disable=arguments-differ
        """Forward prop"""
        x = self.conv1(x)
        x = self.conv2(x)
        x = x.view(x.size(0), -1)
        x = self.fc(x)
        return x


def tinynet(pretrained=False, **kwargs):
    """
    Constructs a TinyNet model.
    """
    assert not pretrained
    return TinyNet(**kwargs)


models = [
    {
        'name': 'tinynet',
        'min_input': 1,
        'dim': 2,
    },
]
`;

/** Writes models/tiny.py, tiny-q.pth.tar and sample_tiny.npy into `dir`; returns their paths. */
export function writeTinyModel(dir: string): { model: string; checkpoint: string; sample: string } {
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  const model = path.join(dir, 'models', 'tiny.py');
  fs.writeFileSync(model, TINY_MODEL_SOURCE);
  let seed = 12345;
  const rand = (lo: number, hi: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return lo + (seed % (hi - lo + 1));
  };
  const t = (shape: number[], lo: number, hi: number) => ({
    dtype: 'float32' as const,
    shape,
    values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand(lo, hi)),
  });
  const checkpoint = path.join(dir, 'tiny-q.pth.tar');
  fs.writeFileSync(
    checkpoint,
    writeTorchCheckpoint({
      arch: 'tinynet',
      epoch: 10,
      stateDict: [
        { key: 'conv1.output_shift', tensor: t([1], -1, -1) },
        { key: 'conv1.weight_bits', tensor: t([1], 8, 8) },
        { key: 'conv1.op.weight', tensor: t([8, 3, 3, 3], -64, 63) },
        { key: 'conv2.output_shift', tensor: t([1], -1, -1) },
        { key: 'conv2.weight_bits', tensor: t([1], 8, 8) },
        { key: 'conv2.op.weight', tensor: t([8, 8, 3, 3], -64, 63) },
        { key: 'fc.output_shift', tensor: t([1], 0, 0) },
        { key: 'fc.weight_bits', tensor: t([1], 8, 8) },
        { key: 'fc.op.weight', tensor: t([10, 128], -64, 63) },
        { key: 'fc.op.bias', tensor: t([10], -500, 500) },
      ],
    }),
  );
  const sample = path.join(dir, 'sample_tiny.npy');
  fs.writeFileSync(
    sample,
    writeNpy(
      [3, 8, 8],
      Array.from({ length: 192 }, () => rand(-128, 127)),
    ),
  );
  return { model, checkpoint, sample };
}

/** A training checkpoint (float weights and QAT keys, as ai8x-training saves it) for the tiny model, at `file`. */
export function writeTinyTrainingCheckpoint(file: string): void {
  let seed = 54321;
  const floats = (shape: number[], scale: number) => ({
    dtype: 'float32' as const,
    shape,
    values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return ((seed / 4294967296) * 2 - 1) * scale;
    }),
  });
  const qat = (layer: string) => [
    { key: `${layer}.output_shift`, tensor: floats([1], 0) },
    { key: `${layer}.weight_bits`, tensor: { dtype: 'float32' as const, shape: [1], values: [8] } },
    { key: `${layer}.adjust_output_shift`, tensor: { dtype: 'float32' as const, shape: [1], values: [1] } },
  ];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    writeTorchCheckpoint({
      arch: 'tinynet',
      epoch: 3,
      stateDict: [
        ...qat('conv1'),
        { key: 'conv1.op.weight', tensor: floats([8, 3, 3, 3], 0.4) },
        ...qat('conv2'),
        { key: 'conv2.op.weight', tensor: floats([8, 8, 3, 3], 0.2) },
        ...qat('fc'),
        { key: 'fc.op.weight', tensor: floats([10, 128], 0.1) },
        { key: 'fc.op.bias', tensor: floats([10], 0.05) },
      ],
    }),
  );
}
