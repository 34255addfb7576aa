// Getting started: the walkthrough (package.json `walkthroughs`: open an example, associate a checkpoint, see the
// maps, simulate, synthesize), "ai8x: Open Example Network" (the server writes the built-in example into the
// workspace, or into the extension's storage without one; existing files are kept), and "ai8x: Getting Started".
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { WriteExampleRequest } from '../../server/src/protocol';

export const WALKTHROUGH_ID = 'ai8x.gettingStarted';

export interface OpenExampleResult {
  network: string;
  written: string[];
  kept: string[];
}

export function registerGettingStarted(context: vscode.ExtensionContext, client: Ai8xClient): void {
  const extensionId = `${context.extension.packageJSON.publisher}.${context.extension.packageJSON.name}`;
  context.subscriptions.push(
    vscode.commands.registerCommand('ai8x.gettingStarted', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionId}#${WALKTHROUGH_ID}`, false),
    ),
    vscode.commands.registerCommand('ai8x.openExample', async (folderArg?: string): Promise<OpenExampleResult | undefined> => {
      const folder = folderArg ?? exampleFolder(context);
      const r = await client.sendRequest(WriteExampleRequest, { folder });
      if (!r.ok) {
        void vscode.window.showErrorMessage(`ai8x: ${r.message}`);
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(r.network));
      await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
      const kept = r.kept.length ? ` (${r.kept.map((f) => path.basename(f)).join(', ')} existed and ${r.kept.length === 1 ? 'was' : 'were'} kept)` : '';
      void vscode.window.showInformationMessage(
        `ai8x: the example is in ${folder}${kept}. Its first line names its checkpoint and sample; hover a \`processors\` value, or open the maps from the editor title.`,
      );
      return { network: r.network, written: r.written, kept: r.kept };
    }),
  );
}

/** `<workspace>/ai8x-example`, or the extension's global storage without a (local) workspace folder. */
function exampleFolder(context: vscode.ExtensionContext): string {
  const ws = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (ws) return path.join(ws.uri.fsPath, 'ai8x-example');
  const dir = path.join(context.globalStorageUri.fsPath, 'example');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
