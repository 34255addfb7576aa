// Decoding of 64-bit processor masks: counts, ranges, quadrants and data memories.

export function popcount(m: bigint): number {
  let n = 0;
  let x = m;
  while (x > 0n) {
    x &= x - 1n;
    n++;
  }
  return n;
}

/** Index of the lowest set bit (izer's ffs), or −1 for 0. */
export function ffs(m: bigint): number {
  if (m <= 0n) return -1;
  let i = 0;
  while (((m >> BigInt(i)) & 1n) === 0n) i++;
  return i;
}

/** Index of the highest set bit (izer's fls), or −1 for 0. */
export function fls(m: bigint): number {
  if (m <= 0n) return -1;
  return m.toString(2).length - 1;
}

export function processorsOf(m: bigint): number[] {
  const out: number[] = [];
  for (let i = 0; i < 64; i++) if ((m >> BigInt(i)) & 1n) out.push(i);
  return out;
}

/** "0–15, 20, 32–35" */
export function rangesText(procs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < procs.length;) {
    let j = i;
    while (j + 1 < procs.length && procs[j + 1] === procs[j] + 1) j++;
    parts.push(i === j ? `${procs[i]}` : `${procs[i]}–${procs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export function quadrantsOf(m: bigint): number[] {
  const out: number[] = [];
  for (let q = 0; q < 4; q++) if ((m >> BigInt(q * 16)) & 0xffffn) out.push(q);
  return out;
}

/** Data memory instances (one per group of 4 processors) the mask touches. */
export function memoriesOf(m: bigint): number[] {
  const out: number[] = [];
  for (let g = 0; g < 16; g++) if ((m >> BigInt(g * 4)) & 0xfn) out.push(g);
  return out;
}

export function maskHex(m: bigint): string {
  return '0x' + m.toString(16).padStart(16, '0');
}

/** A 4×16 picture: one row per quadrant, processor 0 at the left; ■ = enabled. */
export function maskPicture(m: bigint): string[] {
  const rows: string[] = [];
  for (let q = 0; q < 4; q++) {
    let row = '';
    for (let p = 0; p < 16; p++) {
      row += (m >> BigInt(q * 16 + p)) & 1n ? '■' : '·';
      if (p % 4 === 3 && p < 15) row += ' ';
    }
    rows.push(`Q${q} ${String(q * 16).padStart(2)}–${String(q * 16 + 15).padStart(2)} ${row}`);
  }
  return rows;
}

/** A mask of `count` processors starting at `first`. */
export function contiguousMask(first: number, count: number): bigint {
  if (count <= 0) return 0n;
  return ((1n << BigInt(count)) - 1n) << BigInt(first);
}
