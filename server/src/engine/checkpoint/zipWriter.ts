// Writes an uncompressed zip the way torch's PyTorchStreamWriter does: stored members, data aligned to 64 bytes.
import { ByteSink } from './pickleWriter';
import { crc32 } from './crc32';

const ALIGN = 64;

export function writeStoredZip(members: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const out = new ByteSink();
  const central = new ByteSink();
  const enc = new TextEncoder();
  for (const m of members) {
    const name = enc.encode(m.name);
    const crc = crc32(m.data);
    const offset = out.length;
    // Pad with an extra field ('FB', as torch does) so that the data starts on a 64-byte boundary.
    const headerEnd = offset + 30 + name.length + 4;
    const pad = (ALIGN - (headerEnd % ALIGN)) % ALIGN;
    out.u32(0x04034b50);
    out.u16(20); // version needed
    out.u16(0); // flags
    out.u16(0); // stored
    out.u16(0); // time
    out.u16(0x21); // date (1980-01-01)
    out.u32(crc);
    out.u32(m.data.length);
    out.u32(m.data.length);
    out.u16(name.length);
    out.u16(4 + pad);
    out.bytes(name);
    out.u16(0x4246);
    out.u16(pad);
    out.bytes(new Uint8Array(pad));
    out.bytes(m.data);

    central.u32(0x02014b50);
    central.u16(20); // version made by
    central.u16(20);
    central.u16(0);
    central.u16(0);
    central.u16(0);
    central.u16(0x21);
    central.u32(crc);
    central.u32(m.data.length);
    central.u32(m.data.length);
    central.u16(name.length);
    central.u16(0);
    central.u16(0);
    central.u16(0);
    central.u16(0);
    central.u32(0);
    central.u32(offset);
    central.bytes(name);
  }
  const cdOffset = out.length;
  const cd = central.result();
  out.bytes(cd);
  out.u32(0x06054b50);
  out.u16(0);
  out.u16(0);
  out.u16(members.length);
  out.u16(members.length);
  out.u32(cd.length);
  out.u32(cdOffset);
  out.u16(0);
  return out.result();
}
