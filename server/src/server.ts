// The language server process: wires LSP requests to the pure engine. Checks run in check workers (lsp/checkPool.ts);
// this thread keeps the last finished analysis of each open document and answers requests from it.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyses } from './lsp/documentState';
import { SettingsCache } from './lsp/settings';
import { DiagnosticsScheduler } from './lsp/diagnostics';
import { registerFeatureHandlers } from './lsp/features';
import { EDITOR_CAPABILITIES, registerEditorFeatures } from './lsp/editorFeatures';
import { registerAllocation } from './lsp/allocation';
import { registerNewNetwork } from './lsp/newNetwork';
import { registerQuantize } from './lsp/quantize';
import { changeNeedsRecheck, SessionChoice } from './lsp/association';
import { CheckPool, defaultPoolOptions } from './lsp/checkPool';
import { URI } from './lsp/uri';
import { ChooseInputsNotification, TestMemoryRequest } from './protocol';
import { registerSimulationHandlers } from './lsp/simulation';
import { registerSynthesisHandlers } from './lsp/synthesisMessages';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsCache(connection);
/** The checkpoint or device the user chose per document in this session. */
const choices = new Map<string, SessionChoice>();
const pool = new CheckPool(defaultPoolOptions((m) => connection.console.log(m)));
const analyses = new DocumentAnalyses(documents, settings, pool, (uri) => choices.get(uri));
const diagnostics = new DiagnosticsScheduler(connection, documents, analyses, settings);
const editorFeatures = registerEditorFeatures(connection, analyses, pool, documents);

/** Settings, associated files or the user's choices changed: every open network is checked again. */
function recheckOpenDocuments(): void {
  analyses.invalidateAll();
  diagnostics.recheckAll();
  editorFeatures.refreshInlayHints();
}

connection.onInitialize((params): InitializeResult => {
  settings.init(params.capabilities);
  const folders = params.workspaceFolders?.map((f) => URI.toPath(f.uri)) ?? (params.rootUri ? [URI.toPath(params.rootUri)] : []);
  pool.setFolders(folders);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
      documentSymbolProvider: true,
      ...EDITOR_CAPABILITIES,
    },
    serverInfo: { name: 'ai8x-network-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => settings.registerForChanges());
connection.onDidChangeConfiguration(() => {
  settings.clear();
  recheckOpenDocuments();
});

connection.onDidChangeWatchedFiles((p) => {
  let recheck = false;
  for (const c of p.changes) {
    const file = URI.toPath(c.uri);
    pool.fileChanged(file);
    recheck = changeNeedsRecheck(file) || recheck;
  }
  if (recheck) recheckOpenDocuments();
});
connection.onNotification(ChooseInputsNotification, (p) => {
  const prev = choices.get(p.uri) ?? {};
  const next = { ...prev };
  if (p.checkpoint !== undefined) next.checkpoint = p.checkpoint ?? undefined;
  if (p.device !== undefined) next.device = p.device ?? undefined;
  choices.set(p.uri, next);
  recheckOpenDocuments();
});
documents.onDidOpen((e) => diagnostics.opened(e.document));
documents.onDidChangeContent((e) => diagnostics.changed(e.document));
documents.onDidClose((e) => diagnostics.closed(e.document));

registerFeatureHandlers(connection, analyses, pool);
registerAllocation(connection, analyses, pool);
registerNewNetwork(connection, pool);
registerQuantize(connection, pool);
const simulations = registerSimulationHandlers(connection, analyses, pool);
documents.onDidClose((e) => simulations.forget(e.document.uri));
registerSynthesisHandlers(connection, analyses);

if (process.env.AI8X_SERVER_TEST_HOOKS === '1') {
  connection.onRequest(TestMemoryRequest, async () => {
    const workers = await pool.everyWorker('memory', {});
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, workers, documents: analyses.size, gcExposed: !!gc };
  });
}

connection.onShutdown(() => pool.dispose());

process.on('uncaughtException', (e) => connection.console.error(`ai8x server: uncaught ${e instanceof Error ? e.stack : String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`ai8x server: unhandled ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
