// izer's custom unload for some MAX78002 networks (wide outputs spread over several quadrants, e.g. its own
// test-widegap) steps from quadrant to quadrant with MAX78000's spacing scaled up, and reads addresses where the
// accelerator has no memory: cnn_unload() faults on the board. The generator follows izer there (its project must
// give the accelerator what izer's gives it), and says so.
import type { Device } from '../device/devices';

/** The addresses cnn_unload() in `cnnC` reads that are outside the accelerator's memory. */
export function unloadReadsOutside(cnnC: string, device: Device): number[] {
  const start = cnnC.indexOf('int cnn_unload(');
  if (start < 0) return [];
  const end = cnnC.indexOf('\n}\n', start);
  const body = cnnC.slice(start, end < 0 ? undefined : end);
  const low = device.cnnBase;
  const high = device.cnnBase + device.quadrants * device.quadrantStride;
  const outside: number[] = [];
  for (const m of body.matchAll(/\(volatile uint32_t \*\) (0x[0-9a-f]{8})/g)) {
    const a = Number(m[1]);
    if ((a < low || a >= high) && !outside.includes(a)) outside.push(a);
  }
  return outside;
}

/** The warning for the user, or null when the unload stays inside. */
export function unloadReachWarning(cnnC: string, device: Device): string | null {
  const outside = unloadReadsOutside(cnnC, device);
  if (!outside.length) return null;
  const shown = outside
    .slice(0, 3)
    .map((a) => `0x${a.toString(16).padStart(8, '0')}`)
    .join(', ');
  return (
    `cnn_unload() reads ${outside.length} address${outside.length === 1 ? '' : 'es'} outside ${device.name}'s accelerator (${shown}${outside.length > 3 ? ', …' : ''}): ` +
    "izer's project for this network does the same, and it faults on the board. This is izer's unload for outputs spread over several quadrants; " +
    'read the output with your own code, or spread it over fewer quadrants.'
  );
}
