// One vocabulary for places in data memory (issue 12, item 7): a diagnostic said "offset 0x08000 of quadrant 0"
// where the data-memory map said "memory 1 0x0000–0x00ff". Both now say "data memory 1 (processors 4–7) at
// offset 0x0000", offsets as `in_offset`/`out_offset` count them, and the message quotes the `out_offset` written.
import * as assert from 'node:assert';
import { memoryPlaceText, wordLocation } from '../../../server/src/engine/analysis/dataMemory';
import { deviceByName } from '../../../server/src/engine/device/devices';
import { dataMemoryModel } from '../../../server/src/engine/services/dataMemoryView';
import { checkFixture, EXAMPLE } from '../../lsp/editorFeaturesFixtures';

describe('places in data memory: one vocabulary', () => {
  it('the word izer calls "offset 0x08000 of quadrant 0" is data memory 1 at offset 0x0000', () => {
    const dev = deviceByName('MAX78000');
    const quadrantWords = dev.memSize * 4;
    const loc = wordLocation(dev, quadrantWords, 0x8000 / 4);
    assert.deepStrictEqual(loc, { instance: 1, byte: 0 });
    assert.strictEqual(memoryPlaceText(loc.instance, loc.byte), 'data memory 1 (processors 4–7) at offset 0x0000');
    assert.strictEqual(memoryPlaceText(5, 0x4000, 0x4100), 'data memory 5 (processors 20–23) at offsets 0x4000–0x40ff');
  });

  it('an overwrite (IZ280) names the place as the map does, with the `out_offset` the user wrote', () => {
    const text = EXAMPLE.yaml.replace('out_offset: 0x0000\n    op: conv2d\n    max_pool', 'out_offset: 0x4000\n    op: conv2d\n    max_pool');
    assert.notStrictEqual(text, EXAMPLE.yaml);
    const r = checkFixture(EXAMPLE, text);
    const d = r.diagnostics.find((x) => x.code === 'IZ280' && x.layer === 1);
    assert.ok(d, r.diagnostics.map((x) => x.code).join(', '));
    assert.match(d!.message, /; `out_offset: 0x4000`\) would overwrite data memory 0 \(processors 0–3\) at offset 0x4000, written by layer 0 \(conv1\)/);
    assert.doesNotMatch(d!.message, /quadrant/);
    const m = dataMemoryModel(r);
    assert.ok('model' in m);
    const c = m.model.conflicts.find((x) => m.model.steps[x.writer].ll === 1)!;
    assert.ok(c, 'the map shows the same overwrite');
    assert.deepStrictEqual([c.ranges[0].instance, c.ranges[0].start], [0, 0x4000]);
    assert.strictEqual(m.model.steps[c.writer].outOffsetText, '0x4000');
  });
});
