// The routing table: every request and notification the server answers, with its handler, in one place (cf.
// rust-analyzer's request dispatcher). A row is typed by its declaration (protocol.ts or the LSP library), so a
// handler's parameters and answer are checked here. A new custom request is three edits: its type in protocol.ts,
// its handler (here in handlers/, or a row of worker/calls.ts for work that reads files), and its row below.
// Document synchronisation (open, change, close) goes to the diagnostics scheduler in server.ts.
import * as path from 'node:path';
import {
  CodeActionRequest,
  CompletionRequest,
  Connection,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
} from 'vscode-languageserver/node';
import {
  AllocateRequest,
  AssociationRequest,
  CheckpointStatesRequest,
  ChooseInputsNotification,
  DataMemoryMapRequest,
  ExplainMismatchRequest,
  ExportLayerRequest,
  KernelMapRequest,
  KnownAnswerHeaderRequest,
  ListModelsRequest,
  NewNetworkRequest,
  PlaceIzerMessagesRequest,
  QuantizeCheckpointRequest,
  RunSimulationRequest,
  SynthesizeRequest,
  TestMemoryRequest,
  WriteExampleRequest,
} from '../../protocol';
import { URI } from '../uri';
import { association } from './association';
import { codeActions } from './codeActions';
import { completion } from './completion';
import type { ServerContext } from './context';
import { inAnyWorker, inWorker } from './forward';
import { hover } from './hover';
import { inlayHints } from './inlayHints';
import { dataMemoryMap, kernelMap } from './maps';
import { definition, prepareRename, references, rename } from './navigation';
import { placeIzerMessages } from './placeIzerMessages';
import { notification, request, Route } from './route';
import { checkpointStates, quantizeCheckpoint } from './quantize';
import { runSimulation } from './runSimulation';
import { documentSymbols } from './symbols';
import { synthesisFailed, synthesisNotOpen } from './synthesize';
import { testMemory } from './testMemory';
import { chooseInputs, configurationChanged, watchedFilesChanged } from './workspaceEvents';
import { writeExample } from './writeExample';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const notOpen = (uri: string) => `Open ${path.basename(URI.toPath(uri))} in the editor first.`;
const modelReaderFailed = (e: unknown) => `The model reader could not run: ${message(e)}.`;
const notNetwork = { ok: false, message: 'This file is not an ai8x network description.', layer: null, line: null } as const;

export const ROUTES: readonly Route[] = [
  // The editor's features, answered from each document's last finished analysis.
  request(HoverRequest.type, hover),
  request(CompletionRequest.type, completion),
  request(DocumentSymbolRequest.type, documentSymbols),
  request(InlayHintRequest.type, inlayHints),
  request(DefinitionRequest.type, definition),
  request(ReferencesRequest.type, references),
  request(PrepareRenameRequest.type, prepareRename),
  request(RenameRequest.type, rename),
  request(CodeActionRequest.type, codeActions),

  // ai8x: what the client's commands and views ask.
  request(AssociationRequest, association),
  request(KernelMapRequest, kernelMap),
  request(DataMemoryMapRequest, dataMemoryMap),
  request(RunSimulationRequest, runSimulation),
  request(ExportLayerRequest, (p, ctx) => ctx.simulations.exportLayer(p.runId, p.layer)),
  request(KnownAnswerHeaderRequest, (p, ctx) => ctx.simulations.knownAnswerHeader(p.runId)),
  request(PlaceIzerMessagesRequest, placeIzerMessages),
  request(WriteExampleRequest, writeExample),
  inWorker(AllocateRequest, 'allocate', {
    notOpen: () => notNetwork,
    failed: (_p, e) => ({ ok: false as const, message: `The allocation could not run: ${message(e)}.`, layer: null, line: null }),
  }),
  inWorker(ExplainMismatchRequest, 'explainMismatch', {
    notOpen: (p) => ({ ok: false as const, message: notOpen(p.uri) }),
    failed: (_p, e, ctx) => {
      ctx.connection.console.error(`ai8x explain-mismatch: ${message(e)}`);
      return { ok: false as const, message: `The mismatches could not be explained (${message(e)}). Please report this network.` };
    },
  }),
  inWorker(SynthesizeRequest, 'synthesize', { notOpen: synthesisNotOpen, failed: synthesisFailed }),
  inAnyWorker(ListModelsRequest, 'listModels', (e) => ({ ok: false as const, message: modelReaderFailed(e) })),
  inAnyWorker(NewNetworkRequest, 'newNetwork', (e) => ({ ok: false as const, message: modelReaderFailed(e), file: null, line: null })),
  request(QuantizeCheckpointRequest, quantizeCheckpoint),
  request(CheckpointStatesRequest, checkpointStates),

  // What makes every open network be checked again.
  notification(ChooseInputsNotification, chooseInputs),
  notification(DidChangeConfigurationNotification.type, configurationChanged),
  notification(DidChangeWatchedFilesNotification.type, watchedFilesChanged),

  request(TestMemoryRequest, testMemory, { testHooksOnly: true }),
];

export function registerRoutes(connection: Connection, ctx: ServerContext, testHooks: boolean): void {
  for (const r of ROUTES) if (!r.testHooksOnly || testHooks) r.register(connection, ctx);
}
