// What the server tells the editor it does: the one capabilities object. Every standard LSP request in the routing
// table has its provider here (a test keeps the two equal).
import { CodeActionKind, ServerCapabilities, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { ALLOCATE_ACTION_KIND } from '../../protocol';

export const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  hoverProvider: true,
  completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
  documentSymbolProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, ALLOCATE_ACTION_KIND], resolveProvider: false },
  inlayHintProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
};
