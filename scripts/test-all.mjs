// `npm test`: the one command that tests everything on a fresh Debian machine (npm + apt, root or sudo).
//   1. dependencies (npm ci when node_modules is missing)
//   2. system prerequisites of the browser tests: chromium, code-server (apt-get as root, sudo -n otherwise)
//   3. build (node esbuild.mjs --tests)      4. type-check (tsc -p . and tsc -p webview), lint (eslint), format (prettier --check)
//   5. mocha over every test/**/*.test.ts except test/e2e (unit, lsp, corpus, fuzz, webview, ...)
//   6. the e2e suite in a real VS Code (scripts/run-e2e.mjs)
// Options: --no-e2e (skip step 6), --grep <pattern> (passed to mocha; also skips e2e).
// Exit status 0 only when every step that ran passed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { REPO_ROOT, ensureChromium, ensureCodeServer } from './lib/prerequisites.mjs';

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : null;
const withE2e = !args.includes('--no-e2e') && !grep;
const bin = (name) => join(REPO_ROOT, 'node_modules', '.bin', name);

const results = [];

function record(name, ok, seconds, note = '') {
  results.push({ name, ok, seconds, note });
  return ok;
}

/** Runs a command with its output passed through; resolves with the exit code and the output's last 8 KB. */
function run(cmd, argv, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: REPO_ROOT, stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'] });
    let tail = '';
    const keep = (d) => (tail = (tail + d.toString()).slice(-8192));
    if (capture) {
      child.stdout.on('data', (d) => (process.stdout.write(d), keep(d)));
      child.stderr.on('data', (d) => (process.stderr.write(d), keep(d)));
    }
    child.on('error', (e) => resolve({ code: 127, tail: String(e) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), tail }));
  });
}

async function step(name, fn) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  let outcome;
  try {
    outcome = await fn();
  } catch (e) {
    outcome = { ok: false, note: e instanceof Error ? e.message : String(e) };
  }
  return record(name, outcome.ok, (Date.now() - t0) / 1000, outcome.note ?? '');
}

function testSources(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(testSources(p));
    else if (p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** The compiled suites of the current test sources (a stale out/test file of a deleted test is not run). */
function compiledSuites() {
  const testDir = join(REPO_ROOT, 'test');
  return testSources(testDir)
    .map((p) => relative(testDir, p))
    .filter((rel) => rel.split(sep)[0] !== 'e2e')
    .map((rel) => join('out', 'test', rel.replace(/\.ts$/, '.js')));
}

function mochaCounts(tail) {
  const n = (what) => Number(new RegExp(`(\\d+) ${what}`).exec(tail)?.[1] ?? 0);
  return { passing: n('passing'), failing: n('failing'), pending: n('pending') };
}

const t0 = Date.now();

await step('dependencies', async () => {
  if (existsSync(bin('mocha')) && existsSync(bin('esbuild')) && existsSync(bin('tsc'))) return { ok: true, note: 'node_modules present' };
  const r = await run('npm', ['ci', '--no-audit', '--no-fund']);
  return { ok: r.code === 0, note: 'npm ci' };
});
if (!results.at(-1).ok) finish();

let prerequisitesOk = true;
await step('prerequisites (chromium, code-server)', async () => {
  const problems = [ensureChromium(), withE2e ? ensureCodeServer() : null].filter(Boolean);
  prerequisitesOk = problems.length === 0;
  for (const p of problems) console.error(`test-all: ${p}`);
  return { ok: prerequisitesOk, note: problems.length ? 'missing; see the messages above' : '' };
});

await step('build', async () => ({ ok: (await run(process.execPath, ['esbuild.mjs', '--tests'])).code === 0 }));
if (!results.at(-1).ok) finish();

// The webview pages have a tsconfig of their own (the DOM library).
await step('type-check', async () => ({ ok: (await run(bin('tsc'), ['-p', '.'])).code === 0 && (await run(bin('tsc'), ['-p', 'webview'])).code === 0 }));

await step('lint (eslint)', async () => ({ ok: (await run(bin('eslint'), ['--max-warnings', '0', '.'])).code === 0 }));

await step('format (prettier --check)', async () => ({ ok: (await run(bin('prettier'), ['--check', '--log-level', 'warn', '.'])).code === 0 }));

await step('mocha', async () => {
  const suites = compiledSuites();
  const r = await run(bin('mocha'), ['--timeout', '20000', ...(grep ? ['--grep', grep] : []), ...suites], { capture: true });
  const c = mochaCounts(r.tail);
  return { ok: r.code === 0, note: `${suites.length} files, ${c.passing} passing, ${c.failing} failing, ${c.pending} pending` };
});

if (withE2e) {
  await step('e2e (VS Code 1.100.3 via code-server)', async () => {
    if (!prerequisitesOk) return { ok: false, note: 'not run: prerequisites missing' };
    const r = await run(process.execPath, [join('scripts', 'run-e2e.mjs')], { capture: true });
    const c = mochaCounts(r.tail);
    return { ok: r.code === 0, note: `${c.passing} passing, ${c.failing} failing, ${c.pending} pending` };
  });
} else {
  record('e2e', true, 0, 'skipped (--no-e2e or --grep)');
}

finish();

function finish() {
  const failed = results.filter((r) => !r.ok);
  console.log('\n=== summary ===');
  for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(40)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.note}`);
  console.log(`  ${failed.length ? `${failed.length} step(s) FAILED` : 'all steps passed'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  process.exit(failed.length ? 1 : 0);
}
