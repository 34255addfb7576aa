// The simulation as readable text (the CLI's `--format text`): a per-layer table, the final output (top classes
// for classifiers, the first values otherwise), the known-answer size and the warnings.
import type { SimulationResult } from '../simulate';
import { knownAnswerSize, LayerSummary, OutputSummary, summarizeLayer, summarizeOutput } from './simulationReport';

export interface ReportHeading {
  network: string;
  device: string;
  /** How the input was chosen, e.g. "tests/sample_mnist.npy" or "random (seed 7)". */
  input: string;
  inputShape: readonly number[];
}

const shapeText = (s: readonly number[]) => s.join('×');

export function formatMacs(macs: number): string {
  if (macs >= 1e9) return `${(macs / 1e9).toFixed(2)} G`;
  if (macs >= 1e6) return `${(macs / 1e6).toFixed(2)} M`;
  if (macs >= 1e3) return `${(macs / 1e3).toFixed(1)} k`;
  return String(macs);
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return (
    rows
      .map(
        (r) =>
          '  ' +
          r
            .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
            .join('  ')
            .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function layerTable(layers: readonly LayerSummary[]): string {
  const rows = [['layer', 'name', 'op', 'output', 'bits', 'min', 'max', 'zeros', 'MACs', 'ms']];
  for (const l of layers) {
    const n = l.shape[0] * l.shape[1] * l.shape[2];
    rows.push([
      String(l.index) + (l.checked ? '*' : ''),
      l.name ?? '',
      l.op,
      shapeText(l.shape),
      String(l.width),
      l.hasValues ? String(l.min) : '',
      l.hasValues ? String(l.max) : '',
      l.hasValues ? `${Math.round((100 * l.zeros) / Math.max(1, n))}%` : '',
      formatMacs(l.macs),
      l.ms.toFixed(2),
    ]);
  }
  return table(rows, new Set([0, 4, 5, 6, 7, 8, 9]));
}

export function outputText(out: OutputSummary): string {
  let s = `Output of layer ${out.layer}: ${shapeText(out.shape)}, ${out.width}-bit\n`;
  if (out.top && out.softmaxScale) {
    s += `  top ${out.top.length} of ${out.total} classes (softmax of the outputs read as ${out.width === 32 ? 'Q17.14' : 'Q0.7'}, as izer's generated code does):\n`;
    for (const t of out.top) s += `    class ${String(t.index).padStart(3)}  ${(100 * t.probability).toFixed(1).padStart(5)}%  value ${t.value}\n`;
    return s;
  }
  const shown = out.values.slice(0, 64);
  s += `  ${shown.join(' ')}${out.total > shown.length ? ` … (${out.total - shown.length} more values)` : ''}\n`;
  return s;
}

export function simulationReportText(result: SimulationResult, heading: ReportHeading, opts: { softmax?: boolean } = {}): string {
  const layers = result.layers.map((l) => summarizeLayer(l));
  const out = summarizeOutput(result.output, { softmax: opts.softmax });
  const ka = knownAnswerSize(result);
  let s =
    `${heading.network} on ${heading.device}, input ${heading.input} (${shapeText(heading.inputShape)}): ` +
    `${result.layers.length} layers, ${formatMacs(result.totalMacs)}MAC in ${result.ms.toFixed(1)} ms\n\n`;
  s += layerTable(layers);
  s += '  (* = checked by the known answer)\n\n';
  s += outputText(out);
  s += `\nKnown answer (sampleoutput.h): ${ka.records} block${ka.records === 1 ? '' : 's'}, ${ka.words} word${ka.words === 1 ? '' : 's'}\n`;
  if (result.warnings.length) {
    s += '\nWarnings:\n';
    for (const w of result.warnings) s += `  layer ${w.layer}: ${w.code} ${w.message}\n`;
  }
  return s;
}
