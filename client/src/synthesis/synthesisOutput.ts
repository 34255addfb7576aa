// The "ai8x Synthesis" log channel (izer's output, line by line, at its own severity) and the izer diagnostics.
import * as vscode from 'vscode';
import type { OffsetDiagnostic } from '../../../server/src/protocol';

export class SynthesisOutput implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly diagnostics: vscode.DiagnosticCollection;
  private partial = '';

  constructor() {
    this.channel = vscode.window.createOutputChannel('ai8x Synthesis', { log: true });
    this.diagnostics = vscode.languages.createDiagnosticCollection('ai8x-izer');
  }

  /** izer output as it arrives: complete lines go out, a trailing partial line waits for the rest. */
  stream(text: string): void {
    const lines = (this.partial + text).split(/\r?\n|\r/);
    this.partial = lines.pop() ?? '';
    for (const l of lines) this.line(l);
  }

  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  private line(l: string): void {
    // eslint-disable-next-line no-control-regex
    const plain = l.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
    if (!plain.trim()) return;
    if (plain.startsWith('ERROR:') || /^\w+(Error|Exception)\b/.test(plain)) this.channel.error(plain);
    else if (plain.startsWith('WARNING:')) this.channel.warn(plain);
    else this.channel.info(plain);
  }

  setDiagnostics(doc: vscode.TextDocument, items: readonly OffsetDiagnostic[]): vscode.Diagnostic[] {
    const out = items.map((d) => {
      const v = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(d.range[0]), doc.positionAt(Math.max(d.range[0], d.range[1]))),
        d.message,
        d.severity === 'error'
          ? vscode.DiagnosticSeverity.Error
          : d.severity === 'warning'
            ? vscode.DiagnosticSeverity.Warning
            : vscode.DiagnosticSeverity.Information,
      );
      v.source = 'izer';
      v.code = d.code;
      return v;
    });
    this.diagnostics.set(doc.uri, out);
    return out;
  }

  dispose(): void {
    this.channel.dispose();
    this.diagnostics.dispose();
  }
}
