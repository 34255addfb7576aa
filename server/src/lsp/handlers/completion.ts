// Completion of keys and enumerated values. It reads the text as it is now; the (possibly older) model only says
// which keys a layer already has.
import { CompletionItemKind, CompletionParams, InsertTextFormat, MarkupKind } from 'vscode-languageserver/node';
import type { CompletionItem } from 'vscode-languageserver/node';
import { completeAt } from '../../engine/services/completion';
import { isNetworkView } from '../state/documentState';
import type { ServerContext } from './context';

export async function completion(p: CompletionParams, ctx: ServerContext): Promise<CompletionItem[]> {
  const v = await ctx.analyses.view(p.textDocument.uri);
  if (!isNetworkView(v)) return [];
  const text = v.doc.getText();
  const offset = v.doc.offsetAt(p.position);
  return completeAt(text, offset, v.analysis.result.model).map((c, i) => ({
    label: c.label,
    kind: c.kind === 'key' ? CompletionItemKind.Property : CompletionItemKind.EnumMember,
    detail: c.detail,
    documentation: { kind: MarkupKind.Markdown, value: c.documentation },
    textEdit: { range: { start: v.doc.positionAt(c.replace[0]), end: v.doc.positionAt(c.replace[1]) }, newText: c.insertText },
    insertTextFormat: InsertTextFormat.PlainText,
    sortText: String(i).padStart(3, '0'),
  }));
}
