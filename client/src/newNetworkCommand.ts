// ai8x: New Network YAML from Model… — pick the model file and its model, the checkpoint, the sample input and
// the device; the server writes the YAML (allocated and checked); it is saved where the user says and opened,
// associated with its checkpoint through its modeline. Scripted callers (and the e2e suite) pass the answers.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { ListModelsRequest, NewNetworkParams, NewNetworkRequest, NewNetworkResult } from '../../server/src/protocol';

export interface NewNetworkAnswers {
  model?: string;
  arch?: string;
  checkpoint?: string;
  sampleInput?: string;
  device?: 'MAX78000' | 'MAX78002';
  output?: string;
}

export function registerNewNetworkCommand(context: vscode.ExtensionContext, client: Ai8xClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ai8x.newNetworkFromModel', async (answers: NewNetworkAnswers = {}): Promise<NewNetworkResult | undefined> => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const model = answers.model ?? (await pickFile('Model file (ai8x-training models/*.py)', { Python: ['py'] }, folder));
      if (!model) return undefined;
      const listed = await client.sendRequest(ListModelsRequest, { file: model });
      if (!listed.ok || !listed.models.length) {
        void vscode.window.showErrorMessage(`ai8x: ${listed.ok ? `${path.basename(model)} has no \`models\` table naming a model` : listed.message}`);
        return undefined;
      }
      const arch =
        answers.arch ??
        (listed.models.length === 1
          ? listed.models[0].name
          : (
              await vscode.window.showQuickPick(
                listed.models.map((m) => ({ label: m.name, description: `line ${m.line}` })),
                { title: 'ai8x: which model?', placeHolder: `The models ${path.basename(model)} declares` },
              )
            )?.label);
      if (!arch) return undefined;
      const checkpoint =
        answers.checkpoint ??
        (await pickFromWorkspace('**/*.pth.tar', arch, 'Checkpoint (quantized …-q.pth.tar, or a training checkpoint: it is quantized on the way)', {
          Checkpoint: ['tar', 'pth'],
        }));
      if (!checkpoint) return undefined;
      const sampleInput =
        answers.sampleInput ?? (await pickFromWorkspace('**/sample_*.npy', arch, 'Sample input (.npy, for the data shapes)', { NumPy: ['npy'] }));
      if (!sampleInput) return undefined;
      const device =
        answers.device ??
        ((await vscode.window.showQuickPick(['MAX78000', 'MAX78002'], {
          title: 'ai8x: device',
          placeHolder: /ai87/i.test(checkpoint) ? 'MAX78002' : 'MAX78000',
        })) as 'MAX78000' | 'MAX78002' | undefined);
      if (!device) return undefined;
      const output =
        answers.output ??
        (
          await vscode.window.showSaveDialog({
            title: 'Save the network YAML as',
            defaultUri: vscode.Uri.joinPath(folder ?? vscode.Uri.file(path.dirname(model)), `${arch}.yaml`),
            filters: { YAML: ['yaml', 'yml'] },
          })
        )?.fsPath;
      if (!output) return undefined;
      const params: NewNetworkParams = { model, arch, checkpoint, sampleInput, device, output };
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ai8x: writing ${path.basename(output)}…` },
        () => client.sendRequest(NewNetworkRequest, params),
      );
      if (!result.ok) {
        const open = result.file && result.line ? 'Open Model at Line' : undefined;
        const pick = await vscode.window.showErrorMessage(`ai8x: no network from ${path.basename(model)}: ${result.message}`, ...(open ? [open] : []));
        if (pick && result.file && result.line) {
          const doc = await vscode.workspace.openTextDocument(result.file);
          await vscode.window.showTextDocument(doc, { selection: new vscode.Range(result.line - 1, 0, result.line - 1, 0) });
        }
        return result;
      }
      // The save dialog asked before replacing a file; a scripted output must not replace one.
      const target = vscode.Uri.file(output);
      if (answers.output && (await exists(target))) {
        void vscode.window.showErrorMessage(`ai8x: ${output} exists; nothing was written.`);
        return { ok: false, message: `${output} exists`, file: null, line: null };
      }
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target));
      for (const n of result.notes) void vscode.window.showInformationMessage(`ai8x: ${n}`);
      return result;
    }),
  );
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function pickFile(title: string, filters: Record<string, string[]>, folder?: vscode.Uri): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({ title, filters, canSelectMany: false, defaultUri: folder });
  return uris?.[0]?.fsPath;
}

/** A quick pick of the workspace's files matching `glob`, the best match for `name` first, and Browse…. */
async function pickFromWorkspace(glob: string, name: string, title: string, filters: Record<string, string[]>): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(glob, '**/node_modules/**', 200);
  const score = (p: string) => {
    const base = path.basename(p).toLowerCase();
    const key = name.toLowerCase().replace(/^ai8[457]/, '');
    return base.includes(key) ? 2 : key.split(/[^a-z0-9]+/).some((part) => part.length > 2 && base.includes(part)) ? 1 : 0;
  };
  const items = found
    .map((u) => u.fsPath)
    .sort((a, b) => score(b) - score(a) || a.localeCompare(b))
    .map((p) => ({ label: path.basename(p), description: vscode.workspace.asRelativePath(p), path: p as string | null }));
  items.push({ label: 'Browse…', description: '', path: null });
  const pick = await vscode.window.showQuickPick(items, { title: `ai8x: ${title}` });
  if (!pick) return undefined;
  return pick.path ?? pickFile(title, filters);
}
