// Names and shapes shared by the extension client and the language server: every custom request and notification
// is declared once here as a RequestType/NotificationType with its parameter and result types, and both sides use
// these declarations (cf. rust-analyzer's lsp_ext.ts), so neither side casts what it receives.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Range as LspRange } from 'vscode-languageserver-protocol';

export const SERVER_NAME = 'ai8x network language server';

/** Client commands that hovers link to (`command:` links; the client trusts exactly these in hover Markdown). */
export const HOVER_COMMANDS = { kernelMap: 'ai8x.showKernelMap', dataMemory: 'ai8x.showDataMemoryMap' } as const;

export interface Ai8xSettings {
  /** 'auto' = modeline, then checkpoint name, then file name, then MAX78000. */
  device: 'auto' | 'MAX78000' | 'MAX78002';
  /** Extra glob patterns of files to treat as network YAML (besides recognition by content). */
  networkFiles: string[];
  /** Milliseconds to wait after typing before re-checking. */
  validationDelay: number;
  /** izer flags applied to every network (the modeline and associations may add more). */
  izerFlags: string[];
  inlayHints: boolean;
  associations: Association[];
  /** Look for gen-demos-max7800*.sh / scripts/gen_*.sh lines in the workspace to pair files. */
  autoAssociate: boolean;
  /** `ai8x.synthesis.path`: the user's ai8x-synthesis checkout (also where test networks' sample weights are looked for). */
  synthesisPath: string | null;
}

export interface Association {
  /** Glob matched against the network YAML path (workspace-relative or absolute). */
  pattern: string;
  checkpoint?: string;
  sampleInput?: string;
  device?: 'MAX78000' | 'MAX78002';
  izerFlags?: string[];
}

export const DEFAULT_SETTINGS: Ai8xSettings = {
  device: 'auto',
  networkFiles: [],
  validationDelay: 250,
  izerFlags: [],
  inlayHints: true,
  associations: [],
  autoAssociate: true,
  synthesisPath: null,
};

/** Server → client: what the server resolved for a document (for the language status item). */
export interface StatusParams {
  uri: string;
  isNetwork: boolean;
  device: string;
  deviceSource: string;
  /** Absolute path of the associated checkpoint, or null. */
  checkpoint: string | null;
  checkpointSource: string | null;
  checkpointProblem: string | null;
  sampleInput: string | null;
  sampleProblem: string | null;
  errors: number;
  warnings: number;
  /** The document version the check that produced these figures (and the diagnostics) read. */
  checkedVersion: number;
  /**
   * Why the newest check of the document failed (the checker crashed, ran out of memory or time), or null. The
   * diagnostics shown are then those of an earlier version.
   */
  checkFailure: string | null;
}
export const StatusNotification = new NotificationType<StatusParams>('ai8x/status');

/** Client → server: the user picked a checkpoint or a device for a network (this session only). */
export interface ChooseInputsParams {
  uri: string;
  checkpoint?: string | null;
  device?: 'MAX78000' | 'MAX78002' | null;
}
export const ChooseInputsNotification = new NotificationType<ChooseInputsParams>('ai8x/chooseInputs');

/** Client → server: the files and settings associated with a network document (absolute paths). */
export interface AssociationParams {
  uri: string;
}
export interface AssociationResult {
  isNetwork: boolean;
  device: 'MAX78000' | 'MAX78002';
  deviceSource: string;
  checkpoint: string | null;
  sampleInput: string | null;
  /** izer flags from the modeline, settings and associations, in the order they apply. */
  izerFlags: string[];
  /** False for a test network (`arch: test`), which izer runs on its sample weights. */
  checkpointRequired: boolean;
  /** A shape to offer for a random input (C,H,W or C,L) when there is no sample input; null when unknown or not needed. */
  suggestedInputShape: number[] | null;
}
/** Null when the document is not open in the server. */
export const AssociationRequest = new RequestType<AssociationParams, AssociationResult | null, void>('ai8x/association');

// ---- Simulator: run the bit-exact simulation of a network, export layer tensors and the known answer ----
import type { KnownAnswerRecord } from './engine/simulate';
import type { LayerSummary, OutputSummary } from './engine/services/simulationReport';
export type { KnownAnswerRecord } from './engine/simulate';
export type { ClassScore, LayerSummary, OutputSummary, ValueHistogram } from './engine/services/simulationReport';

/** The input a simulation runs on: the network's associated sample, a chosen .npy file, or a seeded random input. */
export type SimulationInput =
  | { kind: 'associated' }
  | { kind: 'file'; path: string }
  /** `shape` defaults to the associated sample's shape. */
  | { kind: 'random'; seed: number; shape?: number[] };

/** Client → server: simulate a network document. Cancel it with the request's cancellation ($/cancelRequest). */
export interface RunSimulationParams {
  uri: string;
  input: SimulationInput;
  /** Chosen by the client: progress notifications and the export requests refer to it. */
  runId: string;
}

/** Server → client, after every simulated layer of a run. */
export interface SimulationProgressParams {
  runId: string;
  /** Layers done and expected in all. */
  done: number;
  expected: number;
  layer: number;
  name: string | null;
}
export const SimulationProgressNotification = new NotificationType<SimulationProgressParams>('ai8x/simulationProgress');

export interface SimulationSuccess {
  ok: true;
  runId: string;
  /** File name of the network. */
  network: string;
  device: 'MAX78000' | 'MAX78002';
  input: { kind: SimulationInput['kind']; label: string; shape: number[] };
  /** In execution order. */
  layers: LayerSummary[];
  output: OutputSummary;
  /** sampleoutput.h blocks, as in ../shared/oracle runs' sample_output_records. */
  knownAnswer: KnownAnswerRecord[];
  knownAnswerWords: number;
  warnings: { code: string; layer: number | null; message: string }[];
  totalMacs: number;
  ms: number;
}

export type SimulationFailureReason =
  | 'not-open'
  | 'not-network'
  | 'no-checkpoint'
  | 'checkpoint-unreadable'
  | 'no-sample'
  | 'sample-unreadable'
  | 'no-input-shape'
  | 'network-errors'
  | 'not-resolved'
  | 'simulation-error'
  | 'internal-error';

export interface SimulationFailure {
  ok: false;
  runId: string;
  reason: SimulationFailureReason;
  message: string;
  /** E.g. the network's first errors as `line:col code message`. */
  details: string[];
}

/** A cancelled run answers with the LSP error RequestCancelled (−32800). */
export type RunSimulationResult = SimulationSuccess | SimulationFailure;
export const RunSimulationRequest = new RequestType<RunSimulationParams, RunSimulationResult, void>('ai8x/runSimulation');

/** Client → server: one layer's output of a finished run as .npy bytes (int64, C×H×W), base64. */
export interface ExportLayerParams {
  runId: string;
  /** izer layer number. */
  layer: number;
}
export type ExportLayerResult = { ok: true; fileName: string; shape: number[]; base64: string } | { ok: false; message: string };
export const ExportLayerRequest = new RequestType<ExportLayerParams, ExportLayerResult, void>('ai8x/simulationExportLayer');

/** Client → server: the known answer of a finished run as izer's sampleoutput.h text. */
export interface KnownAnswerHeaderParams {
  runId: string;
}
export type KnownAnswerHeaderResult = { ok: true; text: string } | { ok: false; message: string };
export const KnownAnswerHeaderRequest = new RequestType<KnownAnswerHeaderParams, KnownAnswerHeaderResult, void>('ai8x/simulationKnownAnswerHeader');

// ---- Editor views: the kernel map and the data-memory map of a network document ----
import type { KernelMapModel } from './engine/services/kernelMapView';
import type { DataMemoryModel } from './engine/services/dataMemoryView';
export type { KernelMapModel, KernelMapLayer } from './engine/services/kernelMapView';
export type { DataMemoryModel, DataMemoryStep, DataMemoryConflict } from './engine/services/dataMemoryView';

export interface MapViewParams {
  uri: string;
}
export interface MapViewResult<M> {
  uri: string;
  /** Document version the map was computed for. */
  version: number;
  fileName: string;
  /** The map, or null with the reason in `unavailable` (no checkpoint, not a network, …). */
  model: M | null;
  unavailable: string | null;
  /** What the view offers when the map is unavailable: choosing a checkpoint, or nothing. */
  action?: 'chooseCheckpoint' | null;
}
export type KernelMapResult = MapViewResult<KernelMapModel>;
export type DataMemoryMapResult = MapViewResult<DataMemoryModel>;

/** Client → server: the kernel map of a network document, as izer allocates it. */
export const KernelMapRequest = new RequestType<MapViewParams, KernelMapResult, void>('ai8x/kernelMap');
/** Client → server: the data-memory map of a network document (writes and reads per memory, in execution order). */
export const DataMemoryMapRequest = new RequestType<MapViewParams, DataMemoryMapResult, void>('ai8x/dataMemoryMap');

// ---- Webview pages (webview/src): the messages between the extension and the map and simulator pages ----
// The pages import these types only (never code from here), so their bundles carry nothing of the server.

/** A map page → the extension. */
export type MapPageMessage =
  | { type: 'ready' }
  | MapRenderedMessage
  /** Put the cursor on this layer in the YAML. */
  | { type: 'reveal'; line: number; character: number; ll: number | null }
  /** Run one of the commands the page offers (with the network's URI). */
  | { type: 'command'; command: string };

/** What a map page drew (the e2e suite and the show-map commands' callers read it). */
export interface MapRenderedMessage {
  type: 'rendered';
  /** The document version of the map drawn (`MapViewResult.version`). */
  version: number;
  available: boolean;
  /** Kernel map: the layers that hold kernels, the segments drawn and the legend's lines. */
  layers?: number;
  segments?: number;
  legend?: string[];
  /** Data memory: the charts drawn and the problems listed. */
  memories?: number;
  problems?: number;
}

/** The extension → a map page: the map to draw. */
export interface MapModelMessage<M> {
  type: 'model';
  result: MapViewResult<M>;
}

/** The simulator page → the extension. */
export type SimulatorPageMessage =
  { type: 'ready' } | { type: 'rendered'; runId: string; layers: number; classifier?: boolean; failed?: boolean } | SimulatorPageRequest;

/** What the simulator page asks the extension to do: run again, or export. */
export type SimulatorPageRequest =
  { type: 'rerun'; input: SimulationInput['kind'] } | { type: 'exportLayer'; layer: number } | { type: 'exportAllLayers' } | { type: 'exportKnownAnswer' };

/** The extension → the simulator page. */
export type SimulatorViewMessage =
  | { type: 'running'; runId: string; network: string; input: string }
  | ({ type: 'progress' } & SimulationProgressParams)
  | { type: 'results'; result: SimulationSuccess }
  | { type: 'failed'; runId: string; network: string; reason: SimulationFailureReason; message: string; details: string[] }
  | { type: 'cancelled'; runId: string; network: string }
  /** A line in the page's status bar (the outcome of an export). */
  | { type: 'notice'; text: string; kind: 'error' | '' };

// ---- Synthesis: izer runs in the extension host; the server's YAML reader places izer's messages on the network ----
import type { Diagnostic } from './engine/diagnostic';
import type { IzerMessage } from './synthesis/izerOutput';
export type { IzerMessage } from './synthesis/izerOutput';

/** A diagnostic at offsets into the text it was computed for. */
export type OffsetDiagnostic = Pick<Diagnostic, 'code' | 'severity' | 'message' | 'range' | 'layer' | 'duplicateOf'>;

export interface PlaceIzerMessagesParams {
  /** The YAML text izer read; the answer's offsets are into it. */
  text: string;
  device: 'MAX78000' | 'MAX78002';
  /** izer's --skip-yaml-layers. */
  skipYamlLayers: number;
  messages: IzerMessage[];
  /** The network document: izer's copies of findings the server shows for it are marked `duplicateOf`. */
  uri?: string;
}
/** Client → server: izer's messages from a synthesis run, placed on the lines of the YAML they are about. */
export const PlaceIzerMessagesRequest = new RequestType<PlaceIzerMessagesParams, OffsetDiagnostic[], void>('ai8x/placeIzerMessages');

/** Client → server: allocate processors and memory for the whole network (ai8x: Allocate Processors and Memory). */
export interface AllocateParams {
  uri: string;
  /** Leave the values of layers that are already valid. */
  keep?: boolean;
}
export interface AllocatedLayer {
  ll: number;
  name: string | null;
  /** 0-based line of the layer's first key. */
  line: number;
  processors: string;
  reason: string;
}
export type AllocateResult =
  | { ok: true; version: number; changed: boolean; edits: { range: LspRange; newText: string }[]; layers: AllocatedLayer[] }
  | { ok: false; message: string; layer: number | null; line: number | null };
export const AllocateRequest = new RequestType<AllocateParams, AllocateResult, void>('ai8x/allocate');
/** The code action kind of the whole-network allocation (Source Action… menu). */
export const ALLOCATE_ACTION_KIND = 'source.ai8x.allocate';

/** Client → server: the models a model file declares (its `models` table), for "New Network YAML from Model…". */
export interface ListModelsParams {
  file: string;
}
export type ListModelsResult = { ok: true; models: { name: string; line: number }[] } | { ok: false; message: string };
export const ListModelsRequest = new RequestType<ListModelsParams, ListModelsResult, void>('ai8x/listModels');

/** Client → server: write a network YAML from a model file and its checkpoint (the client saves it). */
export interface NewNetworkParams {
  model: string;
  arch?: string;
  checkpoint: string;
  sampleInput?: string;
  device?: 'MAX78000' | 'MAX78002';
  dataset?: string;
  izerFlags?: string[];
  /** Where the client will save the YAML (its references are relative to it). */
  output: string;
}
export type NewNetworkResult = { ok: true; text: string; notes: string[] } | { ok: false; message: string; file: string | null; line: number | null };
export const NewNetworkRequest = new RequestType<NewNetworkParams, NewNetworkResult, void>('ai8x/newNetwork');

// ---- Native synthesis: C code from the server's own generator (izer synthesis runs in the extension host) ----
import type { SynthesisMode, SynthesisOutcome } from './synthesis/synthesize';
export type { SynthesisOutcome } from './synthesis/synthesize';

/** Client → server: synthesize an open network with the native generator (app/nativeGenerator.ts). */
export interface SynthesizeParams {
  uri: string;
  /** izer's --prefix and --test-dir: the project goes to <testDir>/<prefix>. */
  prefix: string;
  testDir: string;
  mode: SynthesisMode;
  /** The user's answer when the target holds files that may be theirs; without it such a target is left as it is (needsConsent). */
  overwrite?: 'replace' | 'backup';
  /** izer flags from the synthesis settings (ai8x.synthesis.softmax, …); they apply after the document's own. */
  izerFlags?: string[];
}
export const SynthesizeRequest = new RequestType<SynthesizeParams, SynthesisOutcome, void>('ai8x/synthesize');

// ---- Quantizing a training checkpoint (ai8x: Quantize Checkpoint, the AX202 quick fix, the checkpoint picker) ----
/** The client command the AX202 quick fix runs, with the network's URI and the checkpoint's path. */
export const QUANTIZE_COMMAND = 'ai8x.quantizeCheckpoint';

/** Client → server: quantize a training checkpoint as quantize.py does (the server reads and writes the files). */
export interface QuantizeCheckpointParams {
  input: string;
  /** Where to write it: `<name>-q.pth.tar` next to the input when not given. */
  output?: string;
  device: 'MAX78000' | 'MAX78002';
  /** Replace an existing output (the user agreed). */
  replace?: boolean;
}
export type QuantizeCheckpointResult =
  | { ok: true; output: string; layers: number; bits: number[]; clippingMethod: string; warnings: string[] }
  /** `exists`: the output is there (nothing written); `io`: a file could not be read or written; `quantize`: a layer cannot be quantized. */
  | { ok: false; reason: 'exists' | 'io' | 'quantize'; message: string; output: string };
export const QuantizeCheckpointRequest = new RequestType<QuantizeCheckpointParams, QuantizeCheckpointResult, void>('ai8x/quantizeCheckpoint');

/** What a checkpoint file holds, for the checkpoint picker; `unknown` when it was not looked at (too many files). */
export type CheckpointState = 'quantized' | 'training' | 'no-weights' | 'unreadable' | 'unknown';
/** Client → server: whether each of these checkpoint files is quantized (read by content, cached by size and time). */
export interface CheckpointStatesParams {
  files: string[];
}
export interface CheckpointStatesResult {
  states: CheckpointState[];
}
export const CheckpointStatesRequest = new RequestType<CheckpointStatesParams, CheckpointStatesResult, void>('ai8x/checkpointStates');

// ---- Known-answer failures from the board: explain `Data mismatch … Expected …, read …` lines ----
import type { MismatchExplanation } from './engine/services/explainMismatch';
export type { MismatchExplanation } from './engine/services/explainMismatch';

/** Client → server: explain the board's serial output for a network document (its checkpoint and sample input). */
export interface ExplainMismatchParams {
  uri: string;
  /** The serial output, as pasted or read from a file. */
  log: string;
}
export type ExplainMismatchResult =
  | {
      ok: true;
      /** One per `Data mismatch` line; `range` is where in the YAML the layer starts (null when no layer is at the address). */
      explanations: (MismatchExplanation & { range: LspRange | null })[];
      /** The log says *** PASS ***. */
      passed: boolean;
    }
  | { ok: false; message: string };
export const ExplainMismatchRequest = new RequestType<ExplainMismatchParams, ExplainMismatchResult, void>('ai8x/explainMismatch');

// ---- Getting started: the built-in example written into a folder the client chooses ----
/** Client → server: write the built-in example (tinynet.yaml, its checkpoint and sample) into `folder`; existing files are kept. */
export interface WriteExampleParams {
  folder: string;
}
export type WriteExampleResult = { ok: true; network: string; written: string[]; kept: string[] } | { ok: false; message: string };
export const WriteExampleRequest = new RequestType<WriteExampleParams, WriteExampleResult, void>('ai8x/writeExample');

// ---- Test hooks: registered only when the server runs with AI8X_SERVER_TEST_HOOKS=1 ----

export interface ServerMemoryFigures {
  /** The server's thread after a full garbage collection (the process needs --expose-gc; else without one). */
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** Resident memory of the whole process. */
  rss: number;
  /** Each live check worker after a full garbage collection. */
  workers: { heapUsed: number; external: number; arrayBuffers: number }[];
  /** Open documents the server keeps analyses for. */
  documents: number;
  gcExposed: boolean;
}
/** Client → server (tests and the bench only): memory figures after a full garbage collection. */
export const TestMemoryRequest = new RequestType<Record<string, never>, ServerMemoryFigures, void>('ai8x/test/memory');
