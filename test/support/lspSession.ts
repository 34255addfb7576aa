// A language-server session for protocol tests: spawns the built dist/server.js (stdio or node IPC, the
// transport the extension uses) and talks LSP to it through vscode-jsonrpc, like an editor would.
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node';
import {
  CompletionItem,
  CompletionList,
  CompletionRequest,
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbol,
  DocumentSymbolRequest,
  ExitNotification,
  Hover,
  HoverRequest,
  InitializeRequest,
  InitializeResult,
  InitializedNotification,
  LogMessageNotification,
  LogMessageParams,
  MessageType,
  Position,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  RegistrationRequest,
  ShutdownRequest,
  SymbolInformation,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { repoRoot } from './shared';
import { StatusNotification, StatusParams } from '../../server/src/protocol';

export type Transport = 'stdio' | 'ipc';

export interface SessionOptions {
  transport?: Transport;
  /** When given, the client offers workspace/configuration and answers the `ai8x` section with this. */
  settings?: Record<string, unknown>;
  /** Workspace folders (absolute paths) announced at initialize. */
  workspaceFolders?: string[];
  /**
   * Runs the server with --expose-gc and AI8X_SERVER_TEST_HOOKS=1: the request ai8x/test/memory answers, and a line
   * `# ai8x-test-hook: sleep=MS | exit | throw` in a document slows down, crashes or fails its check.
   */
  testHooks?: boolean;
  /** More environment variables for the server (AI8X_CHECK_TIMEOUT_MS, AI8X_CHECK_WORKERS, …). */
  env?: Record<string, string>;
}

/** The built server (AI8X_TEST_SERVER_JS runs the suites against another build, e.g. of an older commit). */
export function serverPath(): string {
  return process.env.AI8X_TEST_SERVER_JS || path.join(repoRoot(), 'dist', 'server.js');
}

/** A file URI for a (not necessarily existing) file in a scratch folder. */
export function docUri(name: string): string {
  return pathToFileURL(path.join('/tmp/ai8x-lsp-test', name)).href;
}

export class LspSession {
  readonly published: PublishDiagnosticsParams[] = [];
  /** When each publication arrived (performance.now()), index for index with `published`. */
  readonly publishedAt: number[] = [];
  /** The server's ai8x/status notifications, in order, and when each arrived (performance.now()). */
  readonly statuses: StatusParams[] = [];
  readonly statusesAt: number[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly configurationRequests: unknown[] = [];
  stderr = '';
  initializeResult!: InitializeResult;
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly proc: cp.ChildProcess,
    readonly conn: rpc.MessageConnection,
    private readonly options: SessionOptions,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.publishedAt.push(performance.now());
      this.notify();
    });
    conn.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p);
      this.notify();
    });
    conn.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests.push(p);
      return p.items.map((it) => (it.section === 'ai8x' ? (this.options.settings ?? {}) : null));
    });
    conn.onRequest(RegistrationRequest.type, () => undefined);
    conn.onNotification(StatusNotification, (p) => {
      this.statuses.push(p);
      this.statusesAt.push(performance.now());
      this.notify();
    });
    // Other notifications of the server (simulation progress, …) are not under test here.
    conn.onNotification(() => undefined);
    conn.listen();
  }

  static async start(options: SessionOptions = {}): Promise<LspSession> {
    const server = serverPath();
    if (!fs.existsSync(server)) throw new Error(`${server} does not exist; build it with node esbuild.mjs`);
    let proc: cp.ChildProcess;
    let conn: rpc.MessageConnection;
    const env = { ...process.env, ...(options.testHooks ? { AI8X_SERVER_TEST_HOOKS: '1' } : {}), ...options.env };
    const execArgv = options.testHooks ? ['--expose-gc'] : [];
    if (options.transport === 'ipc') {
      proc = cp.fork(server, ['--node-ipc'], { silent: true, env, execArgv });
      conn = rpc.createMessageConnection(new rpc.IPCMessageReader(proc), new rpc.IPCMessageWriter(proc));
    } else {
      proc = cp.spawn(process.execPath, [...execArgv, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
      conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout!), new rpc.StreamMessageWriter(proc.stdin!));
    }
    const session = new LspSession(proc, conn, options);
    session.initializeResult = await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.workspaceFolders ? options.workspaceFolders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })) : null,
      capabilities: options.settings ? { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } } : {},
    });
    await conn.sendNotification(InitializedNotification.type, {});
    return session;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves when `test` returns a value (checked now and after every message), or rejects after `timeoutMs`. */
  waitFor<T>(what: string, test: () => T | undefined, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = test();
        if (v === undefined) return false;
        cleanup();
        resolve(v);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; server stderr: ${this.stderr.slice(-2000) || '(empty)'}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(listener);
      };
      const listener = () => void check();
      if (!check()) this.waiters.add(listener);
    });
  }

  /** The diagnostics published for `uri` at document `version` (the newest such publication). */
  diagnosticsFor(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      `diagnostics for ${uri} version ${version}`,
      () => [...this.published].reverse().find((p) => p.uri === uri && p.version === version),
      timeoutMs,
    );
  }

  /** The first publication for `uri` after `count` publications had been seen in total. */
  nextDiagnostics(uri: string, after: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`new diagnostics for ${uri}`, () => this.published.slice(after).find((p) => p.uri === uri), timeoutMs);
  }

  /** The newest ai8x/status for `uri` that `test` accepts (checked now and after every message). */
  statusFor(uri: string, test: (p: StatusParams) => boolean, what: string, timeoutMs?: number): Promise<StatusParams> {
    return this.waitFor(`ai8x/status for ${uri}: ${what}`, () => [...this.statuses].reverse().find((p) => p.uri === uri && test(p)), timeoutMs);
  }

  /** Error-level window/logMessage texts (from message number `from` on). */
  errorLogs(from = 0): string[] {
    return this.logs
      .slice(from)
      .filter((l) => l.type === MessageType.Error)
      .map((l) => l.message);
  }

  async open(uri: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionList | CompletionItem[] | null = await this.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return !r ? [] : Array.isArray(r) ? r : r.items;
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    const r: Array<DocumentSymbol | SymbolInformation> | null = await this.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    return (r ?? []) as DocumentSymbol[];
  }

  /** shutdown + exit as an editor does; resolves with the server's exit code. */
  async shutdown(timeoutMs = 5000): Promise<number | null> {
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs))]);
    this.conn.dispose();
    if (code === 'timeout') {
      this.proc.kill('SIGKILL');
      throw new Error('the server did not exit after shutdown/exit');
    }
    return code;
  }

  /** For after() hooks: ends the process whatever state it is in. */
  dispose(): void {
    this.conn.dispose();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

/** A diagnostic's message as text (LSP 3.18 allows Markdown content there). */
export function messageOf(d: { message: string | { value: string } }): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
