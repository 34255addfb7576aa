// izer's kernel map as it prints it (the text the kernel-map views and the conformance tests compare).
import { Device, maskWidth } from '../device/devices';
import { FREE } from './kernelAllocation';

/** izer's kernel map text: "Kernel map:", a dashed line, one row per processor, a dashed line. */
export function kernelMapText(dev: Device, layers: number, map: Int16Array): string {
  let width = Math.floor(Math.log10(Math.max(1, layers))) + 1;
  if (width > 1) width++;
  const sep = '-'.repeat(dev.maskWidthLarge * width);
  const lines = ['Kernel map:', sep];
  const W = dev.maskWidthLarge;
  // Each cell's text, by layer number (FREE first); one array of cells per row, joined once: adding thousands of
  // cells to a string one by one leaves as many intermediate strings for the collector (a MAX78002 map has 64 × 4096).
  const cells: string[] = [];
  const cell = (v: number): string => (cells[v - FREE] ??= (v === FREE ? 'X' : String(v)).padStart(width));
  const row: string[] = [];
  for (let p = 0; p < 64; p++) {
    const n = maskWidth(dev, p);
    row.length = n;
    for (let c = 0; c < n; c++) row[c] = cell(map[p * W + c]);
    lines.push(row.join(''));
  }
  lines.push(sep);
  return lines.join('\n') + '\n';
}
