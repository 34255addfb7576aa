// The server's one routing table (lsp/handlers/routes.ts) and one capabilities object (lsp/handlers/capabilities.ts):
// every request of the protocol has exactly one row, and every standard LSP request routed is announced.
import * as assert from 'node:assert/strict';
import { RequestType } from 'vscode-languageserver-protocol';
import { CAPABILITIES } from '../../../server/src/lsp/handlers/capabilities';
import { ROUTES } from '../../../server/src/lsp/handlers/routes';
import * as protocol from '../../../server/src/protocol';

/** The capability that announces each standard request the server answers. */
const PROVIDER: Record<string, keyof typeof CAPABILITIES> = {
  'textDocument/hover': 'hoverProvider',
  'textDocument/completion': 'completionProvider',
  'textDocument/documentSymbol': 'documentSymbolProvider',
  'textDocument/codeAction': 'codeActionProvider',
  'textDocument/inlayHint': 'inlayHintProvider',
  'textDocument/definition': 'definitionProvider',
  'textDocument/references': 'referencesProvider',
  'textDocument/prepareRename': 'renameProvider',
  'textDocument/rename': 'renameProvider',
};

describe('LSP: the routing table and the capabilities', () => {
  const methods = ROUTES.map((r) => r.method);

  it('routes each method once', () => {
    assert.equal(new Set(methods).size, methods.length, methods.join(', '));
  });

  it('has a row for every request of the protocol', () => {
    const requests = Object.values(protocol as Record<string, unknown>)
      .filter((v): v is RequestType<unknown, unknown, unknown> => v instanceof RequestType)
      .map((t) => t.method);
    assert.ok(requests.length > 10);
    assert.deepEqual(
      requests.filter((m) => !methods.includes(m)),
      [],
    );
  });

  it('announces every standard request it routes, and routes every one it announces', () => {
    const standard = methods.filter((m) => m.startsWith('textDocument/'));
    assert.deepEqual(
      standard.filter((m) => !PROVIDER[m] || !CAPABILITIES[PROVIDER[m]]),
      [],
      'routed but not announced (or not known to this test)',
    );
    const announced = Object.keys(CAPABILITIES).filter((k) => k !== 'textDocumentSync');
    const routedProviders = new Set(standard.map((m) => PROVIDER[m]));
    assert.deepEqual(
      announced.filter((k) => !routedProviders.has(k as keyof typeof CAPABILITIES)),
      [],
      'announced but not routed',
    );
  });
});
