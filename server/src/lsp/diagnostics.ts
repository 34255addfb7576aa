import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentStates } from './documentState';
import type { SettingsCache } from './settings';
import { toLspDiagnostic } from './convert';
import { StatusNotification, StatusParams } from '../protocol';

/** Debounced re-checking: every change restarts the timer; the newest version wins. */
export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped on every schedule; a settings lookup that returns after a newer schedule does nothing. */
  private readonly requests = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly states: DocumentStates,
    private readonly settings: SettingsCache,
  ) {}

  schedule(doc: TextDocument, delay?: number): void {
    const old = this.timers.get(doc.uri);
    if (old) clearTimeout(old);
    this.timers.delete(doc.uri);
    const request = (this.requests.get(doc.uri) ?? 0) + 1;
    this.requests.set(doc.uri, request);
    void this.settings.get(doc.uri).then((s) => {
      if (this.requests.get(doc.uri) !== request) return;
      const t = setTimeout(() => {
        this.timers.delete(doc.uri);
        void this.publish(doc.uri);
      }, delay ?? s.validationDelay);
      this.timers.set(doc.uri, t);
    });
  }

  recheckAll(): void {
    for (const d of this.documents.all()) this.schedule(d, 0);
  }

  close(doc: TextDocument): void {
    const t = this.timers.get(doc.uri);
    if (t) clearTimeout(t);
    this.timers.delete(doc.uri);
    this.requests.delete(doc.uri);
    this.states.forget(doc.uri);
    void this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  }

  async publish(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    const settings = await this.settings.get(uri);
    let state;
    try {
      state = this.states.get(doc, settings);
    } catch (e) {
      this.connection.console.error(`ai8x: checking ${uri} failed: ${e instanceof Error ? e.stack : String(e)}`);
      return;
    }
    if (this.documents.get(uri)?.version !== doc.version) return;
    const result = state.result;
    const diagnostics = result ? result.diagnostics.map((d) => toLspDiagnostic(uri, result, d)) : [];
    await this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    const status: StatusParams = {
      uri,
      isNetwork: state.isNetwork,
      device: result?.device.name ?? '',
      deviceSource: result?.deviceSource ?? '',
      checkpoint: state.info.checkpointPath,
      checkpointSource: state.info.checkpointSource,
      checkpointProblem: state.info.checkpointProblem,
      sampleInput: state.info.samplePath,
      sampleProblem: state.info.sampleProblem,
      errors: result?.diagnostics.filter((d) => d.severity === 'error').length ?? 0,
      warnings: result?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0,
    };
    await this.connection.sendNotification(StatusNotification, status);
  }
}
