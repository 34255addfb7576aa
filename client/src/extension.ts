// Extension entry point: registers every command and view, then starts the language server. A server that does not
// start leaves the commands in place and says so in its status item (ai8x: Restart Language Server tries again).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { HOVER_COMMANDS, SERVER_NAME, StatusNotification } from '../../server/src/protocol';
import { NetworkStatus, StatusItemView } from './networkStatus';
import { LanguageClientLike, ServerClient, ServerState } from './languageClient/serverClient';
import { registerYamlSchemaContributor } from './yamlSchemaContributor';
import { registerSynthesis } from './synthesis/registerSynthesis';
import { registerInputCommands } from './inputCommands';
import { registerSimulator } from './simulator/registerSimulator';
import { registerMapViews } from './views/registerMapViews';
import { registerAllocateCommand } from './allocateCommand';
import { registerNewNetworkCommand } from './newNetworkCommand';
import { registerQuantizeCommand } from './quantizeCommand';
import { registerExplainMismatch } from './explainMismatchCommand';
import { registerGettingStarted } from './gettingStarted';

let server: ServerClient | undefined;

export interface Ai8xExtensionApi {
  /** The language client in use (a new one after a restart). */
  readonly client: LanguageClientLike | undefined;
  /** The language server's state. */
  serverState(): ServerState;
  /** URIs the server has recognised as network YAML. */
  networkUris(): string[];
  /** The value of the context key `ai8x.activeEditorIsNetwork` (the editor-title buttons). */
  activeEditorIsNetwork(): boolean;
  /** What the two language status items show (the network's, the server's). */
  statusItems(): StatusItemView[];
  /** How long activate() took, language server start included (the e2e suite logs it). */
  activationMs: number;
  /** The status bar item's text ('' when hidden). */
  statusBarText(): string;
}

/** Makes a language client; the tests give one that fails to start. */
export type ClientFactory = (serverOptions: ServerOptions, clientOptions: LanguageClientOptions) => LanguageClientLike;

export function activate(context: vscode.ExtensionContext): Promise<Ai8xExtensionApi> {
  return activateWith(context, (serverOptions, clientOptions) => new LanguageClient('ai8x', SERVER_NAME, serverOptions, clientOptions));
}

export async function activateWith(context: vscode.ExtensionContext, createClient: ClientFactory): Promise<Ai8xExtensionApi> {
  const t0 = performance.now();
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('ai8x Language Server', { log: true });
  // Shared by every client (a new one per restart), disposed with the extension.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{tar,pth,onnx,npy,sh}');
  context.subscriptions.push(output, watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'ai8x',
      // Checkpoints, sample inputs and gen-demos scripts: diagnostics follow their changes on disk.
      fileEvents: watcher,
    },
    outputChannel: output,
    middleware: {
      // Hovers link to the map views; only those commands are enabled in their Markdown.
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        for (const c of hover?.contents ?? []) {
          if (c instanceof vscode.MarkdownString) c.isTrusted = { enabledCommands: Object.values(HOVER_COMMANDS) };
        }
        return hover;
      },
    },
  };

  const status = new NetworkStatus();
  server = new ServerClient(() => createClient(serverOptions, clientOptions));
  const s = server;
  status.serverState(s.state);
  context.subscriptions.push(
    status,
    s,
    s.onDidChangeState((st) => status.serverState(st)),
    s.onNotification(StatusNotification, (p) => status.update(p)),
    vscode.window.onDidChangeActiveTextEditor(() => status.refresh()),
    vscode.workspace.onDidCloseTextDocument((d) => status.forget(d.uri.toString())),
    vscode.commands.registerCommand('ai8x.restartServer', async () => {
      if (!(await s.restart()) && s.state.kind === 'failed')
        void vscode.window.showErrorMessage(s.state.message, 'Show Output').then((a) => a && output.show());
    }),
    vscode.commands.registerCommand('ai8x.showOutput', () => output.show()),
  );
  // Every command and view is registered before the server starts: they are there whether or not it does.
  registerYamlSchemaContributor(context, (uri) => status.isNetwork(uri));
  registerSynthesis(context, s, (uri) => status.isNetwork(uri));
  registerInputCommands(context, s, status);
  registerSimulator(context, s);
  registerMapViews(context, s, (uri) => status.isNetwork(uri));
  registerAllocateCommand(context, s);
  registerNewNetworkCommand(context, s);
  registerQuantizeCommand(context, s, status);
  registerExplainMismatch(context, s, status);
  registerGettingStarted(context, s);

  // A failed start is in the status item (and the client's own error message); activation goes on.
  await s.start();
  const activationMs = performance.now() - t0;
  return {
    get client() {
      return s.client;
    },
    serverState: () => s.state,
    networkUris: () => status.networkUris(),
    activeEditorIsNetwork: () => status.activeEditorIsNetwork,
    statusItems: () => status.views(),
    activationMs,
    statusBarText: () => status.statusBarText,
  };
}

/** Stops the language server once (VS Code calls this; the client is not also among the disposables). */
export async function deactivate(): Promise<void> {
  const s = server;
  server = undefined;
  await s?.stop();
}
