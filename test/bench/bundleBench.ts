// `npm run bench`: the size of the bundles (as built, and minified as `npm run package` ships them; the CLI is a
// starter, cli.js, and the commands' bundle, cliMain.js) and the time Node takes to load the extension's bundle,
// which is what its size costs at activation. activate() itself (starting the language server) needs VS Code: the
// e2e suite logs it (scripts/run-e2e.mjs).
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/shared';

const BUNDLES = ['extension.js', 'server.js', 'checkWorker.js', 'cli.js', 'cliMain.js'];

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Loads a built extension in a fresh Node process with a stand-in `vscode` module (any property, call or `new`
 * gives the stand-in again; it says it is an ES module, so the import helpers take it as it is) and prints how long
 * `require` took, in ms. Nothing is activated.
 */
const LOAD_SCRIPT = `
const Module = require('node:module');
const names = new Proxy({}, { get: (t, p) => (p === 'then' ? undefined : stub) });
const stub = new Proxy(function () {}, {
  get: (t, p) => (p === 'then' ? undefined : p === '__esModule' ? true : stub),
  apply: () => stub,
  construct: () => stub,
  // esbuild's and TypeScript's import helpers copy own properties or look through the prototype.
  getPrototypeOf: () => names,
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const t0 = performance.now();
const ext = require(process.argv[1]);
const ms = performance.now() - t0;
if (typeof ext.activate !== 'function') throw new Error('no activate() in ' + process.argv[1]);
process.stdout.write(String(ms));
`;

/** Load times (ms) of each file, the files taking turns so that a busy machine slows them alike. */
function loadTimes(files: string[], runs: number): number[][] {
  const times = files.map((): number[] => []);
  for (let i = 0; i < runs; i++)
    files.forEach((f, j) => times[j].push(Number(cp.execFileSync(process.execPath, ['-e', LOAD_SCRIPT, f], { encoding: 'utf8' }))));
  return times;
}

export function bundleBench(): void {
  console.log('\n== Bundles: size as built (dist/, with source maps) and minified (--production), and loading the extension');
  const root = repoRoot();
  const minified = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-bench-dist-'));
  try {
    cp.execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${minified}`], { cwd: root, stdio: 'inherit' });
    for (const b of BUNDLES) {
      const built = path.join(root, 'dist', b);
      const size = fs.existsSync(built) ? kb(fs.statSync(built).size) : '(not built)';
      console.log(`  ${b.padEnd(13)} ${size.padStart(9)} as built   ${kb(fs.statSync(path.join(minified, b)).size).padStart(9)} minified`);
    }
    const runs = 15;
    const [plain, small] = loadTimes([path.join(root, 'dist', 'extension.js'), path.join(minified, 'extension.js')], runs);
    const show = (t: number[]) => `${median(t).toFixed(1)} ms (fastest ${Math.min(...t).toFixed(1)})`;
    console.log(`  require('extension.js') in a fresh Node process, vscode stubbed, median of ${runs}: as built ${show(plain)}, minified ${show(small)}`);
  } finally {
    fs.rmSync(minified, { recursive: true, force: true });
  }
}
