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
  const cells = new Map<number, string>();
  for (let p = 0; p < 64; p++) {
    let row = '';
    for (let c = 0; c < maskWidth(dev, p); c++) {
      const v = map[p * W + c];
      let cell = cells.get(v);
      if (cell === undefined) {
        cell = (v === FREE ? 'X' : String(v)).padStart(width);
        cells.set(v, cell);
      }
      row += cell;
    }
    lines.push(row);
  }
  lines.push(sep);
  return lines.join('\n') + '\n';
}
