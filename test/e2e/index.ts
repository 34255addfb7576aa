// Entry point of the suite that runs inside a real VS Code extension host (test-electron's run() format).
// Use e2eLog (./log) rather than console.log in suites so the line shows in the harness output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { e2eLog } from './log';

export function run(): Promise<void> {
  (Mocha as unknown as { reporters: { Base: { consoleLog: (...a: unknown[]) => void } } }).reporters.Base.consoleLog = e2eLog;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000 });
  mocha.addFile(path.resolve(__dirname, 'suite.js'));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        console.log(`MOCHA_DONE failures=${failures}`);
        void heldForHarness().then(() => (failures ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
      });
    } catch (e) {
      console.log(`MOCHA_DONE failures=-3 ${e instanceof Error ? e.stack : String(e)}`);
      reject(e);
    }
  });
}

/**
 * VS Code shuts the extension host down as soon as run() settles, which clears diagnostics and hovers. The e2e
 * harness sets AI8X_E2E_RELEASE_FILE (inherited through code-server) and creates that file once it has taken
 * its screenshots; under test-electron the variable is absent and nothing waits.
 */
async function heldForHarness(): Promise<void> {
  const file = process.env.AI8X_E2E_RELEASE_FILE;
  if (!file) return;
  for (let i = 0; i < 300 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
}
