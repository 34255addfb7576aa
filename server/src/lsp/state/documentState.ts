// The analyses of the open documents, on the server's thread: checks run in the check workers (checkPool.ts), at
// most one per document at a time, always of the newest text; the last finished analysis of each document stays
// here, and requests answer from it, mapping positions between the text it analysed and the text the editor has
// now (textMapping.ts), while a newer check runs. Nothing of a document survives its close.
import type { TextDocuments } from 'vscode-languageserver/node';
import type { Position, Range as LspRange } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckResult } from '../../engine/check';
import type { AssociationInfo } from '../../app/inputResolver';
import { LineIndex } from '../../engine/lineIndex';
import type { Ai8xSettings } from '../../protocol';
import type { SettingsCache } from './settings';
import type { CheckPool } from './checkPool';
import type { DocumentSnapshot, SessionChoice } from '../workerProtocol';
import { OffsetRange, TextMapping } from './textMapping';

/** A check result as it arrives from a worker (structured clone): its classes get their prototypes back. */
export function rehydrateCheckResult(r: CheckResult | null): CheckResult | null {
  if (r && Object.getPrototypeOf(r.lines) !== LineIndex.prototype) Object.setPrototypeOf(r.lines, LineIndex.prototype);
  return r;
}

/** A finished check of one version of a document. */
export interface DocumentAnalysis {
  uri: string;
  version: number;
  generation: number;
  /** The text that was checked. */
  text: string;
  isNetwork: boolean;
  result: CheckResult | null;
  info: AssociationInfo;
  /** How long the check took in its worker. */
  ms: number;
}

/** A check that failed (the worker crashed, ran out of memory or time, or threw), for the status item. */
export interface CheckFailureInfo {
  version: number;
  generation: number;
  message: string;
}

interface Running {
  version: number;
  generation: number;
  promise: Promise<DocumentAnalysis | null>;
}

interface Entry {
  finished: DocumentAnalysis | null;
  running: Running | null;
  /** The text changed (or the generation) while a check ran: check again when it ends. */
  again: boolean;
  failure: CheckFailureInfo | null;
}

export interface AnalysisListener {
  /** A check finished (the document may have changed since: `analysis.version` says which version it checked). */
  finished(uri: string, analysis: DocumentAnalysis): void;
  failed(uri: string, failure: CheckFailureInfo, previous: DocumentAnalysis | null): void;
}

/** An analysis seen from the document as it is now: positions and ranges mapped between the two texts. */
export class AnalysisView {
  private mapping: TextMapping | null = null;

  constructor(
    readonly doc: TextDocument,
    readonly analysis: DocumentAnalysis,
    readonly settings: Ai8xSettings,
  ) {}

  /** The analysis is of the text the editor has now. */
  get current(): boolean {
    return this.analysis.version === this.doc.version && this.analysis.text.length === this.doc.getText().length && this.map().identical;
  }

  private map(): TextMapping {
    if (!this.mapping) this.mapping = new TextMapping(this.analysis.text, this.analysis.version === this.doc.version ? this.analysis.text : this.doc.getText());
    return this.mapping;
  }

  /** The offset in the analysed text of a position in the document, or null where the text changed since. */
  offsetAt(p: Position): number | null {
    return this.map().toOld(this.doc.offsetAt(p));
  }

  /** An analysed range in the document now, or null where the text changed (`widen`: grow over the change). */
  range(r: OffsetRange, mode: 'strict' | 'widen' = 'strict'): LspRange | null {
    const m = this.map().range(r, mode);
    return m ? { start: this.doc.positionAt(m[0]), end: this.doc.positionAt(Math.max(m[0], m[1])) } : null;
  }

  /** A range of the document now as a range of the analysed text (a range over changed text grows to cover it). */
  rangeToOld(r: LspRange): OffsetRange {
    const m = this.map();
    const a = this.doc.offsetAt(r.start);
    const b = this.doc.offsetAt(r.end);
    return [m.toOld(a) ?? Math.min(a, m.prefix), m.toOld(b) ?? Math.max(b - m.newEnd + m.oldEnd, m.oldEnd)];
  }

  /** An analysed offset in the document now, or null where the text changed. */
  position(offset: number): Position | null {
    const o = this.map().offset(offset);
    return o === null ? null : this.doc.positionAt(o);
  }
}

/** An analysis view of a network document: its check result is there. */
export interface NetworkView extends AnalysisView {
  readonly analysis: DocumentAnalysis & { result: CheckResult };
}

export const isNetworkView = (v: AnalysisView | null): v is NetworkView => !!v?.analysis.result;

export class DocumentAnalyses {
  /** Bumped when settings, watched files or the user's choices change: every analysis of an older one is outdated. */
  generation = 0;
  listener: AnalysisListener | null = null;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsCache,
    private readonly pool: CheckPool,
    private readonly choiceOf: (uri: string) => SessionChoice | undefined,
  ) {}

  opened(uri: string): void {
    this.entries.set(uri, { finished: null, running: null, again: false, failure: null });
  }

  closed(uri: string): void {
    this.entries.delete(uri);
    this.pool.forget(uri);
  }

  invalidateAll(): void {
    this.generation++;
  }

  /** Open documents with an entry (for tests and the memory figures). */
  get size(): number {
    return this.entries.size;
  }

  /** The last finished analysis of an open document (of any version), or null. */
  latest(uri: string): DocumentAnalysis | null {
    return this.entries.get(uri)?.finished ?? null;
  }

  failure(uri: string): CheckFailureInfo | null {
    return this.entries.get(uri)?.failure ?? null;
  }

  /** Is a check of the document's current text already done or under way? */
  upToDate(uri: string): boolean {
    const e = this.entries.get(uri);
    const doc = this.documents.get(uri);
    if (!e || !doc) return true;
    const matches = (x: { version: number; generation: number } | null) => !!x && x.version === doc.version && x.generation === this.generation;
    return matches(e.finished) || matches(e.running) || matches(e.failure);
  }

  /**
   * The analysis of the document's current text: the finished one, the running check, or a check started now (a
   * running check of an older text is waited for first). Null when the document is not open or its check failed.
   */
  refresh(uri: string, interactive = false): Promise<DocumentAnalysis | null> {
    const e = this.entries.get(uri);
    const doc = this.documents.get(uri);
    if (!e || !doc) return Promise.resolve(null);
    if (e.finished && e.finished.version === doc.version && e.finished.generation === this.generation) return Promise.resolve(e.finished);
    // A text whose check failed is not checked again until it changes (a crash would otherwise repeat on every request).
    if (!e.running && e.failure && e.failure.version === doc.version && e.failure.generation === this.generation) return Promise.resolve(null);
    if (e.running) {
      if (e.running.version === doc.version && e.running.generation === this.generation) return e.running.promise;
      e.again = true;
      return e.running.promise.then(() => this.refresh(uri, interactive));
    }
    return this.start(uri, e, doc.version, interactive);
  }

  /** The last finished analysis, or (before the first one) the first one; null when the document is not open. */
  async view(uri: string): Promise<AnalysisView | null> {
    const finished = this.latest(uri);
    const a = finished ?? (await this.refresh(uri, true));
    return this.viewOf(uri, a);
  }

  /** The analysis of the document's current text (waits for its check). */
  async currentView(uri: string): Promise<AnalysisView | null> {
    return this.viewOf(uri, await this.refresh(uri, true));
  }

  /** A view for a position: the last finished analysis when the text there did not change since, else the newest. */
  async viewAt(uri: string, p: Position): Promise<{ view: NetworkView; offset: number } | null> {
    let v = await this.view(uri);
    if (!isNetworkView(v)) return null;
    let offset = v.offsetAt(p);
    if (offset === null) {
      v = await this.currentView(uri);
      if (!isNetworkView(v)) return null;
      offset = v.offsetAt(p);
    }
    return offset === null ? null : { view: v, offset };
  }

  /** A snapshot of the text an analysis read, for a worker call about that analysis (the allocation in a hover). */
  analysedSnapshot(v: AnalysisView): DocumentSnapshot {
    const a = v.analysis;
    return {
      uri: a.uri,
      languageId: v.doc.languageId,
      version: a.version,
      text: a.text,
      settings: v.settings,
      choice: this.choiceOf(a.uri),
      generation: a.generation,
    };
  }

  /** A snapshot of an open document for a worker call (null when it is not open). */
  async snapshot(uri: string): Promise<(() => DocumentSnapshot | null) | null> {
    if (!this.documents.get(uri)) return null;
    const settings = await this.settings.get(uri);
    const generation = this.generation;
    return () => {
      const doc = this.documents.get(uri);
      if (!doc || !this.entries.has(uri)) return null;
      return { uri, languageId: doc.languageId, version: doc.version, text: doc.getText(), settings, choice: this.choiceOf(uri), generation };
    };
  }

  private async viewOf(uri: string, a: DocumentAnalysis | null): Promise<AnalysisView | null> {
    const doc = this.documents.get(uri);
    if (!a || !doc) return null;
    return new AnalysisView(doc, a, await this.settings.get(uri));
  }

  private start(uri: string, e: Entry, version: number, interactive: boolean): Promise<DocumentAnalysis | null> {
    const run: Running = { version, generation: this.generation, promise: Promise.resolve(null) };
    e.running = run;
    run.promise = (async (): Promise<DocumentAnalysis | null> => {
      let checked: DocumentSnapshot | null = null;
      try {
        const settings = await this.settings.get(uri);
        const outcome = await this.pool.call(
          'check',
          () => {
            const doc = this.documents.get(uri);
            if (!doc || this.entries.get(uri) !== e) return null;
            // The newest text when the check starts, not when it was asked for.
            checked = {
              uri,
              languageId: doc.languageId,
              version: doc.version,
              text: doc.getText(),
              settings,
              choice: this.choiceOf(uri),
              generation: this.generation,
            };
            run.version = checked.version;
            run.generation = checked.generation;
            return { doc: checked };
          },
          { uri, interactive },
        );
        const snap = checked as DocumentSnapshot | null;
        if (!outcome || !snap || this.entries.get(uri) !== e) return null;
        const a: DocumentAnalysis = {
          uri,
          version: snap.version,
          generation: snap.generation,
          text: snap.text,
          isNetwork: outcome.isNetwork,
          result: rehydrateCheckResult(outcome.result),
          info: outcome.info,
          ms: outcome.ms,
        };
        e.finished = a;
        e.failure = null;
        this.listener?.finished(uri, a);
        return a;
      } catch (err) {
        if (this.entries.get(uri) !== e) return null;
        e.failure = { version: run.version, generation: run.generation, message: err instanceof Error ? err.message : String(err) };
        this.listener?.failed(uri, e.failure, e.finished);
        return null;
      } finally {
        if (e.running === run) e.running = null;
        if (e.again && this.entries.get(uri) === e) {
          e.again = false;
          if (!this.upToDate(uri)) void this.refresh(uri);
        }
      }
    })();
    return run.promise;
  }
}
