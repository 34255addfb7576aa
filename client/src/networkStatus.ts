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

  get(uri: string): StatusParams | undefined {
    return this.byUri.get(uri);
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
    const ckpt = p.checkpoint ? p.checkpoint.split(/[\\/]/).pop() : null;
    this.item.text = `$(circuit-board) ${p.device}${ckpt ? ' · ' + ckpt : ''}`;
    const parts = [`device from ${p.deviceSource}`, ckpt ? `checkpoint from ${p.checkpointSource}` : 'no checkpoint: only YAML-level checks'];
    if (p.checkpointProblem) parts.push(p.checkpointProblem);
    if (p.sampleProblem) parts.push(`sample input: ${p.sampleProblem}`);
    this.item.detail = parts.join(' · ');
    this.item.severity = p.checkpointProblem || p.sampleProblem ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { title: ckpt ? 'Change checkpoint' : 'Choose checkpoint', command: 'ai8x.selectCheckpoint', arguments: [uri] };
  }

  dispose(): void {
    this.item.dispose();
  }
}
