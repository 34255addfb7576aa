// One inlay hint per layer, at the end of its first line: input and output shape and the passes, e.g.
// `1×28×28 → 60×28×28 · 1 pass`. Without sample data only the channels are known; without a checkpoint, nothing.
import type { CheckResult } from '../check';
import type { Range } from '../yaml/yamlTree';
import { layerSummaryMarkdown, planOf, shapeText } from './layerDetails';

export interface LayerInlayHint {
  /** Offset the hint is shown at (end of the layer's first line, before a comment). */
  offset: number;
  label: string;
  tooltip: string;
  yamlIndex: number;
}

export function layerInlayHints(result: CheckResult, range?: Range): LayerInlayHint[] {
  const s = result.analysis?.state;
  if (!s || !s.channelsKnown) return [];
  const text = result.lines.text;
  const out: LayerInlayHint[] = [];
  for (const l of result.model.layers) {
    if (l.ll < 0 || l.ll >= s.layers) continue;
    const first = l.node.entries[0];
    if (!first) continue;
    const offset = lineEndBeforeComment(text, first.key.range[1]);
    if (range && (offset < range[0] || offset > range[1])) continue;
    const p = planOf(result, l);
    const ll = l.ll;
    const shapes = p
      ? `${shapeText(p.inChannels, p.inDim, p.op === 'conv1d')} → ${shapeText(p.outChannels, p.outDim, p.op === 'conv1d')}`
      : `${s.inputChannels[ll]} → ${s.outputChannels[ll]} channels`;
    const inE = s.inExpand[ll];
    const outE = s.outExpand[ll];
    const passes = inE === outE || outE <= 1 ? `${inE} pass${inE === 1 ? '' : 'es'}` : `${inE} in / ${outE} out passes`;
    out.push({ offset, label: `${shapes} · ${passes}`, tooltip: layerSummaryMarkdown(result, l), yamlIndex: l.yamlIndex });
  }
  return out;
}

/** End of the line holding `offset`, before trailing blanks and a `#` comment. */
function lineEndBeforeComment(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  let end = nl < 0 ? text.length : nl;
  const hash = text.slice(offset, end).search(/\s#/);
  if (hash >= 0) end = offset + hash;
  while (end > offset && /[ \t\r]/.test(text[end - 1])) end--;
  return end;
}
