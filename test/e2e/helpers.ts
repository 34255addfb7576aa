// What the real-VS-Code suites share: the workspace, activation, waiting for diagnostics, hovers, completion and
// screenshots through the code-server harness.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { e2eLog } from './log';

export const EXTENSION_NAME = 'ai8x-network-tools';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e workspace folder is open');
  return vscode.Uri.joinPath(folder!.uri, name);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === EXTENSION_NAME);
  assert.ok(ext, `extension ${EXTENSION_NAME} is loaded`);
  await ext!.activate();
  return ext!;
}

/** The diagnostics VS Code holds for `uri` once `ready` accepts them (they arrive asynchronously from the server). */
export async function diagnosticsFor(
  uri: vscode.Uri,
  ready: (d: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 15000,
): Promise<readonly vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = vscode.languages.getDiagnostics(uri);
    if (ready(d)) return d;
    if (Date.now() > deadline)
      throw new Error(`diagnostics for ${uri.path} did not arrive; have: ${JSON.stringify(d.map((x) => [x.code, x.range.start.line, x.message]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export async function completionLabels(doc: vscode.TextDocument, pos: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  // Only the language server's items (keys are properties, values enum members), not word-based suggestions.
  const ours = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Property || i.kind === vscode.CompletionItemKind.EnumMember);
  return ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** The position of the first occurrence of `needle` in the document, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `fixture contains ${JSON.stringify(needle)}`);
  return doc.positionAt(at + delta);
}

export interface WorkbenchFacts {
  settingsText: string | null;
  settingsTab: string;
  notifications: string[];
  activeTab: string | null;
  statusBar: string[];
  walkthrough: string[];
}

/**
 * Asks the code-server harness for a screenshot (test-output/e2e/<name>.png) and what the workbench shows then;
 * null outside the harness (test-electron), where nobody can take one.
 */
export async function workbenchShot(name: string): Promise<WorkbenchFacts | null> {
  if (vscode.env.uiKind !== vscode.UIKind.Web) return null;
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === EXTENSION_NAME)!;
  const file = nodePath.join(ext.extensionPath, 'test-output', 'e2e', `${name}.json`);
  nodeFs.rmSync(file, { force: true });
  e2eLog(`E2E_SHOT ${name}`);
  for (let i = 0; i < 150; i++) {
    if (nodeFs.existsSync(file)) return JSON.parse(nodeFs.readFileSync(file, 'utf8')) as WorkbenchFacts;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the harness did not take the screenshot ${name}`);
}
