// ai8x/synthesize (native synthesis) when no worker can answer: the document is not open, or the worker failed.
import * as path from 'node:path';
import type { SynthesisOutcome, SynthesizeParams } from '../../protocol';
import { emptyOutcome } from '../../synthesis/synthesize';
import { URI } from '../uri';

function notSynthesized(p: SynthesizeParams, status: 'refused' | 'failed', problem: string): SynthesisOutcome {
  return emptyOutcome(p.testDir, p.prefix, status, problem);
}

export const synthesisNotOpen = (p: SynthesizeParams): SynthesisOutcome =>
  notSynthesized(p, 'refused', `Open ${path.basename(URI.toPath(p.uri))} in the editor first.`);

export const synthesisFailed = (p: SynthesizeParams, e: unknown): SynthesisOutcome =>
  notSynthesized(p, 'failed', `The synthesis could not run: ${e instanceof Error ? e.message : String(e)}.`);
