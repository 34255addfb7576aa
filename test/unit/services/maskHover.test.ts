// The mask hover answers ai8x-synthesis #344 ("why does the sample not start the processors from the first? how do
// I set the mapping of processors per layer?"): a layer's processors are where the layer before it wrote its output
// (its `output_processors`, by default the reading layer's `processors`), any start works when they match, and why
// the shipped networks spread their masks. Without a checkpoint it still says what the YAML tells.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import { checkNetwork, CheckResult } from '../../../server/src/engine/check';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { readNpy } from '../../../server/src/engine/sample/npy';
import { hoverAt } from '../../../server/src/engine/services/hover';
import { checkFixture, EXAMPLE } from '../../lsp/editorFeaturesFixtures';
import { requireShared, sharedDir } from '../../support/shared';

function hoverOn(r: CheckResult, needle: string, nth = 0): string {
  const text = r.lines.text;
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const h = hoverAt(r, at + needle.length - 2);
  assert.ok(h, `a hover on ${needle}`);
  return h!.markdown;
}

const CONV2 = 'processors: 0x00000000000000ff';

describe('mask hover: where the data is (ai8x-synthesis #344)', () => {
  it('with the checkpoint: the previous layer writes where this layer reads, any start works, and why masks are spread', () => {
    const md = hoverOn(checkFixture(EXAMPLE, EXAMPLE.yaml), CONV2);
    assert.match(md, /\*\*Where the input is:\*\* a layer reads its input from the data memories of its `processors`/);
    assert.match(md, /layer 0 \(conv1\) writes its output to processors 0–7 \(by default where the next layer — this one — reads/);
    assert.match(md, /✓ This mask reads exactly there\./);
    assert.match(md, /\*\*Any start works\*\* as long as the reading layer's `processors` match where the data was written/);
    assert.match(md, /each processor has its own kernel memory/);
    assert.match(md, /each group of 4 processors shares one data memory/);
    assert.match(md, /\*ai8x: Allocate Processors and Memory\*/);
  });

  it('the same layer moved to processors 16–23 (and conv1 writing there) is just as right', () => {
    const moved = EXAMPLE.yaml.replace(CONV2, 'processors: 0x0000000000ff0000');
    const r = checkFixture(EXAMPLE, moved);
    assert.deepStrictEqual(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
      [],
    );
    const md = hoverOn(r, 'processors: 0x0000000000ff0000');
    assert.match(md, /writes its output to processors 16–23/);
    assert.match(md, /✓ This mask reads exactly there\./);
  });

  it('an explicit `output_processors` elsewhere: the hover says where the data is and that this mask misses it', () => {
    const text = EXAMPLE.yaml.replace('    data_format: CHW\n', '    data_format: CHW\n    output_processors: 0x000000000000ff00\n');
    const r = checkFixture(EXAMPLE, text);
    const md = hoverOn(r, CONV2);
    const line = text.split('\n').findIndex((l) => l.includes('output_processors: 0x000000000000ff00')) + 1;
    assert.match(md, new RegExp(`layer 0 \\(conv1\\) writes its output to processors 8–15 \\(its \`output_processors\` on line ${line}\\)`));
    assert.match(md, /✗ This mask reads processors 0–7: not where the data is\./);
  });

  it('without a checkpoint it still says what the YAML tells, instead of ending at "associate the checkpoint"', () => {
    const r = checkNetwork({ text: EXAMPLE.yaml, fileName: 'tinynet.yaml' });
    assert.strictEqual(r.analysis?.state.channelsKnown ?? false, false);
    const md = hoverOn(r, CONV2);
    assert.match(md, /\*\*Channels:\*\* 8 processors read 8 channels per pass\./);
    assert.match(md, /\*\*Where the input is:\*\*.*layer 0 \(conv1\) writes its output to processors 0–7/);
    assert.match(md, /\*\*Any start works\*\*/);
    assert.doesNotMatch(md, /^_Associate the checkpoint to see how many processors this layer needs\._$/m);
    // The count from the previous layer's own mask, when it sets one.
    const withMap = EXAMPLE.yaml.replace('    data_format: CHW\n', '    data_format: CHW\n    output_processors: 0x000000000000000f\n');
    const md2 = hoverOn(checkNetwork({ text: withMap, fileName: 'tinynet.yaml' }), CONV2);
    assert.match(md2, /Layer 0 \(conv1\) writes 4 channels per pass \(its `output_processors` has 4 processors\)/);
    assert.match(md2, /✗ This mask reads processors 0–7: not where the data is\./);
    // The first layer: the sample input's channel count.
    const first = hoverOn(
      checkNetwork({ text: EXAMPLE.yaml, fileName: 'tinynet.yaml', resolveInputs: () => ({ sample: readNpy(EXAMPLE.sample) }) }),
      'processors: 0x0000000000000001',
    );
    assert.match(first, /\*\*The sample input has 1 channel\*\* → 1 processor, one per channel\. ✓/);
    assert.match(first, /reads the network input, which izer's loader puts into the data memories of exactly these processors/);
  });

  it('on a knock-on IZ222 it names the cause instead of proposing masks for the network as mistyped', () => {
    const typo = EXAMPLE.yaml.replace('    pool_stride: 2\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    name: conv2', (s) =>
      s.replace('pool_stride', 'pool_strid'),
    );
    const md = hoverOn(checkFixture(EXAMPLE, typo), 'processors: 0x000000000000ffff', 1);
    assert.match(md, /IZ222/);
    assert.match(md, /_Fix the unknown key `pool_strid` on line \d+ \(did you mean `pool_stride`\?\) first: the right mask depends on it\._/);
    assert.doesNotMatch(md, /Would be right/);
  });

  it('a shipped network (mnist, processors 0xfffffffffffffff0 after a CHW layer) reads where its input is', function () {
    requireShared(this, 'ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar');
    const r = checkNetwork({
      text: fs.readFileSync(sharedDir('ai8x-synthesis', 'networks', 'mnist-chw-ai85.yaml'), 'utf8'),
      fileName: 'mnist-chw-ai85.yaml',
      izerFlags: ['--softmax'],
      resolveInputs: () => ({
        checkpoint: readCheckpoint(new Uint8Array(fs.readFileSync(sharedDir('ai8x-synthesis', 'trained', 'ai85-mnist-qat8-q.pth.tar')))),
        sample: readNpy(new Uint8Array(fs.readFileSync(sharedDir('ai8x-synthesis', 'tests', 'sample_mnist.npy')))),
      }),
    });
    const md = hoverOn(r, 'processors: 0xfffffffffffffff0');
    assert.match(md, /needs\*\* 60 input channels → 60 processors/);
    assert.match(md, /layer 0 writes its output to processors 4–63/);
    assert.match(md, /✓ This mask reads exactly there\./);
    assert.match(md, /\*\*Any start works\*\*/);
  });
});
