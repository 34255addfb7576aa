// What izer changes once a layer's keys are read: the settings its operator implies, the Conv1d padding quirk,
// and the contraction of sequence numbers to layer numbers.
import type { DiagnosticSink } from '../diagnosticSink';
import { firstKeyRange } from './keyReading';
import { LAYER_DEFAULTS, OPERATOR_DEFAULTS } from './layerDefaults';
import type { LayerSpec } from './network';

/** The settings the operator implies, applied at the end of each layer as izer does. */
export function fixUpOperator(layer: LayerSpec): void {
  if (layer.op === 'conv1d') {
    layer.pad = [layer.pad[0], 0];
    layer.pool = [layer.pool[0], 1];
    layer.poolStride = [layer.poolStride[0], 1];
    layer.stride = [layer.stride[0], 1];
    layer.dilation = [layer.dilation[0], 1];
    layer.poolDilation = [layer.poolDilation[0], 1];
  } else if (layer.op === 'none') {
    layer.kernelSize = [...OPERATOR_DEFAULTS.none.kernelSize];
  } else if (layer.op === 'convtranspose2d') {
    layer.stride = [...OPERATOR_DEFAULTS.convtranspose2d.stride];
  }
}

/**
 * izer quirk: Conv1d's fix-up writes into the shared default padding, so every layer that relies on the default
 * padding ends up with [1, 0] once any Conv1d layer lacks `pad`.
 */
export function applyConv1dPaddingQuirk(layers: LayerSpec[], sink: DiagnosticSink): void {
  if (!layers.some((l) => l.op === 'conv1d' && !l.padGiven)) return;
  for (const l of layers) {
    if (l.padGiven || l.op === 'none' || l.op === 'linear' || l.op === 'conv1d') continue;
    l.pad = [LAYER_DEFAULTS.pad[0], 0];
    sink.add(
      'AX004',
      'warning',
      firstKeyRange(l.node),
      l.yamlIndex,
      'This layer has no `pad`, and a Conv1d layer in this file has no `pad` either. Because of an izer quirk the shared default padding then becomes [1, 0] (no padding of the width). Give `pad` explicitly to get the padding you mean.',
    );
  }
}

/**
 * izer's layer numbers: the layers in sequence order, numbered from 0 without the unused sequence numbers. A
 * layer whose sequence number an earlier layer took is left out and numbered −1.
 */
export function contractSequence(bySeq: Map<number, LayerSpec>, all: LayerSpec[]): LayerSpec[] {
  const ordered = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  ordered.forEach((l, i) => (l.ll = i));
  for (const l of all) if (!bySeq.has(l.seq) || bySeq.get(l.seq) !== l) l.ll = -1;
  return ordered;
}
