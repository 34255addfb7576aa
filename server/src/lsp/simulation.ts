// The simulator's requests: run a network (with progress notifications and cancellation), then export a layer's
// tensor as .npy or the known answer as sampleoutput.h from the finished run; and explain the board's known-answer
// mismatches. Failures are answers, not crashes.
import { Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
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
import { deviceByName } from '../engine/device/devices';
import type { DocumentAnalyses } from './documentState';
import { CheckFailure, CheckPool } from './checkPool';
import { withDoc } from './allocation';
import { SimulationRuns } from './simulationRuns';
import { URI } from './uri';
import * as path from 'node:path';

export function registerSimulationHandlers(connection: Connection, analyses: DocumentAnalyses, pool: CheckPool): SimulationRuns {
  const runs = new SimulationRuns();

  connection.onRequest(RunSimulationRequest, async (p, token): Promise<RunSimulationResult> => {
    const fail = (reason: Extract<RunSimulationResult, { ok: false }>['reason'], message: string, details: string[] = []): RunSimulationResult => ({
      ok: false,
      runId: p.runId,
      reason,
      message,
      details,
    });
    const snapshot = await analyses.snapshot(p.uri);
    if (!snapshot) return fail('not-open', `Open ${path.basename(URI.toPath(p.uri))} in the editor first.`);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      // The check with the chosen input and the files it reads run in a check worker; the simulation runs here, a
      // layer at a time (it yields between layers).
      const prepared = await pool.call('prepareSimulation', () => withDoc(snapshot(), (doc) => ({ doc, input: p.input })), { uri: p.uri, interactive: true });
      if (!prepared) return fail('not-open', `Open ${path.basename(URI.toPath(p.uri))} in the editor first.`);
      if (!prepared.ok) return fail(prepared.reason, prepared.message, prepared.details);
      if (token.isCancellationRequested) throw new SimulationCancelled();
      const { plan, sample } = prepared;
      const result = { device: deviceByName(prepared.device), flags: prepared.flags };
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
      if (e instanceof CheckFailure) return fail('internal-error', `The network could not be prepared for the simulation: ${e.message}.`);
      connection.console.error(`ai8x simulation: ${e instanceof Error ? e.stack : String(e)}`);
      return fail('internal-error', `Internal error while simulating (${e instanceof Error ? e.message : String(e)}). Please report this network.`);
    } finally {
      sub.dispose();
    }
  });

  // Explaining the board's mismatches simulates the network with its associated input: all of it in a check worker.
  connection.onRequest(ExplainMismatchRequest, async (p): Promise<ExplainMismatchResult> => {
    const snapshot = await analyses.snapshot(p.uri);
    const notOpen: ExplainMismatchResult = { ok: false, message: `Open ${path.basename(URI.toPath(p.uri))} in the editor first.` };
    if (!snapshot) return notOpen;
    try {
      return (await pool.call('explainMismatch', () => withDoc(snapshot(), (doc) => ({ doc, log: p.log })), { uri: p.uri, interactive: true })) ?? notOpen;
    } catch (e) {
      connection.console.error(`ai8x explain-mismatch: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, message: `The mismatches could not be explained (${e instanceof Error ? e.message : String(e)}). Please report this network.` };
    }
  });

  connection.onRequest(ExportLayerRequest, (p) => runs.exportLayer(p.runId, p.layer));
  connection.onRequest(KnownAnswerHeaderRequest, (p) => runs.knownAnswerHeader(p.runId));
  return runs;
}
