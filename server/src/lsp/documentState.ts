// Per-document analysis cache: one check per document version and settings/workspace generation; the server's
// one answer to "is this a network?"; and the lookup every handler uses to get at an open document's analysis.
import type { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './uri';
import { CheckInput, CheckResult, checkNetwork, looksLikeNetwork } from '../engine/check';
import { matchesGlob } from '../engine/glob';
import type { Ai8xSettings } from '../protocol';
import type { SettingsCache } from './settings';

/** What the association found for a document, for the status item and the client's commands. */
export interface AssociationInfo {
  checkpointPath: string | null;
  checkpointSource: string | null;
  checkpointProblem: string | null;
  samplePath: string | null;
  sampleSource: string | null;
  sampleProblem: string | null;
}

export interface DocumentAnalysis {
  version: number;
  generation: number;
  isNetwork: boolean;
  result: CheckResult | null;
  info: AssociationInfo;
}

/** Builds the extra check inputs for a document; `info` is filled in while the check runs. */
export type ExtraInputs = (doc: TextDocument, settings: Ai8xSettings, info: AssociationInfo) => Partial<CheckInput>;

export const emptyInfo = (): AssociationInfo => ({
  checkpointPath: null,
  checkpointSource: null,
  checkpointProblem: null,
  samplePath: null,
  sampleSource: null,
  sampleProblem: null,
});

/**
 * Is this document an ai8x network? Its content (top-level `arch` and `layers`) or the `ai8x.networkFiles` globs
 * say so. Diagnostics, the status item, the editor-title buttons, the simulator and the map views all go by this.
 */
export function isNetworkDocument(doc: TextDocument, settings: Ai8xSettings): boolean {
  if (looksLikeNetwork(doc.getText())) return true;
  const path = URI.toPath(doc.uri);
  return settings.networkFiles.some((g) => matchesGlob(path, g));
}

export class DocumentStates {
  private readonly cache = new Map<string, DocumentAnalysis>();
  generation = 0;

  constructor(private readonly extraInputs: ExtraInputs) {}

  invalidateAll(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  get(doc: TextDocument, settings: Ai8xSettings): DocumentAnalysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit;
    const isNetwork = isNetworkDocument(doc, settings);
    const info = emptyInfo();
    const result = isNetwork
      ? checkNetwork({
          text: doc.getText(),
          fileName: URI.toPath(doc.uri),
          deviceSetting: settings.device,
          izerFlags: settings.izerFlags,
          // yamllint's new-lines rule expects the line break of the machine izer runs on (this one).
          newline: process.platform === 'win32' ? '\r\n' : '\n',
          ...this.extraInputs(doc, settings, info),
        })
      : null;
    const entry = { version: doc.version, generation: this.generation, isNetwork, result, info };
    this.cache.set(doc.uri, entry);
    return entry;
  }
}

/** An open document with its settings and its (cached) analysis. */
export interface OpenDocument {
  doc: TextDocument;
  settings: Ai8xSettings;
  state: DocumentAnalysis;
}

/** An open network document: its check result is there. */
export interface NetworkDocument extends OpenDocument {
  result: CheckResult;
}

/** How the request handlers get at a document's analysis: the open document, its settings, the cached check. */
export class Analyses {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly states: DocumentStates,
    private readonly settings: SettingsCache,
  ) {}

  /** Null when the document is not open. */
  async open(uri: string): Promise<OpenDocument | null> {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const settings = await this.settings.get(uri);
    return { doc, settings, state: this.states.get(doc, settings) };
  }

  /** Null when the document is not open or not a network. */
  async network(uri: string): Promise<NetworkDocument | null> {
    const o = await this.open(uri);
    return o?.state.result ? { ...o, result: o.state.result } : null;
  }
}
