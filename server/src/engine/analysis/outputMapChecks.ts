// AX306: a layer's explicit `output_processors` put its output on other processors (same count) than the
// `processors` of the layer that runs next and reads it. izer compares the maps only for layers with
// `in_sequences` (rule #208); without them the next layer reads data memories this layer did not write, and the
// hardware result differs from izer's simulation (which passes the data along without memory addresses).
import { maskHex, popcount } from '../model/processorMask';
import { layerName, PassContext, reportLayer } from './passContext';
import type { IzerState } from './izerState';

export function runOutputMapChecks(ctx: PassContext, s: IzerState): void {
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const spec = ctx.model.layers[ll];
    const entry = spec?.entries.get('output_processors');
    if (!entry?.value || spec.outputProcessors === null) continue;
    if (ll === s.finalLayer && ctx.model.outputMap !== null) continue;
    const next = s.nextSequence[ll];
    if (!(next >= 0 && next < s.layers) || s.inSequences[next] !== null || s.streaming[next]) continue;
    const om = s.outputProcessorMap[ll];
    const pm = s.processorMap[next];
    // Different counts are the count checks' business (#222/#224); this is the same count in other places.
    if (om === null || pm === 0n || om === pm || popcount(om) !== popcount(pm)) continue;
    reportLayer(
      ctx,
      ll,
      'AX306',
      'warning',
      ['output_processors'],
      `\`output_processors\` ${maskHex(om)} are not the processors ${maskHex(pm)} of ${layerName(ctx, next)}, which runs next and reads this output: it would read data memories this layer does not write. izer does not check this, and the hardware result would differ from izer's simulation.`,
      {
        fix: {
          kind: 'replaceValue',
          range: entry.value.range,
          newText: maskHex(pm),
          title: `Write the output where ${layerName(ctx, next)} reads it: ${maskHex(pm)}`,
        },
      },
    );
  }
}
