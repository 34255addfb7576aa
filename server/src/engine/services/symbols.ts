// The outline: one symbol per layer (index, name, operation, kernel).
import type { NetworkModel } from '../model/network';
import type { Range } from '../yaml/yamlTree';
import { opSummary } from './layerDetails';

export interface LayerSymbol {
  name: string;
  detail: string;
  range: Range;
  selectionRange: Range;
  layer: number;
}

export function layerSymbols(model: NetworkModel): LayerSymbol[] {
  return [...model.layers]
    .sort((a, b) => a.yamlIndex - b.yamlIndex)
    .map((l) => {
      const first = l.node.entries[0];
      return {
        name: `${l.ll}${l.name ? ' ' + l.name : ''}`,
        detail: opSummary(l),
        range: l.node.range,
        selectionRange: first ? first.key.range : l.node.range,
        layer: l.yamlIndex,
      };
    });
}
