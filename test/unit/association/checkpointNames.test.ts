// The checkpoint picker's order (issue 12, item 2): the workspace's checkpoints, the best name match for the YAML
// first. On ai8x-synthesis's own pairs (every izer run in ../shared: YAML and the checkpoint izer used) and on
// names made up here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { nameTokens, quantizedName, rankCheckpoints } from '../../../server/src/shared/checkpointNames';
import { loadRuns } from '../../support/oracleRuns';
import { sharedDir } from '../../support/shared';

describe('checkpoint picker order', () => {
  it('model words count; device prefixes, formats and quantization do not', () => {
    assert.deepEqual(nameTokens('networks/kws20-v3-hwc.yaml'), ['kws20', 'v3']);
    assert.deepEqual(nameTokens('trained/ai85-kws20_v3-qat8-q.pth.tar'), ['kws20', 'v3']);
    assert.deepEqual(nameTokens('cats-dogs-hwc-no-fifo.yaml'), ['cats', 'dogs']);
  });

  it('puts the right checkpoint first among look-alikes', () => {
    const ckpts = [
      'trained/ai87-tinynet-qat8-q.pth.tar',
      'trained/ai85-mnist-qat8-q.pth.tar',
      'trained/ai85-tinynet-qat8-q.pth.tar',
      'logs/2024/tinynet-train.pth.tar',
      'trained/ai85-catsdogs-qat8-q.pth.tar',
    ];
    assert.equal(rankCheckpoints('/w/networks/tinynet.yaml', ckpts, 'MAX78000')[0].path, 'trained/ai85-tinynet-qat8-q.pth.tar');
    assert.equal(rankCheckpoints('/w/networks/ai87-tinynet.yaml', ckpts)[0].path, 'trained/ai87-tinynet-qat8-q.pth.tar');
    assert.equal(rankCheckpoints('/w/networks/cats-dogs-chw.yaml', ckpts, 'MAX78000')[0].path, 'trained/ai85-catsdogs-qat8-q.pth.tar');
    const why = rankCheckpoints('/w/tinynet.yaml', ['logs/tinynet-train.pth.tar'])[0].why;
    assert.match(why, /not quantized \(izer needs the …-q file\)/);
  });

  it('what a file holds, when known, beats its name: a read training checkpoint ranks after a read quantized one', () => {
    const read = new Map([
      ['a/tinynet-q.pth.tar', false],
      ['b/tinynet.pth.tar', true],
    ]);
    const ranked = rankCheckpoints('/w/tinynet.yaml', [...read.keys()], null, (p) => read.get(p));
    assert.deepEqual(
      ranked.map((r) => r.path),
      ['b/tinynet.pth.tar', 'a/tinynet-q.pth.tar'],
    );
    assert.match(ranked[0].why, /quantized \(its weights are integers\)/);
    assert.match(ranked[1].why, /training weights, not quantized: choosing it offers to quantize it/);
  });

  it('quantizedName: name.pth.tar → name-q.pth.tar in the same folder (also .pth, .tar and names without them)', () => {
    assert.equal(quantizedName('/w/trained/ai85-kws20.pth.tar'), '/w/trained/ai85-kws20-q.pth.tar');
    assert.equal(quantizedName('C:\\w\\net.pth'), 'C:\\w\\net-q.pth');
    assert.equal(quantizedName('net.tar'), 'net-q.tar');
    assert.equal(quantizedName('weights'), 'weights-q.pth.tar');
  });

  it("on ai8x-synthesis's pairs: izer's checkpoint is first for 33 of the 35 runs, and in the top two for all", function () {
    const trained = sharedDir('ai8x-synthesis', 'trained');
    if (!fs.existsSync(sharedDir('oracle', 'runs.json')) || !fs.existsSync(trained)) {
      console.log('      (skipped: ../shared/oracle or ../shared/ai8x-synthesis/trained not found)');
      this.skip();
    }
    const ckpts = fs.readdirSync(trained).map((f) => `trained/${f}`);
    let first = 0;
    const runs = loadRuns();
    for (const r of runs) {
      const order = rankCheckpoints(r.yaml, ckpts, r.device).map((x) => x.path);
      const at = order.indexOf(r.checkpoint);
      assert.ok(at >= 0 && at <= 1, `${r.yaml} (${r.device}): ${r.checkpoint} is at ${at}; first: ${order.slice(0, 3).join(', ')}`);
      if (at === 0) first++;
    }
    // The two others use kws20-v3-hwc.yaml with a second checkpoint of the same model (msnoise_mixed, ai85 on MAX78002).
    assert.ok(first >= runs.length - 2, `${first} of ${runs.length} first`);
  });
});
