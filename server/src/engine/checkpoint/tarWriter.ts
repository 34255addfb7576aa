// Writes a plain ustar archive (for fixtures in the torch < 0.4 checkpoint format).
import { ByteSink } from './pickleWriter';

export function writeTar(members: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const out = new ByteSink();
  const enc = new TextEncoder();
  for (const m of members) {
    const h = new Uint8Array(512);
    h.set(enc.encode(m.name).subarray(0, 100), 0);
    const field = (at: number, len: number, v: number) => h.set(enc.encode(v.toString(8).padStart(len - 1, '0') + '\0'), at);
    field(100, 8, 0o644);
    field(108, 8, 0);
    field(116, 8, 0);
    field(124, 12, m.data.length);
    field(136, 12, 0);
    h[156] = 0x30;
    h.set(enc.encode('ustar\0'), 257);
    h.set(enc.encode('00'), 263);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.set(enc.encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    out.bytes(h);
    out.bytes(m.data);
    out.bytes(new Uint8Array((512 - (m.data.length % 512)) % 512));
  }
  out.bytes(new Uint8Array(1024));
  return out.result();
}
