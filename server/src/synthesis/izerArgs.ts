// The ai8xize.py argument list for one synthesis run. Paths are made absolute because izer runs with the
// synthesis folder as its working directory.
import * as path from 'node:path';
import type { DeviceName } from '../engine/device/devices';

export interface IzerInvocation {
  network: string;
  checkpoint: string | null;
  sampleInput: string | null;
  device: DeviceName;
  prefix: string;
  /** izer's --test-dir: the project ends up in <testDir>/<prefix>. */
  testDir: string;
  /** Flags from settings, the modeline, associations and the command line, in the order they apply. */
  flags: readonly string[];
}

export interface BuiltArgs {
  /** Arguments after the Python executable: ai8xize.py first. */
  argv: string[];
  /** User flags that were dropped because synthesis sets them itself, with the reason. */
  ignored: string[];
}

/** Flags synthesis always sets itself, and whether each takes a value. */
const OWNED: Record<string, boolean> = {
  '--test-dir': true,
  '--prefix': true,
  '--config-file': true,
  '--device': true,
  '--ai85': false,
  '--overwrite': false,
};

export function buildIzerArgs(inv: IzerInvocation): BuiltArgs {
  const owned: Record<string, boolean> = { ...OWNED };
  if (inv.checkpoint) owned['--checkpoint-file'] = true;
  if (inv.sampleInput) owned['--sample-input'] = true;
  const { kept, dropped } = dropFlags(inv.flags, owned);
  const argv = [
    'ai8xize.py',
    '--test-dir',
    path.resolve(inv.testDir),
    '--prefix',
    inv.prefix,
    ...(inv.checkpoint ? ['--checkpoint-file', path.resolve(inv.checkpoint)] : []),
    '--config-file',
    path.resolve(inv.network),
    '--device',
    inv.device,
    ...(inv.sampleInput ? ['--sample-input', path.resolve(inv.sampleInput)] : []),
    ...kept,
    // The run always writes into a fresh temporary folder; the safety checks on the real target are ours.
    '--overwrite',
  ];
  return { argv, ignored: dropped.map((d) => `${d} (synthesis sets it itself)`) };
}

/**
 * izer options that are the beginning of longer ones (`--log` of `--log-filename`). argparse takes each as itself,
 * never as an abbreviation of the longer option.
 */
const IZER_PREFIX_OPTIONS = new Set([
  '--apb',
  '--autogen',
  '--debug',
  '--define',
  '--fast-fifo',
  '--fifo',
  '--input-csv',
  '--log',
  '--mlator',
  '--ready-sel',
  '--riscv',
  '--rtl',
  '--rtl-preload',
  '--verbose',
]);

/**
 * The options of `names` that izer's argparse reads `token` as: the option itself (also as `--name=value`), or any
 * option it abbreviates (argparse accepts `--weight-f` for `--weight-filename`). A token that abbreviates several
 * counts for each of them (izer would refuse it as ambiguous, so nothing is lost by treating it as any).
 */
export function optionsOf(token: string, names: readonly string[]): { written: string; options: string[]; inline: string | undefined } {
  const eq = token.startsWith('--') ? token.indexOf('=') : -1;
  const written = eq > 0 ? token.slice(0, eq) : token;
  const inline = eq > 0 ? token.slice(eq + 1) : undefined;
  if (!written.startsWith('--') || written === '--') return { written, options: [], inline };
  if (names.includes(written)) return { written, options: [written], inline };
  if (IZER_PREFIX_OPTIONS.has(written)) return { written, options: [], inline };
  return { written, options: names.filter((n) => n.startsWith(written)), inline };
}

/** Every place `flags` give a value to one of the value-taking options `names`, in order. */
export function optionValues(flags: readonly string[], names: readonly string[]): { option: string; written: string; value: string; index: number }[] {
  const out: { option: string; written: string; value: string; index: number }[] = [];
  for (let i = 0; i < flags.length; i++) {
    const { written, options, inline } = optionsOf(flags[i], names);
    // The next token is not skipped: if it is not this option's value after all (izer would then stop with a
    // usage error), it is still looked at as a flag of its own.
    const value = inline ?? flags[i + 1];
    if (value === undefined) continue;
    for (const option of options) out.push({ option, written, value, index: i });
  }
  return out;
}

/** Removes the given flags (and their values) from an izer argument list, also where abbreviated. */
export function dropFlags(flags: readonly string[], names: Record<string, boolean>): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  const known = Object.keys(names);
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    const { written, options, inline } = optionsOf(f, known);
    if (!options.length) {
      kept.push(f);
      continue;
    }
    const as = options.length === 1 && options[0] === written ? '' : `, which izer reads as ${options.join(' or ')}`;
    if (options.some((o) => names[o]) && inline === undefined && i + 1 < flags.length) dropped.push(`${f} ${flags[++i]}${as}`);
    else dropped.push(`${f}${as}`);
  }
  return { kept, dropped };
}

/** The value of a value-taking flag (last one wins, as in argparse, abbreviations included), or undefined. */
export function flagValue(flags: readonly string[], name: string): string | undefined {
  return optionValues(flags, [name]).pop()?.value;
}

/** A command line for display that a POSIX shell would read back as the same argv. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

export function shellQuote(a: string): string {
  if (a !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The output file names izer uses for the parts "update network only" replaces. */
export function networkFileNames(flags: readonly string[]): string[] {
  const api = flagValue(flags, '--api-filename') ?? 'cnn.c';
  const weights = flagValue(flags, '--weight-filename') ?? 'weights.h';
  const log = logEnabled(flags) ? (flagValue(flags, '--log-filename') ?? 'log.txt') : null;
  const out: string[] = [];
  if (api.toLowerCase() !== 'none') out.push(api);
  // cnn.h comes from izer's project template and keeps its name whatever --api-filename says.
  out.push('cnn.h', weights);
  if (log) out.push(log);
  // As the project lists them (`./w.h` is w.h), so that a changed file is seen whatever the flag says.
  return [...new Set(out.map((n) => path.posix.normalize(process.platform === 'win32' ? n.replace(/\\/g, '/') : n)))];
}

/** Whether izer writes its log (`--no-log` and `--log`/`-L`: the last one wins). */
export function logEnabled(flags: readonly string[]): boolean {
  let on = true;
  for (const f of flags) {
    if (f === '--no-log' || (f.length > 5 && '--no-log'.startsWith(f))) on = false;
    else if (f === '--log' || f === '-L') on = true;
  }
  return on;
}
