// What the server reported about each document: whether it is a network (the server decides, by content or the
// setting ai8x.networkFiles), its device and checkpoint, the counts of problems, and whether its newest check failed.
// Shown in the language status item, and kept in the context key of the editor-title buttons for the active editor.
// A second status item shows the server itself when it is not running (starting, failed to start, stopped).
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';
import type { ServerState } from './languageClient/serverClient';
import { rememberActiveNetwork } from './common/activeNetwork';
import { deviceSourceText } from '../../server/src/shared/deviceSource';

/** Context key of the editor-title buttons (package.json `when` clauses): the active editor holds a network. */
export const NETWORK_EDITOR_CONTEXT = 'ai8x.activeEditorIsNetwork';

/** A selector that matches no document: how a language status item is hidden. */
const NOWHERE: vscode.DocumentSelector = { language: 'yaml', pattern: '**/__ai8x_none__' };

/** What a status item shows (the extension's API returns it for tests). */
export interface StatusItemView {
  id: string;
  visible: boolean;
  text: string;
  detail: string | undefined;
  severity: 'information' | 'warning' | 'error';
  busy: boolean;
  command: string | undefined;
}

export class NetworkStatus implements vscode.Disposable {
  private readonly byUri = new Map<string, StatusParams>();
  private readonly item: vscode.LanguageStatusItem;
  private readonly serverItem: vscode.LanguageStatusItem;
  /** In the status bar whenever a network is in the active editor: device and checkpoint without opening `{}`. */
  private readonly bar: vscode.StatusBarItem;
  private barVisible = false;
  private editorContext: boolean | undefined;
  private readonly shown = new Map<vscode.LanguageStatusItem, boolean>();

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('ai8x.network', { language: 'yaml' });
    this.item.name = 'ai8x network';
    this.item.text = 'ai8x';
    this.serverItem = vscode.languages.createLanguageStatusItem('ai8x.server', NOWHERE);
    this.shown.set(this.item, true);
    this.shown.set(this.serverItem, false);
    this.serverItem.name = 'ai8x language server';
    this.serverItem.text = 'ai8x';
    this.bar = vscode.window.createStatusBarItem('ai8x.networkStatus', vscode.StatusBarAlignment.Left, 50);
    this.bar.name = 'ai8x network: device and checkpoint';
  }

  update(p: StatusParams): void {
    this.byUri.set(p.uri, p);
    this.refresh();
  }

  /** A closed document: its status is dropped. */
  forget(uri: string): void {
    this.byUri.delete(uri);
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

  /** The server's state: the item shows while it starts, and stays (as an error) when it failed or stopped. */
  serverState(s: ServerState): void {
    const it = this.serverItem;
    it.busy = s.kind === 'starting';
    if (s.kind === 'running') {
      this.show(it, false);
      it.severity = vscode.LanguageStatusSeverity.Information;
      it.command = undefined;
      return;
    }
    this.show(it, true);
    if (s.kind === 'starting') {
      it.text = 'ai8x server starting';
      it.detail = undefined;
      it.severity = vscode.LanguageStatusSeverity.Information;
      it.command = { title: 'Show output', command: 'ai8x.showOutput' };
      return;
    }
    it.text = s.kind === 'failed' ? '$(error) ai8x server failed to start' : '$(error) ai8x server stopped';
    it.detail = `${s.message} No ai8x diagnostics or checks until it runs again.`;
    it.severity = vscode.LanguageStatusSeverity.Error;
    it.command = { title: 'Restart', command: 'ai8x.restartServer', tooltip: 'ai8x: Restart Language Server' };
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
      this.show(this.item, false);
      this.bar.hide();
      this.barVisible = false;
      return;
    }
    this.show(this.item, true);
    rememberActiveNetwork(doc.uri);
    const ckpt = p.checkpoint ? p.checkpoint.split(/[\\/]/).pop() : null;
    if (p.checkFailure) {
      // The diagnostics in the editor are those of an earlier version (or none): say so instead of leaving them.
      this.item.text = `$(error) ai8x check failed`;
      this.item.detail = `${p.checkFailure}. ${p.checkedVersion >= 0 ? 'The problems shown are from an earlier version of the file.' : 'No problems are shown for this file.'}`;
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.command = { title: 'Show output', command: 'ai8x.showOutput' };
      this.bar.text = '$(error) ai8x check failed';
      this.bar.tooltip = this.item.detail;
      this.bar.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.bar.command = { title: 'Show output', command: 'ai8x.showOutput' };
      this.bar.show();
      this.barVisible = true;
      return;
    }
    this.item.text = `$(circuit-board) ${p.device}${ckpt ? ' · ' + ckpt : ''}`;
    const parts = [deviceSourceText(p.deviceSource), ckpt ? `checkpoint from ${p.checkpointSource}` : 'no checkpoint: only YAML-level checks'];
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

  /** What the status bar item shows (empty when hidden), for tests. */
  get statusBarText(): string {
    return this.barVisible ? this.bar.text : '';
  }

  /** What both items show now (for tests). */
  views(): StatusItemView[] {
    return [this.item, this.serverItem].map((it) => ({
      id: it.id,
      visible: this.shown.get(it) ?? false,
      text: it.text,
      detail: it.detail,
      severity:
        it.severity === vscode.LanguageStatusSeverity.Error ? 'error' : it.severity === vscode.LanguageStatusSeverity.Warning ? 'warning' : 'information',
      busy: it.busy,
      command: it.command?.command,
    }));
  }

  private show(it: vscode.LanguageStatusItem, visible: boolean): void {
    it.selector = visible ? { language: 'yaml' } : NOWHERE;
    this.shown.set(it, visible);
  }

  dispose(): void {
    this.item.dispose();
    this.serverItem.dispose();
    this.bar.dispose();
  }
}
