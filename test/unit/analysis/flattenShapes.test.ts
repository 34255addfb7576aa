// A flattening Linear layer whose input size no longer matches its weights (the usual result of changing pooling
// upstream): izer's rule #277 on that layer, with what the weights expect and what arrives.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { syntheticInputs } from '../../support/syntheticNetwork';

const NET = (poolStride: string) => `arch: synthnet
dataset: synthetic
layers:
  - processors: 0x0000000000000001
    out_offset: 0x2000
    op: conv2d
    pad: 1
    activate: ReLU
    data_format: CHW
  - processors: 0x000000000000000f
    max_pool: 2
${poolStride}    out_offset: 0x0000
    op: conv2d
    pad: 1
    activate: ReLU
  - processors: 0x000000000000000f
    flatten: true
    op: linear
    out_offset: 0x2000
    output_width: 32
`;

// Trained on 8×8 samples pooled to 4×4: the Linear layer takes 4 channels × 16 pixels = 64 inputs.
const inputs = syntheticInputs(
  [
    { key: 'conv0', shape: [4, 1, 3, 3] },
    { key: 'conv1', shape: [4, 4, 3, 3] },
    { key: 'fc', shape: [10, 64] },
  ],
  [1, 8, 8],
);
const run = (text: string) => checkNetwork({ text, fileName: 'flat.yaml', deviceOverride: 'MAX78000', resolveInputs: () => inputs });

describe('flatten: input size against the weights', () => {
  it('is clean when the pooling matches the training', () => {
    const r = run(NET('    pool_stride: 2\n'));
    assert.deepStrictEqual(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
      [],
    );
  });

  it('without pool_stride (stride 1): IZ277 on the Linear layer says what the weights expect and what arrives', () => {
    const text = NET('');
    const r = run(text);
    const found = r.diagnostics.filter((d) => d.code === 'IZ277');
    assert.strictEqual(found.length, 1, r.diagnostics.map((d) => d.code).join(' '));
    assert.strictEqual(found[0].layer, 2);
    // Stride 1 pools 8×8 to 7×7: 4×7×7 = 196 values reach a layer trained on 64.
    assert.match(found[0].message, /data reaching this layer is 4×7×7/);
    assert.match(found[0].message, /expect 64 inputs \(e\.g\. 4×4×4\), but 196 arrive: the layers before it produce more data/);
    assert.ok(
      r.diagnostics.some((d) => d.code === 'IZ060' && d.layer === 1),
      'the missing pool_stride is flagged where it is',
    );
  });
});
