// CRC-32 (zip polynomial): Node's native one where present (Node ≥ 20.15), else a table-driven fallback.
import * as zlib from 'node:zlib';

let table: Int32Array | null = null;

function fallback(data: Uint8Array): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = -1;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;

export function crc32(data: Uint8Array): number {
  return typeof native === 'function' ? native(data) >>> 0 : fallback(data);
}
