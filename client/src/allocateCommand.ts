// ai8x: Allocate Processors and Memory — asks the server for a whole-network allocation and applies it as one
// undoable edit; the per-layer reasons go to an output channel the user can open from the message.
import { activeNetworkUri } from './common/activeNetwork';
import * as vscode from 'vscode';
import type { Ai8xClient } from './languageClient/serverClient';
import { AllocateRequest, AllocateResult } from '../../server/src/protocol';

export interface AllocateOutcome {
  result: AllocateResult;
  applied: boolean;
}

export function registerAllocateCommand(context: vscode.ExtensionContext, client: Ai8xClient): void {
  const reasons = vscode.window.createOutputChannel('ai8x Allocation');
  context.subscriptions.push(
    reasons,
    vscode.commands.registerCommand('ai8x.allocate', async (target?: vscode.Uri | string, opts: { keep?: boolean; quiet?: boolean } = {}) => {
      const uri = typeof target === 'string' ? vscode.Uri.parse(target) : (target ?? activeNetworkUri());
      if (!uri) return undefined;
      const doc = await vscode.workspace.openTextDocument(uri);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'ai8x: allocating processors and memory' }, () =>
        client.sendRequest(AllocateRequest, { uri: uri.toString(), keep: opts.keep }),
      );
      if (!result.ok) {
        if (!opts.quiet) {
          const where = result.line !== null ? ` (line ${result.line + 1})` : '';
          const pick = await vscode.window.showErrorMessage(
            `ai8x: no valid allocation${where}: ${result.message}`,
            ...(result.line !== null ? ['Go to Layer'] : []),
          );
          if (pick && result.line !== null) await vscode.window.showTextDocument(doc, { selection: new vscode.Range(result.line, 0, result.line, 0) });
        }
        return { result, applied: false } satisfies AllocateOutcome;
      }
      reasons.clear();
      reasons.appendLine(`Allocation of ${vscode.workspace.asRelativePath(uri)}:`);
      for (const l of result.layers)
        reasons.appendLine(`  layer ${l.ll}${l.name ? ` (${l.name})` : ''}, line ${l.line + 1}: processors ${l.processors} — ${l.reason}`);
      if (!result.changed || doc.version !== result.version) {
        if (!opts.quiet) {
          const text =
            doc.version !== result.version
              ? 'The file changed while allocating; run the command again.'
              : 'The allocation is already valid; nothing to change.';
          void vscode.window.showInformationMessage(`ai8x: ${text}`);
        }
        return { result, applied: false } satisfies AllocateOutcome;
      }
      const edit = new vscode.WorkspaceEdit();
      for (const e of result.edits) {
        edit.replace(uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
      }
      const applied = await vscode.workspace.applyEdit(edit);
      if (applied && !opts.quiet) {
        void vscode.window
          .showInformationMessage(`ai8x: allocated ${result.layers.length} layers (one edit: Undo restores the previous values).`, 'Show Reasons')
          .then((pick) => {
            if (pick) reasons.show(true);
          });
      }
      return { result, applied } satisfies AllocateOutcome;
    }),
  );
}
