// The warning for an unload that reads where the accelerator has no memory (izer's custom unload of wide outputs
// on MAX78002 does): which addresses count as outside, per device.
import * as assert from 'node:assert/strict';
import { MAX78000, MAX78002 } from '../../../server/src/engine/device/devices';
import { unloadReachWarning, unloadReadsOutside } from '../../../server/src/engine/generate/unloadReach';

const unload = (...addresses: string[]) =>
  [
    'int cnn_load_bias(void)',
    '{',
    '  *((volatile uint32_t *) 0x70000000) = 0; // not in cnn_unload: not looked at',
    '}',
    '',
    'int cnn_unload(uint32_t *out_buf32)',
    '{',
    ...addresses.map((a) => `  addr = (volatile uint32_t *) ${a};`),
    '}',
    '',
  ].join('\n');

describe('generator: cnn_unload() reads inside the accelerator', () => {
  const max78000 = MAX78000;
  const max78002 = MAX78002;

  it("MAX78002: its four quadrants' memories are inside, izer's quadrant steps past them are not", () => {
    const text = unload('0x51802000', '0x52802000', '0x54b02000', '0x59802000', '0x61802000', '0x59802000');
    assert.deepEqual(unloadReadsOutside(text, max78002), [0x59802000, 0x61802000]);
    const w = unloadReachWarning(text, max78002);
    assert.match(w ?? '', /reads 2 addresses outside MAX78002's accelerator \(0x59802000, 0x61802000\)/);
    assert.match(w ?? '', /izer's project for this network does the same, and it faults on the board/);
  });

  it('MAX78000: the accelerator is 0x50100000–0x510fffff', () => {
    assert.deepEqual(unloadReadsOutside(unload('0x50400000', '0x50d0fffc'), max78000), []);
    assert.deepEqual(unloadReadsOutside(unload('0x51100000'), max78000), [0x51100000]);
    assert.equal(unloadReachWarning(unload('0x50400000'), max78000), null);
  });

  it('no cnn_unload (as with --no-unload): nothing to say', () => {
    assert.equal(unloadReachWarning('int cnn_start(void)\n{\n}\n', max78002), null);
  });
});
