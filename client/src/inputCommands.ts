// "Choose Checkpoint" and "Choose Device" for the network in the active editor: for this session, or
// written into the file's `# ai8x:` modeline when the user agrees. The picker marks which checkpoints are quantized
// (the server reads them), and choosing a training checkpoint offers to quantize it first.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { CheckpointState, CheckpointStatesRequest, ChooseInputsNotification, QUANTIZE_COMMAND } from '../../server/src/protocol';
import { checkpointModelineEdit } from '../../server/src/synthesis/modelineEdit';
import { quantizedName, rankCheckpoints } from '../../server/src/shared/checkpointNames';
import { activeNetworkUri } from './common/activeNetwork';
import type { NetworkStatus } from './networkStatus';

export interface SelectCheckpointOptions {
  /** For tests and scripted use: return the workspace's checkpoints in the picker's order, and do nothing else. */
  list?: boolean;
  /** For tests and scripted use: this checkpoint, without the picker. */
  file?: string;
  /** For tests and scripted use: write it into the file (true) or use it in this session (false), without asking. */
  keep?: boolean;
  /** For tests and scripted use: the picker's items (label and detail) for the workspace's checkpoints, and nothing else. */
  describe?: boolean;
  /** For tests and scripted use: with `file`, quantize it first when it holds training weights (true) or not (false). */
  quantize?: boolean;
  /** For tests and scripted use: when quantizing, replace an existing `-q` file (true) or use it (false) without asking. */
  replace?: boolean;
}

/** The picker reads at most this many files (the best name matches) to mark them; the others keep their name's hint. */
const MARKED = 60;

/** The workspace's quantized checkpoints (and other torch files), at most 2000. */
async function workspaceCheckpoints(): Promise<string[]> {
  const uris = await vscode.workspace.findFiles('**/*.{pth.tar,pth}', '**/{node_modules,.git,.vscode-test}/**', 2000);
  return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

const deviceOf = (d: string | undefined) => (d === 'MAX78000' || d === 'MAX78002' ? d : null);

export function registerInputCommands(context: vscode.ExtensionContext, client: Ai8xClient, status: NetworkStatus): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ai8x.selectCheckpoint', async (uriArg?: string | vscode.Uri, opts: SelectCheckpointOptions = {}) => {
      const doc = await targetDocument(uriArg instanceof vscode.Uri ? uriArg.toString() : uriArg, status);
      if (!doc) return undefined;
      const current = status.get(doc.uri.toString())?.checkpoint ?? null;
      const found = await workspaceCheckpoints();
      const device = deviceOf(status.get(doc.uri.toString())?.device);
      const byName = rankCheckpoints(doc.uri.fsPath, found, device);
      if (opts.list) return byName.map((r) => r.path);
      const states = await checkpointStates(
        client,
        byName.slice(0, MARKED).map((r) => r.path),
      );
      const quantized = (p: string) => (states.get(p) === 'quantized' ? true : states.get(p) === 'training' ? false : undefined);
      const ranked = rankCheckpoints(doc.uri.fsPath, found, device, quantized);
      type Item = vscode.QuickPickItem & { file?: string; browse?: true };
      const items: Item[] = ranked.map((r, i) => ({
        label: `${states.get(r.path) === 'training' ? '$(warning)' : states.get(r.path) === 'quantized' ? '$(pass)' : '$(file-binary)'} ${path.basename(r.path)}`,
        description: vscode.workspace.asRelativePath(path.dirname(r.path)),
        detail: `${i === 0 ? 'Best name match · ' : ''}${r.why}${r.path === current ? ' · in use' : ''}`,
        file: r.path,
      }));
      if (opts.describe) return items.map((i) => ({ file: i.file, label: i.label, detail: i.detail }));
      let file = opts.file;
      if (!file) {
        const name = path.basename(doc.uri.fsPath);
        items.push({
          label: '$(folder-opened) Browse…',
          detail: 'A checkpoint outside the workspace (a quantized …-q.pth.tar, or a training one to quantize).',
          browse: true,
        });
        const pick = await vscode.window.showQuickPick(items, {
          title: `Checkpoint for ${name}`,
          placeHolder: found.length
            ? `The workspace's checkpoints, the best match for ${name} first`
            : 'No *.pth.tar files in the workspace: browse for the quantized checkpoint',
          matchOnDescription: true,
        });
        if (!pick) return undefined;
        if (pick.browse) {
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: false,
            defaultUri: current ? vscode.Uri.file(path.dirname(current)) : vscode.workspace.getWorkspaceFolder(doc.uri)?.uri,
            filters: { Checkpoints: ['tar', 'pth', 'onnx'], 'All files': ['*'] },
            openLabel: 'Use this checkpoint',
            title: `Checkpoint for ${name}`,
          });
          file = picked?.[0]?.fsPath;
        } else file = pick.file;
      }
      if (!file) return undefined;
      // A training checkpoint: izer needs it quantized; ai8x: Quantize Checkpoint writes and associates the -q file.
      const state = states.get(file) ?? (await checkpointStates(client, [file])).get(file);
      if (state === 'training') {
        const quantizeIt =
          opts.quantize ??
          (opts.file
            ? false
            : (await vscode.window.showWarningMessage(
                `${path.basename(file)} holds training weights (not quantized); izer needs the quantized checkpoint.`,
                { modal: true, detail: `Quantize it into ${path.basename(quantizedName(file))} next to it, as quantize.py does, and use that?` },
                'Quantize It',
                'Use It As It Is',
              )) === 'Quantize It');
        if (quantizeIt) return vscode.commands.executeCommand(QUANTIZE_COMMAND, doc.uri.toString(), file, { keep: opts.keep, replace: opts.replace });
      }
      return (await useCheckpoint(client, doc, file, opts.keep)) ? file : undefined;
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

/** What the server read in each file (nothing when it is not running). */
async function checkpointStates(client: Ai8xClient, files: string[]): Promise<Map<string, CheckpointState>> {
  if (!files.length) return new Map();
  try {
    const r = await client.sendRequest(CheckpointStatesRequest, { files });
    return new Map(files.map((f, i) => [f, r.states[i]]));
  } catch {
    return new Map();
  }
}

/**
 * Associates `file` with the network: written into its modeline (`keep`) or for this session; asks which when
 * `keep` is not given. False when the user cancelled.
 */
export async function useCheckpoint(client: Ai8xClient, doc: vscode.TextDocument, file: string, keep?: boolean): Promise<boolean> {
  const choice =
    keep ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'Use it in this session', detail: 'Nothing is written to the file.', keep: false },
          { label: 'Write it into the file', detail: 'Adds or updates the `# ai8x: checkpoint=…` comment at the top of the network file.', keep: true },
        ],
        { title: `Use ${path.basename(file)} for ${path.basename(doc.uri.fsPath)}` },
      )
    )?.keep;
  if (choice === undefined) return false;
  if (choice) {
    const e = checkpointModelineEdit(doc.getText(), doc.uri.fsPath, file);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.text);
    await vscode.workspace.applyEdit(edit);
  } else {
    await client.sendNotification(ChooseInputsNotification, { uri: doc.uri.toString(), checkpoint: file });
  }
  return true;
}

export async function targetDocument(uriArg: string | undefined, status: NetworkStatus): Promise<vscode.TextDocument | undefined> {
  const uri = uriArg ? vscode.Uri.parse(uriArg) : activeNetworkUri();
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
