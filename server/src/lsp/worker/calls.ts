// The check worker's handlers, one typed row per call. The server's thread sends a call by its kind (state/
// checkPool.ts); its parameters and answer are the types of the row's function (WorkerCalls, derived below), so a
// new call is one row here and one row in the routing table (handlers/routes.ts).
import type { CodeAction, CodeActionContext, Range as LspRange } from 'vscode-languageserver/node';
import { checkRequest } from '../../app/check';
import type { AllocationOutcome } from '../../engine/allocate/allocateNetwork';
import { suggestedInputShape } from '../../engine/services/simulationInput';
import type {
  AllocateResult,
  ExplainMismatchResult,
  ListModelsParams,
  ListModelsResult,
  CheckpointStatesParams,
  CheckpointStatesResult,
  NewNetworkParams,
  NewNetworkResult,
  QuantizeCheckpointParams,
  QuantizeCheckpointResult,
  SimulationInput,
  SynthesizeParams,
} from '../../protocol';
import type { SynthesisOutcome } from '../../synthesis/synthesize';
import type { CheckOutcome, DocumentSnapshot, MemoryFigures, PreparedSimulationData } from '../workerProtocol';
import { allocateFor } from './allocation';
import { codeActionsFor } from './codeActions';
import { documentRequest } from './documentRequest';
import { listModels, newNetwork } from './newNetwork';
import { explainDocumentMismatches, prepareDocumentSimulation } from './simulation';
import type { EditorProblem } from './simulationProblems';
import { quantizeInWorker } from './quantize';
import { synthesizeDocument } from './synthesize';
import { testHook } from './testHook';
import type { WorkerState } from './workerState';

type Doc = { doc: DocumentSnapshot };

export const WORKER_CALLS = {
  check: (w, p: Doc): CheckOutcome => w.checked(p.doc).outcome,

  /** Quick fixes, fix all and the allocator's actions (they re-check edited texts, with the document's checkpoint). */
  codeActions: (w, p: Doc & { range: LspRange; context: CodeActionContext }): CodeAction[] | null => {
    const r = w.checked(p.doc);
    if (!r.outcome.result) return null;
    const req = documentRequest(p.doc);
    return codeActionsFor(
      {
        uri: p.doc.uri,
        doc: r.doc,
        result: r.outcome.result,
        req,
        sources: w.sources,
        allocations: w.allocations,
        checkpointPath: r.outcome.info.checkpointPath,
      },
      p.range,
      p.context,
    );
  },

  /** The allocation of the network as it is (for hovers on processors and offsets). */
  allocation: (w, p: Doc): AllocationOutcome | null => {
    const r = w.checked(p.doc);
    return r.outcome.result ? w.allocations.of(r.outcome.result, documentRequest(p.doc), w.sources) : null;
  },

  /** ai8x/allocate. */
  allocate: (w, p: Doc & { keep?: boolean }): AllocateResult => {
    const r = w.checked(p.doc);
    if (!r.outcome.result) return { ok: false, message: 'This file is not an ai8x network description.', layer: null, line: null };
    return allocateFor({ doc: r.doc, result: r.outcome.result }, documentRequest(p.doc), w.sources, w.allocations, !!p.keep);
  },

  /** The input shape the simulator offers when there is no sample: the first common size the network checks with. */
  suggestedInputShape: (w, p: Doc): number[] | null => {
    const r = w.checked(p.doc).outcome.result;
    const fits = (shape: number[]) =>
      !checkRequest(documentRequest(p.doc, { seed: 0, shape }), w.sources).result.diagnostics.some((d) => d.severity === 'error');
    return r ? suggestedInputShape(r, fits) : null;
  },

  /** ai8x/runSimulation's check with the chosen input (the server's thread then simulates layer by layer). */
  prepareSimulation: (w, p: Doc & { input: SimulationInput }): PreparedSimulationData | EditorProblem => {
    testHook(p.doc.text);
    return prepareDocumentSimulation(p.doc, p.input, w.sources);
  },

  /** ai8x/explainMismatch: the board's serial output against this network's known answer. */
  explainMismatch: (w, p: Doc & { log: string }): ExplainMismatchResult => explainDocumentMismatches(p.doc, p.log, w.sources),

  /** ai8x/listModels and ai8x/newNetwork (they read a model file and its checkpoint, and allocate a network). */
  listModels: (_w, p: ListModelsParams): ListModelsResult => listModels(p),
  newNetwork: (w, p: NewNetworkParams): NewNetworkResult => newNetwork(p, w.sources),

  /** ai8x/quantizeCheckpoint (reads the training checkpoint, writes the quantized one). */
  quantize: (_w, p: QuantizeCheckpointParams & { output: string }): QuantizeCheckpointResult => quantizeInWorker(p),
  /** ai8x/checkpointStates: which checkpoint files are quantized, for the picker. */
  checkpointStates: (w, p: CheckpointStatesParams): CheckpointStatesResult => ({ states: w.checkpointStates.states(p.files) }),

  /** ai8x/synthesize: native synthesis of the document. */
  synthesize: (w, p: Doc & Omit<SynthesizeParams, 'uri'>): Promise<SynthesisOutcome> => synthesizeDocument(p.doc, p, w.sources),

  /** Test hook: the worker's memory after a full garbage collection (when the process runs with --expose-gc). */
  memory: (_w, _p: Record<string, never>): MemoryFigures => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
  },
} satisfies Record<string, (w: WorkerState, p: never) => unknown>;

/** Each call's parameters and answer, as its row declares them. */
export type WorkerCalls = {
  [K in keyof typeof WORKER_CALLS]: {
    params: Parameters<(typeof WORKER_CALLS)[K]>[1];
    result: Awaited<ReturnType<(typeof WORKER_CALLS)[K]>>;
  };
};
export type CallKind = keyof WorkerCalls;

export function isCallKind(kind: string): kind is CallKind {
  return Object.hasOwn(WORKER_CALLS, kind);
}

/** Runs one call (the worker's entry point posts the answer back). */
export function runCall<K extends CallKind>(w: WorkerState, kind: K, params: WorkerCalls[K]['params']): unknown {
  const handler = WORKER_CALLS[kind] as (w: WorkerState, p: WorkerCalls[K]['params']) => unknown;
  return handler(w, params);
}
