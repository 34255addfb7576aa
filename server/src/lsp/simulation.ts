// The simulator's requests: run a network (with progress notifications and cancellation), then export a layer's
// tensor as .npy or the known answer as sampleoutput.h from the finished run. Failures are answers, not crashes.
import { Connection, LSPErrorCodes, ResponseError, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { simulateAsync, SimulationCancelled, SimulationError } from '../engine/simulate';
import { knownAnswerSize, summarizeLayer, summarizeOutput } from '../engine/services/simulationReport';
import {
  ExplainMismatchRequest,
  ExplainMismatchResult,
  ExportLayerRequest,
  KnownAnswerHeaderRequest,
  RunSimulationRequest,
  RunSimulationResult,
  SimulationProgressNotification,
} from '../protocol';
import { explainMismatches, parseBoardLog } from '../engine/services/explainMismatch';
import { toLspRange } from './convert';
import type { WorkspaceInputs } from './association';
import type { SettingsCache } from './settings';
import { prepareSimulation } from './simulationInputs';
import { SimulationRuns } from './simulationRuns';
import { URI } from './uri';
import * as path from 'node:path';

export function registerSimulationHandlers(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  settings: SettingsCache,
  workspace: WorkspaceInputs,
): SimulationRuns {
  const runs = new SimulationRuns();

  connection.onRequest(RunSimulationRequest, async (p, token): Promise<RunSimulationResult> => {
    const fail = (reason: Extract<RunSimulationResult, { ok: false }>['reason'], message: string, details: string[] = []): RunSimulationResult => ({
      ok: false,
      runId: p.runId,
      reason,
      message,
      details,
    });
    const doc = documents.get(p.uri);
    if (!doc) return fail('not-open', `Open ${path.basename(URI.toPath(p.uri))} in the editor first.`);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const s = await settings.get(p.uri);
      const prepared = prepareSimulation(doc, s, workspace, p.input);
      if (!prepared.ok) return fail(prepared.reason, prepared.message, prepared.details);
      if (token.isCancellationRequested) throw new SimulationCancelled();
      const { result, plan, sample } = prepared;
      const sim = await simulateAsync(plan, sample, {
        device: result.device,
        flags: result.flags,
        signal: abort.signal,
        onLayer: (layer, done, expected) => {
          void connection.sendNotification(SimulationProgressNotification, { runId: p.runId, done, expected, layer: layer.index, name: layer.name });
        },
      });
      const network = path.basename(URI.toPath(p.uri));
      runs.add(p.runId, p.uri, network, sim);
      const ka = knownAnswerSize(sim);
      return {
        ok: true,
        runId: p.runId,
        network,
        device: result.device.name,
        input: { kind: p.input.kind, label: prepared.label, shape: [...sample.shape] },
        layers: sim.layers.map((l) => summarizeLayer(l)),
        output: summarizeOutput(sim.output, { softmax: result.flags.softmax }),
        knownAnswer: sim.knownAnswer,
        knownAnswerWords: ka.words,
        warnings: sim.warnings.map((w) => ({ code: w.code, layer: w.layer, message: w.message })),
        totalMacs: sim.totalMacs,
        ms: sim.ms,
      };
    } catch (e) {
      if (e instanceof SimulationCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The simulation was cancelled.');
      if (e instanceof SimulationError) {
        return fail('simulation-error', `${e.code}${e.layer !== null ? ` (layer ${e.layer})` : ''}: ${e.message}`);
      }
      connection.console.error(`ai8x simulation: ${e instanceof Error ? e.stack : String(e)}`);
      return fail('internal-error', `Internal error while simulating (${e instanceof Error ? e.message : String(e)}). Please report this network.`);
    } finally {
      sub.dispose();
    }
  });

  connection.onRequest(ExplainMismatchRequest, async (p, token): Promise<ExplainMismatchResult> => {
    const doc = documents.get(p.uri);
    if (!doc) return { ok: false, message: `Open ${path.basename(URI.toPath(p.uri))} in the editor first.` };
    const log = parseBoardLog(p.log);
    if (!log.mismatches.length) return { ok: true, explanations: [], passed: log.passed };
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const prepared = prepareSimulation(doc, await settings.get(p.uri), workspace, { kind: 'associated' });
      if (!prepared.ok) return { ok: false, message: `${prepared.message}${prepared.details.length ? ` ${prepared.details[0]}` : ''}` };
      const { result, plan, sample } = prepared;
      const sim = await simulateAsync(plan, sample, { device: result.device, flags: result.flags, signal: abort.signal });
      const explanations = explainMismatches(log.mismatches, { result, plan, sim }).map((e) => {
        const spec = e.ll !== null ? result.model.layers[e.ll] : undefined;
        const first = spec?.node.entries[0];
        return { ...e, range: spec ? toLspRange(result.lines, first ? first.key.range : spec.node.range) : null };
      });
      return { ok: true, explanations, passed: log.passed };
    } catch (e) {
      if (e instanceof SimulationCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Cancelled.');
      if (e instanceof SimulationError) return { ok: false, message: `The network cannot be simulated: ${e.message}` };
      connection.console.error(`ai8x explain-mismatch: ${e instanceof Error ? e.stack : String(e)}`);
      return { ok: false, message: `Internal error (${e instanceof Error ? e.message : String(e)}). Please report this network.` };
    } finally {
      sub.dispose();
    }
  });

  connection.onRequest(ExportLayerRequest, (p) => runs.exportLayer(p.runId, p.layer));
  connection.onRequest(KnownAnswerHeaderRequest, (p) => runs.knownAnswerHeader(p.runId));
  return runs;
}
