// The model as read and the checkpoint must describe the same network: izer gives the checkpoint's weight tensors
// to the YAML's layers by position, so the layers with weights must come in the checkpoint's order, under the same
// names, with the channel counts and kernel sizes of the tensors, and with the weight bits the model fixes.
import type { Tensor, TorchCheckpoint } from '../checkpoint/types';
import type { NetworkLayer } from './lowerGraph';

export interface CheckpointWeight {
  key: string;
  path: string;
  shape: number[];
  /** The layer's `weight_bits` entry, when the checkpoint has one. */
  weightBits: number | null;
}

/** The checkpoint's weight tensors in izer's order (every `<path>.<op>.weight` / `<path>.weight` tensor of rank ≥ 2). */
export function checkpointWeights(c: TorchCheckpoint): CheckpointWeight[] {
  const out: CheckpointWeight[] = [];
  const bits = new Map<string, number>();
  for (const { key, value } of c.stateDict) {
    if (key.endsWith('.weight_bits') && isTensor(value) && value.values.length === 1) bits.set(key.slice(0, -'.weight_bits'.length), Number(value.values[0]));
  }
  for (const { key, value } of c.stateDict) {
    if (!key.endsWith('.weight') || !isTensor(value) || value.shape.length < 2) continue;
    const parts = key.split('.');
    const owner = parts.length >= 3 ? parts.slice(0, -2).join('.') : parts.slice(0, -1).join('.');
    out.push({ key, path: owner.replace(/^module\./, ''), shape: value.shape, weightBits: bits.get(owner) ?? null });
  }
  return dedupe(out);
}

/** Null when the layers and the checkpoint agree, else what differs first (naming both sides). */
export function checkpointDisagreement(layers: NetworkLayer[], weights: CheckpointWeight[]): string | null {
  const weighted = layers.filter((l) => l.weightPath !== null && l.layer);
  for (let i = 0; i < Math.max(weighted.length, weights.length); i++) {
    const l = weighted[i];
    const w = weights[i];
    const where = (x: NetworkLayer) => (x.origin.kind === 'layer' ? ` (line ${x.origin.line})` : '');
    if (!l) return `the checkpoint has ${weights.length} weight tensors, the model ${weighted.length} layers with weights: \`${w.key}\` has no layer`;
    if (!w) return `the model has ${weighted.length} layers with weights, the checkpoint only ${weights.length}: \`${l.weightPath}\`${where(l)} has no tensor`;
    if (w.path !== l.weightPath) {
      return `the checkpoint's weight tensor #${i + 1} is \`${w.key}\`, but the model's layer #${i + 1} with weights is \`${l.weightPath}\`${where(l)} (izer matches them by position)`;
    }
    const expect = expectedShape(l);
    if (expect && (expect.length !== w.shape.length || expect.some((d, k) => d !== w.shape[k]))) {
      return `\`${l.weightPath}\`${where(l)} needs weights of shape [${expect.join(', ')}], but the checkpoint's \`${w.key}\` is [${w.shape.join(', ')}]`;
    }
    const fixed = l.layer?.weightBits ?? null;
    if (fixed !== null && w.weightBits !== null && fixed !== w.weightBits) {
      return `\`${l.weightPath}\`${where(l)} fixes weight_bits=${fixed}, but the checkpoint's \`${w.path}.weight_bits\` is ${w.weightBits} (was the checkpoint trained from another model?)`;
    }
  }
  return null;
}

function expectedShape(l: NetworkLayer): number[] | null {
  const a = l.layer;
  if (!a) return null;
  const inPerGroup = a.inChannels / Math.max(1, a.groups);
  switch (a.op) {
    case 'linear':
      return [a.outChannels, a.inChannels];
    case 'conv1d':
      return [a.outChannels, inPerGroup, a.kernel[0]];
    case 'convtranspose2d':
      return [a.inChannels, a.outChannels / Math.max(1, a.groups), a.kernel[0], a.kernel[1]];
    case 'conv2d':
      return [a.outChannels, inPerGroup, a.kernel[0], a.kernel[1]];
    default:
      return null;
  }
}

/** A state_dict saved with and without DataParallel's `module.` prefix holds each tensor twice; izer uses the first. */
function dedupe(ws: CheckpointWeight[]): CheckpointWeight[] {
  const seen = new Set<string>();
  return ws.filter((w) => {
    if (seen.has(w.path)) return false;
    seen.add(w.path);
    return true;
  });
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v && 'values' in v;
}
