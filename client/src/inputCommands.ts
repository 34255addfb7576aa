// "Choose Checkpoint" and "Choose Device" for the network in the active editor: for this session, or
// written into the file's `# ai8x:` modeline when the user agrees.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { ChooseInputsNotification } from '../../server/src/protocol';
import { checkpointModelineEdit } from '../../server/src/synthesis/modelineEdit';
import type { NetworkStatus } from './networkStatus';

export function registerInputCommands(context: vscode.ExtensionContext, client: Ai8xClient, status: NetworkStatus): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ai8x.selectCheckpoint', async (uriArg?: string) => {
      const doc = await targetDocument(uriArg, status);
      if (!doc) return;
      const current = status.get(doc.uri.toString())?.checkpoint;
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        defaultUri: current ? vscode.Uri.file(path.dirname(current)) : vscode.Uri.file(path.dirname(doc.uri.fsPath)),
        filters: { 'Quantized checkpoints': ['tar', 'pth', 'onnx'], 'All files': ['*'] },
        openLabel: 'Use this checkpoint',
        title: `Checkpoint for ${path.basename(doc.uri.fsPath)}`,
      });
      if (!picked?.length) return;
      const file = picked[0].fsPath;
      const how = await vscode.window.showQuickPick(
        [
          { label: 'Use it in this session', detail: 'Nothing is written to the file.', keep: false },
          { label: 'Write it into the file', detail: 'Adds or updates the `# ai8x: checkpoint=…` comment at the top of the network file.', keep: true },
        ],
        { title: `Use ${path.basename(file)} for ${path.basename(doc.uri.fsPath)}` },
      );
      if (!how) return;
      if (how.keep) {
        const e = checkpointModelineEdit(doc.getText(), doc.uri.fsPath, file);
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.text);
        await vscode.workspace.applyEdit(edit);
      } else {
        await client.sendNotification(ChooseInputsNotification, { uri: doc.uri.toString(), checkpoint: file });
      }
    }),
    vscode.commands.registerCommand('ai8x.selectDevice', async (uriArg?: string) => {
      const doc = await targetDocument(uriArg, status);
      if (!doc) return;
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'MAX78000', description: '32 layers, 64 processors, 32 KiB per data memory' },
          { label: 'MAX78002', description: '128 layers, 80 KiB per data memory, depth-wise, link layers' },
          { label: 'Automatic', description: 'modeline, izer flags, checkpoint name, file name' },
        ],
        { title: `Device for ${path.basename(doc.uri.fsPath)} (this session)` },
      );
      if (!pick) return;
      const device = pick.label === 'Automatic' ? null : (pick.label as 'MAX78000' | 'MAX78002');
      await client.sendNotification(ChooseInputsNotification, { uri: doc.uri.toString(), device });
    }),
  );
}

async function targetDocument(uriArg: string | undefined, status: NetworkStatus): Promise<vscode.TextDocument | undefined> {
  const uri = uriArg ? vscode.Uri.parse(uriArg) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Open an ai8x network YAML file first.');
    return undefined;
  }
  if (!status.isNetwork(uri.toString())) {
    void vscode.window.showInformationMessage(
      `${path.basename(uri.fsPath)} is not recognised as an ai8x network description (it needs top-level \`arch\` and \`layers\`, or a match in the setting ai8x.networkFiles).`,
    );
    return undefined;
  }
  return vscode.workspace.openTextDocument(uri);
}
