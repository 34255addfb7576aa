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

/** Writes `data` to `file` whole or not at all. Errors of the file system propagate (EEXIST, EACCES, ENOSPC, …). */
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

/** Moves `temp` to `file` unless something is there: a hard link fails with EEXIST where rename would replace. */
function keepExisting(temp: string, file: string): void {
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // File systems without hard links (FAT, some network shares): a copy that also refuses to replace.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    fs.copyFileSync(temp, file, fs.constants.COPYFILE_EXCL);
  }
}
