// Rows of the routing table for requests a check worker answers: the request's parameters go to the worker call of
// the same name (worker/calls.ts), with the document's snapshot in place of its URI. The types say which calls fit:
// a call whose parameters or answer do not match the request's is a compile error in routes.ts.
import type { RequestType } from 'vscode-languageserver/node';
import type { CallKind, WorkerCalls } from '../worker/calls';
import type { DocumentSnapshot } from '../workerProtocol';
import type { ServerContext } from './context';
import { request, Route } from './route';

/** The worker calls that take a request's parameters (`uri` replaced by the document) and answer what it answers. */
type DocumentCallFor<P, R> = {
  [K in CallKind]: Omit<P, 'uri'> & { doc: DocumentSnapshot } extends WorkerCalls[K]['params'] ? (WorkerCalls[K]['result'] extends R ? K : never) : never;
}[CallKind];

/** The worker calls that take a request's parameters as they are and answer what it answers. */
type CallFor<P, R> = { [K in CallKind]: P extends WorkerCalls[K]['params'] ? (WorkerCalls[K]['result'] extends R ? K : never) : never }[CallKind];

export interface ForwardAnswers<P, R> {
  /** The document is not open (or closed before the worker got to it). */
  notOpen: (p: P) => R;
  /** The worker crashed, ran out of memory or time, or threw. */
  failed: (p: P, e: unknown, ctx: ServerContext) => R;
}

/** The pool's call without its per-kind types: the signatures above have checked them for each row. */
function untyped(ctx: ServerContext): (kind: CallKind, params: unknown, opts: { uri?: string; interactive?: boolean }) => Promise<unknown> {
  return ctx.pool.call.bind(ctx.pool) as (kind: CallKind, params: unknown, opts: { uri?: string; interactive?: boolean }) => Promise<unknown>;
}

/** A request about an open document, answered in a check worker with the document's newest text. */
export function inWorker<P extends { uri: string }, R>(
  type: RequestType<P, R, void>,
  kind: DocumentCallFor<P, R>,
  answers: ForwardAnswers<P, NoInfer<R>>,
): Route {
  return request(type, async (p, ctx) => {
    const snapshot = await ctx.analyses.snapshot(p.uri);
    if (!snapshot) return answers.notOpen(p);
    const { uri, ...rest } = p;
    try {
      const answer = await untyped(ctx)(
        kind,
        () => {
          const doc = snapshot();
          return doc ? { ...rest, doc } : null;
        },
        { uri, interactive: true },
      );
      return answer === null ? answers.notOpen(p) : (answer as R);
    } catch (e) {
      return answers.failed(p, e, ctx);
    }
  });
}

/** A request that is not about a document (it names files), answered in a check worker. */
export function inAnyWorker<P, R>(type: RequestType<P, R, void>, kind: CallFor<P, R>, failed: (e: unknown) => NoInfer<R>): Route {
  return request(type, async (p, ctx) => {
    try {
      const answer = await untyped(ctx)(kind, p, { interactive: true });
      return answer === null ? failed('cancelled') : (answer as R);
    } catch (e) {
      return failed(e);
    }
  });
}
