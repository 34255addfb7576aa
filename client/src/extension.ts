// Extension entry point: starts the language server and the thin UI around it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { HOVER_COMMANDS, SERVER_NAME, StatusNotification } from '../../server/src/protocol';
import { NetworkStatus } from './networkStatus';
import { registerYamlSchemaContributor } from './yamlSchemaContributor';
import { registerSynthesis } from './synthesis/registerSynthesis';
import { registerInputCommands } from './inputCommands';
import { registerSimulator } from './simulator/registerSimulator';
import { registerMapViews } from './views/registerMapViews';
import { registerAllocateCommand } from './allocateCommand';
import { registerExplainMismatch } from './explainMismatchCommand';
import { registerGettingStarted } from './gettingStarted';

let client: LanguageClient | undefined;

export interface Ai8xExtensionApi {
  client: LanguageClient;
  /** URIs the server has recognised as network YAML. */
  networkUris(): string[];
  /** The value of the context key `ai8x.activeEditorIsNetwork` (the editor-title buttons). */
  activeEditorIsNetwork(): boolean;
  /** How long activate() took, language server start included (the e2e suite logs it). */
  activationMs: number;
  /** The status bar item's text ('' when hidden). */
  statusBarText(): string;
}

export async function activate(context: vscode.ExtensionContext): Promise<Ai8xExtensionApi> {
  const t0 = performance.now();
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('ai8x Language Server', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'ai8x',
      // Checkpoints, sample inputs and gen-demos scripts: diagnostics follow their changes on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{tar,pth,onnx,npy,sh}'),
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
  client = new LanguageClient('ai8x', SERVER_NAME, serverOptions, clientOptions);

  const status = new NetworkStatus();
  context.subscriptions.push(status);
  context.subscriptions.push(
    client.onNotification(StatusNotification, (p) => status.update(p)),
    vscode.window.onDidChangeActiveTextEditor(() => status.refresh()),
    vscode.commands.registerCommand('ai8x.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('ai8x.showOutput', () => output.show()),
  );
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
  registerYamlSchemaContributor(context, (uri) => status.isNetwork(uri));
  registerSynthesis(context, client, (uri) => status.isNetwork(uri));
  registerInputCommands(context, client, status);
  registerSimulator(context, client);
  registerMapViews(context, client, (uri) => status.isNetwork(uri));
  registerAllocateCommand(context, client);
  registerExplainMismatch(context, client, status);
  registerGettingStarted(context, client);
  const activationMs = performance.now() - t0;
  return {
    client,
    networkUris: () => status.networkUris(),
    activeEditorIsNetwork: () => status.activeEditorIsNetwork,
    activationMs,
    statusBarText: () => status.statusBarText,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
