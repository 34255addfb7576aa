// Go to definition, references and rename between a layer's `name` and the `in_sequences`, `next_sequence`,
// `simulated_sequence` and `weight_source` values that name it or its number.
import { ErrorCodes, Location, ResponseError } from 'vscode-languageserver/node';
import type { DefinitionParams, PrepareRenameParams, Range as LspRange, ReferenceParams, RenameParams, WorkspaceEdit } from 'vscode-languageserver/node';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../../engine/services/layerReferences';
import { toLspEdits } from '../convert';
import { isNetworkView } from '../state/documentState';
import type { ServerContext } from './context';

export async function definition(p: DefinitionParams, ctx: ServerContext): Promise<Location | null> {
  const at = await ctx.analyses.viewAt(p.textDocument.uri, p.position);
  if (!at) return null;
  const r = definitionAt(at.view.analysis.result, at.offset);
  const range = r ? at.view.range(r) : null;
  return range ? Location.create(p.textDocument.uri, range) : null;
}

export async function references(p: ReferenceParams, ctx: ServerContext): Promise<Location[]> {
  const at = await ctx.analyses.viewAt(p.textDocument.uri, p.position);
  if (!at) return [];
  return referencesAt(at.view.analysis.result, at.offset, p.context.includeDeclaration).flatMap((r) => {
    const range = at.view.range(r);
    return range ? [Location.create(p.textDocument.uri, range)] : [];
  });
}

export async function prepareRename(
  p: PrepareRenameParams,
  ctx: ServerContext,
): Promise<{ range: LspRange; placeholder: string } | ResponseError<void> | null> {
  const at = await ctx.analyses.viewAt(p.textDocument.uri, p.position);
  if (!at) return null;
  const r = prepareRenameAt(at.view.analysis.result, at.offset);
  if (!r) return null;
  if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
  const range = at.view.range(r.range);
  return range ? { range, placeholder: r.placeholder } : null;
}

/** A rename edits every reference: it needs the analysis of the text as it is now. */
export async function rename(p: RenameParams, ctx: ServerContext): Promise<WorkspaceEdit | ResponseError<void> | null> {
  // The text may change again while its check runs: a few tries for an analysis of the text as it is.
  let v = await ctx.analyses.currentView(p.textDocument.uri);
  for (let i = 0; i < 3 && v && !v.current; i++) v = await ctx.analyses.currentView(p.textDocument.uri);
  if (!isNetworkView(v) || !v.current) return null;
  const r = renameAt(v.analysis.result, v.doc.offsetAt(p.position), p.newName);
  if (!r) return null;
  if ('error' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.error);
  return { changes: { [p.textDocument.uri]: toLspEdits(v.analysis.result.lines, r.edits) } };
}
