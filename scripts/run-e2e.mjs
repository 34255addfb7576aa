// Runs the extension's end-to-end suite (dist/test/index.js, test-electron's run() format) inside a real
// VS Code 1.100.3 extension host: code-server serves the workbench, Debian's chromium (driven by
// playwright-core) opens it with the extension loaded as a development extension, and mocha's output comes
// back through the browser console. See /work/shared/guides/vscode-testing.md (section 3a).
//
//   node scripts/run-e2e.mjs            (npm run test:e2e builds first)
// Environment: E2E_TIMEOUT_MS (default 180000), E2E_VERBOSE=1 (print every console line),
//   CHROMIUM, CODE_SERVER (binaries), E2E_WORKSPACE (folder to open, default test/e2e/workspace),
//   E2E_TESTS (the module exporting run(), default dist/test/index.js).
// Exit status: 0 all tests passed, 1 failures / timeout / harness error, 2 prerequisites missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CODE_SERVER, REPO_ROOT, chromiumPath, ensureChromium, ensureCodeServer } from './lib/prerequisites.mjs';

const DEV = REPO_ROOT;
const TESTS = resolve(process.env.E2E_TESTS || join(REPO_ROOT, 'dist/test/index.js'));
const WORKSPACE = resolve(process.env.E2E_WORKSPACE || join(REPO_ROOT, 'test/e2e/workspace'));
const SHOTS = join(REPO_ROOT, 'test-output/e2e');
const FAKE_PYTHON_EXTENSION = join(REPO_ROOT, 'test/e2e/fake-python-extension');
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 180000);
const VERBOSE = !!process.env.E2E_VERBOSE;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer()
      .once('error', rej)
      .listen(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => res(p));
      });
  });
const healthy = (port) =>
  new Promise((res) =>
    get(`http://127.0.0.1:${port}/healthz`, (r) => {
      r.resume();
      res(r.statusCode === 200);
    }).on('error', () => res(false)),
  );
const groupAlive = (pid) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

function prerequisites() {
  for (const err of [ensureChromium(), ensureCodeServer()]) {
    if (err) {
      console.error(`run-e2e: ${err}`);
      process.exit(2);
    }
  }
  if (!existsSync(TESTS) || !existsSync(join(REPO_ROOT, 'dist/extension.js'))) {
    console.log('run-e2e: dist/ is missing, building with node esbuild.mjs');
    if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
  }
}

async function main() {
  prerequisites();
  const { chromium } = await import('playwright-core');
  const t0 = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'ai8x-e2e-'));
  mkdirSync(join(tmp, 'ud/User'), { recursive: true });
  writeFileSync(
    join(tmp, 'ud/User/settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'security.workspace.trust.enabled': false,
      'workbench.tips.enabled': false,
      'update.mode': 'none',
      'git.openRepositoryInParentFolders': 'never',
      'workbench.panel.defaultLocation': 'bottom',
    }),
  );
  await installFakePythonExtension(tmp);
  const port = await freePort();
  const serverLog = join(tmp, 'server.log');
  // test/e2e/index.ts keeps the extension host alive after the tests until this file exists (for the screenshots).
  const releaseFile = join(tmp, 'release');
  // python and python3 stand-ins first on the PATH: they only record that something ran them, so the suite can show
  // that native synthesis runs no Python (the izer tests run their stand-in izer through an explicit interpreter).
  const shims = join(tmp, 'python-shims');
  const pythonCalls = join(tmp, 'python-calls.txt');
  mkdirSync(shims, { recursive: true });
  for (const name of ['python', 'python3']) writeFileSync(join(shims, name), `#!/bin/sh\necho "$0 $*" >> '${pythonCalls}'\nexit 127\n`, { mode: 0o755 });
  const server = spawn(
    CODE_SERVER,
    [
      '--config',
      join(tmp, 'config.yaml'),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--extensions-dir',
      join(tmp, 'ext'),
      '--user-data-dir',
      join(tmp, 'ud'),
      WORKSPACE,
    ],
    {
      detached: true,
      stdio: ['ignore', openSync(serverLog, 'w'), openSync(serverLog, 'a')],
      // AI8X_SERVER_TEST_HOOKS: the language server's test hooks (a check the suite makes fail on purpose).
      env: {
        ...process.env,
        PATH: `${shims}:${process.env.PATH ?? ''}`,
        XDG_CONFIG_HOME: join(tmp, 'xdg'),
        AI8X_E2E_RELEASE_FILE: releaseFile,
        AI8X_E2E_PYTHON_CALLS: pythonCalls,
        AI8X_SERVER_TEST_HOOKS: '1',
      },
    },
  );

  let browser;
  let page;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (browser) await browser.close().catch(() => {});
    if (groupAlive(server.pid)) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let i = 0; i < 50 && groupAlive(server.pid); i++) await sleep(100);
      if (groupAlive(server.pid)) {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => void cleanup().then(() => process.exit(130)));

  const recent = [];
  let code = 1;
  try {
    for (let i = 0; !(await healthy(port)); i++) {
      if (i > 300 || server.exitCode !== null) throw new Error('code-server did not start');
      await sleep(100);
    }
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const auth = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${auth}${DEV}`],
      ['extensionTestsPath', `vscode-remote://${auth}${TESTS}`],
    ];
    let done;
    const finished = new Promise((r) => (done = r));
    page.on('console', (m) => {
      const text = m
        .text()
        .replace(/%c/g, '')
        .replace(/color: \S+/g, '')
        .trim();
      recent.push(text);
      if (recent.length > 60) recent.shift();
      // The tests' console lines arrive as "INFO  E2E| <line>" (test/e2e/index.ts tags them).
      const ours = /^INFO\s+E2E\| ?(.*)$/s.exec(text);
      // A test asks for a real mouse click inside a webview: "E2E_CLICK <css selector>" (see clickInWebview).
      const click = ours && /^E2E_CLICK (.+)$/.exec(ours[1]);
      if (click) void clickInWebview(page, click[1]);
      // A test asks for a screenshot of the workbench as it is: "E2E_SHOT <name>" (see takeShot).
      const shot = ours && /^E2E_SHOT (\S+)$/.exec(ours[1]);
      if (shot) void takeShot(page, shot[1]);
      if (VERBOSE) console.log('  [console] ' + text);
      else if (ours && !click && !shot) console.log(ours[1]);
      const mm = /MOCHA_DONE failures=(-?\d+)/.exec(text);
      if (mm) done(Number(mm[1]) >= 0 ? Number(mm[1]) : -2);
    });
    // If the extension host exits before the marker (tests module failed to load, host crashed), stop waiting.
    const watchHost = setInterval(() => {
      try {
        if (/Extension Host Process exited/.test(readFileSync(serverLog, 'utf8'))) setTimeout(() => done(-2), 1000);
      } catch {
        // already gone
      }
    }, 500);
    page.on('pageerror', (e) => recent.push(`pageerror: ${e.message}`));
    await page.goto(`http://${auth}/?folder=${encodeURIComponent(WORKSPACE)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const failures = await Promise.race([finished, sleep(TIMEOUT_MS).then(() => -1)]);
    // Stopped here rather than when `finished` settles: after a timeout it never does.
    clearInterval(watchHost);
    if (failures !== -2) await screenshots(page);
    writeFileSync(releaseFile, '');
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (failures >= 0) console.log(`\nrun-e2e: extension tests finished: ${failures} failure(s) in ${secs}s (VS Code ${vscodeVersion()} via code-server)`);
    else {
      console.error(
        failures === -1
          ? `\nrun-e2e: TIMEOUT after ${secs}s waiting for the extension tests`
          : `\nrun-e2e: the extension host ended without running ${TESTS} to completion`,
      );
      dumpContext(recent, serverLog);
    }
    code = failures === 0 ? 0 : 1;
  } catch (e) {
    console.error(`run-e2e: ${e instanceof Error ? e.message : e}`);
    dumpContext(recent, serverLog);
  } finally {
    await cleanup();
  }
  return code;
}

/**
 * Clicks the first element matching `selector` (Playwright's CSS) in any frame of the workbench, within 15 s
 * (webviews are nested iframes, out of the extension host's reach). The test that asked watches for the effect;
 * this only reports failures. (Modal dialogs cannot be answered this way: VS Code refuses them in test runs.)
 */
async function clickInWebview(page, selector) {
  for (let attempt = 0; attempt < 150; attempt++) {
    for (const frame of page.frames()) {
      const el = await frame.$(selector).catch(() => null);
      // A view may re-render between finding and clicking (element detached): look again.
      if (
        el &&
        (await el.click({ timeout: 2000 }).then(
          () => true,
          () => false,
        ))
      )
        return;
    }
    await sleep(100);
  }
  console.log(`run-e2e: could not click ${selector} in any frame`);
}

/**
 * Saves test-output/e2e/<name>.png and, for the test that asked, <name>.json with what the workbench shows: the
 * settings editor's text and checked scope tab (if one is open), the open notifications, the title of the active
 * editor group's active tab (with several groups, the first group's is not necessarily the one in focus), the
 * status bar's texts and the step titles of an open walkthrough.
 */
async function takeShot(page, name) {
  try {
    mkdirSync(SHOTS, { recursive: true });
    await sleep(1500);
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    // Evaluated in the page (a string: this file is linted as Node code).
    const facts = await page.evaluate(`(() => {
      const settings = document.querySelector('.settings-editor');
      const checked = settings ? [...settings.querySelectorAll('.settings-tabs-widget .checked')].map((e) => e.textContent.trim()) : [];
      return {
        settingsText: settings ? settings.innerText.slice(0, 4000) : null,
        settingsTab: checked.join(' '),
        notifications: [...document.querySelectorAll('.notifications-toasts .notification-list-item-message')].map((e) => e.textContent.trim()),
        activeTab: (document.querySelector('.editor-group-container.active .tab.active') ?? document.querySelector('.tabs-container .tab.active'))?.getAttribute('aria-label') ?? null,
        statusBar: [...document.querySelectorAll('.statusbar-item')].map((e) => (e.textContent || '').trim()).filter((s) => s),
        walkthrough: [...document.querySelectorAll('.gettingStartedSlideDetails .getting-started-step .step-title')].map((e) => e.textContent.trim()),
      };
    })()`);
    writeFileSync(join(SHOTS, `${name}.json`), JSON.stringify(facts, null, 2));
  } catch (e) {
    writeFileSync(join(SHOTS, `${name}.json`), JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  }
}

/**
 * Installs test/e2e/fake-python-extension (a stand-in for ms-python.python's published environments API) into
 * the run's extensions folder. code-server loads only one development extension, so it is packaged and installed.
 * Without it the interpreter-lookup test skips.
 */
async function installFakePythonExtension(tmp) {
  const vsix = join(tmp, 'fake-python.vsix');
  try {
    const { createVSIX } = await import('@vscode/vsce');
    await createVSIX({ cwd: FAKE_PYTHON_EXTENSION, packagePath: vsix, allowMissingRepository: true, skipLicense: true, dependencies: false });
  } catch (e) {
    console.log(`run-e2e: the stand-in Python extension was not packed: ${e instanceof Error ? e.message : e}`);
    return;
  }
  const install = spawnSync(CODE_SERVER, ['--config', join(tmp, 'config.yaml'), '--extensions-dir', join(tmp, 'ext'), '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: join(tmp, 'xdg') },
  });
  if (install.status !== 0)
    console.log(`run-e2e: the stand-in Python extension was not installed: ${(install.stderr || install.stdout || '').trim().split('\n').pop()}`);
}

async function screenshots(page) {
  try {
    mkdirSync(SHOTS, { recursive: true });
    await sleep(500);
    await page.screenshot({ path: join(SHOTS, 'workbench.png') });
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel', { timeout: 5000 });
    await sleep(500);
    await page.screenshot({ path: join(SHOTS, 'problems.png') });
    console.log(`run-e2e: screenshots in ${SHOTS}`);
  } catch (e) {
    console.log(`run-e2e: screenshot incomplete (${e instanceof Error ? e.message.split('\n')[0] : e})`);
  }
}

function vscodeVersion() {
  try {
    return JSON.parse(readFileSync(join(CODE_SERVER, '../../code-server/lib/vscode/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

function dumpContext(recent, serverLog) {
  console.error('--- last browser console lines ---');
  for (const l of recent.slice(-30)) console.error('  ' + l.slice(0, 400));
  try {
    const lines = readFileSync(serverLog, 'utf8').trim().split('\n');
    console.error('--- code-server log (tail) ---');
    for (const l of lines.slice(-30)) console.error('  ' + l.slice(0, 400));
  } catch {
    // already gone
  }
}

process.exit(await main());
