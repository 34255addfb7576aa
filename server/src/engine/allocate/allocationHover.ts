// What the allocator would choose for the value under the cursor (`processors`, `output_processors`,
// `in_offset`, `out_offset` of a layer), with its reason, for the hover.
import type { LayerAllocation } from './allocateNetwork';
import type { LayerSpec } from '../model/network';
import { maskHex } from '../model/processorMask';

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');

export const ALLOCATION_KEYS = new Set(['processors', 'output_processors', 'in_offset', 'out_offset']);

export function allocationHoverMarkdown(key: string, layer: LayerSpec, allocation: readonly LayerAllocation[], current: string | null): string | null {
  if (!ALLOCATION_KEYS.has(key)) return null;
  const a = allocation.find((x) => x.ll === layer.ll);
  if (!a) return null;
  const value =
    key === 'processors'
      ? maskHex(a.processors)
      : key === 'output_processors'
        ? a.outputProcessors === null
          ? null
          : maskHex(a.outputProcessors)
        : key === 'in_offset'
          ? a.inOffset === null
            ? null
            : hex(a.inOffset)
          : hex(a.outOffset);
  const same = value !== null && current !== null && value.toLowerCase() === current.toLowerCase();
  const choice = value === null ? `leaves \`${key}\` out (the default is right)` : same ? `chooses the same: \`${value}\`` : `would use \`${value}\``;
  return `**Allocator** (*ai8x: Allocate Processors and Memory*) ${choice} — ${a.reason}.`;
}
