// What every handler on the server's thread works with: the connection, the open documents and their last finished
// analyses, the settings, the check workers, the user's choices and the finished simulations.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AllocationOutcome } from '../../engine/allocate/allocateNetwork';
import type { CheckPool } from '../state/checkPool';
import type { DiagnosticsScheduler } from '../state/diagnostics';
import type { DocumentAnalyses, DocumentAnalysis } from '../state/documentState';
import type { SettingsCache } from '../state/settings';
import type { SimulationRuns } from '../state/simulationRuns';
import type { SessionChoice } from '../workerProtocol';

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  settings: SettingsCache;
  analyses: DocumentAnalyses;
  diagnostics: DiagnosticsScheduler;
  pool: CheckPool;
  /** The checkpoint or device the user chose per document in this session. */
  choices: Map<string, SessionChoice>;
  simulations: SimulationRuns;
  /** The allocation of each analysed text, asked of a worker once (hovers on processors and offsets show its reasons). */
  allocations: WeakMap<DocumentAnalysis, Promise<AllocationOutcome | null>>;
  /** Settings, associated files or the user's choices changed: every open network is checked again. */
  recheckOpenDocuments(): void;
}
