// Hand assembly of pickle byte streams for the reader tests.

export type Part = number | string | readonly number[] | Uint8Array;

/** Concatenates parts: a number is one byte, a string its Latin-1 characters, arrays their bytes. */
export function pk(...parts: Part[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p & 0xff);
    else if (typeof p === 'string') for (let i = 0; i < p.length; i++) out.push(p.charCodeAt(i) & 0xff);
    else for (const b of p) out.push(b);
  }
  return Uint8Array.from(out);
}

export function le(n: number | bigint, bytes: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

/** BINUNICODE of a string. */
export function ustr(s: string): number[] {
  const b = new TextEncoder().encode(s);
  return [0x58, ...le(b.length, 4), ...b];
}

/** GLOBAL module\nname\n */
export function glob(module: string, name: string): Uint8Array {
  return pk('c', module, '\n', name, '\n');
}

export const PROTO2 = [0x80, 2];
export const STOP = 0x2e;
