// Altered copies of a generated project, for tests that must see the hardware-image harness notice a change; and
// the skip that says why the harness cannot run here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findHostCompiler } from '../../server/src/projectImage/hostCompiler';
import { skipBecause } from './shared';

/** Skips the calling suite with a visible reason when the harness cannot run (not Linux, no C compiler). */
export function requireHarness(ctx: Mocha.Context): void {
  if (process.platform !== 'linux') skipBecause(ctx, 'the hardware-image harness runs on Linux only');
  try {
    findHostCompiler();
  } catch (e) {
    skipBecause(ctx, (e as Error).message);
  }
}

export class ProjectCopies {
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-copies-'));
  private count = 0;

  /** A copy of `dir` (its top-level files) with `edit` applied to the text of `file`; the edit must change it. */
  altered(dir: string, file: string, edit: (text: string) => string): string {
    const copy = path.join(this.root, `${path.basename(dir)}-${++this.count}`);
    fs.mkdirSync(copy);
    for (const f of fs.readdirSync(dir)) if (fs.statSync(path.join(dir, f)).isFile()) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
    const before = fs.readFileSync(path.join(copy, file), 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`the edit of ${file} in ${dir} changed nothing`);
    fs.writeFileSync(path.join(copy, file), after);
    return copy;
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** `text` with the n-th 8-digit hex number after `marker` changed by xor with `bits`. */
export function flipHexWord(text: string, marker: string, n: number, bits = 1): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`no ${marker}`);
  const re = /0x[0-9a-fA-F]{8}/g;
  re.lastIndex = start;
  let m: RegExpExecArray | null = null;
  for (let i = 0; i <= n; i++) {
    m = re.exec(text);
    if (!m) throw new Error(`fewer than ${n + 1} words after ${marker}`);
  }
  const word = `0x${((parseInt(m![0], 16) ^ bits) >>> 0).toString(16).padStart(8, '0')}`;
  return text.slice(0, m!.index) + word + text.slice(m!.index + word.length);
}
