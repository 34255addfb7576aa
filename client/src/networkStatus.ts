// What the server reported about each document: whether it is a network (the server decides, by content or the
// setting ai8x.networkFiles), its device and checkpoint and the counts of problems. Shown in the language status
// item, and kept in the context key of the editor-title buttons for the active editor.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';
import { rememberActiveNetwork } from './common/activeNetwork';

/** Context key of the editor-title buttons (package.json `when` clauses): the active editor holds a network. */
export const NETWORK_EDITOR_CONTEXT = 'ai8x.activeEditorIsNetwork';

export class NetworkStatus implements vscode.Disposable {
  private readonly byUri = new Map<string, StatusParams>();
  private readonly item: vscode.LanguageStatusItem;
  /** In the status bar whenever a network is in the active editor: device and checkpoint without opening `{}`. */
  private readonly bar: vscode.StatusBarItem;
  private editorContext: boolean | undefined;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('ai8x.network', { language: 'yaml' });
    this.item.name = 'ai8x network';
    this.item.text = 'ai8x';
    this.bar = vscode.window.createStatusBarItem('ai8x.networkStatus', vscode.StatusBarAlignment.Left, 50);
    this.bar.name = 'ai8x network: device and checkpoint';
  }

  /** What the status bar item shows (empty when hidden), for tests. */
  get statusBarText(): string {
    return this.barVisible ? this.bar.text : '';
  }
  private barVisible = false;

  update(p: StatusParams): void {
    this.byUri.set(p.uri, p);
    this.refresh();
  }

  get(uri: string): StatusParams | undefined {
    return this.byUri.get(uri);
  }

  isNetwork(uri: string): boolean {
    return this.byUri.get(uri)?.isNetwork ?? false;
  }

  networkUris(): string[] {
    return [...this.byUri.values()].filter((p) => p.isNetwork).map((p) => p.uri);
  }

  /** The value of the context key NETWORK_EDITOR_CONTEXT. */
  get activeEditorIsNetwork(): boolean {
    return this.editorContext ?? false;
  }

  refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const uri = doc?.uri.toString();
    const p = uri ? this.byUri.get(uri) : undefined;
    const isNetwork = !!p?.isNetwork && doc?.languageId === 'yaml';
    if (isNetwork !== this.editorContext) {
      this.editorContext = isNetwork;
      void vscode.commands.executeCommand('setContext', NETWORK_EDITOR_CONTEXT, isNetwork);
    }
    if (!p || !p.isNetwork || doc?.languageId !== 'yaml') {
      this.item.selector = { language: 'yaml', pattern: '**/__ai8x_none__' };
      this.bar.hide();
      this.barVisible = false;
      return;
    }
    this.item.selector = { language: 'yaml' };
    rememberActiveNetwork(doc!.uri);
    const ckpt = p.checkpoint ? p.checkpoint.split(/[\\/]/).pop() : null;
    this.item.text = `$(circuit-board) ${p.device}${ckpt ? ' · ' + ckpt : ''}`;
    const parts = [`device from ${p.deviceSource}`, ckpt ? `checkpoint from ${p.checkpointSource}` : 'no checkpoint: only YAML-level checks'];
    if (p.checkpointProblem) parts.push(p.checkpointProblem);
    if (p.sampleProblem) parts.push(`sample input: ${p.sampleProblem}`);
    this.item.detail = parts.join(' · ');
    this.item.severity = p.checkpointProblem || p.sampleProblem ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: ckpt ? 'Change checkpoint' : 'Choose checkpoint', command: 'ai8x.selectCheckpoint', arguments: [uri] };

    const problem = p.checkpointProblem || p.sampleProblem;
    this.bar.text = `${ckpt && !problem ? '$(circuit-board)' : '$(warning)'} ${p.device} · ${ckpt ?? 'no checkpoint'}`;
    const tip = new vscode.MarkdownString(
      [
        `**ai8x network** — ${p.errors} error${p.errors === 1 ? '' : 's'}, ${p.warnings} warning${p.warnings === 1 ? '' : 's'}`,
        '',
        ...parts.map((x) => `- ${x}`),
        '',
        `[${ckpt ? 'Change checkpoint' : 'Choose checkpoint'}](command:ai8x.selectCheckpoint) · [Choose device](command:ai8x.selectDevice) · [Getting started](command:ai8x.gettingStarted)`,
      ].join('\n'),
    );
    tip.isTrusted = { enabledCommands: ['ai8x.selectCheckpoint', 'ai8x.selectDevice', 'ai8x.gettingStarted'] };
    this.bar.tooltip = tip;
    this.bar.backgroundColor = ckpt && !problem ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.bar.command = { title: ckpt ? 'Change checkpoint' : 'Choose checkpoint', command: 'ai8x.selectCheckpoint', arguments: [uri] };
    this.bar.show();
    this.barVisible = true;
  }

  dispose(): void {
    this.bar.dispose();
    this.item.dispose();
  }
}
