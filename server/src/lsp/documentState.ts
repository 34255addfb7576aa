// Per-document analysis cache: one check per document version and settings/workspace generation.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './uri';
import { CheckInput, CheckResult, checkNetwork, looksLikeNetwork } from '../engine/check';
import { matchesGlob } from '../engine/glob';
import type { Ai8xSettings } from '../protocol';

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

  isNetworkDocument(doc: TextDocument, settings: Ai8xSettings): boolean {
    if (looksLikeNetwork(doc.getText())) return true;
    const path = URI.toPath(doc.uri);
    return settings.networkFiles.some((g) => matchesGlob(path, g));
  }

  get(doc: TextDocument, settings: Ai8xSettings): DocumentAnalysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit;
    const isNetwork = this.isNetworkDocument(doc, settings);
    const info = emptyInfo();
    const result = isNetwork
      ? checkNetwork({
          text: doc.getText(),
          fileName: URI.toPath(doc.uri),
          deviceSetting: settings.device,
          izerFlags: settings.izerFlags,
          ...this.extraInputs(doc, settings, info),
        })
      : null;
    const entry = { version: doc.version, generation: this.generation, isNetwork, result, info };
    this.cache.set(doc.uri, entry);
    return entry;
  }
}
