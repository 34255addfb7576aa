// "ai8x: Explain Known-Answer Mismatch": takes the board's serial output after a failed known-answer test (from the
// clipboard, a log file, or a pasted line), asks the language server which layer, channels and bytes each
// `Data mismatch` line is about, and shows each at its layer in the YAML (Problems view) with what is worth
// checking, and everything in the "ai8x Known-Answer Check" output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { ExplainMismatchRequest, ExplainMismatchResult } from '../../server/src/protocol';
import { activeNetworkUri } from './common/activeNetwork';
import type { NetworkStatus } from './networkStatus';

const MISMATCH = /Data mismatch \(\d+\/\d+\) at address 0x[0-9a-fA-F]+: Expected 0x[0-9a-fA-F]+, read 0x[0-9a-fA-F]+/;
const MAX_LOG_BYTES = 16 * 2 ** 20;

export interface ExplainMismatchOptions {
  /** For tests and scripted use: the serial output, instead of asking for it. */
  log?: string;
}

export function registerExplainMismatch(context: vscode.ExtensionContext, client: Ai8xClient, status: NetworkStatus): void {
  const channel = vscode.window.createOutputChannel('ai8x Known-Answer Check');
  const diagnostics = vscode.languages.createDiagnosticCollection('ai8x-board');
  context.subscriptions.push(
    channel,
    diagnostics,
    // Positions no longer hold once the file changes.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && diagnostics.has(e.document.uri)) diagnostics.delete(e.document.uri);
    }),
    vscode.commands.registerCommand(
      'ai8x.explainMismatch',
      async (target?: vscode.Uri | string, opts: ExplainMismatchOptions = {}): Promise<ExplainMismatchResult | undefined> => {
        const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target instanceof vscode.Uri ? target : activeNetworkUri();
        if (!uri || !status.isNetwork(uri.toString())) {
          void vscode.window.showErrorMessage(
            'ai8x: open the network YAML the firmware was made from (with its checkpoint and sample input), then explain the board output.',
          );
          return undefined;
        }
        const doc = await vscode.workspace.openTextDocument(uri);
        const log = opts.log ?? (await askForLog());
        if (log === undefined) return undefined;
        const result = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `ai8x: simulating ${path.basename(uri.fsPath)} to explain the board output`,
            cancellable: true,
          },
          (_p, token) => client.sendRequest(ExplainMismatchRequest, { uri: uri.toString(), log }, token),
        );
        show(doc, result, channel, diagnostics, !opts.log);
        return result;
      },
    ),
  );
}

async function askForLog(): Promise<string | undefined> {
  const clip = await vscode.env.clipboard.readText();
  const inClip = clip.split(/\r?\n/).filter((l) => MISMATCH.test(l)).length;
  const pick = await vscode.window.showQuickPick(
    [
      {
        id: 'clipboard',
        label: '$(clippy) The serial output in the clipboard',
        detail: inClip
          ? `${inClip} "Data mismatch" line${inClip === 1 ? '' : 's'} found`
          : 'The clipboard has no "Data mismatch (…) at address 0x…: Expected 0x…, read 0x…." line.',
      },
      { id: 'file', label: '$(file) A log file of the serial output…' },
      { id: 'line', label: '$(edit) Paste one line…', detail: 'Data mismatch (3/40) at address 0x50400010: Expected 0x00fe7f01, read 0x00fe7f11.' },
    ],
    { title: 'Board output to explain (the known-answer test of the generated firmware)' },
  );
  if (!pick) return undefined;
  if (pick.id === 'clipboard') return clip;
  if (pick.id === 'file') {
    const f = await vscode.window.showOpenDialog({
      canSelectMany: false,
      title: 'Serial output of the board',
      filters: { Logs: ['txt', 'log'], 'All files': ['*'] },
    });
    if (!f?.length) return undefined;
    const size = fs.statSync(f[0].fsPath).size;
    if (size > MAX_LOG_BYTES) {
      void vscode.window.showErrorMessage(`ai8x: ${f[0].fsPath} is larger than ${MAX_LOG_BYTES} bytes.`);
      return undefined;
    }
    return fs.readFileSync(f[0].fsPath, 'utf8');
  }
  return vscode.window.showInputBox({
    title: 'A "Data mismatch" line from the board',
    prompt: 'Paste the line the firmware printed.',
    placeHolder: 'Data mismatch (3/40) at address 0x50400010: Expected 0x00fe7f01, read 0x00fe7f11.',
    validateInput: (t) => (MISMATCH.test(t) ? null : 'Data mismatch (i/n) at address 0x…: Expected 0x…, read 0x….'),
  });
}

function show(
  doc: vscode.TextDocument,
  r: ExplainMismatchResult,
  channel: vscode.OutputChannel,
  diagnostics: vscode.DiagnosticCollection,
  interactive: boolean,
): void {
  if (!r.ok) {
    diagnostics.delete(doc.uri);
    void vscode.window.showErrorMessage(`ai8x: ${r.message}`);
    return;
  }
  if (!r.explanations.length) {
    diagnostics.delete(doc.uri);
    void vscode.window.showInformationMessage(
      r.passed ? 'ai8x: the board output says *** PASS ***: the known-answer test passed.' : 'ai8x: no "Data mismatch" lines in the board output.',
    );
    return;
  }
  channel.clear();
  channel.appendLine(`Board output for ${doc.uri.fsPath}:`);
  const items: vscode.Diagnostic[] = [];
  for (const e of r.explanations) {
    channel.appendLine('');
    channel.appendLine(`log line ${e.line}: ${e.address} expected ${e.expected}, read ${e.read}`);
    channel.appendLine(`  ${e.message}`);
    for (const c of e.causes) channel.appendLine(`  - ${c}`);
    const range = e.range
      ? new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character)
      : new vscode.Range(0, 0, 0, doc.lineAt(0).text.length);
    const d = new vscode.Diagnostic(
      range,
      `Board (log line ${e.line}): ${e.message}\nWorth checking:\n${e.causes.map((c) => `• ${c}`).join('\n')}`,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = 'board';
    d.code = 'known answer';
    items.push(d);
  }
  diagnostics.set(doc.uri, items);
  const first = r.explanations[0];
  const summary = `ai8x: ${r.explanations.length} known-answer mismatch${r.explanations.length === 1 ? '' : 'es'}: ${first.message}`;
  if (!interactive) return;
  void vscode.window.showWarningMessage(summary, 'Show Details', 'Show Problems').then((p) => {
    if (p === 'Show Details') channel.show();
    else if (p === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}
