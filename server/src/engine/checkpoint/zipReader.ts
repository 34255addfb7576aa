// A defensive reader for the zip container torch ≥ 1.6 writes (central directory, stored or deflated members, zip64).
// Nothing is ever written to disk; member names are still checked so that a hostile archive is named as such.
import * as zlib from 'node:zlib';
import { CheckpointError } from './types';
import { crc32 } from './crc32';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Offset of the member's data in the file (after the local header). */
  dataStart: number;
}

export interface ZipLimits {
  /** Hard cap on the bytes all deflated members read may inflate to. */
  maxInflatedBytes: number;
  maxEntries: number;
  /**
   * Compute each member's CRC-32 and record the members that fail it in `damaged`. torch's reader does not check
   * (PyTorch builds miniz without its CRC checks), so a failing member is read as it is, not refused.
   */
  verifyCrc: boolean;
  /** The read's memory and time budget, charged for the directory and every member read. */
  budget?: ZipBudget;
}

export interface ZipBudget {
  charge(bytes: number): void;
  reserve(bytes: number, what: string | (() => string)): void;
  step(units: number): void;
}

/** Longest member name accepted (torch writes `archive/data/123`); longer ones are no checkpoint. */
const MAX_NAME_BYTES = 4096;
/** What one directory entry costs in memory (the entry object, its name map entry), besides its name. */
const ENTRY_COST = 256;

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export class ZipArchive {
  readonly entries: ZipEntry[] = [];
  readonly byName = new Map<string, ZipEntry>();
  /** Members read so far whose data fails its CRC-32 (with `verifyCrc`). */
  readonly damaged = new Set<string>();
  private inflatedSoFar = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits,
  ) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const len = bytes.length;
    const eocd = findEocd(dv, len);
    let total = dv.getUint16(eocd + 10, true);
    let cdSize = dv.getUint32(eocd + 12, true);
    let cdOffset = dv.getUint32(eocd + 16, true);
    if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || dv.getUint32(loc, true) !== SIG_EOCD64_LOCATOR) throw corrupt('its zip64 end record is missing');
      const e64 = safeNumber(dv.getBigUint64(loc + 8, true));
      if (e64 + 56 > len || dv.getUint32(e64, true) !== SIG_EOCD64) throw corrupt('its zip64 end record is damaged');
      total = safeNumber(dv.getBigUint64(e64 + 32, true));
      cdSize = safeNumber(dv.getBigUint64(e64 + 40, true));
      cdOffset = safeNumber(dv.getBigUint64(e64 + 48, true));
    }
    if (cdOffset + cdSize > len) throw truncated();
    if (total > limits.maxEntries)
      throw new CheckpointError(`The archive declares ${total} members; more than ${limits.maxEntries} is not a checkpoint.`, 'limit');
    if (total * 46 > cdSize) throw corrupt(`its directory is too small for the ${total} members it declares`);
    let p = cdOffset;
    const decoder = new TextDecoder('utf-8');
    const budget = limits.budget;
    for (let i = 0; i < total; i++) {
      if (p + 46 > cdOffset + cdSize || dv.getUint32(p, true) !== SIG_CENTRAL) throw corrupt(`directory record ${i} is damaged`);
      const flags = dv.getUint16(p + 8, true);
      const method = dv.getUint16(p + 10, true);
      const crc = dv.getUint32(p + 16, true);
      let csize = dv.getUint32(p + 20, true);
      let usize = dv.getUint32(p + 24, true);
      const nameLen = dv.getUint16(p + 28, true);
      const extraLen = dv.getUint16(p + 30, true);
      const commentLen = dv.getUint16(p + 32, true);
      let localOffset = dv.getUint32(p + 42, true);
      const next = p + 46 + nameLen + extraLen + commentLen;
      if (next > cdOffset + cdSize) throw corrupt(`directory record ${i} runs past the directory`);
      if (nameLen > MAX_NAME_BYTES)
        throw new CheckpointError(`The archive names a member with ${nameLen} bytes; a checkpoint's member names are short (the file is forged).`, 'limit');
      budget?.step(1);
      budget?.charge(ENTRY_COST + 2 * nameLen);
      const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
      // zip64 extra field: only the fields that are saturated in the record are present, in this order.
      let q = p + 46 + nameLen;
      const extraEnd = q + extraLen;
      while (q + 4 <= extraEnd) {
        const id = dv.getUint16(q, true);
        const size = dv.getUint16(q + 2, true);
        if (q + 4 + size > extraEnd) break;
        if (id === 0x0001) {
          let r = q + 4;
          const take = (): number => {
            if (r + 8 > q + 4 + size) throw corrupt(`the zip64 field of \`${name}\` is short`);
            const v = safeNumber(dv.getBigUint64(r, true));
            r += 8;
            return v;
          };
          if (usize === 0xffffffff) usize = take();
          if (csize === 0xffffffff) csize = take();
          if (localOffset === 0xffffffff) localOffset = take();
        }
        q += 4 + size;
      }
      checkName(name);
      if (this.byName.has(name)) throw new CheckpointError(`The archive holds the member \`${name}\` twice; refusing an ambiguous archive.`, 'hostile');
      if (localOffset + 30 > len) throw truncated();
      if (dv.getUint32(localOffset, true) !== SIG_LOCAL) throw corrupt(`the local header of \`${name}\` is missing`);
      const lNameLen = dv.getUint16(localOffset + 26, true);
      const lExtraLen = dv.getUint16(localOffset + 28, true);
      const dataStart = localOffset + 30 + lNameLen + lExtraLen;
      if (dataStart + csize > len) throw truncated();
      const entry: ZipEntry = { name, method, flags, crc32: crc, compressedSize: csize, uncompressedSize: usize, localHeaderOffset: localOffset, dataStart };
      this.entries.push(entry);
      this.byName.set(name, entry);
      p = next;
    }
  }

  /** The member's bytes (a view into the file for stored members). */
  read(entry: ZipEntry): Uint8Array {
    if (entry.flags & 1) throw new CheckpointError(`The member \`${entry.name}\` is encrypted; torch cannot read encrypted archives.`, 'unsupported');
    const budget = this.limits.budget;
    const raw = this.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    budget?.charge(112);
    let out: Uint8Array;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize)
        throw corrupt(`the stored member \`${entry.name}\` declares ${entry.uncompressedSize} bytes but holds ${entry.compressedSize}`);
      out = raw;
    } else if (entry.method === 8) {
      if (this.inflatedSoFar + entry.uncompressedSize > this.limits.maxInflatedBytes) {
        throw new CheckpointError(
          `Inflating \`${entry.name}\` would exceed the limit of ${this.limits.maxInflatedBytes} bytes for this file (a zip bomb?).`,
          'limit',
        );
      }
      this.inflatedSoFar += entry.uncompressedSize;
      budget?.reserve(entry.uncompressedSize, () => `inflating \`${entry.name}\``);
      budget?.step(entry.uncompressedSize / 64);
      if (entry.uncompressedSize === 0) out = new Uint8Array(0);
      else {
        try {
          out = zlib.inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize });
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'ERR_BUFFER_TOO_LARGE')
            throw new CheckpointError(
              `The member \`${entry.name}\` inflates to more than the ${entry.uncompressedSize} bytes it declares (a zip bomb?).`,
              'hostile',
            );
          throw corrupt(`the member \`${entry.name}\` does not inflate (${(e as Error).message})`);
        }
        if (out.length !== entry.uncompressedSize)
          throw corrupt(`the member \`${entry.name}\` inflates to ${out.length} bytes instead of the declared ${entry.uncompressedSize}`);
      }
    } else {
      throw new CheckpointError(
        `The member \`${entry.name}\` uses zip compression method ${entry.method}; torch checkpoints are stored or deflated.`,
        'unsupported',
      );
    }
    if (this.limits.verifyCrc) budget?.step(out.length / 256);
    if (this.limits.verifyCrc && entry.crc32 !== 0 && !this.damaged.has(entry.name) && crc32(out) !== entry.crc32) this.damaged.add(entry.name);
    return out;
  }
}

function findEocd(dv: DataView, len: number): number {
  const lowest = Math.max(0, len - 22 - 0xffff);
  for (let p = len - 22; p >= lowest; p--) {
    if (dv.getUint32(p, true) === SIG_EOCD && p + 22 + dv.getUint16(p + 20, true) <= len) return p;
  }
  throw truncated();
}

function checkName(name: string): void {
  const parts = name.split('/');
  if (name.startsWith('/') || name.includes('\\') || name.includes('\0') || /^[A-Za-z]:/.test(name) || parts.includes('..')) {
    throw new CheckpointError(`The archive member name \`${name.slice(0, 200)}\` points outside the archive (path traversal); refusing the file.`, 'hostile');
  }
}

function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt('a zip64 size is absurd');
  return Number(v);
}

function truncated(): CheckpointError {
  return new CheckpointError('The file ends too early: it is a truncated or damaged zip archive (no complete central directory).', 'format');
}

function corrupt(why: string): CheckpointError {
  return new CheckpointError(`The zip archive is damaged: ${why}.`, 'format');
}
