// Messages between the language server's thread and its check workers (server/src/lsp/checkWorker.ts). Every check
// of a document, with the checkpoint and sample files it reads, runs in a worker; the server's thread keeps the last
// finished analysis of each document and answers requests from it, so nothing a file holds can block the server.
import type { CodeAction, CodeActionContext, Range as LspRange } from 'vscode-languageserver-protocol';
import type { CheckResult } from '../engine/check';
import type { AllocationOutcome } from '../engine/allocate/allocateNetwork';
import type { NetworkPlan } from '../engine/analysis/networkPlan';
import type { DeviceName } from '../engine/device/devices';
import type { IzerFlags } from '../engine/izerFlags';
import type { SampleInput } from '../engine/sample/npy';
import type {
  AllocateResult,
  Ai8xSettings,
  CheckpointStatesParams,
  CheckpointStatesResult,
  ExplainMismatchResult,
  ListModelsParams,
  ListModelsResult,
  NewNetworkParams,
  NewNetworkResult,
  QuantizeCheckpointParams,
  QuantizeCheckpointResult,
  SimulationFailureReason,
  SimulationInput,
} from '../protocol';
import type { AssociationInfo } from './documentState';
import type { SessionChoice } from './association';

/** A snapshot of an open document with everything its check depends on. */
export interface DocumentSnapshot {
  uri: string;
  languageId: string;
  version: number;
  text: string;
  settings: Ai8xSettings;
  /** The checkpoint or device the user chose for this document in this session. */
  choice: SessionChoice | undefined;
  /** Bumped whenever settings, watched files or choices change: a result of another generation is out of date. */
  generation: number;
}

/** A finished check. `result` crosses the thread boundary by structured clone (see rehydrateCheckResult). */
export interface CheckOutcome {
  isNetwork: boolean;
  result: CheckResult | null;
  info: AssociationInfo;
  /** How long the check took in the worker. */
  ms: number;
}

export interface PreparedSimulationData {
  ok: true;
  device: DeviceName;
  flags: IzerFlags;
  plan: NetworkPlan;
  sample: SampleInput;
  label: string;
}
export interface SimulationProblem {
  ok: false;
  reason: SimulationFailureReason;
  message: string;
  details: string[];
}

export interface MemoryFigures {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** What a worker answers, per kind of call. */
export interface WorkerCalls {
  check: { params: { doc: DocumentSnapshot }; result: CheckOutcome };
  /** Quick fixes, fix all and the allocator's actions (they re-check edited texts, with the document's checkpoint). */
  codeActions: { params: { doc: DocumentSnapshot; range: LspRange; context: CodeActionContext }; result: CodeAction[] | null };
  /** The allocation of the network as it is (for hovers on processors and offsets). */
  allocation: { params: { doc: DocumentSnapshot }; result: AllocationOutcome | null };
  /** ai8x/allocate. */
  allocate: { params: { doc: DocumentSnapshot; keep: boolean }; result: AllocateResult };
  /** ai8x/listModels and ai8x/newNetwork (they read a model file and its checkpoint, and allocate a network). */
  listModels: { params: ListModelsParams; result: ListModelsResult };
  newNetwork: { params: NewNetworkParams; result: NewNetworkResult };
  /** ai8x/quantizeCheckpoint (reads the training checkpoint, writes the quantized one). */
  quantize: { params: QuantizeCheckpointParams & { output: string }; result: QuantizeCheckpointResult };
  /** ai8x/checkpointStates: which checkpoint files are quantized, for the picker. */
  checkpointStates: { params: CheckpointStatesParams; result: CheckpointStatesResult };
  /** The input shape the simulator offers when there is no sample: the first common size the network checks with. */
  suggestedInputShape: { params: { doc: DocumentSnapshot }; result: number[] | null };
  /** ai8x/explainMismatch: the board's serial output against this network's known answer. */
  explainMismatch: { params: { doc: DocumentSnapshot; log: string }; result: ExplainMismatchResult };
  prepareSimulation: { params: { doc: DocumentSnapshot; input: SimulationInput }; result: PreparedSimulationData | SimulationProblem };
  /** Test hook: the worker's memory after a full garbage collection (when the process runs with --expose-gc). */
  memory: { params: Record<string, never>; result: MemoryFigures };
}
export type CallKind = keyof WorkerCalls;

/** Server thread → worker. */
export type ToWorker =
  | { type: 'call'; id: number; kind: CallKind; params: WorkerCalls[CallKind]['params'] }
  | { type: 'folders'; folders: string[] }
  | { type: 'fileChanged'; path: string }
  | { type: 'forget'; uri: string }
  | { type: 'invalidate' };

/** Worker → server thread. */
export type FromWorker = { type: 'result'; id: number; value: unknown } | { type: 'error'; id: number; message: string } | { type: 'log'; message: string };
