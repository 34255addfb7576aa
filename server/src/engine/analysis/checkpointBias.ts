// The per-layer scalars checkpoint.load reads next to a weight: the bias, scaled to the weights' bit width (rules
// #77, #78), and the output shift (rule #79), which becomes the layer's total shift with the quantization.
import type { IzerFlags } from '../izerFlags';
import type { PyObject, Tensor } from '../checkpoint/types';
import { CheckpointFindings, MatchedWeight, describeValue, isTensor, layerAnchor } from './checkpointCommon';

/**
 * The layer's bias: `<layer>[.<op>].bias` as floor(b / 2^(weight_bits − 1)), with the checkpoint's weight_bits.
 * 'none' when there is none or --no-bias drops it; 'stop' where izer stops (reported).
 */
export function scaledBias(
  m: MatchedWeight,
  state: ReadonlyMap<string, Tensor | PyObject>,
  weightBits: number,
  flags: IzerFlags,
  findings: CheckpointFindings,
): { key: string; values: Int32Array } | 'none' | 'stop' {
  const { layer: L, label } = m;
  const biasName = m.thisOp === null ? `${m.layerName}.bias` : `${m.layerName}.${m.thisOp}.bias`;
  const b = state.get(biasName);
  const dropped = flags.noBias === 'all' || (Array.isArray(flags.noBias) && flags.noBias.includes(m.seq));
  if (b === undefined || dropped) return 'none';
  if (!isTensor(b)) {
    findings.error('AX201', layerAnchor(L), L, `\`${biasName}\` is ${describeValue(b)}, not a tensor; izer stops with a Python exception.`);
    return 'stop';
  }
  const div = 2 ** ((weightBits === 0 ? 8 : weightBits) - 1);
  const scaled = new Int32Array(b.values.length);
  let bMin = Infinity;
  let bMax = -Infinity;
  let bZero = true;
  const braw = b.values;
  for (let i = 0; i < braw.length; i++) {
    const v = Math.floor(braw[i] / div);
    scaled[i] = v;
    if (v < bMin) bMin = v;
    if (v > bMax) bMax = v;
    if (v !== 0) bZero = false;
  }
  if (bZero) findings.warn(77, layerAnchor(L), L, `Every bias value of \`${biasName}\` (${label}) is zero after scaling.`);
  if (b.values.length && (bMin < -128 || bMax > 127)) {
    findings.error(
      78,
      layerAnchor(L),
      L,
      `The scaled bias of \`${biasName}\` ranges from ${bMin} to ${bMax}, beyond 8 bits (−128 … 127); izer stops with an assertion.`,
    );
    return 'stop';
  }
  return { key: biasName, values: scaled };
}

/**
 * The layer's total output shift: the YAML's `output_shift`, else the checkpoint's `<layer>.output_shift`, else 0;
 * plus 8 − |quantization|. Null where izer stops (reported).
 */
export function totalOutputShift(
  m: MatchedWeight,
  state: ReadonlyMap<string, Tensor | PyObject>,
  yamlShift: number | null,
  quantization: number,
  findings: CheckpointFindings,
): number | null {
  let shift = yamlShift;
  if (shift === null) {
    const osName = `${m.layerName}.output_shift`;
    const os = state.get(osName);
    if (os !== undefined) {
      if (!isTensor(os)) {
        findings.error('AX201', layerAnchor(m.layer), m.layer, `\`${osName}\` is ${describeValue(os)}, not a tensor; izer stops with a Python exception.`);
        return null;
      }
      if (os.values.length !== 1) {
        findings.error(
          79,
          layerAnchor(m.layer),
          m.layer,
          `\`${osName}\` holds ${os.values.length} values; izer needs exactly one and stops with an assertion.`,
        );
        return null;
      }
      shift = Math.trunc(os.values[0]);
    } else shift = 0;
  }
  return shift + 8 - Math.abs(quantization);
}
