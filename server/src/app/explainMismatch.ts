// The explain workflow: the board's `Data mismatch … Expected …, read …` lines against a simulation of the network
// with the checkpoint and the sample input the firmware was made with (`ai8x explain-mismatch`, the editor command).
import { SimulationError } from '../engine/simulate';
import { BoardLog, explainMismatches, MismatchExplanation } from '../engine/services/explainMismatch';
import type { InputSources } from './inputSources';
import type { NetworkRequest } from './networkRequest';
import { PreparedSimulation, prepareSimulation, runSimulation, SimulationProblem } from './simulate';

export type ExplainOutcome =
  | { ok: true; prepared: PreparedSimulation; explanations: MismatchExplanation[] }
  | SimulationProblem
  | { ok: false; reason: 'simulation-error'; error: SimulationError };

export function explainBoardLog(req: NetworkRequest, sources: InputSources, log: BoardLog): ExplainOutcome {
  const prepared = prepareSimulation(req, sources);
  if (!prepared.ok) return prepared;
  try {
    const sim = runSimulation(prepared);
    return { ok: true, prepared, explanations: explainMismatches(log.mismatches, { result: prepared.result, plan: prepared.plan, sim }) };
  } catch (e) {
    if (e instanceof SimulationError) return { ok: false, reason: 'simulation-error', error: e };
    throw e;
  }
}
