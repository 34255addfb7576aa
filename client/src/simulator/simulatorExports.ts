// Saving a finished run's layer tensors (.npy) and known answer (sampleoutput.h). Single files go through the save
// dialog, which asks before replacing; a folder export asks once about the files that already exist.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from '../languageClient/serverClient';
import { ExportLayerRequest, KnownAnswerHeaderRequest } from '../../../server/src/protocol';
import type { SimulatorPanel } from './simulatorPanel';

/** What to do with files that already exist in the chosen folder: ask (default), or decided by a caller. */
export type ExistingFiles = 'ask' | 'replace' | 'keep';

export interface FolderExport {
  folder: string;
  written: string[];
  kept: string[];
}

function noRun(panel: SimulatorPanel): boolean {
  if (panel.runId) return false;
  void vscode.window.showWarningMessage('ai8x: run the simulator first; there is nothing to export yet.');
  return true;
}

const fetchLayer = (client: Ai8xClient, runId: string, layer: number) => client.sendRequest(ExportLayerRequest, { runId, layer });

function report(panel: SimulatorPanel, text: string, kind: 'error' | '' = ''): void {
  panel.post({ type: 'notice', text, kind });
}

export async function exportLayer(client: Ai8xClient, panel: SimulatorPanel, layer: number): Promise<string | undefined> {
  if (noRun(panel)) return undefined;
  const r = await fetchLayer(client, panel.runId!, layer);
  if (!r.ok) {
    void vscode.window.showErrorMessage(`ai8x: ${r.message}`);
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(panel.uri.fsPath), r.fileName)),
    filters: { 'NumPy arrays': ['npy'] },
    saveLabel: 'Save layer output',
    title: `Output of layer ${layer} (${r.shape.join('×')}, int64)`,
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(r.base64, 'base64'));
  report(panel, `Saved layer ${layer} to ${target.fsPath}`);
  return target.fsPath;
}

export async function exportAllLayers(
  client: Ai8xClient,
  panel: SimulatorPanel,
  folder?: string,
  existing: ExistingFiles = 'ask',
): Promise<FolderExport | undefined> {
  if (noRun(panel) || !panel.result) return undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.Uri.file(path.dirname(panel.uri.fsPath)),
      openLabel: 'Save the layer outputs here',
      title: `Folder for the ${panel.result.layers.length} layer outputs of ${panel.result.network} (.npy)`,
    });
    if (!picked?.length) return undefined;
    folder = picked[0].fsPath;
  }
  const files: { name: string; bytes: Buffer }[] = [];
  const skipped: string[] = [];
  for (const l of panel.result.layers) {
    const r = await fetchLayer(client, panel.runId!, l.index);
    if (r.ok) files.push({ name: r.fileName, bytes: Buffer.from(r.base64, 'base64') });
    else skipped.push(`layer ${l.index}: ${r.message}`);
  }
  const present = files.filter((f) => fs.existsSync(path.join(folder!, f.name)));
  let replace = existing === 'replace';
  if (present.length && existing === 'ask') {
    const list =
      present
        .slice(0, 6)
        .map((f) => f.name)
        .join(', ') + (present.length > 6 ? `, … (${present.length - 6} more)` : '');
    const REPLACE = 'Replace Them';
    const KEEP = 'Keep Them, Write the Others';
    const answer = await vscode.window.showWarningMessage(
      `${present.length} of the ${files.length} files already exist in ${folder}: ${list}.`,
      { modal: true, detail: 'Replacing overwrites those files.' },
      REPLACE,
      KEEP,
    );
    if (!answer) return undefined;
    replace = answer === REPLACE;
  }
  const out: FolderExport = { folder, written: [], kept: [] };
  for (const f of files) {
    const file = path.join(folder, f.name);
    if (!replace && present.includes(f)) {
      out.kept.push(file);
      continue;
    }
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), f.bytes);
    out.written.push(file);
  }
  const text =
    `Saved ${out.written.length} layer output${out.written.length === 1 ? '' : 's'} to ${folder}` +
    (out.kept.length ? `; kept ${out.kept.length} existing file${out.kept.length === 1 ? '' : 's'}` : '') +
    (skipped.length ? `; not exported: ${skipped.join('; ')}` : '');
  report(panel, text);
  if (skipped.length) void vscode.window.showWarningMessage(`ai8x: ${text}`);
  return out;
}

export async function exportKnownAnswer(client: Ai8xClient, panel: SimulatorPanel): Promise<string | undefined> {
  if (noRun(panel)) return undefined;
  const r = await client.sendRequest(KnownAnswerHeaderRequest, { runId: panel.runId! });
  if (!r.ok) {
    void vscode.window.showErrorMessage(`ai8x: ${r.message}`);
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(panel.uri.fsPath), 'sampleoutput.h')),
    filters: { 'C header': ['h'] },
    saveLabel: 'Save known answer',
    title: `Known answer of ${path.basename(panel.uri.fsPath)} (izer's sampleoutput.h)`,
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(r.text, 'utf8'));
  report(panel, `Saved the known answer to ${target.fsPath}`);
  return target.fsPath;
}
