// izer.main after the weights are loaded (from a checkpoint or from sample-weight files): when the YAML has more
// layers than weights, it inserts empty entries for the layers that need no weights (`op: none`, `bypass`) and
// copies the entries of `weight_source` layers, then requires the counts to agree (rule #80).
import { LayerSpec, NetworkModel, layerLabel } from '../model/network';
import { resolveRef } from '../model/layerRefs';
import type { Code, IzerRuleNumber } from '../rules';
import type { Range } from '../yaml/yamlTree';
import type { KernelTensor } from './networkPlan';

/** izer's lists as the loader left them (indexed by weight number), and per-YAML-layer facts for messages. */
export interface LoadedWeights {
  weights: (KernelTensor | null)[];
  bias: (Int32Array | null)[];
  inputChannels: number[];
  outputChannels: number[];
  /** Per YAML layer. */
  outputShift: (number | null)[];
  weightKeys: (string | null)[];
  biasKeys: (string | null)[];
  /** Each layer's own bias (what it would get without izer's bypass quirk), for AX207. */
  ownBias: (Int32Array | null)[];
}

export type ReportError = (rule: IzerRuleNumber | Code, range: Range, layer: LayerSpec | null, message: string) => void;

/**
 * Inserts the entries izer inserts, in place. Returns izer's layer count afterwards, or null when izer stops with
 * an exception (reported).
 */
export function insertWeightlessLayers(model: NetworkModel, w: LoadedWeights, loaded: number, error: ReportError): number | null {
  const layers = model.layers;
  const n = layers.length;
  let count = loaded;
  if (n <= count) return count;
  for (let ll = 0; ll < n; ll++) {
    const L = layers[ll];
    if (L.op === 'none' || L.bypass) {
      w.weights.splice(ll, 0, null);
      if (!L.bypass) w.bias.splice(ll, 0, null);
      w.inputChannels.splice(ll, 0, 0);
      w.outputChannels.splice(ll, 0, 0);
      count++;
    } else if (L.weightSource !== null) {
      const val = resolveRef(model, L.weightSource);
      if (val === null) continue; // an unknown name: reported with the YAML (rule 59)
      const at = (list: unknown[]): number | null => {
        const i = val < 0 ? list.length + val : val;
        return i >= 0 && i < list.length ? i : null;
      };
      const wi = at(w.weights);
      const bi = at(w.bias);
      if (wi === null || bi === null || at(w.inputChannels) === null || val >= n || val < -n) {
        const e = L.entries.get('weight_source')!;
        error(
          'AX205',
          (e.value ?? e.key).range,
          L,
          `izer cannot copy the weights of layer ${val} into ${layerLabel(L)} (\`weight_source\`): its weight list has no entry ${val} at that point, and it stops with an IndexError.`,
        );
        return null;
      }
      const src = val < 0 ? n + val : val;
      w.weights.splice(ll, 0, w.weights[wi]);
      w.bias.splice(ll, 0, w.bias[bi]);
      w.inputChannels.splice(ll, 0, w.inputChannels[wi]);
      w.outputChannels.splice(ll, 0, w.outputChannels[wi]);
      w.outputShift[ll] = w.outputShift[src];
      w.weightKeys[ll] = w.weightKeys[src];
      w.biasKeys[ll] = w.biasKeys[src];
      w.ownBias[ll] = w.ownBias[src];
      count++;
    }
  }
  return count;
}

/** Rule #80: after the insertion, izer's layer count must equal the YAML's. */
export function checkLayerCount(
  model: NetworkModel,
  loaded: number,
  count: number,
  source: 'checkpoint' | 'sample weights',
  fileAnchor: Range,
  error: ReportError,
): void {
  const n = model.layers.length;
  if (count === n) return;
  const layersEntry = model.globals.get('layers');
  const hint =
    n > count
      ? source === 'checkpoint'
        ? ' Does the checkpoint belong to a smaller network, or is --skip-checkpoint-layers too large?'
        : ' Does the weight file hold fewer arrays than the network has layers with weights?'
      : '';
  error(
    80,
    layersEntry ? layersEntry.key.range : fileAnchor,
    null,
    `The YAML describes ${n} layers, but the ${source === 'checkpoint' ? 'checkpoint supplies' : 'sample-weight file supplies'} weights for ${loaded} of them${count !== loaded ? ` (${count} with the layers that need none)` : ''}; izer requires the counts to agree.${hint}`,
  );
}

/** AX207: izer's bias list has no entries for bypass layers, so later layers read a neighbour's bias. */
export function reportBiasShift(
  layers: LayerSpec[],
  bias: (Int32Array | null)[],
  own: (Int32Array | null)[],
  warn: (rule: Code, range: Range, l: LayerSpec, msg: string) => void,
): void {
  const firstBypass = layers.findIndex((l) => l.bypass);
  if (firstBypass < 0) return;
  for (let ll = firstBypass + 1; ll < layers.length; ll++) {
    if (layers[ll].bypass || (bias[ll] ?? null) === own[ll]) continue;
    const first = layers[ll].node.entries[0];
    warn(
      'AX207',
      first ? first.key.range : layers[ll].range,
      layers[ll],
      `izer keeps no bias entry for the bypass ${layerLabel(layers[firstBypass])}, so ${layerLabel(layers[ll])} is given ${bias[ll] ? 'the bias of another layer' : 'no bias'} (an izer quirk). Check the generated bias values.`,
    );
    return;
  }
}
