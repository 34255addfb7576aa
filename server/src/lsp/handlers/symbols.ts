// The outline: one symbol per layer.
import { DocumentSymbolParams, SymbolKind } from 'vscode-languageserver/node';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { layerSymbols } from '../../engine/services/symbols';
import { isNetworkView } from '../state/documentState';
import type { ServerContext } from './context';

export async function documentSymbols(p: DocumentSymbolParams, ctx: ServerContext): Promise<DocumentSymbol[]> {
  const v = await ctx.analyses.view(p.textDocument.uri);
  if (!isNetworkView(v)) return [];
  return layerSymbols(v.analysis.result.model).flatMap((s): DocumentSymbol[] => {
    // A layer the user is typing in grows with the edit; one whose first key changed waits for the next check.
    const range = v.range(s.range, 'widen');
    const selectionRange = v.range(s.selectionRange);
    if (!range || !selectionRange) return [];
    return [{ name: s.name, detail: s.detail, kind: SymbolKind.Object, range, selectionRange }];
  });
}
