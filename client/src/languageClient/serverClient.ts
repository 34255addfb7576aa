// The language server as the rest of the extension sees it: one object for the extension's whole life. Commands
// send their requests through it to the current LanguageClient (a new one on restart: a client whose start failed
// cannot start again), notification handlers carry over to every new client, and the server's state (starting,
// running, failed to start, stopped) is there for the status item, as rust-analyzer's server status does.
import * as vscode from 'vscode';
import type { NotificationType, RequestType, StateChangeEvent } from 'vscode-languageclient/node';

/** vscode-languageclient's State (Stopped = 1, Running = 2, Starting = 3), without loading the library here. */
const STOPPED = 1;
const RUNNING = 2;

/** What the commands use of the language client. */
export interface Ai8xClient {
  sendRequest<P, R, E>(type: RequestType<P, R, E>, params: P, token?: vscode.CancellationToken): Promise<R>;
  sendNotification<P>(type: NotificationType<P>, params: P): Promise<void>;
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable;
}

/** What ServerClient needs of a LanguageClient (tests pass a stand-in). */
export interface LanguageClientLike extends Ai8xClient {
  start(): Promise<void>;
  stop(timeout?: number): Promise<void>;
  isRunning(): boolean;
  readonly onDidChangeState: vscode.Event<StateChangeEvent>;
}

export type ServerState =
  | { kind: 'starting' }
  | { kind: 'running' }
  /** The server did not start (its process failed, or it did not answer initialize). */
  | { kind: 'failed'; message: string }
  /** The server stopped after it had run (it crashed more often than the client restarts it). */
  | { kind: 'stopped'; message: string };

export class ServerClient implements Ai8xClient, vscode.Disposable {
  private current: LanguageClientLike | undefined;
  private readonly handlers: { type: NotificationType<unknown>; handler: (p: unknown) => void }[] = [];
  private readonly perClient: vscode.Disposable[] = [];
  private readonly stateChanged = new vscode.EventEmitter<ServerState>();
  private _state: ServerState = { kind: 'starting' };
  private stopping = false;
  /** Fires on every change of `state`. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(private readonly create: () => LanguageClientLike) {}

  get state(): ServerState {
    return this._state;
  }

  /** The LanguageClient now in use (undefined before the first start). */
  get client(): LanguageClientLike | undefined {
    return this.current;
  }

  /** Starts a new client (stopping one that runs). Resolves to false, with the state `failed`, when it did not start. */
  async start(): Promise<boolean> {
    await this.stopCurrent();
    const c = this.create();
    this.current = c;
    for (const h of this.handlers) this.perClient.push(c.onNotification(h.type, h.handler));
    this.perClient.push(
      c.onDidChangeState((e) => {
        if (this.current !== c || this.stopping) return;
        if (e.newState === RUNNING) this.setState({ kind: 'running' });
        else if (e.newState === STOPPED && this._state.kind === 'running')
          this.setState({ kind: 'stopped', message: 'The ai8x language server stopped (it crashed too often to be restarted).' });
      }),
    );
    this.setState({ kind: 'starting' });
    try {
      await c.start();
      if (this.current === c) this.setState({ kind: 'running' });
      return true;
    } catch (e) {
      if (this.current === c)
        this.setState({
          kind: 'failed',
          message: `The ai8x language server did not start: ${e instanceof Error ? e.message : String(e)} (the output "ai8x Language Server" says more).`,
        });
      return false;
    }
  }

  restart(): Promise<boolean> {
    return this.start();
  }

  /** Stops the running client (once; nothing to do when it never ran or its start failed). */
  async stop(): Promise<void> {
    await this.stopCurrent();
    this.current = undefined;
  }

  sendRequest<P, R, E>(type: RequestType<P, R, E>, params: P, token?: vscode.CancellationToken): Promise<R> {
    const c = this.usable();
    if (c instanceof Error) return Promise.reject(c);
    return token ? c.sendRequest(type, params, token) : c.sendRequest(type, params);
  }

  sendNotification<P>(type: NotificationType<P>, params: P): Promise<void> {
    const c = this.usable();
    return c instanceof Error ? Promise.reject(c) : c.sendNotification(type, params);
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    const h = { type: type as NotificationType<unknown>, handler: handler as (p: unknown) => void };
    this.handlers.push(h);
    const d = this.current?.onNotification(type, handler);
    return new vscode.Disposable(() => {
      const i = this.handlers.indexOf(h);
      if (i >= 0) this.handlers.splice(i, 1);
      d?.dispose();
    });
  }

  dispose(): void {
    this.perClient.splice(0).forEach((d) => d.dispose());
    this.stateChanged.dispose();
  }

  /** The client to send through, or why there is none. */
  private usable(): LanguageClientLike | Error {
    if (this.current && (this._state.kind === 'running' || this._state.kind === 'starting')) return this.current;
    const why = this._state.kind === 'failed' || this._state.kind === 'stopped' ? this._state.message : 'The ai8x language server is not running.';
    return new Error(`${why} Run "ai8x: Restart Language Server" once the cause is fixed.`);
  }

  private async stopCurrent(): Promise<void> {
    const c = this.current;
    this.perClient.splice(0).forEach((d) => d.dispose());
    if (!c || !c.isRunning()) return;
    this.stopping = true;
    try {
      await c.stop();
    } catch {
      // It stopped anyway (a stop that timed out leaves the process to the client library).
    } finally {
      this.stopping = false;
    }
  }

  private setState(s: ServerState): void {
    this._state = s;
    this.stateChanged.fire(s);
  }
}
