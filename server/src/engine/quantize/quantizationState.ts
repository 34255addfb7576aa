// Whether a checkpoint is quantized already (what izer needs) or still holds training weights (what quantize.py
// takes). quantize.py quantizes the weights in state_dict order, the first one always (a config file can stop it
// early), so the first weight tensor tells.
import { scanValues, Tensor, TorchCheckpoint } from '../checkpoint/types';

export type QuantizationState = 'quantized' | 'training' | 'no-weights';

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v;
}

export function quantizationState(checkpoint: TorchCheckpoint): QuantizationState {
  const first = checkpoint.stateDict.find((e) => /(^|\.)weight$/.test(e.key) && isTensor(e.value));
  if (!first) return 'no-weights';
  const values = scanValues(first.value as Tensor);
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return 'training';
  return 'quantized';
}
