// izer's options that name files it writes, and the check that refuses, before izer runs, any that would make it
// write outside the project folder (<test-dir>/<prefix>). izer joins each name to that folder as given (Python's
// os.path.join), so an absolute name replaces the folder and `..` climbs out of it; the OS resolves `..` after
// following links, so a name with `..` anywhere in it is refused even when it looks as if it stayed inside.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { optionValues } from './izerArgs';

interface OutputOption {
  flag: string;
  /** The names izer writes for this value, relative to the project folder. */
  files(value: string): string[];
}

const asGiven = (v: string) => [v];
const withSuffix =
  (...suffixes: string[]) =>
  (v: string) =>
    suffixes.map((s) => v + s);

/** Every izer option whose value becomes the name of a file izer writes (ai8x-synthesis izer/commandline.py). */
export const OUTPUT_NAME_OPTIONS: readonly OutputOption[] = [
  { flag: '--api-filename', files: asGiven },
  { flag: '--weight-filename', files: asGiven },
  { flag: '--sample-filename', files: asGiven },
  { flag: '--sample-output-filename', files: asGiven },
  // numpy's save() adds `.npy` unless the name ends in it.
  { flag: '--sample-numpy-filename', files: (v) => [v.endsWith('.npy') ? v : `${v}.npy`] },
  { flag: '--log-filename', files: asGiven },
  { flag: '--c-filename', files: withSuffix('.c', '_riscv.c') },
  // RTL simulations and intermediate logs.
  { flag: '--runtest-filename', files: asGiven },
  { flag: '--input-filename', files: withSuffix('.mem') },
  { flag: '--output-filename', files: withSuffix('.csv', '.mem', '-0.mem') },
  { flag: '--output-config-filename', files: withSuffix('.csv') },
  { flag: '--output-data-filename', files: withSuffix('.npy') },
  { flag: '--output-weights-filename', files: withSuffix('.npy') },
  { flag: '--output-bias-filename', files: withSuffix('.npy') },
  { flag: '--output-pass-filename', files: withSuffix('.csv') },
];

/** izer appends each RTL test to `<autogen>/<autogen_list>`, a folder of its own (relative to izer's folder). */
const AUTOGEN = '--autogen';

export interface OutputNameProblem {
  /** The flag as the user wrote it (perhaps abbreviated), and the option izer reads it as. */
  written: string;
  option: string;
  value: string;
  /** Where izer would write, for the message. */
  file: string;
  why: string;
}

/**
 * Output names in `flags` that leave the project folder `target`, judged from the names alone (`platform` decides
 * what an absolute path and a separator are).
 */
export function outputNameProblems(flags: readonly string[], target: string, platform: NodeJS.Platform = process.platform): OutputNameProblem[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const problems: OutputNameProblem[] = [];
  const options = OUTPUT_NAME_OPTIONS.map((o) => o.flag);
  for (const { option, written, value } of optionValues(flags, [...options, AUTOGEN])) {
    if (option === AUTOGEN) {
      if (value.toLowerCase() !== 'none')
        problems.push({ written, option, value, file: p.join(value, 'autogen_list'), why: 'izer keeps its list of RTL tests in that folder' });
      continue;
    }
    for (const name of OUTPUT_NAME_OPTIONS.find((o) => o.flag === option)!.files(value)) {
      const why = leaves(name, platform);
      if (why) {
        problems.push({ written, option, value, file: p.resolve(target, name), why });
        break;
      }
    }
  }
  return problems;
}

function leaves(name: string, platform: NodeJS.Platform): string | null {
  if (platform === 'win32') {
    // `C:x` is relative to the current folder of drive C, not to the project.
    if (path.win32.isAbsolute(name) || /^[A-Za-z]:/.test(name)) return 'it is an absolute path';
    if (name.split(/[\\/]/).includes('..')) return 'it climbs out with ".."';
  } else {
    if (name.startsWith('/')) return 'it is an absolute path';
    if (name.split('/').includes('..')) return 'it climbs out with ".."';
  }
  return null;
}

/**
 * Output names that stay inside `target` by their text but lead through a folder in it that is a link to a place
 * outside it (only an existing target can have such links).
 */
export function linkedOutputProblems(flags: readonly string[], target: string): OutputNameProblem[] {
  let root: string;
  try {
    root = fs.realpathSync(target);
  } catch {
    return [];
  }
  const problems: OutputNameProblem[] = [];
  for (const { option, written, value } of optionValues(
    flags,
    OUTPUT_NAME_OPTIONS.map((o) => o.flag),
  )) {
    for (const name of OUTPUT_NAME_OPTIONS.find((o) => o.flag === option)!.files(value)) {
      const out = folderOutside(target, root, name);
      if (out) {
        problems.push({
          written,
          option,
          value,
          file: path.join(out.real, path.relative(out.folder, path.join(target, name))),
          why: `${out.folder} is a link to ${out.real}`,
        });
        break;
      }
    }
  }
  return problems;
}

/** The first existing folder on the way to `name` (below `target`) whose real place is outside `root`. */
export function folderOutside(target: string, root: string, name: string): { folder: string; real: string } | null {
  const parts = name.split(process.platform === 'win32' ? /[\\/]/ : '/').filter((s) => s && s !== '.');
  let folder = target;
  for (const part of parts.slice(0, -1)) {
    folder = path.join(folder, part);
    let real: string;
    try {
      fs.lstatSync(folder);
    } catch {
      return null; // Nothing there yet: nothing to follow.
    }
    try {
      real = fs.realpathSync(folder);
    } catch {
      // A link to nowhere (or a loop): where a write would go is unknown, so it counts as outside.
      return { folder, real: safeReadlink(folder) };
    }
    if (!isInside(root, real)) return { folder, real };
  }
  return null;
}

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

function safeReadlink(p: string): string {
  try {
    return path.resolve(path.dirname(p), fs.readlinkSync(p));
  } catch {
    return p;
  }
}

/** The refusal for a run whose output names would leave `target`, or null when they all stay inside. */
export function outputNamesRefusal(flags: readonly string[], target: string): string | null {
  const problems = outputNameProblems(flags, target);
  if (!problems.length) problems.push(...linkedOutputProblems(flags, target));
  if (!problems.length) return null;
  const lines = problems.map((q) => {
    const as = q.written === q.option ? '' : ` (izer reads ${q.written} as ${q.option})`;
    return `The izer flag ${q.written} ${JSON.stringify(q.value)}${as} would make izer write ${q.file}, outside the project folder ${target}: ${q.why}.`;
  });
  return (
    `${lines.join(' ')} izer was not run. Output names must stay inside the project folder (a plain name such as "weights.h"); ` +
    'remove or change the flag where it is given: the ai8x.synthesis.extraArgs setting, the "# ai8x: izer-flags=…" line of the network file, or the command line.'
  );
}
