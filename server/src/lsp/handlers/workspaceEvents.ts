// What makes every open network be checked again: the user's choices of checkpoint or device (this session), the
// settings, and checkpoints, sample inputs and gen-demos scripts changing on disk.
import type { DidChangeWatchedFilesParams } from 'vscode-languageserver/node';
import { changeNeedsRecheck } from '../../app/inputSources';
import type { ChooseInputsParams } from '../../protocol';
import { URI } from '../uri';
import type { ServerContext } from './context';

export function chooseInputs(p: ChooseInputsParams, ctx: ServerContext): void {
  const next = { ...(ctx.choices.get(p.uri) ?? {}) };
  if (p.checkpoint !== undefined) next.checkpoint = p.checkpoint ?? undefined;
  if (p.device !== undefined) next.device = p.device ?? undefined;
  ctx.choices.set(p.uri, next);
  ctx.recheckOpenDocuments();
}

export function configurationChanged(_p: unknown, ctx: ServerContext): void {
  ctx.settings.clear();
  ctx.recheckOpenDocuments();
}

export function watchedFilesChanged(p: DidChangeWatchedFilesParams, ctx: ServerContext): void {
  let recheck = false;
  for (const c of p.changes) {
    const file = URI.toPath(c.uri);
    ctx.pool.fileChanged(file);
    recheck = changeNeedsRecheck(file) || recheck;
  }
  if (recheck) ctx.recheckOpenDocuments();
}
