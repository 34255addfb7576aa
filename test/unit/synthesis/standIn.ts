// A stand-in for ai8x-synthesis that tests write into a temporary folder: an `ai8xize.py` that is really a
// Node script (run with process.execPath as "python"), taking izer's arguments and writing a plausible MSDK
// project — or printing ERROR:/WARNING: lines, crashing, or hanging with a grandchild, as `standin.json` says.
// It reads its arguments as izer's argparse does (last one wins, `--x=v`, unambiguous abbreviations such as
// `--weight-f`), and names its output files from izer's file-name flags the way izer does: each is joined to
// <test-dir>/<prefix> as given (Python's os.path.join: an absolute name replaces the folder, `..` is left to the
// OS), numpy adds `.npy` to --sample-numpy-filename, and --c-filename is a base name.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface StandInBehaviour {
  errors?: string[];
  warnings?: string[];
  exitCode?: number;
  /** Print a Python-style traceback ending in this line and exit 1. */
  crash?: string;
  /** Start a grandchild, write both pids to pids.json, and never finish. */
  hang?: boolean;
  /** Exit 0 without writing anything. */
  writeNothing?: boolean;
}

const SCRIPT = String.raw`
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const cp = require('child_process');
const here = process.cwd();
const cfg = JSON.parse(fs.readFileSync(path.join(here, 'standin.json'), 'utf8'));
const argv = process.argv.slice(2);
fs.appendFileSync(path.join(here, 'calls.jsonl'), JSON.stringify({ argv, cwd: here, env: { PYTHONUNBUFFERED: process.env.PYTHONUNBUFFERED } }) + '\n');
// izer's option names this stand-in knows (true: takes a value); enough of them that abbreviations are ambiguous
// where izer's are. Unknown options are ignored.
const KNOWN = {
  '--test-dir': true, '--test-bist': false, '--prefix': true, '--pretend-zero-sram': false, '--config-file': true,
  '--checkpoint-file': true, '--device': true, '--ai85': false, '--sample-input': true, '--overwrite': false,
  '--overlap-data': false, '--board-name': true, '--softmax': false, '--timer': true, '--fifo': false, '--riscv': false,
  '--no-version-check': false, '--rtl': false, '--api-filename': true, '--weight-filename': true, '--weight-start': true,
  '--sample-filename': true, '--sample-output-filename': true, '--sample-numpy-filename': true, '--log': false,
  '--no-log': false, '--log-filename': true, '--log-intermediate': false, '--log-pooling': false, '--c-filename': true,
  '--autogen': true, '--autogen_list': true, '--skip-yaml-layers': true,
};
const given = {};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--') || a === '--') continue;
  const eq = a.indexOf('=');
  const n = eq > 0 ? a.slice(0, eq) : a;
  const hits = n in KNOWN ? [n] : Object.keys(KNOWN).filter((k) => k.startsWith(n));
  if (hits.length > 1) {
    process.stderr.write('usage: ai8xize.py [-h] ...\nai8xize.py: error: ambiguous option: ' + n + ' could match ' + hits.join(', ') + '\n');
    process.exit(2);
  }
  if (hits.length === 0) continue;
  given[hits[0]] = KNOWN[hits[0]] ? (eq > 0 ? a.slice(eq + 1) : argv[++i]) : true;
  if (hits[0] === '--log') delete given['--no-log'];
  if (hits[0] === '--no-log') delete given['--log'];
}
const opt = (n) => given[n];
const testDir = opt('--test-dir'), prefix = opt('--prefix'), config = opt('--config-file'), device = opt('--device');
if (!testDir || !prefix || !config || !device) {
  process.stderr.write('usage: ai8xize.py [-h] ...\nai8xize.py: error: the following arguments are required: --test-dir, --prefix\n');
  process.exit(2);
}
if (cfg.hang) {
  const g = cp.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(here, 'pids.json'), JSON.stringify({ child: process.pid, grandchild: g.pid }));
  process.stdout.write('Configuring data set: hanging.\n');
  setInterval(() => {}, 1000);
  return;
}
process.stdout.write('Reading ' + (opt('--checkpoint-file') || 'nothing') + ' to configure network weights...\n');
for (const w of cfg.warnings || []) process.stderr.write('WARNING: ' + w + '\n');
if (cfg.crash) {
  process.stderr.write('Traceback (most recent call last):\n  File "ai8xize.py", line 28, in <module>\n    main()\n' + cfg.crash + '\n');
  process.exit(1);
}
if ((cfg.errors || []).length) {
  for (const e of cfg.errors) process.stderr.write('\x1b[31mERROR:\x1b[0m ' + e + '\n');
  process.exit(cfg.exitCode === undefined ? 1 : cfg.exitCode);
}
if (cfg.writeNothing) process.exit(0);
const target = path.join(testDir, prefix);
if (fs.existsSync(target) && !argv.includes('--overwrite')) {
  process.stderr.write('ERROR: The target folder ' + target + ' exists. Use --overwrite to proceed.\n');
  process.exit(1);
}
fs.mkdirSync(path.join(target, '.vscode'), { recursive: true });
const cmd = ['ai8xize.py', ...argv].join(' ');
const hash = (f) => (f ? crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex').slice(0, 16) : 'default');
const header = '// ' + prefix + '\n// This file was @generated by ' + cmd + '\n\n';
const depth = path.join(testDir, prefix).split(path.sep).filter(Boolean).length;
// os.path.join(test_dir, prefix, name), not normalised.
const at = (name) => (path.isAbsolute(name) ? name : testDir + path.sep + prefix + path.sep + name);
const w = (name, text) => fs.writeFileSync(at(name), text);
const none = (v) => v !== undefined && v.toLowerCase() === 'none';
const api = opt('--api-filename') ?? 'cnn.c';
const weights = opt('--weight-filename') ?? 'weights.h';
const sampleOut = opt('--sample-output-filename') ?? 'sampleoutput.h';
if (!none(api)) w(api, header + '// DO NOT EDIT - regenerate this file instead!\n\n#include "cnn.h"\n#include "' + weights + '"\nint cnn_load_weights(void) { return 0; }\n');
w('cnn.h', '/*\n  SUMMARY OF OPS\n*/\n#define CNN_NUM_OUTPUTS 10\nint cnn_load_weights(void);\n');
w(weights, '#define KERNELS_FROM_CHECKPOINT "' + hash(opt('--checkpoint-file')) + '"\n');
w((opt('--c-filename') ?? 'main') + '.c', '// ARM wrapper code\n' + header + 'int main(void) { return 0; }\n');
w(opt('--sample-filename') ?? 'sampledata.h', '#define SAMPLE_FROM "' + hash(opt('--sample-input')) + '"\n');
if (!none(sampleOut)) w(sampleOut, '#define SAMPLE_OUTPUT 1\n');
const numpy = opt('--sample-numpy-filename');
if (numpy !== undefined) w(numpy.endsWith('.npy') ? numpy : numpy + '.npy', 'NUMPY');
w('Makefile', 'PROJECT = ' + prefix + '\nBOARD = ' + (opt('--board-name') || 'EvKit_V1') + '\nDEPTH := ' + '../'.repeat(depth - 1) + '\n');
w(path.join('.vscode', 'settings.json'), '{ "project_name": "' + prefix + '" }\n');
if (!opt('--no-log')) w(opt('--log-filename') ?? 'log.txt', cmd + '\n' + device + '\n\n' + prefix + '\n\nSUMMARY OF OPS\nHardware: 10,883,968 ops (10,751,808 macc; 128,576 comp; 3,584 add; 0 mul; 0 bitwise)\n\nRESOURCE USAGE\nWeight memory: 71,148 bytes out of 442,368 bytes total (16.1%)\nBias memory:   10 bytes out of 2,048 bytes total (0.5%)\n');
// RTL simulations: izer appends the test to a regression list in the --autogen folder (relative to its cwd).
const autogen = opt('--autogen');
if (opt('--rtl') && autogen !== undefined && !none(autogen)) fs.appendFileSync(path.join(autogen, opt('--autogen_list') ?? 'autogen_list'), prefix + '\n');
process.stdout.write(prefix + '...\n');
`;

export interface StandIn {
  /** The fake ai8x-synthesis folder (has ai8xize.py and izer/). */
  dir: string;
  /** The "python" that runs it. */
  python: string;
  behave(b: StandInBehaviour): void;
  /** The argument lists the stand-in was called with, oldest first. */
  calls(): { argv: string[]; cwd: string; env: Record<string, string | undefined> }[];
}

export function makeStandIn(parent: string, name = 'ai8x synthesis "stand-in"'): StandIn {
  const dir = path.join(parent, name);
  fs.mkdirSync(path.join(dir, 'izer'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'izer', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'ai8xize.py'), SCRIPT);
  const s: StandIn = {
    dir,
    python: process.execPath,
    behave: (b) => fs.writeFileSync(path.join(dir, 'standin.json'), JSON.stringify(b)),
    calls: () => {
      const f = path.join(dir, 'calls.jsonl');
      return fs.existsSync(f)
        ? fs
            .readFileSync(f, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [];
    },
  };
  s.behave({});
  return s;
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ai8x-${tag}-`));
}

/** A small valid network (4 layers, the last two named) and where its lines are. */
export const TINY_NETWORK = `---
# a test network
arch: ai85net5
dataset: MNIST

layers:
  - processors: 0x0000000000000001
    in_offset: 0x0000
    out_offset: 0x2000
    op: conv2d
    kernel_size: 3x3
    pad: 1
    activate: ReLU
  - processors: 0xfffffffffffffff0
    out_offset: 0x0000
    op: conv2d
    max_pool: 2
    pool_stride: 2
    pad: 1
    activate: ReLU
  - name: conv3
    processors: 0xfffffffffffffff0
    out_offset: 0x2000
    op: conv2d
    pad: 1
    activate: ReLU
  - name: fc
    processors: 0x0000000000000fff
    out_offset: 0x0000
    op: mlp
    flatten: true
    output_width: 32
`;

/** 0-based line of the first line containing `needle` at or after line `from`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i].includes(needle)) return i;
  throw new Error(`"${needle}" not found after line ${from}`);
}
