// The kernel-map and data-memory views rendered in headless chromium exactly as the panels serve them (same HTML,
// strict CSP with a nonce, the scripts built from webview/src and media/ styles), fed with maps the engine builds: DOM, hover, click-to-reveal,
// the izer-text toggle, the unavailable state, and screenshots in test-output/webview/.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mapViewHtml, MapViewKind } from '../../client/src/views/mapViewHtml';
import { checkNetwork } from '../../server/src/engine/check';
import { kernelMapModel } from '../../server/src/engine/services/kernelMapView';
import { dataMemoryModel } from '../../server/src/engine/services/dataMemoryView';
import type { MapViewResult } from '../../server/src/protocol';
import { repoRoot } from '../support/shared';
import { positionOf } from '../support/markers';
import { checkFixture, EXAMPLE, MULTIPASS, SKIP, withModeline } from '../lsp/editorFeaturesFixtures';
import { RenderedView, WebviewHarness, pngSize, skipUnlessChromium } from './harness';

const ORIGIN = 'https://ai8x-webview.test';
const media = () => path.join(repoRoot(), 'media');

function page(kind: MapViewKind, fileName: string): string {
  return mapViewHtml({
    kind,
    scriptUri: kind === 'kernelMap' ? 'scripts/kernelMap.js' : 'scripts/dataMemory.js',
    styleUris: ['mapView.css'],
    cspSource: ORIGIN,
    nonce: 'n0nce4test',
    fileName,
  });
}

function result<M>(fileName: string, answer: { model: M } | { unavailable: string }, action: MapViewResult<M>['action'] = null): MapViewResult<M> {
  return 'model' in answer
    ? { uri: `file:///work/${fileName}`, version: 3, fileName, model: answer.model, unavailable: null, action }
    : { uri: `file:///work/${fileName}`, version: 3, fileName, model: null, unavailable: answer.unavailable, action };
}

/** izer's text rows as [processor][column] → layer number or −1 (one character per cell: fewer than 10 layers). */
function parseIzerText(text: string): number[][] {
  return text
    .split('\n')
    .slice(2, 66)
    .map((r) => [...r].map((c) => (c === 'X' ? -1 : Number(c))));
}

describe('webviews: kernel map and data memory (headless chromium)', function () {
  this.timeout(60000);
  let harness: WebviewHarness;
  const views: RenderedView[] = [];

  before(async function () {
    skipUnlessChromium(this);
    harness = await WebviewHarness.launch();
  });
  afterEach(async () => {
    for (const v of views.splice(0)) await v.close();
  });
  after(async () => harness?.close());

  const render = async (
    name: string,
    kind: MapViewKind,
    fileName: string,
    r: MapViewResult<unknown>,
    waitFor: string,
    viewport = { width: 1100, height: 820 },
  ) => {
    const view = await harness.render({ name: `webview/${name}`, html: page(kind, fileName), baseDir: media(), theme: false, viewport });
    views.push(view);
    assert.deepStrictEqual(await view.posted(), [{ type: 'ready' }], 'the page asks for its map');
    await view.post({ type: 'model', result: r });
    await view.page.waitForSelector(waitFor, { timeout: 10000 });
    return view;
  };

  it("kernel map: 64 processor rows with izer's allocation, one colour per layer, hover names the layer, click reveals it", async () => {
    const text = withModeline(EXAMPLE);
    const checked = checkFixture(EXAMPLE, text);
    const answer = kernelMapModel(checked);
    assert.ok('model' in answer);
    const view = await render('kernel-map', 'kernelMap', 'tinynet.yaml', result('tinynet.yaml', answer), '#grid .row .seg');
    const p = view.page;
    assert.strictEqual(await p.textContent('#title'), 'Kernel map: tinynet.yaml');
    assert.strictEqual(await p.locator('#grid .row').count(), 64);
    assert.strictEqual(await p.locator('#legend .entry').count(), 4);
    // Every drawn segment is exactly a run of izer's text for its processor.
    const izer = parseIzerText(answer.model.text);
    const segs = (await p.evaluate(
      `[...document.querySelectorAll('#grid .row')].map((r) => [...r.querySelectorAll('.seg')].map((s) => [Number(s.dataset.start), Number(s.dataset.end), Number(s.dataset.layer)]))`,
    )) as [number, number, number][][];
    for (let proc = 0; proc < 64; proc++) {
      const runs: [number, number, number][] = [];
      const row = izer[proc];
      for (let c = 0; c < row.length;) {
        let e = c + 1;
        while (e < row.length && row[e] === row[c]) e++;
        if (row[c] >= 0) runs.push([c, e, row[c]]);
        c = e;
      }
      assert.deepStrictEqual(segs[proc], runs, `processor ${proc} matches izer's text`);
    }
    assert.match((await p.textContent('#summary'))!, /MAX78000 · \d+ of 49152 kernel cells used/);
    await view.screenshot('map');
    // The example uses 58 of 768 columns: the view starts zoomed to the used columns; unzoomed it spans all 768.
    const axisEnd = async () => Number(await p.evaluate(`document.querySelector('#axis span:last-child').textContent`));
    assert.strictEqual(await p.isChecked('#zoom-used'), true);
    assert.ok((await axisEnd()) < 100, 'zoomed axis');
    await p.uncheck('#zoom-used');
    assert.strictEqual(await axisEnd(), 768);
    await view.screenshot('all-columns');
    await p.check('#zoom-used');
    // Distinct colours per layer.
    const colours = (await p.evaluate(
      `[...new Set([...document.querySelectorAll('#grid .seg')].map((s) => s.dataset.layer + '=' + s.style.background))]`,
    )) as string[];
    assert.strictEqual(new Set(colours.map((c) => c.split('=')[1])).size, 4);

    // Hover over layer 1's cells on processor 3.
    const seg = p.locator('#grid .row[data-processor="3"] .seg[data-layer="1"]');
    await seg.hover();
    assert.match((await p.textContent('#tooltip'))!, /^layer 1 \(conv2\) · conv2d\nprocessor 3, column (8|9|1\d|2[0-3])$/);
    assert.strictEqual(await p.isVisible('#tooltip'), true);
    await view.screenshot('hover');
    await seg.click();
    const reveal = (await view.posted()).find((m) => (m as { type: string }).type === 'reveal');
    assert.deepStrictEqual(reveal, { type: 'reveal', ...positionOf(text, 'processors: 0x00000000000000ff'), ll: 1 });
    const rendered = (await view.posted()).find((m) => (m as { type: string }).type === 'rendered') as {
      layers: number;
      segments: number;
      available: boolean;
      legend: string[];
    };
    assert.deepStrictEqual([rendered.available, rendered.layers, rendered.segments], [true, 4, segs.flat().length]);
    assert.deepStrictEqual(rendered.legend, [
      'layer 0 (conv1): processors 0',
      'layer 1 (conv2): processors 0–7',
      'layer 2 (conv3): processors 0–15',
      'layer 3 (fc): processors 0–15',
    ]);
    assert.deepStrictEqual(view.errors, [], 'no script or CSP errors');
    assert.ok(pngSize(view.screenshotPath).width === 1100);
  });

  it("kernel map: the toggle shows izer's text byte for byte, and remembers the choice", async () => {
    const answer = kernelMapModel(checkFixture(MULTIPASS, withModeline(MULTIPASS)));
    assert.ok('model' in answer);
    const view = await render('kernel-map-text', 'kernelMap', 'multipass.yaml', result('multipass.yaml', answer), '#grid .row .seg');
    const p = view.page;
    await view.screenshot('map');
    assert.strictEqual(await p.isVisible('#text'), false);
    await p.click('#toggle-text');
    assert.strictEqual(await p.isVisible('#text'), true);
    assert.strictEqual(await p.isVisible('#grid'), false);
    assert.strictEqual(await p.getAttribute('#toggle-text', 'aria-pressed'), 'true');
    assert.strictEqual(await p.evaluate(`document.getElementById('text').textContent`), answer.model.text);
    await view.screenshot('izer-text');
    // A new map (live update) keeps the text view.
    await view.post({ type: 'model', result: result('multipass.yaml', answer) });
    assert.strictEqual(await p.isVisible('#text'), true);
    assert.deepStrictEqual(view.errors, []);
  });

  it('kernel map without a checkpoint: says why and offers to choose one', async () => {
    const answer = kernelMapModel(checkNetwork({ text: EXAMPLE.yaml, fileName: 'plain.yaml' }));
    assert.ok('unavailable' in answer);
    const view = await render(
      'kernel-map-unavailable',
      'kernelMap',
      'plain.yaml',
      result('plain.yaml', answer, 'chooseCheckpoint'),
      '#unavailable:not([hidden])',
    );
    const p = view.page;
    assert.match((await p.textContent('#unavailable-message'))!, /^The kernel map needs the network's checkpoint\. Choose one/);
    assert.strictEqual(await p.locator('#grid .row').count(), 0);
    await p.click('#unavailable button');
    assert.deepStrictEqual((await view.posted()).slice(-1), [{ type: 'command', command: 'ai8x.selectCheckpoint' }]);
    // Not a network: nothing to choose.
    await view.post({ type: 'model', result: result('notes.yaml', { unavailable: 'This file is not an ai8x network description.' }) });
    assert.strictEqual(await p.textContent('#unavailable-message'), 'This file is not an ai8x network description.');
    assert.strictEqual(await p.isVisible('#unavailable button'), false);
    assert.deepStrictEqual(view.errors, []);
  });

  it('data memory: one chart per used memory with reads and writes per step, and the AX305 overwrite flagged', async () => {
    const text = withModeline(SKIP, SKIP.yaml.replace('out_offset: 0x6000', 'out_offset: 0x2000'));
    const answer = dataMemoryModel(checkFixture(SKIP, text));
    assert.ok('model' in answer);
    const view = await render('data-memory', 'dataMemory', 'skip.yaml', result('skip.yaml', answer), 'figure.memory svg rect');
    const p = view.page;
    assert.strictEqual(await p.textContent('#title'), 'Data memory: skip.yaml');
    // Processors 0 and 0–3: only data memory 0 is used.
    assert.deepStrictEqual(await p.evaluate(`[...document.querySelectorAll('figure.memory')].map((f) => f.dataset.instance)`), ['0']);
    assert.strictEqual(await p.locator('#steps .step').count(), 5);
    // Each layer writes once and reads once (in memory 0); the input loader only writes.
    assert.strictEqual(await p.locator('figure.memory rect.write').count(), 5);
    assert.strictEqual(await p.locator('figure.memory rect.read').count(), 4);
    await view.screenshot('map');
    // The compact address scale gives the small ranges room; the linear one draws bytes to scale.
    const heightOf = async () => Number(await p.getAttribute('figure.memory rect.write >> nth=1', 'height'));
    const compact = await heightOf();
    await p.check('#linear-scale');
    const linear = await heightOf();
    assert.ok(compact > 2 * linear, `compact ${compact} px vs linear ${linear} px`);
    await view.screenshot('linear');
    await p.uncheck('#linear-scale');
    const conflict = p.locator('figure.memory rect.conflict');
    assert.strictEqual(await conflict.count(), 1);
    assert.strictEqual(await conflict.getAttribute('data-code'), 'AX305');
    const li = p.locator('#problems li.conflict');
    assert.strictEqual(await li.count(), 1);
    assert.match(
      (await li.textContent())!,
      /^layer 2 overwrites 256 bytes of layer 0 \(first\)'s output \(data memory 0 \(processors 0–3\) at offsets 0x2000–0x20ff\) that layer 3 still reads — izer does not check this \(AX305\)\.$/,
    );
    await conflict.hover();
    assert.match(
      (await p.textContent('#tooltip'))!,
      /layer 2 overwrites data memory 0 \(processors 0–3\) at offsets 0x2000–0x20ff: layer 0 \(first\)'s data, still read by layer 3 \(AX305, izer does not check this\)/,
    );
    await view.screenshot('conflict-hover');
    // The dotted read frames have a key above the charts and a tooltip of their own, in the same words.
    assert.match((await p.textContent('#key'))!, /dotted frame: bytes a step reads \(from its in_offset, as much as its input needs\)/);
    const read = p.locator('figure.memory rect.read[data-step="3"]');
    const box = (await read.boundingBox())!;
    // Near the frame's edge, beside the write bar in the middle of the column.
    await p.mouse.move(box.x + 2, box.y + box.height / 2);
    assert.match(
      (await p.textContent('#tooltip'))!,
      /^Dotted frame: layer 2 reads data memory 0 \(processors 0–3\) at offsets 0x[0-9a-f]{4}–0x[0-9a-f]{4}, \d+ bytes \(no in_offset: where the layer before it wrote\) — its input, written by an earlier step$/,
    );
    const write = p.locator('figure.memory rect.write[data-step="2"]');
    await write.hover();
    assert.match(
      (await p.textContent('#tooltip'))!,
      /^layer 1 writes data memory 0 \(processors 0–3\) at offsets 0x4000–0x40ff, 256 bytes \(from its out_offset: 0x4000\)$/,
    );
    await view.screenshot('read-hover');
    await li.click();
    const reveal = (await view.posted()).filter((m) => (m as { type: string }).type === 'reveal').pop();
    assert.deepStrictEqual(reveal, { type: 'reveal', ...positionOf(text, 'processors: 0x000000000000000f\n    out_offset: 0x2000'), ll: 2 });
    assert.deepStrictEqual(view.errors, []);
  });

  it('data memory: an output running past the end of the memory is marked and listed', async () => {
    const text = withModeline(
      EXAMPLE,
      EXAMPLE.yaml.replace(
        'out_offset: 0x4000\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    data_format: CHW',
        'out_offset: 0x7e00\n    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n    data_format: CHW',
      ),
    );
    const answer = dataMemoryModel(checkFixture(EXAMPLE, text));
    assert.ok('model' in answer);
    const view = await render('data-memory-overflow', 'dataMemory', 'tinynet.yaml', result('tinynet.yaml', answer), 'figure.memory svg rect');
    const p = view.page;
    // 8 channels × 16×16 in HWC = 1024 bytes per memory from 0x7e00: 512 bytes past 0x8000 in each of memories 0–1.
    assert.strictEqual(await p.textContent('#problems li.overflow'), 'layer 0 (conv1) writes 1024 bytes past the end of the data memory.');
    assert.strictEqual(await p.locator('figure.memory[data-instance="0"] rect.overflow').count(), 1);
    assert.match((await p.textContent('#problems'))!, /IZ189/);
    await view.screenshot('map');
    assert.deepStrictEqual(view.errors, []);
  });

  it('data memory: a clean multi-pass network spreads over 13 memories; unused ones can be shown', async () => {
    const answer = dataMemoryModel(checkFixture(MULTIPASS, withModeline(MULTIPASS)));
    assert.ok('model' in answer);
    const view = await render('data-memory-multipass', 'dataMemory', 'multipass.yaml', result('multipass.yaml', answer), 'figure.memory svg rect', {
      width: 1300,
      height: 1000,
    });
    const p = view.page;
    // Layer 1 reads 100 channels with 52 processors (0–51): memories 0–12.
    assert.strictEqual(await p.locator('figure.memory').count(), 13);
    assert.strictEqual(await p.locator('#problems li').count(), 0);
    assert.match((await p.textContent('#problems'))!, /No overflows and no overwrites/);
    assert.match((await p.textContent('#summary'))!, /13 of 16 data memories used \(32 KiB each\)/);
    await view.screenshot('map');
    await p.check('#show-unused');
    assert.strictEqual(await p.locator('figure.memory').count(), 16);
    assert.strictEqual(await p.locator('figure.memory.unused').count(), 3);
    await view.screenshot('with-unused');
    assert.deepStrictEqual(view.errors, []);
    assert.ok(fs.existsSync(view.screenshotPath));
  });
});
