// "ai8x: Quantize Checkpoint" (and the AX202 quick fix that runs it) and the checkpoint picker's marks: both read
// checkpoint files and the first writes one, so a check worker does the work.
import type { CheckpointStatesParams, CheckpointStatesResult, QuantizeCheckpointParams, QuantizeCheckpointResult } from '../../protocol';
import { quantizedName } from '../../shared/checkpointNames';
import type { ServerContext } from './context';

export async function quantizeCheckpoint(p: QuantizeCheckpointParams, ctx: ServerContext): Promise<QuantizeCheckpointResult> {
  const output = p.output ?? quantizedName(p.input);
  try {
    const r = await ctx.pool.call('quantize', { ...p, output }, { interactive: true });
    if (!r) return { ok: false, reason: 'io', message: 'the quantization was cancelled', output };
    // The checks that read this file read it anew.
    if (r.ok) ctx.pool.fileChanged(r.output);
    return r;
  } catch (e) {
    return { ok: false, reason: 'io', message: `the quantizer could not run: ${e instanceof Error ? e.message : String(e)}`, output };
  }
}

export async function checkpointStates(p: CheckpointStatesParams, ctx: ServerContext): Promise<CheckpointStatesResult> {
  try {
    return (await ctx.pool.call('checkpointStates', p, { interactive: true })) ?? { states: p.files.map(() => 'unknown') };
  } catch {
    return { states: p.files.map(() => 'unknown') };
  }
}
