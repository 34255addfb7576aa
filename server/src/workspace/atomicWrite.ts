// Writing a file the user named: the bytes go to a temporary file next to it, which then takes the file's name in one
// step, so the file is never seen half-written (a crash leaves at most the temporary file). Without `replace` an
// existing file is never replaced, not even one that appears while the bytes are written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export class FileExistsError extends Error {
  readonly code = 'EEXIST';
  constructor(readonly file: string) {
    super(`${file} exists`);
    this.name = 'FileExistsError';
  }
}

/** Link errors of file systems without hard links (FAT, some network shares): fall back to check-then-rename. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

export function writeFileAtomically(file: string, bytes: Uint8Array, options: { replace: boolean }): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(temp, bytes, { flag: 'wx' });
  try {
    if (options.replace) {
      // A link or a special file in its place is replaced, never written through.
      fs.renameSync(temp, file);
      return;
    }
    try {
      // link() fails when the name exists: the check and the creation are one step.
      fs.linkSync(temp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw new FileExistsError(file);
      if (!NO_LINKS.has(code)) throw e;
      if (fs.existsSync(file)) throw new FileExistsError(file);
      fs.renameSync(temp, file);
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
