// The extension's activation outside VS Code (a stand-in `vscode` module, and language clients the test controls):
// every command is registered whether or not the server starts, a failed start or a stopped server shows in the
// server's status item, a failed check in the network's, restart makes a new client, and the client is stopped once.
import { fake, FakeStatusItem } from '../../support/fakeVscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NotificationType, RequestType, StateChangeEvent } from 'vscode-languageclient/node';
import { activateWith, deactivate } from '../../../client/src/extension';
import type { LanguageClientLike } from '../../../client/src/languageClient/serverClient';
import { StatusNotification, StatusParams } from '../../../server/src/protocol';
import { repoRoot } from '../../support/shared';

const STOPPED = 1;
const RUNNING = 2;
const STARTING = 3;

class FakeClient implements LanguageClientLike {
  starts = 0;
  /** stop() calls, and those that stopped a running client. */
  stopCalls = 0;
  stops = 0;
  running = false;
  readonly handlers = new Map<string, (p: unknown) => void>();
  private listeners: ((e: StateChangeEvent) => void)[] = [];
  constructor(private readonly startError: Error | null) {}

  readonly onDidChangeState = (l: (e: StateChangeEvent) => void) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  emit(newState: number): void {
    for (const l of [...this.listeners]) l({ oldState: RUNNING, newState } as StateChangeEvent);
  }
  async start(): Promise<void> {
    this.starts++;
    this.emit(STARTING);
    if (this.startError) {
      this.emit(STOPPED);
      throw this.startError;
    }
    this.running = true;
    this.emit(RUNNING);
  }
  async stop(): Promise<void> {
    this.stopCalls++;
    // As vscode-languageclient: a client that is not running cannot be stopped.
    if (!this.running) throw new Error("Client is not running and can't be stopped.");
    this.stops++;
    this.running = false;
    this.emit(STOPPED);
  }
  isRunning(): boolean {
    return this.running;
  }
  onNotification<P>(type: NotificationType<P>, handler: (p: P) => void) {
    this.handlers.set(type.method, handler as (p: unknown) => void);
    return { dispose: () => this.handlers.delete(type.method) };
  }
  async sendRequest<P, R, E>(_type: RequestType<P, R, E>, _params: P): Promise<R> {
    if (!this.running) throw new Error('Client is not running');
    return null as R;
  }
  async sendNotification(): Promise<void> {}
}

const contributedCommands = (): string[] =>
  JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')).contributes.commands.map((c: { command: string }) => c.command);

function fakeContext() {
  const subscriptions: { dispose(): unknown }[] = [];
  const ctx = new Proxy(
    {
      subscriptions,
      asAbsolutePath: (p: string) => path.join(repoRoot(), p),
      extensionPath: repoRoot(),
      extension: { packageJSON: JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) },
    } as Record<string | symbol, unknown>,
    { get: (t, p) => (p in t ? t[p] : undefined) },
  );
  return { ctx: ctx as never, dispose: () => subscriptions.forEach((d) => d.dispose()) };
}

const item = (id: string): FakeStatusItem => {
  const found = fake.statusItems.filter((i) => i.id === id && !i.disposed);
  assert.equal(found.length, 1, `one live status item ${id}`);
  return found[0];
};
const visible = (it: FakeStatusItem) => !JSON.stringify(it.selector).includes('__ai8x_none__');

describe('extension activation', () => {
  let context: ReturnType<typeof fakeContext>;
  beforeEach(() => {
    fake.reset();
    context = fakeContext();
  });
  afterEach(async () => {
    await deactivate();
    context.dispose();
  });

  it('registers every command it contributes when the server fails to start, and says so in the server status item', async () => {
    const clients: FakeClient[] = [];
    const api = await activateWith(context.ctx, () => {
      const c = new FakeClient(new Error('Cannot find module dist/server.js'));
      clients.push(c);
      return c;
    });
    const missing = contributedCommands().filter((c) => !fake.commands.has(c));
    assert.deepEqual(missing, [], 'every contributed command is registered');
    assert.equal(clients.length, 1);
    assert.deepEqual(api.serverState(), {
      kind: 'failed',
      message: 'The ai8x language server did not start: Cannot find module dist/server.js (the output "ai8x Language Server" says more).',
    });
    const server = item('ai8x.server');
    assert.ok(visible(server), 'the server item shows');
    assert.equal(server.severity, 2, 'as an error');
    assert.match(server.text, /failed to start/);
    assert.match(server.detail ?? '', /Cannot find module dist\/server\.js/);
    assert.equal(server.command?.command, 'ai8x.restartServer');
    // A command that needs the server says why it cannot run, instead of failing silently.
    await assert.rejects(api.client!.sendRequest({ method: 'x' } as RequestType<unknown, unknown, unknown>, {}), /not running/);
    // Nothing to stop: deactivate neither throws nor stops.
    await deactivate();
    assert.equal(clients[0].stopCalls, 0);
  });

  it('restarts with a new client after a failed start; the handlers carry over and the status item goes away', async () => {
    let fail = true;
    const clients: FakeClient[] = [];
    const api = await activateWith(context.ctx, () => {
      const c = new FakeClient(fail ? new Error('spawn node ENOENT') : null);
      clients.push(c);
      return c;
    });
    assert.equal(api.serverState().kind, 'failed');
    fail = false;
    await fake.commands.get('ai8x.restartServer')!();
    assert.equal(clients.length, 2, 'a new client');
    assert.equal(api.serverState().kind, 'running');
    assert.ok(!visible(item('ai8x.server')), 'the server item is hidden while the server runs');
    assert.ok(clients[1].handlers.has(StatusNotification.method), 'ai8x/status is handled by the new client');
    assert.equal(api.client, clients[1]);
  });

  it('shows a server that stopped after running, and a failed check in the network status item', async () => {
    const c = new FakeClient(null);
    const api = await activateWith(context.ctx, () => c);
    assert.equal(api.serverState().kind, 'running');
    const uri = 'file:///w/net.yaml';
    fake.activeTextEditor = { document: { uri: { toString: () => uri }, languageId: 'yaml' } };
    const status: StatusParams = {
      uri,
      isNetwork: true,
      device: 'MAX78000',
      deviceSource: 'default',
      checkpoint: null,
      checkpointSource: null,
      checkpointProblem: null,
      sampleInput: null,
      sampleProblem: null,
      errors: 1,
      warnings: 0,
      checkedVersion: 3,
      checkFailure: null,
    };
    c.handlers.get(StatusNotification.method)!(status);
    const network = item('ai8x.network');
    assert.ok(visible(network));
    assert.equal(network.severity, 0);
    assert.match(network.text, /MAX78000/);
    c.handlers.get(StatusNotification.method)!({ ...status, checkFailure: 'the check ran out of memory (more than 2048 MB)' });
    assert.equal(network.severity, 2);
    assert.match(network.text, /check failed/);
    assert.match(network.detail ?? '', /ran out of memory.*from an earlier version/);
    // The client gave up restarting a crashing server.
    c.running = false;
    c.emit(STOPPED);
    assert.equal(api.serverState().kind, 'stopped');
    const server = item('ai8x.server');
    assert.ok(visible(server));
    assert.match(server.text, /stopped/);
  });

  it('stops the client once on deactivation (not again when VS Code disposes the subscriptions)', async () => {
    const c = new FakeClient(null);
    await activateWith(context.ctx, () => c);
    // As VS Code does: deactivate() is called, then the subscriptions are disposed without waiting for it.
    const done = deactivate();
    context.dispose();
    await done;
    await new Promise((r) => setImmediate(r));
    assert.equal(c.stopCalls, 1, 'stop() called once');
    assert.equal(c.stops, 1);
  });
});
