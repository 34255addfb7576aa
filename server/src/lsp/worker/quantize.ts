// ai8x/quantizeCheckpoint in a check worker: reads the training checkpoint and writes the quantized one.
import type { QuantizeCheckpointParams, QuantizeCheckpointResult } from '../../protocol';
import { quantizeFile } from '../../workspace/quantizeFiles';

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
