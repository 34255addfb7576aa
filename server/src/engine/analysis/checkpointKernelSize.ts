// checkpoint.load's kernel checks: the YAML `kernel_size` must be what the weight tensor's shape says (rules #74–#76;
// izer reports each and stops after the load), and AX208 when the tensor's rank suggests another operator (izer
// matches weights by position only, so a missing or extra layer shows up here first).
import type { LayerSpec } from '../model/network';
import { CheckpointFindings, MatchedWeight, keyRange, opRange } from './checkpointCommon';

/** `shape` is the tensor's, `dims` the oriented one's (ConvTranspose2d swaps the first two). */
export function checkKernelSize(m: MatchedWeight, shape: number[], dims: number[], findings: CheckpointFindings): void {
  const { key, layer: L, label } = m;
  const ndim = shape.length;
  const k = L.kernelSize;
  const kRange = keyRange(L, 'kernel_size', opRange(L));
  const given = `${k[0]}x${k[1]}`;
  const rankHint = (want: string): string => (!sameOperator(want, L) ? ` (the tensor is a ${want} weight but ${label} is ${L.op})` : '');
  let kernelReported = false;
  if (ndim === 2 && (k[0] !== 1 || k[1] !== 1)) {
    findings.error(
      74,
      kRange,
      L,
      `\`${key}\` is a Linear weight [${shape.join(', ')}], so ${label} needs \`kernel_size\` 1x1, not ${given}${rankHint('linear')}.`,
    );
    kernelReported = true;
  } else if (ndim === 3 && (k[0] !== dims[2] || k[1] !== 1)) {
    findings.error(
      75,
      kRange,
      L,
      `\`${key}\` is a Conv1d weight [${shape.join(', ')}], so ${label} needs \`kernel_size\` ${dims[2]} (${dims[2]}x1), not ${given}${rankHint('conv1d')}.`,
    );
    kernelReported = true;
  } else if (ndim === 4 && (k[0] !== dims[2] || k[1] !== dims[3])) {
    findings.error(
      76,
      kRange,
      L,
      `\`${key}\` is a Conv2d weight [${shape.join(', ')}], so ${label} needs \`kernel_size\` ${dims[2]}x${dims[3]}, not ${given}${rankHint('conv2d')}.`,
    );
    kernelReported = true;
  }
  const impliedOp = ndim === 2 ? 'linear' : ndim === 3 ? 'conv1d' : ndim === 4 ? 'conv2d' : null;
  if (!kernelReported && impliedOp && !sameOperator(impliedOp, L)) {
    findings.warn(
      'AX208',
      opRange(L),
      L,
      `\`${key}\` looks like a ${impliedOp} weight [${shape.join(', ')}], but ${label} is ${L.op}. izer matches weights by position only: is a layer missing or out of order?`,
    );
  }
}

/** Does a weight of operator `op` (from its rank) suit the layer? A conv2d weight suits ConvTranspose2d too. */
function sameOperator(op: string, L: LayerSpec): boolean {
  return op === L.op || (op === 'conv2d' && L.op === 'convtranspose2d');
}
