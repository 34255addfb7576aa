// What a check worker keeps between calls: the workspace's inputs (folders, gen-demos scripts, the cache of
// checkpoints and sample inputs read), the last few check results (code actions ask on every cursor move) and the
// allocation of each checked text.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument } from '../../app/check';
import { InputSources } from '../../app/inputSources';
import type { CheckOutcome, DocumentSnapshot, ToWorker } from '../workerProtocol';
import { CheckpointStates } from '../../workspace/checkpointStates';
import { Allocations } from './allocation';
import { documentRequest } from './documentRequest';
import { testHook } from './testHook';

/** Results kept for the calls that follow a check. */
const RECENT = 4;

export interface CheckedDocument {
  version: number;
  generation: number;
  text: string;
  doc: TextDocument;
  outcome: CheckOutcome;
}

export class WorkerState {
  readonly sources = new InputSources();
  readonly allocations = new Allocations();
  readonly checkpointStates = new CheckpointStates();
  private readonly recent = new Map<string, CheckedDocument>();

  /** The server thread's news: folders, files changed on disk, documents closed, settings or choices changed. */
  notice(m: Exclude<ToWorker, { type: 'call' }>): void {
    switch (m.type) {
      case 'folders':
        this.sources.setFolders(m.folders);
        break;
      case 'fileChanged':
        this.sources.fileChanged(m.path);
        this.recent.clear();
        break;
      case 'forget':
        this.recent.delete(m.uri);
        break;
      case 'invalidate':
        this.recent.clear();
        break;
    }
  }

  /** The check of this snapshot: a kept result of the same version and generation, or a new check. */
  checked(doc: DocumentSnapshot): CheckedDocument {
    const hit = this.recent.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === doc.generation && hit.text === doc.text) {
      this.recent.delete(doc.uri);
      this.recent.set(doc.uri, hit);
      return hit;
    }
    const t0 = performance.now();
    testHook(doc.text);
    const checked = checkDocument(documentRequest(doc), this.sources, doc.settings.networkFiles);
    const td = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.text);
    const entry: CheckedDocument = { version: doc.version, generation: doc.generation, text: doc.text, doc: td, outcome: { ...checked, ms: 0 } };
    entry.outcome.ms = performance.now() - t0;
    this.recent.delete(doc.uri);
    this.recent.set(doc.uri, entry);
    while (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
    return entry;
  }
}
