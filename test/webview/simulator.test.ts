// The simulator results view in headless chromium: the page the panel shows (client/src/simulator/simulatorHtml.ts,
// media/scripts/simulator.js built from webview/src/simulator.ts, media/simulator.css) fed with real simulation
// summaries of generated networks; DOM assertions, the messages it posts back, and screenshots under test-output/webview/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulatorHtml } from '../../client/src/simulator/simulatorHtml';
import { checkNetwork } from '../../server/src/engine/check';
import { readCheckpoint } from '../../server/src/engine/checkpoint/readCheckpoint';
import { readNpy } from '../../server/src/engine/sample/npy';
import { simulate } from '../../server/src/engine/simulate';
import { knownAnswerSize, summarizeLayer, summarizeOutput } from '../../server/src/engine/services/simulationReport';
import { EXAMPLE_FILES, EXAMPLE_NETWORK_YAML, exampleCheckpointBytes, exampleSampleBytes } from '../../server/src/example/exampleNetwork';
import type { SimulationSuccess } from '../../server/src/protocol';
import { repoRoot } from '../support/shared';
import { convStack } from '../support/simulationFixtures';
import { RenderedView, WebviewHarness, pngSize, skipUnlessChromium, testOutputDir } from './harness';

const ORIGIN = 'https://ai8x-webview.test';

/** What the language server answers for a network, computed the same way in this process. */
function results(
  yaml: string,
  name: string,
  checkpoint: Uint8Array,
  sampleBytes: Uint8Array,
  rename?: (l: { name: string | null }) => void,
): SimulationSuccess {
  const sample = readNpy(sampleBytes);
  const check = checkNetwork({ text: yaml, fileName: name, resolveInputs: () => ({ checkpoint: readCheckpoint(checkpoint), sample }) });
  const plan = check.analysis?.plan;
  assert.ok(plan, check.diagnostics.map((d) => d.message).join('\n'));
  const sim = simulate(plan!, sample, { device: check.device, flags: check.flags });
  if (rename) sim.layers.forEach(rename);
  return {
    ok: true,
    runId: `test-${name}`,
    network: name,
    device: check.device.name,
    input: { kind: 'associated', label: 'sample.npy', shape: sample.shape },
    layers: sim.layers.map((l) => summarizeLayer(l)),
    output: summarizeOutput(sim.output, { softmax: check.flags.softmax }),
    knownAnswer: sim.knownAnswer,
    knownAnswerWords: knownAnswerSize(sim).words,
    warnings: sim.warnings,
    totalMacs: sim.totalMacs,
    ms: sim.ms,
  };
}

describe('simulator results view (headless chromium)', function () {
  this.timeout(60000);
  let harness: WebviewHarness;
  const media = path.join(repoRoot(), 'media');
  // The harness injects the theme variables as a <style> element, which the view's CSP would refuse; in VS Code
  // the workbench sets them itself. Only the style source is widened here; scripts still need the nonce.
  const html = (network: string) =>
    simulatorHtml({ scriptUri: 'scripts/simulator.js', styleUri: 'simulator.css', cspSource: `${ORIGIN} 'unsafe-inline'`, nonce: 'n0nce42', network });
  const open = (name: string, network: string, state?: unknown) =>
    harness.render({ name: `webview/${name}`, html: html(network), baseDir: media, viewport: { width: 1100, height: 760 }, waitFor: '#title', state });
  const deliver = async (view: RenderedView, message: unknown, shot?: string) => {
    await view.post(message);
    return shot ? view.screenshot(shot) : undefined;
  };

  before(async function () {
    skipUnlessChromium(this);
    harness = await WebviewHarness.launch();
  });
  after(async () => harness?.close());

  it('shows a classifier: per-layer shapes, ranges, histograms and times; softmax top-5; exports enabled', async () => {
    const r = results(EXAMPLE_NETWORK_YAML, EXAMPLE_FILES.network, exampleCheckpointBytes(), exampleSampleBytes());
    const view = await open('simulator-classifier', EXAMPLE_FILES.network);
    try {
      assert.equal(await view.page.isDisabled('#export-all'), true, 'nothing to export before results');
      const shot = await deliver(view, { type: 'results', result: r }, 'results');
      const page = view.page;
      assert.equal(await page.textContent('#title'), 'Simulation: tinynet.yaml');
      const summary = (await page.textContent('#summary'))!;
      assert.match(summary, /^MAX78000 · input sample\.npy \(1×16×16\) · 4 layers · /);
      assert.match(summary, /known answer \d+ blocks?, 10 words$/);

      const rows = page.locator('#layer-table tbody tr');
      assert.equal(await rows.count(), 4);
      const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
      const first = await cells(0);
      assert.deepEqual(first.slice(0, 5), ['0', 'conv1', 'conv2d', '8×16×16', '8']);
      assert.equal(first[5], `${r.layers[0].min} … ${r.layers[0].max}`);
      assert.deepEqual((await cells(3)).slice(0, 5), ['✓ 3', 'fc', 'linear', '10×1×1', '32']);
      for (let i = 0; i < 4; i++) {
        const bins = rows.nth(i).locator('svg.histogram rect.bin');
        assert.equal(await bins.count(), r.layers[i].histogram.counts.length);
        const counts = (await bins.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))) as number[];
        const [c, h, w] = r.layers[i].shape;
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          c * h * w,
          `layer ${i}: the histogram counts every value`,
        );
        assert.match((await cells(i))[9], /^\d+(\.\d+)?$/, 'a time in ms');
      }

      assert.equal(await page.isVisible('#top-classes'), true);
      assert.equal(await page.isVisible('#raw-values'), false);
      const top = page.locator('#top-classes tbody tr');
      assert.equal(await top.count(), 5);
      const argmax = r.output.values.indexOf(Math.max(...r.output.values));
      assert.equal((await top.nth(0).locator('.class-index').textContent())!.trim(), String(argmax));
      const pct = (await page.locator('#top-classes .probability').allTextContents()).map((t) => parseFloat(t));
      for (let i = 1; i < pct.length; i++) assert.ok(pct[i] <= pct[i - 1], 'sorted by probability');
      assert.equal(pct[0], Number((100 * r.output.top![0].probability).toFixed(1)));
      assert.match((await page.textContent('#output-note'))!, /Q17\.14/);

      assert.equal(await page.isDisabled('#export-all'), false);
      assert.equal(await page.isDisabled('#export-known-answer'), false);
      const posted = await view.posted();
      assert.deepEqual(posted[0], { type: 'ready' });
      assert.deepEqual(posted[posted.length - 1], { type: 'rendered', runId: r.runId, layers: 4, classifier: true });
      assert.deepEqual(view.errors, [], 'no script errors and no CSP violations');
      assert.ok(fs.statSync(shot!).size > 5000);
      assert.deepEqual(pngSize(shot!), { width: 1100, height: 760 });
      assert.ok(shot!.startsWith(path.join(testOutputDir(), 'webview')));
    } finally {
      await view.close();
    }
  });

  it('posts export and run-again requests from its buttons', async () => {
    const r = results(EXAMPLE_NETWORK_YAML, EXAMPLE_FILES.network, exampleCheckpointBytes(), exampleSampleBytes());
    const view = await open('simulator-buttons', EXAMPLE_FILES.network);
    try {
      await deliver(view, { type: 'results', result: r });
      await view.page.click('#layer-table tbody tr:nth-child(3) button.export-layer');
      await view.page.click('#export-all');
      await view.page.click('#export-known-answer');
      await view.page.click('button[data-input="random"]');
      await view.page.click('button[data-input="file"]');
      const posted = (await view.posted()).slice(2);
      assert.deepEqual(posted, [
        { type: 'exportLayer', layer: 2 },
        { type: 'exportAllLayers' },
        { type: 'exportKnownAnswer' },
        { type: 'rerun', input: 'random' },
        { type: 'rerun', input: 'file' },
      ]);
    } finally {
      await view.close();
    }
  });

  for (const width of [640, 500])
    it(`fits beside the YAML: at ${width} px (half a window, side bar open) every column of the layer table is visible, nothing scrolls`, async () => {
      // Long layer names, as real networks have them.
      const r = results(EXAMPLE_NETWORK_YAML, EXAMPLE_FILES.network, exampleCheckpointBytes(), exampleSampleBytes(), (l) => {
        l.name = `${l.name}_residual_block_downsample`;
      });
      const view = await harness.render({
        name: `webview/simulator-width-${width}`,
        html: html(EXAMPLE_FILES.network),
        baseDir: media,
        viewport: { width, height: 760 },
        waitFor: '#title',
      });
      try {
        await deliver(view, { type: 'results', result: r }, 'results');
        const page = view.page;
        const width = (await page.evaluate('document.documentElement.clientWidth')) as number;
        assert.equal(await page.evaluate('document.documentElement.scrollWidth'), width, 'the page does not scroll sideways');
        const buttons = page.locator('#layer-table button.export-layer');
        assert.equal(await buttons.count(), 4);
        for (let i = 0; i < 4; i++) {
          const b = (await buttons.nth(i).boundingBox())!;
          assert.ok(b.x >= 0 && b.x + b.width <= width, `the .npy button of row ${i} is in view: ${JSON.stringify(b)} in ${width} px`);
        }
        const scroll = page.locator('#layers .table-scroll');
        assert.equal(await scroll.evaluate((e) => e.scrollWidth <= e.clientWidth), true, 'the table fits its box at this width');
        const name = (await page.locator('#layer-table td.name').first().textContent())!;
        assert.equal(name, 'conv1_residual_block_downsample', 'the name is shown whole (wrapped)');
        assert.deepEqual(view.errors, []);
      } finally {
        await view.close();
      }
    });

  it("shows raw values (truncated, with the count) for an output that is not a classifier's", async () => {
    const net = convStack(2, 16, 32);
    const r = results(net.yaml, 'convstack.yaml', net.checkpoint, net.sample);
    assert.equal(r.output.classifier, false);
    const view = await open('simulator-feature-map', 'convstack.yaml');
    try {
      await deliver(view, { type: 'results', result: r }, 'results');
      assert.equal(await view.page.isVisible('#top-classes'), false);
      assert.equal(await view.page.isVisible('#raw-values'), true);
      const values = (await view.page.textContent('#raw-values pre'))!.split(' ').map(Number);
      assert.deepEqual(values, r.output.values);
      assert.equal(values.length, 1024);
      assert.equal(
        await view.page.textContent('#output-note'),
        `The first 1024 of ${16 * 32 * 32} values in C order (export the layer as .npy for all of them).`,
      );
      assert.equal(await view.page.textContent('#output-title'), 'Output — layer 1, 16×32×32, 8-bit');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('shows progress while running, then a failure with its details; cancelled runs say so', async () => {
    const view = await open('simulator-progress', 'tinynet.yaml');
    try {
      await view.post({ type: 'running', runId: 'r1', network: 'tinynet.yaml', input: 'sample_tinynet.npy' });
      await deliver(view, { type: 'progress', runId: 'r1', done: 2, expected: 4, layer: 1, name: 'conv2' }, 'running');
      assert.equal(await view.page.textContent('#status'), 'Layer 1 (conv2): 2 of 4 done…');
      assert.equal(await view.page.evaluate('document.getElementById("progress").value'), 2);
      assert.equal(await view.page.evaluate('document.getElementById("progress").max'), 4);

      await deliver(
        view,
        {
          type: 'failed',
          runId: 'r1',
          network: 'tinynet.yaml',
          reason: 'network-errors',
          message: 'tinynet.yaml has 1 error; fix it before simulating.',
          details: ['12:5 IZ040 Unsupported kernel_size 5x5.'],
        },
        'failed',
      );
      assert.equal(await view.page.isVisible('#problem'), true);
      assert.equal(await view.page.textContent('#problem-title'), 'The simulation did not run');
      assert.equal(await view.page.textContent('#problem-message'), 'tinynet.yaml has 1 error; fix it before simulating.');
      assert.deepEqual(await view.page.locator('#problem-details li').allTextContents(), ['12:5 IZ040 Unsupported kernel_size 5x5.']);
      assert.equal(await view.page.isVisible('#layers'), false);
      assert.equal(await view.page.isDisabled('#export-known-answer'), true);

      await view.post({ type: 'cancelled', runId: 'r2' });
      assert.equal(await view.page.textContent('#problem-title'), 'The simulation was cancelled');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('comes back from its saved state, and shows hostile layer names as text', async () => {
    const r = results(EXAMPLE_NETWORK_YAML, EXAMPLE_FILES.network, exampleCheckpointBytes(), exampleSampleBytes(), (l) => {
      if (l.name === 'conv2') l.name = '<img src=x onerror="document.title=1">';
    });
    const view = await open('simulator-restored', EXAMPLE_FILES.network, { result: r });
    try {
      assert.equal(await view.page.locator('#layer-table tbody tr').count(), 4, 'rendered from getState() without a message');
      assert.equal(await view.page.locator('#layer-table img').count(), 0);
      assert.equal(await view.page.locator('#layer-table tbody tr:nth-child(2) td.name').textContent(), '<img src=x onerror="document.title=1">');
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });
});
