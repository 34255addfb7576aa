// Messages between the language server's thread and its check workers (lsp/worker/checkWorker.ts). Every check
// of a document, with the checkpoint and sample files it reads, runs in a worker; the server's thread keeps the last
// finished analysis of each document and answers requests from it, so nothing a file holds can block the server.
import type { CheckResult } from '../engine/check';
import type { NetworkPlan } from '../engine/analysis/networkPlan';
import type { DeviceName } from '../engine/device/devices';
import type { IzerFlags } from '../engine/izerFlags';
import type { SampleInput } from '../engine/sample/npy';
import type { Ai8xSettings } from '../protocol';
import type { AssociationInfo } from '../app/inputResolver';

/** The checkpoint or device the user chose for a document in this session. */
export interface SessionChoice {
  checkpoint?: string;
  device?: DeviceName;
}

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

export interface MemoryFigures {
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** Server thread → worker. */
export type ToWorker =
  /** A call of one of the worker's handlers (worker/calls.ts: the kind names the row, which types the params). */
  | { type: 'call'; id: number; kind: string; params: unknown }
  | { type: 'folders'; folders: string[] }
  | { type: 'fileChanged'; path: string }
  | { type: 'forget'; uri: string }
  | { type: 'invalidate' };

/** Worker → server thread. */
export type FromWorker = { type: 'result'; id: number; value: unknown } | { type: 'error'; id: number; message: string } | { type: 'log'; message: string };
