// Writing a file the user will read (an allocated network, a new network, generated C code, a cache entry): into a
// temporary file beside it, then moved into place in one step, so that a reader never sees half a file and a
// crash or a full disk leaves the old file (or none) instead of a truncated one. A link in the file's place is
// replaced, never written through.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WriteOptions {
  /** Replace a file that is there (default); with false an existing file is kept and the write fails with EEXIST. */
  replace?: boolean;
  /** Permissions of a new file (default 0o666 less the umask). */
  mode?: number;
}

/** An existing file that a write without `replace` left as it was. */
export class FileExistsError extends Error {
  readonly code = 'EEXIST';
  constructor(readonly file: string) {
    super(`${file} exists`);
    this.name = 'FileExistsError';
  }
}

/**
 * Writes `data` to `file` whole or not at all. Without `replace` an existing file is kept (FileExistsError), even one
 * that appears while the bytes are written. Other errors of the file system propagate (EACCES, ENOSPC, …).
 */
export function writeFileSafely(file: string, data: string | Uint8Array, options: WriteOptions = {}): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(temp, data, { flag: 'wx', mode: options.mode });
  try {
    if (options.replace === false) keepExisting(temp, file);
    else fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Link errors of file systems without hard links (FAT, some network shares, other devices). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** Moves `temp` to `file` unless something is there: a hard link fails with EEXIST where rename would replace. */
function keepExisting(temp: string, file: string): void {
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw new FileExistsError(file);
    if (!NO_LINKS.has(code)) throw e;
    // Without hard links: a copy that also refuses to replace.
    try {
      fs.copyFileSync(temp, file, fs.constants.COPYFILE_EXCL);
    } catch (c) {
      if ((c as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(file);
      throw c;
    }
  }
}
