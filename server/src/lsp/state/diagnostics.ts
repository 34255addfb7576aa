import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisView, CheckFailureInfo, DocumentAnalyses, DocumentAnalysis } from './documentState';
import { isNetworkDocument } from '../../app/check';
import { URI } from '../uri';
import type { SettingsCache } from './settings';
import { toMappedDiagnostic } from '../convert';
import { StatusNotification, StatusParams } from '../../protocol';

/** While the user keeps typing, diagnostics are published at least this often (or every validation delay if longer). */
export const MAX_WAIT_MS = 1000;

interface Pending {
  timer: NodeJS.Timeout;
  /** When the first change not yet checked arrived. */
  since: number;
}

/**
 * When documents are checked: at once when opened, and after a pause in typing (ai8x.validation.delay) — but never
 * later than MAX_WAIT_MS after the first change not yet checked, so that diagnostics keep coming during continuous
 * typing. Every finished check is published, mapped onto the text the editor has by then.
 */
export class DiagnosticsScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly analyses: DocumentAnalyses,
    private readonly settings: SettingsCache,
  ) {
    analyses.listener = {
      finished: (uri, a) => void this.publish(uri, a),
      failed: (uri, f, previous) => void this.reportFailure(uri, f, previous),
    };
  }

  opened(doc: TextDocument): void {
    this.analyses.opened(doc.uri);
    void this.analyses.refresh(doc.uri);
  }

  /** A content change (TextDocuments also reports the text of a didOpen as one: nothing new then). */
  changed(doc: TextDocument): void {
    if (this.analyses.upToDate(doc.uri)) return;
    const now = Date.now();
    const old = this.pending.get(doc.uri);
    if (old) clearTimeout(old.timer);
    const since = old?.since ?? now;
    const delay = this.settings.peek(doc.uri).validationDelay;
    const due = Math.min(now + delay, since + Math.max(MAX_WAIT_MS, delay));
    const timer = setTimeout(() => this.fire(doc.uri), Math.max(0, due - now));
    this.pending.set(doc.uri, { timer, since });
  }

  /** Settings, associated files or choices changed (the generation was bumped): check every open document now. */
  recheckAll(): void {
    for (const d of this.documents.all()) this.fire(d.uri);
  }

  closed(doc: TextDocument): void {
    const p = this.pending.get(doc.uri);
    if (p) clearTimeout(p.timer);
    this.pending.delete(doc.uri);
    this.analyses.closed(doc.uri);
    this.settings.forget(doc.uri);
    void this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  }

  private fire(uri: string): void {
    const p = this.pending.get(uri);
    if (p) clearTimeout(p.timer);
    this.pending.delete(uri);
    void this.analyses.refresh(uri);
  }

  private async publish(uri: string, a: DocumentAnalysis): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    // The check may have read an older version: its ranges are mapped onto the text as it is now, and those the
    // edits since then touched are left out until the next check.
    const settings = await this.settings.get(uri);
    if (this.documents.get(uri) !== doc || this.analyses.latest(uri) !== a) return;
    const view = new AnalysisView(doc, a, settings);
    const result = a.result;
    const diagnostics = result ? result.diagnostics.flatMap((d) => toMappedDiagnostic(uri, d, (r) => view.range(r)) ?? []) : [];
    await this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    await this.connection.sendNotification(StatusNotification, statusOf(uri, a, null));
  }

  private async reportFailure(uri: string, f: CheckFailureInfo, previous: DocumentAnalysis | null): Promise<void> {
    this.connection.console.error(`ai8x: checking ${uri} (version ${f.version}) failed: ${f.message}`);
    const doc = this.documents.get(uri);
    if (!doc) return;
    const status = previous
      ? statusOf(uri, previous, f.message)
      : { ...statusOf(uri, null, f.message), isNetwork: isNetworkDocument(doc.getText(), URI.toPath(uri), this.settings.peek(uri).networkFiles) };
    await this.connection.sendNotification(StatusNotification, status);
  }
}

function statusOf(uri: string, a: DocumentAnalysis | null, checkFailure: string | null): StatusParams {
  const result = a?.result ?? null;
  const info = a?.info;
  return {
    uri,
    isNetwork: a?.isNetwork ?? false,
    device: result?.device.name ?? '',
    deviceSource: result?.deviceSource ?? '',
    checkpoint: info?.checkpointPath ?? null,
    checkpointSource: info?.checkpointSource ?? null,
    checkpointProblem: info?.checkpointProblem ?? null,
    sampleInput: info?.samplePath ?? null,
    sampleProblem: info?.sampleProblem ?? null,
    errors: result?.diagnostics.filter((d) => d.severity === 'error').length ?? 0,
    warnings: result?.diagnostics.filter((d) => d.severity === 'warning').length ?? 0,
    checkedVersion: a?.version ?? -1,
    checkFailure,
  };
}
