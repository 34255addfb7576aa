// Reading files that a network names (a modeline, a setting, a command line): only regular files, and never more
// bytes than a hard cap, whatever size the file system reports. A /proc or sysfs file reports 0 bytes and may never
// end (/proc/self/pagemap), a FIFO blocks, a device streams forever; none of them is a checkpoint or a sample.
import * as fs from 'node:fs';

export interface RegularFile {
  bytes: Buffer;
  /** The status of the file that was read (from the open descriptor). */
  stats: fs.Stats;
}

/** How far past its reported size a file is read to find out whether it holds more. */
const BEYOND = 4096;

/** Opening never blocks (a FIFO put in place of the file after a stat would otherwise wait for a writer). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * The bytes of the regular file at `file`, at most `maxBytes` of them. Throws an Error whose message says why the
 * file was not read: it is not a regular file, it is larger than `maxBytes`, or it holds more than the size it reports
 * (reading stops a block past that size). Errors of the file system propagate (ENOENT, EACCES, …).
 */
export function readRegularFile(file: string, maxBytes: number): RegularFile {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new Error(`${file} is not a regular file (${kindOf(stats)}); only regular files are read`);
    if (stats.size > maxBytes) throw new Error(`${file} is ${formatSize(stats.size)}, more than the ${formatSize(maxBytes)} this tool reads`);
    // Room for a little more than the reported size, so that a file holding more is noticed; a whole block, since
    // some special files refuse short reads (/proc/self/pagemap reads in 8-byte entries).
    const bytes = Buffer.allocUnsafe(stats.size + BEYOND);
    let got = 0;
    while (got <= stats.size) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, null);
      if (n === 0) break;
      got += n;
    }
    if (got > stats.size) {
      throw new Error(
        `${file} holds more than the ${stats.size} bytes its size says: it is a special file (such as one in /proc) or is still being written; not read`,
      );
    }
    return { bytes: bytes.subarray(0, got), stats };
  } finally {
    fs.closeSync(fd);
  }
}

/** Text of a regular file of at most `maxBytes` (UTF-8). */
export function readRegularTextFile(file: string, maxBytes: number): string {
  return readRegularFile(file, maxBytes).bytes.toString('utf8');
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a pipe';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

export function formatSize(n: number): string {
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(0)} KiB`;
  return `${n} bytes`;
}
