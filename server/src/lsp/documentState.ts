// Per-document analysis cache: one check per document version and settings generation.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from './uri';
import { CheckInput, CheckResult, checkNetwork, looksLikeNetwork } from '../engine/check';
import { matchesGlob } from '../engine/glob';
import type { Ai8xSettings } from '../protocol';

export interface DocumentAnalysis {
  version: number;
  generation: number;
  isNetwork: boolean;
  result: CheckResult | null;
}

export type ExtraInputs = (doc: TextDocument, settings: Ai8xSettings) => Partial<CheckInput> & { checkpointLabel?: string | null; checkpointPath?: string | null; samplePath?: string | null; checkpointSource?: string | null; checkpointProblem?: string | null; sampleLabel?: string | null };

export class DocumentStates {
  private readonly cache = new Map<string, DocumentAnalysis & { extra: ReturnType<ExtraInputs> }>();
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

  get(doc: TextDocument, settings: Ai8xSettings): DocumentAnalysis & { extra: ReturnType<ExtraInputs> } {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.generation) return hit;
    const isNetwork = this.isNetworkDocument(doc, settings);
    const extra = isNetwork ? this.extraInputs(doc, settings) : {};
    const result = isNetwork
      ? checkNetwork({
          text: doc.getText(),
          fileName: URI.toPath(doc.uri),
          deviceSetting: settings.device,
          izerFlags: settings.izerFlags,
          ...extra,
        })
      : null;
    const entry = { version: doc.version, generation: this.generation, isNetwork, result, extra };
    this.cache.set(doc.uri, entry);
    return entry;
  }
}
