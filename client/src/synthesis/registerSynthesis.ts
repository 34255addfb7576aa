// Wires synthesis into VS Code: commands, the task type, and izer's diagnostics (dropped as soon as the file
// changes, since their positions no longer hold).
import * as vscode from 'vscode';
import type { Ai8xClient } from '../languageClient/serverClient';
import { runCheckEnvironment } from './checkEnvironmentCommand';
import { runCompareSynthesis, CompareOptions } from './compareSynthesisCommand';
import { runSynthesizeCommand, SynthesizeOptions } from './synthesizeCommand';
import { SynthesisOutput } from './synthesisOutput';
import { SynthesisTaskProvider, TASK_TYPE } from './synthesisTaskProvider';

/** `isNetwork`: whether the server recognised a document (by URI) as a network. */
export function registerSynthesis(context: vscode.ExtensionContext, client: Ai8xClient, isNetwork: (uri: string) => boolean): void {
  const out = new SynthesisOutput();
  let running = false;
  const guarded = (opts: SynthesizeOptions) => async (uri?: vscode.Uri, extra?: Partial<SynthesizeOptions>) => {
    if (running) {
      void vscode.window.showWarningMessage('ai8x: a synthesis is already running; cancel it from its notification first.');
      return undefined;
    }
    running = true;
    try {
      return await runSynthesizeCommand(client, out, uri, { ...opts, ...(extra ?? {}) });
    } finally {
      running = false;
    }
  };
  context.subscriptions.push(
    out,
    vscode.commands.registerCommand('ai8x.synthesize', guarded({ mode: 'project' })),
    vscode.commands.registerCommand('ai8x.synthesizeNetworkOnly', guarded({ mode: 'update-network-only' })),
    vscode.commands.registerCommand('ai8x.checkSynthesisEnvironment', () => runCheckEnvironment(out)),
    vscode.commands.registerCommand('ai8x.compareSynthesis', async (uri?: vscode.Uri, opts?: CompareOptions) => {
      if (running) {
        void vscode.window.showWarningMessage('ai8x: a synthesis is already running; cancel it from its notification first.');
        return undefined;
      }
      running = true;
      try {
        return await runCompareSynthesis(client, out, context.asAbsolutePath('dist/cli.js'), uri, opts);
      } finally {
        running = false;
      }
    }),
    vscode.commands.registerCommand('ai8x.showSynthesisOutput', () => out.channel.show()),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new SynthesisTaskProvider(context.asAbsolutePath('dist/cli.js'), isNetwork)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length && out.diagnostics.has(e.document.uri)) out.diagnostics.delete(e.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => out.diagnostics.delete(d.uri)),
  );
}
