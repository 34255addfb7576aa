// The compare-synthesis workflow: izer and the native generator each make the project of a network in a scratch
// folder, and the hardware-image harness says whether both give the accelerator the same thing, or where they first
// differ. Used by `ai8x compare-synthesis` and by the editor's *ai8x: Compare Synthesis with izer*.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImageError } from '../projectImage/imageError';
import { compareProjects } from '../projectImage/compareProjects';
import type { ImageDifference } from '../projectImage/compareImages';
import type { SynthesisHooks } from '../synthesis/synthesize';
import { NATIVE_GENERATOR } from './nativeGenerator';
import { SynthesisInputs, synthesizeNetwork } from './synthesize';

export interface CompareSynthesisRequest {
  /** Resolved for the native engine (the check with checkpoint and sample); izer gets the same files. */
  inputs: SynthesisInputs;
  network: string;
  networkText: string;
  prefix: string;
  izer: { python: string; synthesisDir: string };
  /** Keep both projects (in a folder under the system's temporary folder) to look at afterwards. */
  keep?: boolean;
}

export type CompareSynthesisOutcome =
  | { status: 'compared'; same: boolean; summary: string; differences: ImageDifference[]; izerProject: string | null; nativeProject: string | null }
  | { status: 'izer-failed' | 'native-failed' | 'harness-failed' | 'cancelled'; problem: string };

export async function compareSynthesis(req: CompareSynthesisRequest, hooks: SynthesisHooks = {}): Promise<CompareSynthesisOutcome> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ai8x-compare-'));
  let keep = false;
  try {
    const base = { inputs: req.inputs, network: req.network, networkText: req.networkText, prefix: req.prefix, mode: 'project' as const, force: true };
    const izer = await synthesizeNetwork({ ...base, engine: 'izer', testDir: path.join(scratch, 'izer') }, { izer: req.izer, native: NATIVE_GENERATOR }, hooks);
    if (izer.status === 'cancelled') return { status: 'cancelled', problem: 'cancelled while izer ran' };
    if (izer.status !== 'ok') return { status: 'izer-failed', problem: izer.problem ?? 'izer did not make a project' };
    const native = await synthesizeNetwork({ ...base, engine: 'native', testDir: path.join(scratch, 'native') }, { native: NATIVE_GENERATOR }, hooks);
    if (native.status !== 'ok') return { status: 'native-failed', problem: native.problem ?? 'the native generator did not make a project' };
    if (hooks.signal?.aborted) return { status: 'cancelled', problem: 'cancelled' };
    hooks.onNote?.('Compiling both projects on this computer and comparing what they give the accelerator…');
    let comparison;
    try {
      comparison = await compareProjects(izer.target, native.target, {
        device: req.inputs.device,
        referenceName: "izer's project",
        candidateName: 'the native project',
        signal: hooks.signal,
      });
    } catch (e) {
      if (e instanceof ImageError) return { status: e.problem === 'cancelled' ? 'cancelled' : 'harness-failed', problem: e.message };
      throw e;
    }
    keep = !!req.keep;
    return {
      status: 'compared',
      same: comparison.same,
      summary: comparison.summary,
      differences: comparison.differences,
      izerProject: keep ? izer.target : null,
      nativeProject: keep ? native.target : null,
    };
  } finally {
    if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
  }
}
