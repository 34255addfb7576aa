// Records the C projects the user's own izer generates, in the format of ../shared/oracle/synthesis/*.json, so
// that the native generator can be compared with izer (by what the hardware holds) on a device or under izer flags
// for which no recording is shared: MAX78002's test networks, and the flags of izer's demo scripts.
//
//   AI8X_SYNTHESIS_PATH=<ai8x-synthesis checkout> AI8X_PYTHON=<its python> \
//     node scripts/record-izer-synthesis.mjs [--set LABEL ...] [--all] [--list] [--jobs 2] [--out DIR] [--shared DIR]
//
// A set is a list of izer runs: izer's test networks (tests/*.yaml with `arch: test`, run as in
// ../shared/oracle/synthesis/testsuite-MAX78000.json) and/or the shipped cases of ../shared/oracle/synthesis/
// shipped.json with their own flags, each with the set's extra flags. `--list` prints the sets. Every set is written
// to <out>/<label>.json and <out>/<label>/<case>/ (cnn.c, cnn.h, main.c or main_riscv.c, weights.h, sampledata.h,
// sampleoutput.h, softmax.c: those izer wrote); <out> is .izer-oracle/synthesis (git-ignored) unless --out says
// otherwise. izer runs from the checkout into a scratch folder under the system's temp folder, removed afterwards.
// Nothing of izer is copied into this project.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KEPT_FILES = ['cnn.c', 'cnn.h', 'main.c', 'main_riscv.c', 'weights.h', 'sampledata.h', 'sampleoutput.h', 'softmax.c'];
const IZER_TIMEOUT_MS = 10 * 60 * 1000;

// Small shipped networks of both devices: each izer run takes 2-7 s.
const SHIPPED_SAMPLE = /^(MAX78000-(mnist|kws20_v3|cifar-10|cats-dogs)|MAX78002-(mnist|kws20_v3_1|cifar-10))$/;
const SHIPPED_MAX78002 = /^MAX78002-(mnist|kws20_v3_1|cifar-10)$/;
// Test networks that exercise different parts of the generated code (multi-pass, wide output, flatten, element-wise
// with pooling, 1-D convolution, FIFO input).
const TESTS_SAMPLE = ['test-ai85-conv1d', 'test-eltwiseadd-pool', 'test-mlpflatten192to10', 'test-passthroughmultipass', 'test-wideout-q4', 'test-fifo-hwc'];
// Test networks that stream their input through the FIFOs (izer needs --fifo for them); the VGA, 720p and HD ones
// have no sample file in the snapshot or exceed MAX78000's limits.
const TESTS_FIFO = (n) => /^test-(fifo|fifostream)-/.test(n) && !/vga-|vga2-|720p|hd8|ai87/.test(n);

/** The sets: label, extra flags, which shipped cases (a pattern) and which test networks on which device. */
const SETS = [
  { label: 'testsuite-MAX78002', flags: [], tests: { device: 'MAX78002', pick: () => true } },
  ...[['--fifo'], ['--fast-fifo', '--riscv'], ['--fast-fifo-quad', '--riscv'], ['--fifo', '--synthesize-input', '0x112233'], ['--input-fifo']].map((flags) => ({
    flags,
    shipped: SHIPPED_SAMPLE,
    tests: { device: 'MAX78000', pick: TESTS_FIFO },
  })),
  ...[
    ['--mlator'],
    ['--no-unload'],
    ['--boost', '2.5'],
    ['--zero-sram'],
    ['--no-kat'],
    ['--max-verify-length', '100'],
    ['--old-kernel-loader'],
    ['--old-kernel-loader', '--no-mexpress'],
    ['--no-compact-data'],
    ['--timer', '0'],
    ['--riscv'],
    ['--riscv', '--riscv-debug'],
    ['--riscv', '--riscv-cache'],
    ['--riscv', '--riscv-flash'],
    ['--riscv', '--no-riscv-flash'],
    ['--pll'],
    ['--clock-divider', '2'],
    ['--energy'],
    ['--softmax'],
    ['--overlap-data'],
    ['--weight-start', '16'],
  ].map((flags) => ({ flags, shipped: SHIPPED_SAMPLE, tests: { device: 'MAX78000', pick: (n) => TESTS_SAMPLE.includes(n) } })),
  { flags: ['--start-layer', '1'], shipped: SHIPPED_MAX78002, tests: { device: 'MAX78002', pick: (n) => TESTS_SAMPLE.includes(n) } },
].map((s) => ({ ...s, label: s.label ?? flagLabel(s.flags) }));

/** `--fifo --synthesize-input 0x112233` → `fifo_synthesize-input_0x112233`: a folder name that says the flags. */
function flagLabel(flags) {
  return flags.map((f) => f.replace(/^-+/, '')).join('_');
}

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const optAll = (name) => args.flatMap((a, i) => (a === name && i + 1 < args.length ? [args[i + 1]] : []));

if (args.includes('--list')) {
  for (const s of SETS) console.log(s.label);
  process.exit(0);
}
const wanted = args.includes('--all') ? SETS : SETS.filter((s) => optAll('--set').includes(s.label));
const unknown = optAll('--set').filter((l) => !SETS.some((s) => s.label === l));
if (unknown.length || !wanted.length) {
  console.error(
    `record-izer-synthesis: ${unknown.length ? `no set ${unknown.join(', ')}; ` : ''}give --all or --set LABEL (one of: ${SETS.map((s) => s.label).join(', ')})`,
  );
  process.exit(2);
}
const jobs = Math.max(1, Number(opt('--jobs', '2')));
const checkout = process.env.AI8X_SYNTHESIS_PATH;
const python = process.env.AI8X_PYTHON ?? 'python3';
if (!checkout || !existsSync(join(checkout, 'ai8xize.py'))) {
  console.error('record-izer-synthesis: set AI8X_SYNTHESIS_PATH to an ai8x-synthesis checkout (and AI8X_PYTHON to its Python).');
  process.exit(2);
}
const outRoot = resolve(opt('--out', join(REPO, '.izer-oracle', 'synthesis')));
const sharedRoot = resolve(opt('--shared', join(REPO, '..', 'shared')));

const testsDir = join(checkout, 'tests');
const testNetworks = readdirSync(testsDir)
  .filter((f) => f.endsWith('.yaml'))
  .filter((f) => /^arch:\s*test\s*$/m.test(readFileSync(join(testsDir, f), 'utf8')))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const shippedFile = join(sharedRoot, 'oracle', 'synthesis', 'shipped.json');
const shipped = existsSync(shippedFile) ? JSON.parse(readFileSync(shippedFile, 'utf8')) : [];
if (!shipped.length && wanted.some((s) => s.shipped)) console.warn(`record-izer-synthesis: ${shippedFile} not found; the shipped cases are left out`);

/** The izer runs of a set: case name, YAML (relative to the checkout) and izer's flags after --config-file. */
function runsOf(set) {
  const runs = [];
  if (set.shipped) {
    for (const c of shipped.filter((c) => set.shipped.test(c.case))) runs.push({ case: c.case, yaml: c.yaml, izerFlags: [...c.izer_flags, ...set.flags] });
  }
  if (set.tests) {
    for (const name of testNetworks.filter(set.tests.pick)) {
      const izerFlags = ['--device', set.tests.device, '--verbose', '--yamllint', 'none', ...set.flags];
      runs.push({ case: `${set.tests.device}-${name}`, yaml: `tests/${name}.yaml`, izerFlags });
    }
  }
  return runs;
}

const scratch = mkdtempSync(join(tmpdir(), 'izer-synthesis-'));
const children = new Set();
const endChildren = () => {
  for (const c of children) c.kill('SIGKILL');
};
process.on('SIGINT', () => {
  endChildren();
  rmSync(scratch, { recursive: true, force: true });
  process.exit(130);
});

/** Every file under `dir` (relative, '/'-separated) with its size and mode, as in the shared JSON. */
function listFiles(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out[relative(dir, p).split('\\').join('/')] = { size: st.size, mode: `0o${(st.mode & 0o777).toString(8)}` };
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function runIzer(set, run) {
  const testDir = join(scratch, set.label);
  const argv = ['ai8xize.py', '--test-dir', testDir, '--prefix', run.case, '--config-file', run.yaml, ...run.izerFlags, '--overwrite', '--no-version-check'];
  const t0 = Date.now();
  return new Promise((resolveRun) => {
    const child = spawn(python, argv, { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), IZER_TIMEOUT_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout = (stdout + d).slice(-200000)));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-200000)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      const generated = join(testDir, run.case);
      const entry = {
        case: run.case,
        yaml: run.yaml,
        izer_flags: run.izerFlags,
        exit_code: code ?? (signal ? 128 : 1),
        seconds: Math.round((Date.now() - t0) / 100) / 10,
        files: code === 0 ? listFiles(generated) : {},
      };
      if (code === 0) {
        const keep = join(outRoot, set.label, run.case);
        mkdirSync(keep, { recursive: true });
        for (const f of KEPT_FILES) if (existsSync(join(generated, f))) copyFileSync(join(generated, f), join(keep, f));
      } else {
        const lines = (stdout + '\n' + stderr).split('\n');
        entry.error_lines = [...new Set(lines.filter((l) => l.startsWith('ERROR:')).map((l) => l.trimEnd()))];
        if (!entry.error_lines.length) entry.stderr_tail = stderr.slice(-1500);
      }
      rmSync(generated, { recursive: true, force: true });
      resolveRun(entry);
    });
  });
}

async function recordSet(set) {
  const runs = runsOf(set);
  rmSync(join(outRoot, set.label), { recursive: true, force: true });
  const t0 = Date.now();
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < runs.length) results.push(await runIzer(set, runs[next++]));
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  results.sort((a, b) => a.case.localeCompare(b.case));
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(join(outRoot, `${set.label}.json`), JSON.stringify(results, null, 1) + '\n');
  const accepted = results.filter((r) => r.exit_code === 0).length;
  console.log(`  ${set.label}: ${accepted} of ${results.length} accepted (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return { runs: results.length, accepted };
}

console.log(`record-izer-synthesis: ${wanted.length} set(s), ${jobs} izer run(s) at a time, into ${outRoot}`);
const t0 = Date.now();
let total = 0;
let accepted = 0;
for (const set of wanted) {
  const r = await recordSet(set);
  total += r.runs;
  accepted += r.accepted;
}
rmSync(scratch, { recursive: true, force: true });
console.log(`record-izer-synthesis: ${accepted} of ${total} runs accepted in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
