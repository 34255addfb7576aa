// The language server process: its state on this thread (lsp/state/), the routing table of its handlers
// (lsp/handlers/routes.ts) and the check workers (lsp/worker/). Checks run in the workers; this thread keeps the
// last finished analysis of each open document and answers requests from it.
import { createConnection, ProposedFeatures, TextDocuments, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyses } from './lsp/state/documentState';
import { SettingsCache } from './lsp/state/settings';
import { DiagnosticsScheduler } from './lsp/state/diagnostics';
import { CheckPool, defaultPoolOptions } from './lsp/state/checkPool';
import { SimulationRuns } from './lsp/state/simulationRuns';
import { CAPABILITIES } from './lsp/handlers/capabilities';
import type { ServerContext } from './lsp/handlers/context';
import { registerRoutes } from './lsp/handlers/routes';
import type { SessionChoice } from './lsp/workerProtocol';
import { URI } from './lsp/uri';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsCache(connection);
const choices = new Map<string, SessionChoice>();
const pool = new CheckPool(defaultPoolOptions((m) => connection.console.log(m)));
const analyses = new DocumentAnalyses(documents, settings, pool, (uri) => choices.get(uri));
const diagnostics = new DiagnosticsScheduler(connection, documents, analyses, settings);
const simulations = new SimulationRuns();

const ctx: ServerContext = {
  connection,
  documents,
  settings,
  analyses,
  diagnostics,
  pool,
  choices,
  simulations,
  allocations: new WeakMap(),
  recheckOpenDocuments: () => {
    analyses.invalidateAll();
    diagnostics.recheckAll();
    connection.languages.inlayHint.refresh().catch(() => undefined);
  },
};

connection.onInitialize((params): InitializeResult => {
  settings.init(params.capabilities);
  const folders = params.workspaceFolders?.map((f) => URI.toPath(f.uri)) ?? (params.rootUri ? [URI.toPath(params.rootUri)] : []);
  pool.setFolders(folders);
  return { capabilities: CAPABILITIES, serverInfo: { name: 'ai8x-network-language-server', version: '0.1.0' } };
});
connection.onInitialized(() => settings.registerForChanges());
registerRoutes(connection, ctx, process.env.AI8X_SERVER_TEST_HOOKS === '1');

documents.onDidOpen((e) => diagnostics.opened(e.document));
documents.onDidChangeContent((e) => diagnostics.changed(e.document));
documents.onDidClose((e) => {
  diagnostics.closed(e.document);
  simulations.forget(e.document.uri);
});

connection.onShutdown(() => pool.dispose());

process.on('uncaughtException', (e) => connection.console.error(`ai8x server: uncaught ${e instanceof Error ? e.stack : String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`ai8x server: unhandled ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
