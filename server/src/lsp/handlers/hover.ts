// Hover: the engine's hover of the last finished analysis (positions mapped onto the text as it is now), with links to
// the map views and, on the values the allocator chooses, its reason.
import { HoverParams, MarkupKind } from 'vscode-languageserver/node';
import type { Hover } from 'vscode-languageserver/node';
import { hoverAt, type MapViewLink } from '../../engine/services/hover';
import { HOVER_COMMANDS } from '../../protocol';
import { allocationHover, allocationOf, isAllocationKeyAt } from './allocationHover';
import type { ServerContext } from './context';

const VIEW_LABELS: Record<MapViewLink, string> = { kernelMap: 'Show kernel map', dataMemory: 'Show data-memory map' };

function mapViewLink(view: MapViewLink, uri: string): string {
  return `[${VIEW_LABELS[view]}](command:${HOVER_COMMANDS[view]}?${encodeURIComponent(JSON.stringify([uri]))})`;
}

export async function hover(p: HoverParams, ctx: ServerContext): Promise<Hover | null> {
  const at = await ctx.analyses.viewAt(p.textDocument.uri, p.position);
  if (!at) return null;
  const { view, offset } = at;
  const result = view.analysis.result;
  const h = hoverAt(result, offset);
  if (!h) return null;
  const links = (h.views ?? []).map((v) => mapViewLink(v, p.textDocument.uri));
  let alloc: string | null = null;
  if (result.analysis?.state.channelsKnown && isAllocationKeyAt(result, offset)) {
    const outcome = await allocationOf(ctx, view);
    alloc = outcome ? allocationHover(result, offset, outcome) : null;
  }
  const markdown = alloc ? `${h.markdown}\n\n${alloc}` : h.markdown;
  const value = links.length ? `${markdown}\n\n---\n\n${links.join(' · ')}` : markdown;
  return { contents: { kind: MarkupKind.Markdown, value }, range: view.range(h.range) ?? undefined };
}
