// Per-layer summaries shared by hovers, inlay hints and the outline.
import type { CheckResult } from '../check';
import type { LayerPlan } from '../analysis/networkPlan';
import { layerLabel, LayerSpec } from '../model/network';
import { rangesText } from '../model/processorMask';
import { biasUse, byteRangesText, kernelUse, layerReads, layerWrites, totalBytes } from './layerMemory';

export function opSummary(l: LayerSpec): string {
  const op = l.eltwise && l.op === 'none' ? l.eltwise : l.op === 'none' ? 'passthrough' : l.op;
  const k = l.op === 'conv2d' || l.op === 'convtranspose2d' ? ` ${l.kernelSize[0]}×${l.kernelSize[1]}` : l.op === 'conv1d' ? ` k=${l.kernelSize[0]}` : '';
  const pool = l.pool[0] > 1 || l.pool[1] > 1 ? ` · ${l.poolAvg ? 'avg' : 'max'}pool ${l.pool[0]}×${l.pool[1]}` : '';
  return `${op}${k}${pool}${l.flatten ? ' · flatten' : ''}`;
}

export function planOf(result: CheckResult, l: LayerSpec): LayerPlan | null {
  const plan = result.analysis?.plan;
  if (!plan || l.ll < 0) return null;
  return plan.layers[l.ll] ?? null;
}

export function shapeText(c: number, d: [number, number], conv1d: boolean): string {
  return conv1d || (d[1] === 1 && d[0] > 1) ? `${c}×${d[0]}` : `${c}×${d[0]}×${d[1]}`;
}

export function layerSummaryMarkdown(result: CheckResult, l: LayerSpec): string {
  const p = planOf(result, l);
  const s = result.analysis?.state;
  const lines = [`**${layerLabel(l)[0].toUpperCase() + layerLabel(l).slice(1)}** — ${opSummary(l)}`];
  if (p) {
    const oneD = p.op === 'conv1d';
    lines.push(
      '',
      `Input ${shapeText(p.inChannels, p.inDim, oneD)} → output ${shapeText(p.outChannels, p.outDim, oneD)}${p.pool[0] > 1 || p.pool[1] > 1 ? ` (pooled ${shapeText(p.inChannels, p.pooledDim, oneD)})` : ''}`,
    );
    lines.push(
      '',
      `${passText(p.inExpand, 'input')} of ${p.inExpandThresh} processor${p.inExpandThresh === 1 ? '' : 's'} · ${passText(p.outExpand, 'output')} of ${p.outExpandThresh}`,
    );
  } else if (s?.channelsKnown && l.ll >= 0 && l.ll < s.layers) {
    lines.push(
      '',
      `${s.inputChannels[l.ll]} → ${s.outputChannels[l.ll]} channels · ${passText(s.inExpand[l.ll], 'input')} of ${s.inExpandThresh[l.ll]} processors`,
    );
  } else if (!result.analysis?.checkpoint) {
    lines.push('', '_Associate the checkpoint (and sample input) to see shapes and memory._');
  }
  if (l.ll >= 0) lines.push(...memoryLines(result, l.ll));
  return lines.join('\n');
}

function passText(n: number, what: string): string {
  return `${n} ${what} pass${n === 1 ? '' : 'es'}`;
}

const hex = (n: number) => '0x' + n.toString(16).padStart(4, '0');

function memoryLines(result: CheckResult, ll: number): string[] {
  const out: string[] = [];
  if (result.analysis?.memory) {
    const k = kernelUse(result, ll);
    if (k) {
      const spans = k.spans.map((x) => `processors ${rangesText(x.processors)} × ${x.columns} column${x.columns === 1 ? '' : 's'} at column ${x.first}`);
      out.push(
        `**Kernel memory:** ${spans.join('; ')}${k.sharedWith !== null ? ` (the same kernels as layer ${k.sharedWith})` : ''} — ${k.cells} of ${result.device.maskWidthLarge * 4 + result.device.maskWidthSmall * 60} cells`,
      );
    } else out.push('**Kernel memory:** none (no weights)');
    const b = biasUse(result, ll);
    out.push(
      b
        ? `**Bias memory:** ${b.map((x) => `quadrant ${x.quadrant} bytes ${hex(x.offset)}–${hex(x.offset + x.bytes - 1)}`).join(', ')} (${b[0].bytes} bytes each)`
        : '**Bias memory:** none',
    );
  }
  const reads = layerReads(result, ll);
  const writes = layerWrites(result, ll);
  if (reads && reads.length) out.push(`**Reads** ${byteRangesText(reads)} (${reads[0].end - reads[0].start} bytes each)`);
  if (writes && writes.length) out.push(`**Writes** ${byteRangesText(writes)} (${totalBytes(writes)} bytes)`);
  return out.length ? ['', ...out.flatMap((x, i) => (i ? ['', x] : [x]))] : [];
}
