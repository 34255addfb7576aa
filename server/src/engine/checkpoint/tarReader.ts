// A minimal tar reader for the checkpoint format of torch < 0.4 (members `sys_info`, `pickle`, `tensors`, `storages`).
import { CheckpointError } from './types';

/** Longest member name accepted (torch writes `pickle`, `storages`, `tensors`, `sys_info`). */
const MAX_NAME_LENGTH = 4096;

export function looksLikeTar(bytes: Uint8Array): boolean {
  if (bytes.length < 512) return false;
  const magic = String.fromCharCode(...bytes.subarray(257, 262));
  return magic === 'ustar' && checksumOk(bytes, 0);
}

/** Regular-file members by name (views into `bytes`). */
export function readTarMembers(bytes: Uint8Array, maxMembers: number): Map<string, Uint8Array> {
  const members = new Map<string, Uint8Array>();
  let pos = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  let count = 0;
  for (;;) {
    if (pos === bytes.length) break; // no end-of-archive blocks: tolerated, as Python's tarfile does
    if (pos + 512 > bytes.length) throw new CheckpointError('The tar archive ends too early: the file is truncated.', 'format');
    const header = bytes.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    if (!checksumOk(bytes, pos)) throw new CheckpointError(`The tar archive is damaged: the header at offset ${pos} fails its checksum.`, 'format');
    if (++count > maxMembers) throw new CheckpointError(`The tar archive holds more than ${maxMembers} members.`, 'limit');
    const size = octal(header.subarray(124, 136));
    if (size === null) throw new CheckpointError(`The tar archive is damaged: bad size field at offset ${pos}.`, 'format');
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = pos + 512;
    if (dataStart + size > bytes.length) throw new CheckpointError('The tar archive ends too early: the file is truncated.', 'format');
    const data = bytes.subarray(dataStart, dataStart + size);
    let name = cString(header.subarray(0, 100));
    const prefix = cString(header.subarray(345, 500));
    if (prefix && String.fromCharCode(...header.subarray(257, 263)) === 'ustar\0') name = prefix + '/' + name;
    if (type === 'L') longName = cString(data);
    else if (type === 'x') paxPath = paxValue(data, 'path');
    else if (type === 'g') {
      // global PAX header: nothing we need
    } else {
      if (longName !== null) name = longName;
      if (paxPath !== null) name = paxPath;
      longName = paxPath = null;
      if (name.length > MAX_NAME_LENGTH)
        throw new CheckpointError(
          `The tar archive names a member with ${name.length} characters; a checkpoint's member names are short (the file is forged).`,
          'limit',
        );
      if (name.startsWith('/') || name.split('/').includes('..')) {
        throw new CheckpointError(`The tar member name \`${name.slice(0, 200)}\` points outside the archive (path traversal); refusing the file.`, 'hostile');
      }
      if (type === '0' || type === '\0' || type === '7') {
        if (members.has(name)) throw new CheckpointError(`The tar archive holds the member \`${name}\` twice; refusing an ambiguous archive.`, 'hostile');
        members.set(name, data);
      }
    }
    pos = dataStart + Math.ceil(size / 512) * 512;
  }
  return members;
}

function checksumOk(bytes: Uint8Array, at: number): boolean {
  const want = octal(bytes.subarray(at + 148, at + 156));
  if (want === null) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : bytes[at + i];
  return sum === want;
}

function octal(field: Uint8Array): number | null {
  if (field[0] & 0x80) {
    // GNU base-256 size
    let v = 0;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i];
    return Number.isSafeInteger(v) ? v : null;
  }
  const s = cString(field).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return null;
  return parseInt(s, 8);
}

function cString(b: Uint8Array): string {
  const nul = b.indexOf(0);
  return new TextDecoder('utf-8').decode(nul < 0 ? b : b.subarray(0, nul));
}

function paxValue(data: Uint8Array, key: string): string | null {
  const text = new TextDecoder('utf-8').decode(data);
  for (const rec of text.split('\n')) {
    const m = /^\d+ ([^=]+)=(.*)$/.exec(rec);
    if (m && m[1] === key) return m[2];
  }
  return null;
}
