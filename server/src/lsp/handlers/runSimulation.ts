// ai8x/runSimulation: the check with the chosen input and the files it reads run in a check worker; the simulation
// runs here, a layer at a time (it yields between layers), with progress notifications and cancellation. The finished
// run is kept for the export requests (state/simulationRuns.ts). Failures are answers, not crashes.
import * as path from 'node:path';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { CancellationToken } from 'vscode-languageserver/node';
import { deviceByName } from '../../engine/device/devices';
import { simulateAsync, SimulationCancelled, SimulationError } from '../../engine/simulate';
import { knownAnswerSize, summarizeLayer, summarizeOutput } from '../../engine/services/simulationReport';
import { RunSimulationParams, RunSimulationResult, SimulationProgressNotification } from '../../protocol';
import { CheckFailure } from '../state/checkPool';
import { URI } from '../uri';
import type { ServerContext } from './context';

export async function runSimulation(p: RunSimulationParams, ctx: ServerContext, token: CancellationToken): Promise<RunSimulationResult> {
  const fail = (reason: Extract<RunSimulationResult, { ok: false }>['reason'], message: string, details: string[] = []): RunSimulationResult => ({
    ok: false,
    runId: p.runId,
    reason,
    message,
    details,
  });
  const snapshot = await ctx.analyses.snapshot(p.uri);
  if (!snapshot) return fail('not-open', `Open ${path.basename(URI.toPath(p.uri))} in the editor first.`);
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  try {
    // The check with the chosen input and the files it reads run in a check worker; the simulation runs here, a
    // layer at a time (it yields between layers).
    const prepared = await ctx.pool.call(
      'prepareSimulation',
      () => {
        const doc = snapshot();
        return doc ? { doc, input: p.input } : null;
      },
      { uri: p.uri, interactive: true },
    );
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
        void ctx.connection.sendNotification(SimulationProgressNotification, { runId: p.runId, done, expected, layer: layer.index, name: layer.name });
      },
    });
    const network = path.basename(URI.toPath(p.uri));
    ctx.simulations.add(p.runId, p.uri, network, sim);
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
    ctx.connection.console.error(`ai8x simulation: ${e instanceof Error ? e.stack : String(e)}`);
    return fail('internal-error', `Internal error while simulating (${e instanceof Error ? e.message : String(e)}). Please report this network.`);
  } finally {
    sub.dispose();
  }
}
