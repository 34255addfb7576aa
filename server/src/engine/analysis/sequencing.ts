// izer's first traversal (izer.main): execution order, channel counts, default output maps, final layer.
// Rules #89–#98, plus a `next_sequence` cycle (izer loops forever on it).
import { layerName, PassContext, pyAt, reportLayer, reportNetwork } from './passContext';
import type { IzerState } from './izerState';

export function runSequencing(ctx: PassContext, s: IzerState): boolean {
  const { device, flags } = ctx;
  const layers = s.layers;
  const inputC = s.inputSize ? s.inputSize[0] : null;
  if (flags.startLayer >= layers) {
    reportNetwork(
      ctx,
      'AX307',
      'error',
      `\`--start-layer ${flags.startLayer}\` is beyond the last layer (${layers - 1}); izer would stop with a Python exception.`,
    );
    return false;
  }
  // Rule #81: izer.main checks every YAML layer's `out_offset` against the four data memories' byte range.
  const offsetLimit = 4 * device.memSize;
  for (let ll = 0; ll < s.cfgLayers; ll++) {
    const off = s.outputOffset[ll];
    if (off < 0 || off >= offsetLimit) {
      reportLayer(
        ctx,
        ll,
        81,
        'error',
        ['out_offset'],
        `\`out_offset\` 0x${off.toString(16)} is outside data memory: on ${device.name} it must be at least 0 and below 0x${offsetLimit.toString(16)} (the size of the four data memories).`,
      );
    }
  }
  const next = s.nextSequence;
  for (let ll = 0; ll < layers - 1; ll++) if (Number.isNaN(next[ll])) next[ll] = ll + 1;
  if (Number.isNaN(next[layers - 1])) next[layers - 1] = -1;

  let prev = -1;
  let finalLayer: number | null = null;
  let maxLayer = flags.startLayer;
  let minLayer = flags.startLayer;
  let ll = flags.startLayer;
  const visited = new Set<number>();
  const order: number[] = [];
  const ch = s.channelsKnown;

  while (ll >= 0 && ll < layers) {
    if (visited.has(ll)) {
      reportLayer(
        ctx,
        prev,
        'AX301',
        'error',
        ['next_sequence'],
        `\`next_sequence\` leads back to ${layerName(ctx, ll)}, which already ran: the layer sequence is a loop. izer would never finish on this file.`,
      );
      finalLayer = prev;
      break;
    }
    visited.add(ll);
    order.push(ll);
    const ins = s.inSequences[ll];
    if (ins && ins.length && !ins.some((i) => Number.isNaN(i))) {
      if (ch && inputC !== null) {
        if (s.eltwise[ll] === null) s.inputChannels[ll] = ins.reduce((sum, i) => sum + (i === -1 ? inputC : (pyAt(s.outputChannels, i) ?? 0)), 0);
        else if (ins[0] === -1) s.inputChannels[ll] = inputC;
        else if (ins[0] === -2) s.inputChannels[ll] = ctx.model.dataBuffer?.dim[0] ?? 0;
        else s.inputChannels[ll] = pyAt(s.outputChannels, ins[0]) ?? 0;
      }
      const gap = pyAt(s.writeGap, ins[0]) ?? 0;
      const chan = pyAt(s.outputChannels, ins[0]) ?? 0;
      const names = ins.map((i) => (i === -1 ? 'input' : String(i))).join(', ');
      let chanReported = false;
      let gapReported = false;
      for (const e of ins) {
        if (ch && !chanReported && chan !== (pyAt(s.outputChannels, e) ?? 0)) {
          chanReported = true;
          const counts = ins.map((i) => pyAt(s.outputChannels, i) ?? 0).join(', ');
          reportLayer(
            ctx,
            ll,
            89,
            'error',
            ['in_sequences'],
            `The inputs [${names}] have different channel counts (${counts}); every input listed in \`in_sequences\` must have the same number of channels.`,
          );
        }
        if (!gapReported && gap !== (pyAt(s.writeGap, e) ?? 0)) {
          gapReported = true;
          reportLayer(
            ctx,
            ll,
            90,
            'warning',
            ['in_sequences'],
            `The inputs [${names}] were written with different \`write_gap\` values, so they are not interleaved the same way.`,
          );
        }
      }
      const ops = s.operands[ll];
      if (ops > 1) {
        if (gap !== ops - 1)
          reportLayer(
            ctx,
            ll,
            91,
            'warning',
            ['in_sequences', 'operands'],
            `This element-wise layer has ${ops} operands, so its inputs [${names}] should be written with \`write_gap: ${ops - 1}\`; they use ${gap}.`,
          );
        if (s.inputSkip[ll] !== Math.floor(gap / ops))
          reportLayer(
            ctx,
            ll,
            92,
            'warning',
            ['read_gap', 'in_skip', 'in_sequences'],
            `\`read_gap\` ${s.inputSkip[ll]} does not fit ${ops} operand${ops === 1 ? '' : 's'} written with \`write_gap\` ${gap}; expected ${Math.floor(gap / ops)}.`,
          );
      } else if (gap > 0) {
        const k = ins.length;
        if (gap !== k - 1)
          reportLayer(
            ctx,
            ll,
            93,
            'warning',
            ['in_sequences'],
            `Interleaving ${k} input${k === 1 ? '' : 's'} needs \`write_gap: ${k - 1}\` on them; [${names}] use ${gap}.`,
          );
        if (s.inputSkip[ll] !== Math.floor((gap + 1) / k) - 1)
          reportLayer(
            ctx,
            ll,
            94,
            'warning',
            ['read_gap', 'in_skip', 'in_sequences'],
            `\`read_gap\` ${s.inputSkip[ll]} does not fit ${k} interleaved input${k === 1 ? '' : 's'} with \`write_gap\` ${gap}; expected ${Math.floor((gap + 1) / k) - 1}.`,
          );
      }
    } else if (!ins) {
      const gap = prev === -1 || prev === -2 ? 0 : s.writeGap[prev];
      if (gap !== s.inputSkip[ll])
        reportLayer(
          ctx,
          ll,
          95,
          'warning',
          ['read_gap', 'in_skip'],
          `\`read_gap\` ${s.inputSkip[ll]} does not match the \`write_gap\` ${gap} of ${prev === -1 ? 'the input' : layerName(ctx, prev)}, which produces this layer's input.`,
        );
    }

    if (ch) {
      if (s.inputChannels[ll] <= 0) {
        if (ll === 0) s.inputChannels[ll] = inputC !== null ? Math.floor(inputC / s.operands[0]) : 0;
        else s.inputChannels[ll] = pyAt(s.outputChannels, prev) ?? 0;
      }
    }
    const spec = ctx.model.layers[ll];
    if (spec.inChannels !== null) s.inputChannels[ll] = spec.inChannels;
    if (ch && s.outputChannels[ll] <= 0) s.outputChannels[ll] = s.inputChannels[ll];
    if (spec.outChannels !== null) s.outputChannels[ll] = spec.outChannels;

    if (s.outputProcessorMap[ll] === null && next[ll] !== -1 && next[ll] < layers) s.outputProcessorMap[ll] = s.processorMap[next[ll]];
    if (flags.stopAfter !== null && ll === flags.stopAfter - flags.skipYamlLayers) next[ll] = -1;

    s.prevSequence[ll] = prev;
    prev = ll;
    maxLayer = Math.max(ll, maxLayer);
    minLayer = Math.min(ll, minLayer);
    if (next[ll] !== -1 && next[ll] !== ll + 1 && !device.features.linkLayer) {
      reportLayer(
        ctx,
        ll,
        96,
        'error',
        ['next_sequence'],
        `${device.name} runs layers strictly in order: \`next_sequence\` may only name the next layer (${ll + 1}) or \`stop\`. Jumps need MAX78002.`,
      );
    } else if (next[ll] > layers) {
      reportLayer(ctx, ll, 97, 'warning', ['next_sequence'], `\`next_sequence\` ${next[ll]} is beyond the last layer; izer treats it as \`stop\`.`);
      next[ll] = -1;
    }
    if (next[ll] === -1) {
      finalLayer = ll;
      break;
    }
    ll = next[ll];
  }

  s.layers = maxLayer + 1;
  s.finalLayer = finalLayer ?? maxLayer;
  s.firstLayerUsed = minLayer;
  s.startLayer = flags.startLayer;
  s.order = order;
  const fin = s.finalLayer;
  if (ctx.model.outputMap !== null) s.outputProcessorMap[fin] = ctx.model.outputMap;
  else if (s.outputProcessorMap[fin] === null && ch) {
    const oc = s.outputChannels[fin];
    const expand = Math.ceil(oc / 64);
    let chunk = Math.ceil(oc / expand);
    if (oc > 64) chunk = Math.min((chunk + 3) & ~3, 64);
    s.outputProcessorMap[fin] = (1n << BigInt(chunk)) - 1n;
  }

  // izer trims every per-layer list to the layers it keeps, and applies command-line overrides.
  if (flags.outputWidth !== null) s.outputWidth[fin] = flags.outputWidth;
  if (flags.ignoreStreaming) s.streaming = s.streaming.map(() => false);
  if (flags.streamingLayers) for (const e of flags.streamingLayers) if (e >= 0 && e < s.streaming.length) s.streaming[e] = true;
  if (flags.calcx4) s.calcx4 = s.calcx4.map(() => true);
  if (flags.readAhead) s.readahead = s.readahead.map(() => true);
  if (!s.outputLayer.slice(0, s.layers).some((x) => x)) s.outputLayer[fin] = true;
  else if (!s.outputLayer[fin]) {
    reportLayer(
      ctx,
      fin,
      98,
      'warning',
      ['output'],
      `Some layers are marked \`output: true\`, but the final layer ${fin} is not; izer still ends the network here.`,
    );
  }
  if (flags.inputOffset !== null) s.inputOffset[flags.startLayer] = flags.inputOffset;
  s.terminatingLayer = fin;
  for (let i = 0; i < s.layers; i++) {
    if (s.simulatedSequence[i] === -1) {
      s.terminatingLayer = i;
      break;
    }
  }
  return true;
}
