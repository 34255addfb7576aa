// The language server process: wires LSP requests to the pure engine.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses, DocumentStates } from './lsp/documentState';
import { SettingsCache } from './lsp/settings';
import { DiagnosticsScheduler } from './lsp/diagnostics';
import { registerFeatureHandlers } from './lsp/features';
import { EDITOR_CAPABILITIES, recheckFor, registerEditorFeatures } from './lsp/editorFeatures';
import { Allocations, registerAllocation } from './lsp/allocation';
import { WorkspaceInputs } from './lsp/association';
import { URI } from './lsp/uri';
import { ChooseInputsNotification } from './protocol';
import { registerSimulationHandlers } from './lsp/simulation';
import { registerSynthesisHandlers } from './lsp/synthesisMessages';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const settings = new SettingsCache(connection);
const workspace = new WorkspaceInputs();
const states = new DocumentStates(workspace.extraInputs);
const diagnostics = new DiagnosticsScheduler(connection, documents, states, settings);
const analyses = new Analyses(documents, states, settings);
const allocations = new Allocations();
const editorFeatures = registerEditorFeatures(connection, analyses, workspace.extraInputs, allocations);

/** Settings, associated files or the user's choices changed: every open network is checked again. */
function recheckOpenDocuments(): void {
  states.invalidateAll();
  diagnostics.recheckAll();
  editorFeatures.refreshInlayHints();
}

connection.onInitialize((params): InitializeResult => {
  settings.init(params.capabilities);
  const folders = params.workspaceFolders?.map((f) => URI.toPath(f.uri)) ?? (params.rootUri ? [URI.toPath(params.rootUri)] : []);
  workspace.setFolders(folders);
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
  for (const c of p.changes) recheck = workspace.fileChanged(URI.toPath(c.uri)) || recheck;
  if (recheck) recheckOpenDocuments();
});
connection.onNotification(ChooseInputsNotification, (p) => {
  const prev = workspace.choices.get(p.uri) ?? {};
  const next = { ...prev };
  if (p.checkpoint !== undefined) next.checkpoint = p.checkpoint ?? undefined;
  if (p.device !== undefined) next.device = p.device ?? undefined;
  workspace.choices.set(p.uri, next);
  recheckOpenDocuments();
});
documents.onDidOpen((e) => diagnostics.schedule(e.document, 0));
documents.onDidChangeContent((e) => diagnostics.schedule(e.document));
documents.onDidClose((e) => diagnostics.close(e.document));

registerFeatureHandlers(connection, analyses, allocations, workspace.extraInputs);
registerAllocation(connection, analyses, allocations, async (uri) => {
  const a = await analyses.network(uri);
  return a ? recheckFor(a.doc, a.settings, workspace.extraInputs) : null;
});
const simulations = registerSimulationHandlers(connection, documents, settings, workspace);
documents.onDidClose((e) => simulations.forget(e.document.uri));
registerSynthesisHandlers(connection, analyses);

process.on('uncaughtException', (e) => connection.console.error(`ai8x server: uncaught ${e instanceof Error ? e.stack : String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`ai8x server: unhandled ${e instanceof Error ? e.stack : String(e)}`));

documents.listen(connection);
connection.listen();
