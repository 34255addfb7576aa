// Entry point of the suite that runs inside a real VS Code extension host (test-electron's format).
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // The code-server extension host forwards console arguments without printf expansion.
  (Mocha as unknown as { reporters: { Base: { consoleLog: (...a: unknown[]) => void } } }).reporters.Base.consoleLog = (...a: unknown[]) => console.log(util.format(...a));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000 });
  mocha.addFile(path.resolve(__dirname, 'suite.js'));
  return new Promise((resolve, reject) =>
    mocha.run((failures) => {
      console.log(`MOCHA_DONE failures=${failures}`);
      if (failures) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    }),
  );
}
