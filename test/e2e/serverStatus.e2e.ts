// ---- The language server status items: a failed check, a server that failed to start, restart (issue 13) ----
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eLog } from './log';
import type { StatusItemView } from '../../client/src/networkStatus';
import type { ServerState } from '../../client/src/languageClient/serverClient';
import { EXTENSION_NAME, workspaceFile, activateExtension, diagnosticsFor, codeOf } from './helpers';

describe('ai8x language server status (issue 13)', function () {
  this.timeout(90000);
  interface StatusApi {
    statusItems(): StatusItemView[];
    serverState(): ServerState;
  }
  const api = async () => (await activateExtension()).exports as StatusApi;
  async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const item = (a: StatusApi, id: string) => a.statusItems().find((i) => i.id === id)!;

  it('shows a failed check in the status item (the checker crashed), and the next check clears it', async function () {
    if (process.env.AI8X_SERVER_TEST_HOOKS !== '1') {
      e2eLog('      (skipped: needs AI8X_SERVER_TEST_HOOKS=1, which scripts/run-e2e.mjs sets)');
      this.skip();
    }
    const a = await api();
    const text = fs.readFileSync(workspaceFile('with-mistakes.yaml').fsPath, 'utf8');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: `# ai8x-test-hook: exit\n${text}` });
    const editor = await vscode.window.showTextDocument(doc);
    const failed = await until('the failed check in the status item', () => {
      const it = item(a, 'ai8x.network');
      return it.visible && /check failed/.test(it.text) ? it : undefined;
    });
    assert.strictEqual(failed.severity, 'error');
    assert.match(failed.detail ?? '', /the checker stopped unexpectedly/);
    assert.strictEqual(a.serverState().kind, 'running', 'the server itself runs on');
    // Without the hook line the file is checked again: its problems show, and the status is the network's again.
    await editor.edit((e) => e.delete(new vscode.Range(0, 0, 1, 0)));
    await diagnosticsFor(doc.uri, (d) => d.some((x) => codeOf(x) === 'IZ040'));
    const ok = await until('the status after a good check', () => {
      const it = item(a, 'ai8x.network');
      return it.visible && !/check failed/.test(it.text) ? it : undefined;
    });
    assert.notStrictEqual(ok.severity, 'error');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a server that failed to start in its status item, keeps every command, and restarts once it can', async () => {
    const a = await api();
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === EXTENSION_NAME)!;
    const serverJs = path.join(ext.extensionPath, 'dist', 'server.js');
    const aside = `${serverJs}.e2e-aside`;
    fs.renameSync(serverJs, aside);
    try {
      await vscode.commands.executeCommand('ai8x.restartServer');
      const state = await until('the failed start', () => {
        const s = a.serverState();
        return s.kind === 'failed' ? s : undefined;
      });
      e2eLog(`      server state: ${state.message}`);
      const server = item(a, 'ai8x.server');
      assert.deepStrictEqual([server.visible, server.severity, server.command], [true, 'error', 'ai8x.restartServer']);
      assert.match(server.text, /failed to start/);
      const registered = new Set(await vscode.commands.getCommands(true));
      const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
      assert.deepStrictEqual(
        contributed.filter((c) => !registered.has(c)),
        [],
        'every contributed command is still registered',
      );
    } finally {
      fs.renameSync(aside, serverJs);
    }
    await vscode.commands.executeCommand('ai8x.restartServer');
    await until('the server running again', () => (a.serverState().kind === 'running' ? true : undefined));
    assert.strictEqual(item(a, 'ai8x.server').visible, false);
    const uri = workspaceFile('with-mistakes.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await diagnosticsFor(uri, (d) => d.some((x) => codeOf(x) === 'IZ040'));
  });
});
