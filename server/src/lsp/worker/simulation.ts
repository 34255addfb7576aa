// The simulator's and explain-mismatch's work in a check worker: the document checked with its checkpoint and the
// chosen input (app/simulate.ts); the server's thread then runs the simulation layer by layer. Explaining the
// board's mismatches simulates here as well.
import * as path from 'node:path';
import { isNetworkDocument } from '../../app/check';
import { explainBoardLog } from '../../app/explainMismatch';
import type { InputSources } from '../../app/inputSources';
import { prepareSimulation } from '../../app/simulate';
import { parseBoardLog } from '../../engine/services/explainMismatch';
import type { ExplainMismatchResult, SimulationInput } from '../../protocol';
import { toLspRange } from '../convert';
import { URI } from '../uri';
import type { DocumentSnapshot, PreparedSimulationData } from '../workerProtocol';
import { documentRequest } from './documentRequest';
import { EditorProblem, editorProblem, explainProblem } from './simulationProblems';

/** The check a simulation runs on, with the input chosen, or why it cannot run. */
export function prepareDocumentSimulation(doc: DocumentSnapshot, input: SimulationInput, sources: InputSources): PreparedSimulationData | EditorProblem {
  const yamlPath = URI.toPath(doc.uri);
  const name = path.basename(yamlPath);
  if (!isNetworkDocument(doc.text, yamlPath, doc.settings.networkFiles)) return editorProblem({ ok: false, reason: 'not-network' }, name, input);
  const req = documentRequest(doc, input.kind === 'random' ? { seed: input.seed, shape: input.shape } : undefined);
  if (input.kind === 'file') req.choices = { ...req.choices, sampleInput: path.resolve(path.dirname(yamlPath), input.path) };
  const prepared = prepareSimulation(req, sources);
  if (!prepared.ok) return editorProblem(prepared, name, input);
  const { result, plan, sample, samplePath } = prepared;
  // How the input is shown: a path relative to the network, or the random input's seed.
  const label = samplePath ? path.relative(path.dirname(yamlPath), samplePath) || samplePath : input.kind === 'random' ? `random (seed ${input.seed})` : '';
  return { ok: true, device: result.device.name, flags: result.flags, plan, sample, label };
}

/** The board's `Data mismatch` lines explained against a simulation of the network with its associated input. */
export function explainDocumentMismatches(doc: DocumentSnapshot, text: string, sources: InputSources): ExplainMismatchResult {
  const log = parseBoardLog(text);
  if (!log.mismatches.length) return { ok: true, explanations: [], passed: log.passed };
  const yamlPath = URI.toPath(doc.uri);
  const name = path.basename(yamlPath);
  if (!isNetworkDocument(doc.text, yamlPath, doc.settings.networkFiles)) return explainProblem(editorProblem({ ok: false, reason: 'not-network' }, name));
  const outcome = explainBoardLog(documentRequest(doc), sources, log);
  if (outcome.ok) {
    const { result } = outcome.prepared;
    const explanations = outcome.explanations.map((e) => {
      const spec = e.ll !== null ? result.model.layers[e.ll] : undefined;
      const first = spec?.node.entries[0];
      return { ...e, range: spec ? toLspRange(result.lines, first ? first.key.range : spec.node.range) : null };
    });
    return { ok: true, explanations, passed: log.passed };
  }
  if (outcome.reason === 'simulation-error') return { ok: false, message: `The network cannot be simulated: ${outcome.error.message}` };
  return explainProblem(editorProblem(outcome, name));
}
