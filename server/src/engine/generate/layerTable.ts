// The layer table of log.txt: where every layer reads and writes, with its shapes, processors and kernels.
import type { GeneratorInput } from './generatorInput';
import { maskHex } from '../model/processorMask';

export function layerTable(input: GeneratorInput): string {
  const s = input.state;
  const k = input.memory.kernels;
  const rows: string[][] = [
    ['layer', 'operation', 'input', 'output', 'processors', 'output processors', 'in offset', 'out offset', 'kernel columns', 'passes'],
  ];
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const d = (x: readonly number[] | null) => (x ? `${x[0]}x${x[1]}` : '?');
    rows.push([
      String(ll),
      s.operator[ll] + (s.operands[ll] > 1 ? ` + ${s.eltwise[ll]} of ${s.operands[ll]}` : ''),
      `${s.inputChannels[ll]}x${d(s.inputDim[ll])}`,
      `${s.outputChannels[ll]}x${d(s.outputDim[ll])}`,
      maskHex(s.processorMap[ll]),
      maskHex(s.outputProcessorMap[ll] ?? 0n),
      `0x${(s.inputOffset[ll] ?? 0).toString(16).padStart(4, '0')}`,
      `0x${s.outputOffset[ll].toString(16).padStart(4, '0')}`,
      k.kernLen[ll] ? `${k.kernOffs[ll]}-${k.kernOffs[ll] + k.kernLen[ll] - 1}` : '-',
      `${s.inExpand[ll]} in, ${s.outExpand[ll]} out`,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return [
    'Layers:',
    ...rows.map((r) =>
      r
        .map((v, c) => v.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n');
}
