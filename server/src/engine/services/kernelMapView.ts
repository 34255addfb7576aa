// The kernel map as the editor shows it: the webview's model (64 processors × the device's columns, run-length
// rows of layer numbers, izer's exact text) and the hover's excerpt of one layer's rows. Built from the
// analysis's kernel allocation, the same one `ai8x kernel-map` prints.
import type { CheckResult } from '../check';
import { maskWidth } from '../device/devices';
import { FREE } from '../analysis/kernelAllocation';
import { kernelMapText } from '../analysis/kernelMapText';
import { layerLabel } from '../model/network';
import { rangesText } from '../model/processorMask';
import { kernelUse } from './layerMemory';

export interface KernelMapLayer {
  ll: number;
  name: string | null;
  label: string;
  op: string;
  yamlIndex: number;
  /** Position of the layer's first key (0-based), for "reveal in editor". */
  line: number;
  character: number;
  processors: string;
  columns: string;
  cells: number;
  /** The layer whose kernels this one uses (deduplicated weights), or null. */
  sharedWith: number | null;
}

export interface KernelMapModel {
  kind: 'kernelMap';
  device: string;
  /** Columns of each processor (MAX78002: the first processor of each quadrant has more). */
  widths: number[];
  /** Per processor: [first column, end column (exclusive), layer] runs; free columns are left out. */
  rows: [number, number, number][][];
  layers: KernelMapLayer[];
  /** izer's "Kernel map:" block, byte for byte. */
  text: string;
  usedCells: number;
  totalCells: number;
  /** Why the map is incomplete (kernel memory full, or placement failed as in izer), else null. */
  exhausted: string | null;
}

export type KernelMapAnswer = { model: KernelMapModel } | { unavailable: string };

export function kernelMapModel(result: CheckResult): KernelMapAnswer {
  const mem = result.analysis?.memory;
  const s = result.analysis?.state;
  if (!mem || !s) return { unavailable: whyNoMap(result) };
  const dev = result.device;
  const W = dev.maskWidthLarge;
  const map = mem.kernels.map;
  const widths: number[] = [];
  const rows: [number, number, number][][] = [];
  let used = 0;
  for (let p = 0; p < 64; p++) {
    const w = maskWidth(dev, p);
    widths.push(w);
    const runs: [number, number, number][] = [];
    for (let c = 0; c < w;) {
      const v = map[p * W + c];
      let e = c + 1;
      while (e < w && map[p * W + e] === v) e++;
      if (v !== FREE) {
        runs.push([c, e, v]);
        used += e - c;
      }
      c = e;
    }
    rows.push(runs);
  }
  const layers: KernelMapLayer[] = [];
  for (let ll = 0; ll < s.layers; ll++) {
    const spec = result.model.layers[ll];
    if (!spec) continue;
    const u = kernelUse(result, ll);
    const first = spec.node.entries[0];
    const pos = result.lines.position(first ? first.key.range[0] : spec.node.range[0]);
    layers.push({
      ll,
      name: spec.name,
      label: layerLabel(spec),
      op: spec.opText ?? spec.op,
      yamlIndex: spec.yamlIndex,
      line: pos.line,
      character: pos.character,
      processors: u ? rangesText(u.spans.flatMap((x) => x.processors).sort((a, b) => a - b)) : '',
      columns: u
        ? u.spans
            .map((x) => `${x.first}–${x.last}`)
            .filter((v, i, a) => a.indexOf(v) === i)
            .join(', ')
        : '',
      cells: u ? u.cells : 0,
      sharedWith: u ? u.sharedWith : null,
    });
  }
  const ex = mem.kernels.exhausted;
  const failed = mem.kernels.failed;
  const problem = ex
    ? `Kernel memory is full: processor ${ex.processor} has no room for the ${ex.needed} column${ex.needed === 1 ? '' : 's'} of layer ${ex.layer}; the map shows the layers placed before it.`
    : failed
      ? `The kernels of layer ${failed.layer} do not fit the space reserved for them (processor ${failed.processor}, column ${failed.column}); the map shows what was placed before izer would stop.`
      : null;
  return {
    model: {
      kind: 'kernelMap',
      device: dev.name,
      widths,
      rows,
      layers,
      text: kernelMapText(dev, s.layers, map),
      usedCells: used,
      totalCells: widths.reduce((a, b) => a + b, 0),
      exhausted: problem,
    },
  };
}

function whyNoMap(result: CheckResult): string {
  if (!result.model.isNetwork || result.model.layers.length === 0) return 'This file has no layers to map.';
  const cp = result.analysis?.checkpoint;
  if (!cp)
    return "The kernel map needs the network's checkpoint. Choose one (ai8x: Choose Checkpoint for This Network) or add a `# ai8x: checkpoint=…` comment.";
  return 'The checkpoint does not fit this network, so izer would not allocate kernel memory; see the Problems view.';
}

/** The layer's rows of the kernel map, cropped to its columns, in izer's cell format (for the `processors` hover). */
export function kernelRowsExcerpt(result: CheckResult, ll: number, maxColumns = 36): string[] | null {
  const mem = result.analysis?.memory;
  const s = result.analysis?.state;
  const u = kernelUse(result, ll);
  if (!mem || !s || !u) return null;
  const dev = result.device;
  const W = dev.maskWidthLarge;
  const first = Math.min(...u.spans.map((x) => x.first));
  const last = Math.max(...u.spans.map((x) => x.last));
  const shownLast = Math.min(last, first + maxColumns - 1);
  let width = Math.floor(Math.log10(Math.max(1, s.layers))) + 1;
  if (width > 1) width++;
  const procs = u.spans.flatMap((x) => x.processors).sort((a, b) => a - b);
  const rowText = (p: number) => {
    let row = '';
    for (let c = first; c <= shownLast; c++) {
      const v = c < maskWidth(dev, p) ? mem.kernels.map[p * W + c] : FREE;
      row += (v === FREE ? 'X' : String(v)).padStart(width);
    }
    return row + (shownLast < last ? ' …' : '');
  };
  const lines: string[] = [];
  const label = (a: number, b: number) => (a === b ? `P${a}` : `P${a}–${b}`).padEnd(8);
  for (let i = 0; i < procs.length;) {
    const text = rowText(procs[i]);
    let j = i;
    while (j + 1 < procs.length && procs[j + 1] === procs[j] + 1 && rowText(procs[j + 1]) === text) j++;
    lines.push(label(procs[i], procs[j]) + text);
    i = j + 1;
  }
  return [`columns ${first}–${last}${shownLast < last ? ` (first ${maxColumns} shown)` : ''}`, ...lines];
}
