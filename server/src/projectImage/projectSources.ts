// Reads the C sources of a generated project folder (cnn.c, main.c or main_riscv.c, and every header beside them)
// through the safe reader, with limits, so that a hostile folder ends quickly with a message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatSize, readRegularTextFile } from '../workspace/safeRead';
import { ImageError } from './imageError';

export interface ProjectSources {
  dir: string;
  /** main_riscv.c for a RISC-V project (its load_input and check_output run on the RISC-V core), else main.c. */
  mainFile: 'main.c' | 'main_riscv.c';
  /** Every .c and .h file of the folder (not of subfolders), by name. */
  files: Map<string, string>;
}

/** The largest source file read (weights.h of the largest shipped networks is a few MB). */
const MAX_FILE_BYTES = 128 * 2 ** 20;
const MAX_TOTAL_BYTES = 512 * 2 ** 20;
const MAX_FILES = 400;

export function readProjectSources(dir: string): ProjectSources {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new ImageError('project', `The project folder ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  const names = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.[ch]$/.test(e.name))
    .map((e) => e.name)
    .sort();
  if (names.length > MAX_FILES) throw new ImageError('project', `${dir} holds ${names.length} C files; a generated project has about ten. Not read.`);
  const mainFile = names.includes('main_riscv.c') ? 'main_riscv.c' : 'main.c';
  for (const needed of ['cnn.c', mainFile])
    if (!names.includes(needed)) throw new ImageError('project', `${dir} has no ${needed}: it is not a generated CNN project.`);
  const files = new Map<string, string>();
  let total = 0;
  for (const name of names) {
    let text: string;
    try {
      text = readRegularTextFile(path.join(dir, name), MAX_FILE_BYTES);
    } catch (e) {
      throw new ImageError('project', `${path.join(dir, name)} cannot be read: ${(e as Error).message}`);
    }
    total += text.length;
    if (total > MAX_TOTAL_BYTES) throw new ImageError('project', `The C files of ${dir} add up to more than ${formatSize(MAX_TOTAL_BYTES)}. Not read.`);
    files.set(name, text);
  }
  return { dir, mainFile, files };
}
