// Records what the user's own izer says about its test networks, in the format of
// ../shared/oracle/testsuite/MAX78000.json, so that the conformance tests can compare us with izer on a device
// or under izer flags for which no recording is shared (MAX78002, --fifo, …).
//
//   AI8X_SYNTHESIS_PATH=<ai8x-synthesis checkout> AI8X_PYTHON=<its python> \
//     node scripts/record-izer-oracle.mjs --device MAX78002 [--flags "--fifo"] [--only REGEX] [--jobs 2] [--out FILE]
//
// izer runs from the checkout (its paths such as tests/weights_<dataset>.npy are relative to it) into a scratch
// folder under the system's temp folder, which is removed afterwards. Nothing of izer is copied into this project;
// the recording is written to .izer-oracle/ (git-ignored) unless --out says otherwise.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const device = opt('--device', 'MAX78002');
const flags = (opt('--flags', '') ?? '').split(/\s+/).filter(Boolean);
const only = opt('--only', null);
const jobs = Number(opt('--jobs', '2'));
const checkout = process.env.AI8X_SYNTHESIS_PATH;
const python = process.env.AI8X_PYTHON ?? 'python3';
if (!checkout || !existsSync(join(checkout, 'ai8xize.py'))) {
  console.error('record-izer-oracle: set AI8X_SYNTHESIS_PATH to an ai8x-synthesis checkout (and AI8X_PYTHON to its Python).');
  process.exit(2);
}
const label = [device, ...flags.map((f) => f.replace(/^-+/, ''))].join('_');
const out = resolve(opt('--out', join('.izer-oracle', `${label}.json`)));

const testsDir = join(checkout, 'tests');
const names = readdirSync(testsDir)
  .filter((f) => f.endsWith('.yaml'))
  .filter((f) => /^arch:\s*test\s*$/m.test(readFileSync(join(testsDir, f), 'utf8')))
  .map((f) => f.replace(/\.yaml$/, ''))
  .filter((n) => !only || new RegExp(only).test(n))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), 'izer-oracle-'));
const results = [];
let next = 0;
let done = 0;

function run(name) {
  const yaml = `tests/${name}.yaml`;
  const argv = ['ai8xize.py', '--test-dir', scratch, '--prefix', name, '--config-file', yaml, '--device', device, '--verbose', '--yamllint', 'none', ...flags];
  const all = [...argv, '--no-version-check', '--overwrite'];
  const t0 = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(python, all, { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const lines = (stdout + '\n' + stderr).split('\n');
      const errorLines = [...new Set(lines.filter((l) => l.startsWith('ERROR:')).map((l) => l.trimEnd()))];
      const tb = stderr.split('\n');
      const at = tb.findIndex((l) => l.startsWith('Traceback'));
      const exception = at >= 0 ? [tb[at], ...tb.slice(at + 1).filter((l) => /^[A-Za-z_.]+(Error|Exception)\b/.test(l))] : [];
      const dir = join(scratch, name);
      const entry = {
        case: `${device}-${name}`,
        device,
        yaml,
        izer_flags: argv.slice(argv.indexOf('--config-file')),
        exit_code: code,
        seconds: Math.round((Date.now() - t0) / 100) / 10,
        accepted: code === 0,
        error_lines: errorLines,
        python_exception_lines: exception,
        stderr_tail: stderr.slice(-2000),
      };
      if (code === 0) {
        entry.kernel_map = kernelMap(join(dir, 'log.txt'));
        entry.known_answer = knownAnswer(join(dir, 'sampleoutput.h'));
      }
      rmSync(dir, { recursive: true, force: true });
      resolveRun(entry);
    });
  });
}

/** The "Kernel map:" block of log.txt, up to the blank line after it (without the final newline). */
function kernelMap(file) {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.indexOf('Kernel map:');
  if (start < 0) return null;
  let end = start;
  while (end < lines.length && lines[end] !== '') end++;
  return lines.slice(start, end).join('\n');
}

/** SAMPLE_OUTPUT of sampleoutput.h: records of address, mask, count and count words, ended by a zero. */
function knownAnswer(file) {
  if (!existsSync(file)) return null;
  const words = [...readFileSync(file, 'utf8').matchAll(/0x[0-9a-fA-F]{8}/g)].map((m) => m[0].toLowerCase());
  const records = [];
  let i = 0;
  while (i + 2 < words.length && words[i] !== '0x00000000') {
    const count = parseInt(words[i + 2], 16);
    records.push({ address: words[i], mask: words[i + 1], words: words.slice(i + 3, i + 3 + count) });
    i += 3 + count;
  }
  return records;
}

async function worker() {
  while (next < names.length) {
    const name = names[next++];
    results.push(await run(name));
    done++;
    if (done % 20 === 0 || done === names.length) console.log(`  ${done}/${names.length}`);
  }
}

console.log(`record-izer-oracle: ${names.length} test networks on ${device}${flags.length ? ' with ' + flags.join(' ') : ''} (${jobs} at a time)`);
await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
rmSync(scratch, { recursive: true, force: true });
results.sort((a, b) => a.case.localeCompare(b.case));
mkdirSync(resolve(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 1) + '\n');
const accepted = results.filter((r) => r.accepted).length;
console.log(`record-izer-oracle: ${accepted} of ${results.length} accepted; written to ${out}`);
