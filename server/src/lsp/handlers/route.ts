// A row of the routing table (routes.ts): a request or notification type and the handler that answers it on the
// server's thread, or the check-worker call that does (forward.ts). The types come from the declarations (protocol.ts,
// the LSP library), so a handler's parameters and answer are checked where the row is written.
import type { CancellationToken, Connection, HandlerResult, NotificationType, RequestType, ResponseError } from 'vscode-languageserver/node';
import type { ServerContext } from './context';

export interface Route {
  method: string;
  /** Registered only when the server runs with AI8X_SERVER_TEST_HOOKS=1. */
  testHooksOnly?: boolean;
  register(connection: Connection, ctx: ServerContext): void;
}

/** An answer, or an LSP error (a rename that cannot be made), now or later. */
export type Answer<R> = R | ResponseError<void> | Promise<R | ResponseError<void>>;

export type RequestHandler<P, R> = (params: P, ctx: ServerContext, token: CancellationToken) => Answer<R>;

export function request<P, R>(type: RequestType<P, R, void>, handler: RequestHandler<P, R>, options: { testHooksOnly?: boolean } = {}): Route {
  return {
    method: type.method,
    testHooksOnly: options.testHooksOnly,
    // The library's HandlerResult widens R for null results; an Answer<R> is one of its cases.
    register: (connection, ctx) => connection.onRequest(type, (p, token) => handler(p, ctx, token) as HandlerResult<R, void>),
  };
}

export function notification<P>(type: NotificationType<P>, handler: (params: P, ctx: ServerContext) => void): Route {
  return { method: type.method, register: (connection, ctx) => connection.onNotification(type, (p) => handler(p, ctx)) };
}
