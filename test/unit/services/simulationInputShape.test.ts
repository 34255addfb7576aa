// The random-input shape question (issue 12, item 6): its offered shape is a value that Enter accepts (before, a
// placeholder `3,32,32` looked like a default and was refused on Enter), and it is a shape the network takes.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { randomSampleInput, suggestedInputShape } from '../../../server/src/engine/services/simulationInput';
import { shapeInputBox } from '../../../server/src/shared/inputShape';
import { checkFixture, EXAMPLE, MULTIPASS } from '../../lsp/editorFeaturesFixtures';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';

const fitsFor = (yaml: string, checkpoint: Uint8Array) => (shape: number[]) =>
  !checkNetwork({
    text: yaml,
    fileName: 'n.yaml',
    resolveInputs: () => ({ checkpoint: readCheckpoint(checkpoint), sample: randomSampleInput(shape, 0) }),
  }).diagnostics.some((d) => d.severity === 'error');

describe('random input: the offered shape', () => {
  it('is the input box value, and Enter (the value as it is) passes validation', () => {
    for (const suggested of [[1, 16, 16], [3, 32, 32], [64, 128], null]) {
      const box = shapeInputBox(suggested);
      assert.strictEqual(box.validateInput(box.value), null, `Enter accepts ${box.value}`);
      assert.deepStrictEqual(box.valueSelection, [0, box.value.length], 'typing replaces it');
      assert.match(box.prompt, new RegExp(`Enter accepts ${box.value.replace(/,/g, ',')}`));
      assert.ok(!('placeHolder' in box), 'no placeholder that looks like a default');
    }
    assert.strictEqual(shapeInputBox([1, 16, 16]).value, '1,16,16');
    assert.match(shapeInputBox([1, 16, 16]).validateInput('3,x')!, /C,H,W or C,L/);
  });

  it("comes from the network: the first layer's channels and a size its checkpoint takes", () => {
    // No sample: the check has channels from the checkpoint but no sizes.
    const r = checkNetwork({ text: EXAMPLE.yaml, fileName: 'tinynet.yaml', resolveInputs: () => ({ checkpoint: readCheckpoint(EXAMPLE.checkpoint) }) });
    assert.strictEqual(r.analysis?.state.inputSize ?? null, null);
    // fc's weights take 16×4×4 after two 2×2 poolings: 16×16 (32×32 and 28×28 do not fit).
    assert.deepStrictEqual(suggestedInputShape(r, fitsFor(EXAMPLE.yaml, EXAMPLE.checkpoint)), [1, 16, 16]);
    // Without a way to try sizes: the channels and 32×32.
    assert.deepStrictEqual(suggestedInputShape(r), [1, 32, 32]);
    // Without a checkpoint: one channel per enabled processor of the first layer.
    assert.deepStrictEqual(suggestedInputShape(checkNetwork({ text: MULTIPASS.yaml, fileName: 'm.yaml' })), [3, 32, 32]);
    // `in_dim` wins.
    const withDim = EXAMPLE.yaml.replace('    data_format: CHW\n', '    data_format: CHW\n    in_dim: [20, 24]\n');
    assert.deepStrictEqual(suggestedInputShape(checkFixture(EXAMPLE, withDim)), [1, 20, 24]);
  });
});
