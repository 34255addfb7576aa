// Runs the extension's end-to-end suite (dist/test/index.js) in desktop VS Code through @vscode/test-electron.
// It downloads VS Code from update.code.visualstudio.com, so it needs internet access; machines without it
// use scripts/run-e2e.mjs (code-server + chromium) for the same suite.
//   node scripts/run-test-electron.mjs          (npm run test:vscode builds first)
// Environment: VSCODE_EXECUTABLE = an installed desktop VS Code binary (skips the download),
//   VSCODE_VERSION = the version to download (default: the lowest one package.json's engines.vscode allows).
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/prerequisites.mjs';

const UPDATE_HOST = 'update.code.visualstudio.com';

async function main() {
  const executable = process.env.VSCODE_EXECUTABLE;
  if (!executable) {
    try {
      await lookup(UPDATE_HOST);
    } catch (e) {
      console.error(
        `run-test-electron: cannot reach ${UPDATE_HOST} (${e.code || e.message}), so @vscode/test-electron cannot download VS Code.\n` +
          '  Run the same suite without a download:  npm run test:e2e   (code-server + chromium)\n' +
          '  or point VSCODE_EXECUTABLE at an installed desktop VS Code.',
      );
      return 1;
    }
  }
  const { runTests } = await import('@vscode/test-electron');
  const engines = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines?.vscode ?? '';
  const version = process.env.VSCODE_VERSION || /(\d+\.\d+\.\d+)/.exec(engines)?.[1] || 'stable';
  try {
    await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version }),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: join(REPO_ROOT, 'dist/test/index.js'),
      launchArgs: [join(REPO_ROOT, 'test/e2e/workspace'), '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } catch (e) {
    console.error(`run-test-electron: ${e instanceof Error ? e.message : e}`);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(String(e)))
      console.error('  No internet access for the VS Code download: use  npm run test:e2e  instead.');
    return 1;
  }
}

process.exit(await main());
