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
  return { argv, ignored: dropped.map((d) => `${d} (set by synthesis itself)`) };
}

/** Removes the given flags (and their values) from an izer argument list. */
export function dropFlags(flags: readonly string[], names: Record<string, boolean>): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    const eq = f.startsWith('--') ? f.indexOf('=') : -1;
    const name = eq > 0 ? f.slice(0, eq) : f;
    if (!(name in names)) {
      kept.push(f);
      continue;
    }
    if (names[name] && eq < 0 && i + 1 < flags.length) dropped.push(`${f} ${flags[++i]}`);
    else dropped.push(f);
  }
  return { kept, dropped };
}

/** The value of a value-taking flag (last one wins, as in argparse), or undefined. */
export function flagValue(flags: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f === name && i + 1 < flags.length) v = flags[++i];
    else if (f.startsWith(name + '=')) v = f.slice(name.length + 1);
  }
  return v;
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
  const log = flags.includes('--no-log') ? null : (flagValue(flags, '--log-filename') ?? 'log.txt');
  const out: string[] = [];
  if (api.toLowerCase() !== 'none') out.push(api);
  // cnn.h comes from izer's project template and keeps its name whatever --api-filename says.
  out.push('cnn.h', weights);
  if (log) out.push(log);
  return out;
}
