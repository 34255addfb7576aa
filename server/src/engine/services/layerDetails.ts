// Per-layer summaries shared by hovers, inlay hints and the outline.
import type { CheckResult } from '../check';
import type { LayerPlan } from '../analysis/networkPlan';
import { layerLabel, LayerSpec } from '../model/network';
import { popcount } from '../model/processorMask';

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
  return conv1d || d[1] === 1 ? `${c}×${d[0]}` : `${c}×${d[0]}×${d[1]}`;
}

export function layerSummaryMarkdown(result: CheckResult, l: LayerSpec): string {
  const p = planOf(result, l);
  const lines = [`**${layerLabel(l)[0].toUpperCase() + layerLabel(l).slice(1)}** — ${opSummary(l)}`];
  if (p) {
    const oneD = p.op === 'conv1d';
    lines.push('', `Input ${shapeText(p.inChannels, p.inDim, oneD)} → output ${shapeText(p.outChannels, p.outDim, oneD)}`);
    lines.push(`${p.inExpand} input pass${p.inExpand === 1 ? '' : 'es'} of ${p.inExpandThresh} processors · ${p.outExpand} output pass${p.outExpand === 1 ? '' : 'es'}`);
  }
  return lines.join('\n');
}

export function layerMaskDetails(result: CheckResult, l: LayerSpec, key: 'processors' | 'output_processors'): string | null {
  const p = planOf(result, l);
  if (!p) return null;
  if (key === 'processors') {
    const have = popcount(p.processors);
    const ok = have === p.inExpandThresh;
    return `This layer reads **${p.inChannels}** channel${p.inChannels === 1 ? '' : 's'} in ${p.inExpand} pass${p.inExpand === 1 ? '' : 'es'} → needs **${p.inExpandThresh}** processors per pass${p.inChannels > 64 ? ' (channels ÷ passes, rounded up to a multiple of 4)' : ''}. ${ok ? '✓' : `✗ the map has ${have}.`}`;
  }
  const have = popcount(p.outputProcessors);
  const ok = have === p.outExpandThresh;
  return `This layer writes **${p.outChannels}** channel${p.outChannels === 1 ? '' : 's'} in ${p.outExpand} pass${p.outExpand === 1 ? '' : 'es'} → needs **${p.outExpandThresh}** output processors. ${ok ? '✓' : `✗ the map has ${have}.`}`;
}
