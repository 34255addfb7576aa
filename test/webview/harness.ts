// Renders webview HTML (kernel map, data memory, simulator results, ...) in headless Debian chromium through
// playwright-core, for DOM assertions and screenshots in test-output/. The page gets a stand-in for VS Code's
// webview API: acquireVsCodeApi() records what the page posts, and post() delivers messages like the extension.
//
//   const harness = await WebviewHarness.launch();          // in before(); skipUnlessChromium(this) first
//   const view = await harness.render({ name: 'webview/kernel-map', html });
//   assert.strictEqual(await view.page.textContent('h1'), 'Kernel map');
//   await harness.close();                                   // in after()
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../support/shared';

/** Flags that make Debian's chromium run headless as root, in containers, without network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The chromium binary ($CHROMIUM, else Debian's), or null when none is installed. */
export function chromiumExecutable(): string | null {
  const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

/** For before() hooks: skips the suite with a visible message when chromium is not installed. */
export function skipUnlessChromium(ctx: Mocha.Context): void {
  if (!chromiumExecutable()) {
    console.log('      (skipped: chromium not found; install it with  sudo apt-get install -y chromium  or set CHROMIUM)');
    ctx.skip();
  }
}

/** Folder of screenshots and other test artifacts (git-ignored). */
export function testOutputDir(): string {
  return path.join(repoRoot(), 'test-output');
}

/** Some of the theme variables VS Code defines in webviews (dark theme), so pages render as they would there. */
export const DEFAULT_THEME_CSS = `:root {
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1e1e1e; --vscode-editor-foreground: #d4d4d4;
  --vscode-descriptionForeground: #9d9d9d; --vscode-errorForeground: #f48771; --vscode-focusBorder: #007fd4;
  --vscode-panel-border: #80808059; --vscode-textLink-foreground: #3794ff; --vscode-badge-background: #4d4d4d;
  --vscode-button-background: #0e639c; --vscode-button-foreground: #ffffff; --vscode-editorWarning-foreground: #cca700;
}
body { background: var(--vscode-editor-background); color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }`;

export interface RenderOptions {
  /** Screenshot name: the PNG goes to test-output/<name>.png (may contain folders, e.g. 'webview/kernel-map'). */
  name: string;
  /** The HTML to render (give this or `file`). */
  html?: string;
  /** An HTML file to open (relative resources resolve next to it). */
  file?: string;
  /** With `html`: the folder relative resource URLs (scripts, styles) are served from. */
  baseDir?: string;
  viewport?: { width: number; height: number };
  /** Wait for this selector before the screenshot. */
  waitFor?: string;
  /** Extra CSS after the theme variables; `theme: false` leaves out DEFAULT_THEME_CSS. */
  css?: string;
  theme?: boolean;
  /** Initial value of the webview state (acquireVsCodeApi().getState()). */
  state?: unknown;
  fullPage?: boolean;
}

export interface RenderedView {
  page: Page;
  /** Absolute path of the screenshot taken after rendering. */
  screenshotPath: string;
  /** Messages the page sent with acquireVsCodeApi().postMessage, in order. */
  posted(): Promise<unknown[]>;
  /** Delivers a message to the page as the extension's webview.postMessage does (a window 'message' event). */
  post(message: unknown): Promise<void>;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  /** Takes another screenshot, test-output/<name>-<suffix>.png; returns its path. */
  screenshot(suffix: string): Promise<string>;
  close(): Promise<void>;
}

const VIEW_ORIGIN = 'https://ai8x-webview.test';

// Installed before any page script runs; mirrors the shape of VS Code's webview API.
const VSCODE_API_STUB = `(() => {
  const posted = [];
  let state = window.__ai8xInitialState;
  let acquired = false;
  window.__ai8xPosted = posted;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => { state = s; return s; },
    });
  };
})();`;

export class WebviewHarness {
  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<WebviewHarness> {
    const executablePath = chromiumExecutable();
    if (!executablePath) throw new Error('chromium is not installed (sudo apt-get install -y chromium, or set CHROMIUM)');
    const { chromium } = await import('playwright-core');
    return new WebviewHarness(await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS }));
  }

  async render(opts: RenderOptions): Promise<RenderedView> {
    if ((opts.html === undefined) === (opts.file === undefined)) throw new Error('render: give exactly one of html and file');
    const page = await this.browser.newPage({ viewport: opts.viewport ?? { width: 1000, height: 700 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    await page.addInitScript(`window.__ai8xInitialState = ${JSON.stringify(opts.state ?? null)};\n${VSCODE_API_STUB}`);
    if (opts.file !== undefined) await page.goto(pathToFileURL(path.resolve(opts.file)).href, { waitUntil: 'load' });
    else {
      // Served from a made-up origin (not setContent) so the init script runs; other URLs there map to baseDir.
      await page.route(`${VIEW_ORIGIN}/**`, async (route) => {
        const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/+/, '');
        if (rel === 'index.html') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: opts.html! });
        const file = opts.baseDir ? path.resolve(opts.baseDir, rel) : null;
        if (file && file.startsWith(path.resolve(opts.baseDir!) + path.sep) && fs.existsSync(file)) return route.fulfill({ status: 200, path: file });
        return route.fulfill({ status: 404, body: 'not found' });
      });
      await page.goto(`${VIEW_ORIGIN}/index.html`, { waitUntil: 'load' });
    }
    const css = [opts.theme === false ? '' : DEFAULT_THEME_CSS, opts.css ?? ''].join('\n').trim();
    if (css) await page.addStyleTag({ content: css });
    if (opts.waitFor) await page.waitForSelector(opts.waitFor, { timeout: 10000 });

    const shot = async (file: string) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
      return file;
    };
    const screenshotPath = await shot(path.join(testOutputDir(), `${opts.name}.png`));
    return {
      page,
      screenshotPath,
      errors,
      // Page-side code is given as text: the project's type-check has no DOM library.
      posted: () => page.evaluate('window.__ai8xPosted.slice()') as Promise<unknown[]>,
      post: async (message: unknown) => {
        await page.evaluate(`window.dispatchEvent(new MessageEvent('message', { data: ${JSON.stringify(message)} }))`);
      },
      screenshot: (suffix: string) => shot(path.join(testOutputDir(), `${opts.name}-${suffix}.png`)),
      close: () => page.close(),
    };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Width and height from a PNG file's header (throws when the file is not a PNG). */
export function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG' || b.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
