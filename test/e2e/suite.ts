import * as assert from 'node:assert';
import * as vscode from 'vscode';

describe('ai8x extension in a real VS Code', () => {
  it('activates', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'ai8x-network-tools');
    assert.ok(ext, 'extension is installed');
    await ext!.activate();
    assert.ok(ext!.isActive);
  });
});
