// Building blocks for hostile checkpoints: zips with forged headers, large repetitive pickles.
import * as zlib from 'node:zlib';
import { crc32 } from '../../../server/src/engine/checkpoint/crc32';
import { le, pk } from './pickleBytes';

export interface RawMember {
  name: string;
  data: Uint8Array;
  method?: number;
  /** Declared sizes/CRC (default: the true ones). */
  usize?: number;
  crc?: number;
  flags?: number;
}

/** A zip with full control over what the headers declare; members with method 8 are deflated. */
export function rawZip(members: RawMember[], eocdCount?: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const cd: number[] = [];
  const enc = new TextEncoder();
  let length = 0;
  const add = (b: Uint8Array | number[]): void => {
    const u = b instanceof Uint8Array ? b : Uint8Array.from(b);
    parts.push(u);
    length += u.length;
  };
  for (const m of members) {
    const name = enc.encode(m.name);
    const body = m.method === 8 ? zlib.deflateRawSync(m.data, { level: 9 }) : m.data;
    const usize = m.usize ?? m.data.length;
    const crc = m.crc ?? crc32(m.data);
    const offset = length;
    const common = [...le(m.flags ?? 0, 2), ...le(m.method ?? 0, 2), 0, 0, 0, 0, ...le(crc, 4), ...le(body.length, 4), ...le(usize, 4), ...le(name.length, 2)];
    add([...le(0x04034b50, 4), ...le(20, 2), ...common, 0, 0, ...name]);
    add(body);
    cd.push(...le(0x02014b50, 4), ...le(20, 2), ...le(20, 2), ...common, ...new Array(12).fill(0), ...le(offset, 4), ...name);
  }
  const cdOffset = length;
  add(cd);
  const n = eocdCount ?? members.length;
  add([...le(0x06054b50, 4), 0, 0, 0, 0, ...le(n, 2), ...le(n, 2), ...le(cd.length, 4), ...le(cdOffset, 4), 0, 0]);
  return Buffer.concat(parts);
}

/** Like pk, for large inputs: Uint8Array parts are copied in one piece. */
export function cat(...parts: Parameters<typeof pk>): Uint8Array {
  return Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : pk(p))));
}

/** `part` repeated n times. */
export function rep(part: string | readonly number[] | Uint8Array, n: number): Uint8Array {
  const one = pk(part);
  const out = new Uint8Array(one.length * n);
  for (let i = 0; i < n; i++) out.set(one, i * one.length);
  return out;
}
