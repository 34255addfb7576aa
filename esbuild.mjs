// Bundles the extension client, the language server, the CLI, the webview pages and the test suites with esbuild.
//   node esbuild.mjs            one build
//   node esbuild.mjs --watch    rebuild on change
//   node esbuild.mjs --tests    also build the mocha suites into out/test
//   node esbuild.mjs --production [--outdir=DIR]   minified, without source maps (DIR instead of dist: npm run bench)
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests') || watch;
const production = process.argv.includes('--production');
const dist = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

function filesUnder(dir, suffix) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(filesUnder(p, suffix));
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

// The CLI bundle must be pure ASCII: dist/cli.js then reads it as a one-byte string, which is faster to read and to
// check against V8's code cache than UTF-8 decoded into two-byte text. esbuild escapes strings but keeps comments
// and regular expressions as written, so every non-ASCII code unit left becomes a \uXXXX escape (the same meaning
// in strings, regular expressions and identifiers; only comments read differently).
const asciiOnly = {
  name: 'ascii-only',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length) return;
      for (const name of Object.keys(build.initialOptions.entryPoints)) {
        const file = join(build.initialOptions.outdir, `${name}.js`);
        const text = readFileSync(file, 'utf8');
        const ascii = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        if (ascii !== text) writeFileSync(file, ascii);
      }
    });
  },
};

// eemeli/yaml's parser reads process.env.LOG_TOKENS for every token and its composer process.env.LOG_STREAM for
// every document: its own debugging aids. Each read goes through Node's environment lookup (about 0.16 µs), which
// adds up to a tenth of checking a 17 KB network. In our bundles those two modules get a `process` whose env is
// empty; the rest of yaml (its warnings) keeps the real one. The build fails if yaml's layout no longer matches.
const YAML_DEBUG_ENV_USERS = /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/;
const yamlWithoutDebugEnv = {
  name: 'yaml-without-debug-env',
  setup(build) {
    const hits = new Set();
    build.onResolve({ filter: /^(node:)?process$/ }, (args) => {
      if (!YAML_DEBUG_ENV_USERS.test(args.importer)) return undefined;
      hits.add(args.importer);
      return { path: 'process-without-env', namespace: 'yaml-debug-env' };
    });
    build.onLoad({ filter: /.*/, namespace: 'yaml-debug-env' }, () => ({ contents: 'module.exports = { env: {} };', loader: 'js' }));
    build.onEnd((result) => {
      if (!result.errors.length && hits.size !== 2)
        result.errors.push({ text: `yaml-without-debug-env: expected yaml's parser and composer to import process, found ${hits.size}` });
    });
  },
};

const builds = [
  { ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: dist, external: ['vscode'] },
  // The language server and its check workers (worker threads it starts from dist/checkWorker.js).
  {
    ...common,
    entryPoints: { server: 'server/src/server.ts', checkWorker: 'server/src/lsp/worker/checkWorker.ts' },
    outdir: dist,
    plugins: [yamlWithoutDebugEnv],
  },
  // The CLI: a small starter (dist/cli.js, the `ai8x` bin) that loads the commands' bundle from V8's code cache.
  { ...common, entryPoints: { cli: 'server/src/cli/bin.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { cliMain: 'server/src/cli/main.ts' }, outdir: dist, plugins: [asciiOnly, yamlWithoutDebugEnv] },
  // The suite that runs inside a real VS Code extension host (test-electron format: exports run()).
  { ...common, entryPoints: { 'test/index': 'test/e2e/index.ts', 'test/suite': 'test/e2e/suite.ts' }, outdir: dist, external: ['vscode', 'mocha'] },
  // The webview pages' scripts (media/scripts/, loaded by the panels next to media/*.css).
  {
    entryPoints: { kernelMap: 'webview/src/kernelMap.ts', dataMemory: 'webview/src/dataMemory.ts', simulator: 'webview/src/simulator.ts' },
    outdir: 'media/scripts',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'inline',
    minify: production,
    logLevel: 'warning',
  },
];
if (withTests) {
  const entries = [...filesUnder('test', '.test.ts')].filter((p) => !p.startsWith(join('test', 'e2e')));
  // Run by the checkpoint tests in a process of its own.
  entries.push(join('test', 'unit', 'checkpoint', 'readProbe.ts'));
  builds.push({ ...common, entryPoints: entries, outbase: 'test', outdir: 'out/test', packages: 'external' });
  // The benchmark measures the engine as the server and the CLI bundle it, packages included.
  builds.push({ ...common, entryPoints: { 'bench/bench': join('test', 'bench', 'bench.ts') }, outdir: 'out/test', plugins: [yamlWithoutDebugEnv] });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
