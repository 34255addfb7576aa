// Inlay hints per layer (`1×28×28 → 60×28×28 · 1 pass`), when `ai8x.inlayHints.enabled`.
import { InlayHintParams, MarkupKind } from 'vscode-languageserver/node';
import type { InlayHint } from 'vscode-languageserver/node';
import { layerInlayHints } from '../../engine/services/inlayHints';
import { isNetworkView } from '../state/documentState';
import type { ServerContext } from './context';

export async function inlayHints(p: InlayHintParams, ctx: ServerContext): Promise<InlayHint[]> {
  const v = await ctx.analyses.view(p.textDocument.uri);
  if (!isNetworkView(v) || !v.settings.inlayHints) return [];
  return layerInlayHints(v.analysis.result, v.rangeToOld(p.range)).flatMap((h) => {
    const position = v.position(h.offset);
    return position ? [{ position, label: h.label, paddingLeft: true, tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } }] : [];
  });
}
