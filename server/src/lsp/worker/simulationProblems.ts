// Why a document cannot be simulated or its board log explained, in the editor's words (its commands, its Problems
// view); the CLI says the same problems in its own (cli/simulateCommand.ts).
import * as path from 'node:path';
import type { SimulationProblem } from '../../app/simulate';
import type { ExplainMismatchResult, SimulationFailureReason, SimulationInput } from '../../protocol';
import { inputShapeProblem } from '../../shared/inputShape';

export type EditorProblem = { ok: false; reason: SimulationFailureReason; message: string; details: string[] };

/** Why a document cannot be simulated, in the editor's words (its commands, its Problems view). */
export function editorProblem(p: SimulationProblem | { ok: false; reason: 'not-network' }, name: string, input?: SimulationInput): EditorProblem {
  const problem = (reason: SimulationFailureReason, message: string, details: string[] = []): EditorProblem => ({ ok: false, reason, message, details });
  switch (p.reason) {
    case 'not-network':
      return problem(
        'not-network',
        `${name} is not an ai8x network description (it needs top-level \`arch\` and \`layers\`, or a match in the setting ai8x.networkFiles).`,
      );
    case 'no-layers':
      return problem('not-network', `${name} has no top-level \`layers\` list to simulate.`);
    case 'no-checkpoint':
      return problem(
        'no-checkpoint',
        `No checkpoint is associated with ${name}. Choose one with "ai8x: Choose Checkpoint for This Network", or add a \`# ai8x: checkpoint=…\` line to the file.`,
      );
    case 'checkpoint-unreadable':
      return problem('checkpoint-unreadable', `The checkpoint ${p.path} cannot be used: ${p.error}`);
    case 'no-input-shape': {
      const given = input?.kind === 'random' && input.shape ? ` (${inputShapeProblem(input.shape)})` : '';
      return problem('no-input-shape', `A random input needs a shape (C,H,W or C,L)${given}: ${name} has no sample input to take it from.`);
    }
    case 'sample-unreadable':
      return problem('sample-unreadable', `The sample input ${p.path} cannot be used: ${p.error}`);
    case 'no-sample': {
      const tried = p.candidates.length
        ? ` izer reads its default tests/${path.basename(p.candidates[0])} from the ai8x-synthesis folder; looked for ${p.candidates.join(', ')}: none exists.`
        : '';
      return problem('no-sample', `${name} has no sample input.${tried} Choose a .npy file or a random input, or add \`# ai8x: sample-input=…\` to the file.`);
    }
    case 'network-errors': {
      const { errors, result } = p;
      const details = errors.slice(0, 8).map((d) => {
        const at = result.lines.position(d.range[0]);
        return `${at.line + 1}:${at.character + 1} ${d.code} ${d.message}`;
      });
      if (errors.length > details.length) details.push(`… and ${errors.length - details.length} more (see the Problems view)`);
      return problem(
        'network-errors',
        `${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before simulating.`,
        details,
      );
    }
    case 'not-resolved':
      return problem(
        'not-resolved',
        `${name} could not be resolved far enough to simulate it (the checkpoint and the sample input must both fit the network).`,
      );
  }
}

export function explainProblem(p: EditorProblem): ExplainMismatchResult {
  return { ok: false, message: `${p.message}${p.details.length ? ` ${p.details[0]}` : ''}` };
}
