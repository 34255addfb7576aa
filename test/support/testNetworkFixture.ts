// A tiny ai8x-synthesis-like folder written by the tests: tests/test-tiny.yaml (`arch: test`), its sample weights
// (two arrays stored one after another) and its sample input, all generated here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeNpy } from '../../server/src/engine/sample/npy';

export const TINY_TEST_NETWORK = `arch: test
dataset: Tiny_Set
layers:
  - processors: 0x0000000000000007
    in_offset: 0x0000
    out_offset: 0x2000
    op: conv2d
    kernel_size: 3x3
    pad: 1
    activate: ReLU
  - processors: 0x000000000000000f
    out_offset: 0x0000
    op: conv2d
    kernel_size: 1x1
    pad: 0
`;

export const TINY_LAYER1_WEIGHTS = [3, -5, 7, -9, 11, -13, 15, -17];

/** Writes the checkout into `dir` and returns the network's path. */
export function writeTinyTestCheckout(dir: string): string {
  fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
  const yaml = path.join(dir, 'tests', 'test-tiny.yaml');
  fs.writeFileSync(yaml, TINY_TEST_NETWORK);
  const w0 = writeNpy(
    [4, 3, 3, 3],
    Array.from({ length: 108 }, (_, i) => ((i * 37) % 255) - 128),
  );
  const w1 = writeNpy([2, 4, 1, 1], TINY_LAYER1_WEIGHTS);
  fs.writeFileSync(path.join(dir, 'tests', 'weights_tiny_set.npy'), Buffer.concat([w0, w1]));
  fs.writeFileSync(
    path.join(dir, 'tests', 'sample_tiny_set.npy'),
    writeNpy(
      [3, 4, 4],
      Array.from({ length: 48 }, (_, i) => (i % 17) - 8),
    ),
  );
  return yaml;
}
