// Self-test of the webview harness: renders a small page that behaves like a webview, checks its DOM,
// the message round trip through the acquireVsCodeApi stand-in, and the screenshot file.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebviewHarness, pngSize, skipUnlessChromium, testOutputDir } from './harness';

const PAGE = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>harness self-test</title>
<style>.cell { display: inline-block; width: 40px; height: 40px; margin: 2px; background: #3794ff; }</style></head>
<body>
  <h1 id="title">Processors</h1>
  <div id="grid"></div>
  <p id="reply">waiting</p>
  <script>
    const vscode = acquireVsCodeApi();
    const grid = document.getElementById('grid');
    for (let p = 0; p < 16; p++) { const c = document.createElement('span'); c.className = 'cell'; c.title = 'processor ' + p; grid.appendChild(c); }
    window.addEventListener('message', (e) => {
      document.getElementById('reply').textContent = 'got ' + e.data.layer;
      vscode.setState({ layer: e.data.layer });
      vscode.postMessage({ type: 'selected', layer: e.data.layer, state: vscode.getState() });
    });
    vscode.postMessage({ type: 'ready', cells: grid.children.length });
  </script>
</body></html>`;

describe('webview harness (headless chromium)', function () {
  this.timeout(30000);
  let harness: WebviewHarness;

  before(async function () {
    skipUnlessChromium(this);
    harness = await WebviewHarness.launch();
  });
  after(async () => harness?.close());

  it('renders HTML, exposes the DOM and saves a PNG screenshot', async () => {
    const shot = path.join(testOutputDir(), 'webview/harness-self-test.png');
    fs.rmSync(shot, { force: true });
    const view = await harness.render({ name: 'webview/harness-self-test', html: PAGE, viewport: { width: 640, height: 360 }, waitFor: '#grid .cell' });
    try {
      assert.strictEqual(await view.page.textContent('#title'), 'Processors');
      assert.strictEqual(await view.page.locator('#grid .cell').count(), 16);
      assert.strictEqual(await view.page.getAttribute('#grid .cell:nth-child(3)', 'title'), 'processor 2');
      // The theme variables are applied.
      const bg = await view.page.evaluate('getComputedStyle(document.body).backgroundColor');
      assert.strictEqual(bg, 'rgb(30, 30, 30)');
      assert.strictEqual(view.screenshotPath, shot);
      assert.deepStrictEqual(pngSize(shot), { width: 640, height: 360 });
      assert.ok(fs.statSync(shot).size > 1000, 'the screenshot has content');
      assert.deepStrictEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('passes messages both ways through the acquireVsCodeApi stand-in', async () => {
    const view = await harness.render({ name: 'webview/harness-messages', html: PAGE, state: { layer: 0 } });
    try {
      assert.deepStrictEqual(await view.posted(), [{ type: 'ready', cells: 16 }]);
      await view.post({ layer: 3 });
      assert.strictEqual(await view.page.textContent('#reply'), 'got 3');
      assert.deepStrictEqual((await view.posted())[1], { type: 'selected', layer: 3, state: { layer: 3 } });
      const second = await view.screenshot('after-message');
      assert.ok(fs.existsSync(second) && second.endsWith('harness-messages-after-message.png'));
    } finally {
      await view.close();
    }
  });

  it('reports script errors of the page and renders HTML files with their relative resources', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-webview-'));
    try {
      fs.writeFileSync(path.join(dir, 'view.js'), "document.getElementById('out').textContent = 'loaded'; undefinedFunction();");
      fs.writeFileSync(path.join(dir, 'view.html'), '<!DOCTYPE html><html><body><p id="out">not loaded</p><script src="view.js"></script></body></html>');
      const view = await harness.render({ name: 'webview/harness-file', file: path.join(dir, 'view.html') });
      try {
        assert.strictEqual(await view.page.textContent('#out'), 'loaded');
        assert.strictEqual(view.errors.length, 1);
        assert.match(view.errors[0], /undefinedFunction/);
      } finally {
        await view.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
