// "ai8x: Quantize Checkpoint" (and the AX202 quick fix that runs it) and the checkpoint picker's marks, on the
// server: both read checkpoint files and the first writes one, so they run in a check worker.
import type { Connection } from 'vscode-languageserver/node';
import {
  CheckpointStatesRequest,
  QuantizeCheckpointRequest,
  type CheckpointStatesResult,
  type QuantizeCheckpointParams,
  type QuantizeCheckpointResult,
} from '../protocol';
import { quantizedName } from '../shared/checkpointNames';
import { quantizeFile } from '../workspace/quantizeFiles';
import type { CheckPool } from './checkPool';

export function registerQuantize(connection: Connection, pool: CheckPool): void {
  connection.onRequest(QuantizeCheckpointRequest, async (p): Promise<QuantizeCheckpointResult> => {
    const output = p.output ?? quantizedName(p.input);
    try {
      const r = await pool.call('quantize', { ...p, output }, { interactive: true });
      if (!r) return { ok: false, reason: 'io', message: 'the quantization was cancelled', output };
      // The checks that read this file read it anew.
      if (r.ok) pool.fileChanged(r.output);
      return r;
    } catch (e) {
      return { ok: false, reason: 'io', message: `the quantizer could not run: ${e instanceof Error ? e.message : String(e)}`, output };
    }
  });
  connection.onRequest(CheckpointStatesRequest, async (p): Promise<CheckpointStatesResult> => {
    try {
      return (await pool.call('checkpointStates', p, { interactive: true })) ?? { states: p.files.map(() => 'unknown') };
    } catch {
      return { states: p.files.map(() => 'unknown') };
    }
  });
}

/** ai8x/quantizeCheckpoint, in a worker. */
export function quantizeInWorker(p: QuantizeCheckpointParams & { output: string }): QuantizeCheckpointResult {
  const r = quantizeFile({ input: p.input, output: p.output, device: p.device, force: p.replace === true });
  if (!r.ok) return { ok: false, reason: r.kind, message: r.message, output: p.output };
  return {
    ok: true,
    output: r.output,
    layers: r.result.layers.length,
    bits: [...new Set(r.result.layers.map((l) => l.bits))],
    clippingMethod: r.result.clippingMethod,
    warnings: r.result.warnings,
  };
}
