// The language status item for network YAML files: device and checkpoint, with the counts of problems.
import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/protocol';

export class NetworkStatus implements vscode.Disposable {
  private readonly byUri = new Map<string, StatusParams>();
  private readonly item: vscode.LanguageStatusItem;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('ai8x.network', { language: 'yaml' });
    this.item.name = 'ai8x network';
    this.item.text = 'ai8x';
  }

  update(p: StatusParams): void {
    this.byUri.set(p.uri, p);
    this.refresh();
  }

  isNetwork(uri: string): boolean {
    return this.byUri.get(uri)?.isNetwork ?? false;
  }

  networkUris(): string[] {
    return [...this.byUri.values()].filter((p) => p.isNetwork).map((p) => p.uri);
  }

  refresh(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const p = uri ? this.byUri.get(uri) : undefined;
    if (!p || !p.isNetwork) {
      this.item.selector = { language: 'yaml', pattern: '**/__ai8x_none__' };
      return;
    }
    this.item.selector = { language: 'yaml' };
    this.item.text = `$(circuit-board) ${p.device}`;
    const ckpt = p.checkpoint ? `checkpoint ${p.checkpoint}` : 'no checkpoint';
    this.item.detail = `${ckpt}${p.checkpointProblem ? ' — ' + p.checkpointProblem : ''}`;
    this.item.severity = p.checkpointProblem ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: 'Choose checkpoint', command: 'ai8x.selectCheckpoint', arguments: [uri] };
  }

  dispose(): void {
    this.item.dispose();
  }
}
