// Code actions (quick fixes, fix all, the allocator's actions) re-check edited texts with the document's checkpoint:
// they run in a check worker (worker/codeActions.ts), on the newest text.
import type { CancellationToken, CodeAction, CodeActionParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';

export async function codeActions(p: CodeActionParams, ctx: ServerContext, token: CancellationToken): Promise<CodeAction[]> {
  const uri = p.textDocument.uri;
  if (!ctx.documents.get(uri)) return [];
  const snapshot = await ctx.analyses.snapshot(uri);
  if (!snapshot) return [];
  try {
    const actions = await ctx.pool.call(
      'codeActions',
      () => {
        const doc = token.isCancellationRequested ? null : snapshot();
        return doc ? { doc, range: p.range, context: p.context } : null;
      },
      { uri, interactive: true },
    );
    return actions ?? [];
  } catch (e) {
    ctx.connection.console.error(`ai8x: code actions for ${uri} failed: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}
