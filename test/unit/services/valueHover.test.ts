// Hover text for keys and plain values (no checkpoint needed).
import * as assert from 'node:assert';
import { checkNetwork } from '../../../server/src/engine/check';
import { hoverAt } from '../../../server/src/engine/services/hover';

const TEXT = `arch: testnet
dataset: test_data
layers:
  - processors: 0x0000000000000007
    out_offset: 0x4000
    op: conv2d
    pad: 1
    max_pool: [2, 2]
    pool_stride: 2
    activate: ReLU
    flatten: "false"
    groups: 1
`;

function hoverOn(fragment: string, device: 'MAX78000' | 'MAX78002' = 'MAX78000'): string {
  const r = checkNetwork({ text: TEXT, fileName: 'h.yaml', deviceOverride: device });
  const at = TEXT.indexOf(fragment);
  assert.ok(at >= 0, fragment);
  const h = hoverAt(r, at + 1);
  assert.ok(h, `a hover on ${fragment}`);
  return h.markdown;
}

describe('hover on keys and values', () => {
  it('a key: meaning, values, default and device notes', () => {
    const md = hoverOn('groups');
    assert.match(md, /Depth-wise|depth-wise/);
    assert.match(md, /\*\*Default:\*\* 1/);
    assert.match(md, /MAX78002 only/);
  });
  it('a plain value says how izer reads it', () => {
    assert.match(hoverOn('1\n    max_pool'), /padding 1 rows and 1 columns/);
    assert.match(hoverOn('[2, 2]'), /max pooling 2×2/);
  });
  it('a quoted "false" is true for izer', () => {
    assert.match(hoverOn('"false"'), /\*\*true\*\* \(a quoted, non-empty string is true for izer\)/);
  });
  it('an offset in bytes, words and percent of the instance on both devices', () => {
    const md = hoverOn('0x4000');
    assert.match(md, /16384 bytes/);
    assert.match(md, /50\.0% into the 32 KiB instance/);
    assert.match(md, /MAX78002: 20\.0% of 80 KiB/);
  });
  it('an operation and an activation value', () => {
    assert.match(hoverOn('conv2d'), /2-D convolution/);
    assert.match(hoverOn('ReLU'), /negative outputs become 0/);
  });
});
