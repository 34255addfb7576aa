// Data-memory checks with a generated checkpoint: izer's overwrite rule (#280) and our own AX305 for a skip
// connection whose source is overwritten before it is read.
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { syntheticInputs } from '../../support/syntheticNetwork';

const NET = (l2Offset: string, l1Offset = '0x4000') => `arch: synthnet
dataset: synthetic
layers:
  - processors: 0x0000000000000001
    in_offset: 0x0000
    out_offset: 0x2000
    op: conv2d
    pad: 1
    activate: ReLU
    data_format: CHW
  - processors: 0x000000000000000f
    out_offset: ${l1Offset}
    op: conv2d
    pad: 1
    activate: ReLU
  - processors: 0x000000000000000f
    out_offset: ${l2Offset}
    op: conv2d
    pad: 1
    activate: ReLU
  - processors: 0x000000000000000f
    in_offset: 0x2000
    in_sequences: [0]
    out_offset: 0x0000
    op: conv2d
    pad: 1
    activate: None
`;

const inputs = syntheticInputs(
  [
    { key: 'conv0', shape: [4, 1, 3, 3] },
    { key: 'conv1', shape: [4, 4, 3, 3] },
    { key: 'conv2', shape: [4, 4, 3, 3] },
    { key: 'conv3', shape: [2, 4, 3, 3] },
  ],
  [1, 8, 8],
);
const run = (text: string) => checkNetwork({ text, fileName: 'skip.yaml', deviceOverride: 'MAX78000', resolveInputs: () => inputs });
const line = (text: string, r: ReturnType<typeof run>, code: string) =>
  r.diagnostics.filter((d) => d.code === code).map((d) => text.split('\n')[r.lines.position(d.range[0]).line].trim());

describe('data memory', () => {
  it('a clean network with a skip connection has no errors and no AX305', () => {
    const text = NET('0x6000');
    const r = run(text);
    assert.deepStrictEqual(
      r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code + ' ' + d.message),
      [],
    );
    assert.deepStrictEqual(line(text, r, 'AX305'), []);
    assert.ok(r.analysis?.dataMemory && r.analysis.dataMemory.layers.length === 4, 'all four layers traced');
  });

  it('AX305: layer 2 overwrites the output of layer 0 that layer 3 still reads (izer does not check this)', () => {
    const text = NET('0x2000');
    const r = run(text);
    assert.deepStrictEqual(line(text, r, 'AX305'), ['out_offset: 0x2000'], "on layer 2's out_offset");
    const d = r.diagnostics.find((x) => x.code === 'AX305')!;
    assert.strictEqual(d.layer, 2);
    assert.match(d.message, /layer 0/);
    assert.match(d.message, /layer 3/);
    assert.ok(!r.diagnostics.some((x) => x.code === 'IZ280'), 'izer itself accepts this');
  });

  it('IZ280: a layer writing over its own input, which it names with the first word it would overwrite', () => {
    const text = NET('0x6000', '0x2000');
    const r = run(text);
    assert.deepStrictEqual(line(text, r, 'IZ280'), ['out_offset: 0x2000']);
    const d = r.diagnostics.find((x) => x.code === 'IZ280')!;
    assert.match(d.message, /channel 0, row 0, column 0, processor 0/);
    assert.match(d.message, /written by layer 0, which is still needed/);
  });

  it('IZ280 names the input loader when the first layer writes over the input', () => {
    const text = NET('0x6000').replace('out_offset: 0x2000', 'out_offset: 0x0000');
    const r = run(text);
    assert.deepStrictEqual(line(text, r, 'IZ280'), ['out_offset: 0x0000']);
    assert.match(r.diagnostics.find((x) => x.code === 'IZ280')!.message, /written by the input loader/);
  });

  it('--overlap-data turns the overwrite checks off, as in izer', () => {
    const text = NET('0x2000', '0x2000');
    const r = checkNetwork({ text, fileName: 'skip.yaml', deviceOverride: 'MAX78000', resolveInputs: () => inputs, izerFlags: ['--overlap-data'] });
    assert.ok(!r.diagnostics.some((x) => x.code === 'IZ280' || x.code === 'AX305'));
  });
});
