// The backend's second per-layer loop (create_net): channel limits, processor counts against channels
// and passes, passthrough packing, depth-wise alignment, quadrant use and bias groups. Rules #220–#232.
import { ffs, popcount, contiguousMask } from '../model/processorMask';
import { PassContext, reportLayer, reportNetwork } from './passContext';
import type { FixHint } from '../diagnostic';
import type { IzerState } from './izerState';
import { quadProcessorMap } from './quadProcessorMap';

export function runProcessorChecks(ctx: PassContext, s: IzerState): void {
  const { device, flags } = ctx;
  const ch = s.channelsKnown;
  let processorsUsed = 0n;
  const pending224: Pending[] = [];
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const pm = s.processorMap[ll];
    processorsUsed |= ll === s.startLayer && flags.fastFifoQuad ? quadProcessorMap(pm) : pm;
    const fl = s.flatten[ll] ? ' (before flattening)' : '';
    const spec = ctx.model.layers[ll];
    if (ch) {
      if (s.inputChannels[ll] > device.maxChannels)
        reportLayer(
          ctx,
          ll,
          220,
          'error',
          ['in_channels', 'processors'],
          `${s.inputChannels[ll]} input channels${fl} exceed the hardware maximum of ${device.maxChannels}.`,
        );
      if (s.outputChannels[ll] > device.maxChannels)
        reportLayer(
          ctx,
          ll,
          221,
          'error',
          ['out_channels', 'output_processors'],
          `${s.outputChannels[ll]} output channels exceed the hardware maximum of ${device.maxChannels}.`,
        );
      const quad = ll === s.startLayer && flags.fastFifoQuad;
      const want = s.inExpandThresh[ll];
      const have = popcount(pm);
      if (have !== want) {
        const c = s.inputChannels[ll];
        const e = s.inExpand[ll];
        const why =
          e > 1
            ? `${c} input channels${fl} need ${e} passes of ${want} processors (${c} ÷ ${e}${c > 64 ? ', rounded up to a multiple of 4' : ''})`
            : `${c} input channel${c === 1 ? '' : 's'}${fl}${s.operands[ll] > 1 ? ` per operand (${s.operands[ll]} operands)` : ''} need ${want} processor${want === 1 ? '' : 's'}, one per channel`;
        reportLayer(ctx, ll, quad ? 223 : 222, 'error', ['processors'], `\`processors\` enables ${have} processor${have === 1 ? '' : 's'}, but ${why}.`, {
          fix: spec?.entries.get('processors')?.value
            ? {
                kind: 'processorCount',
                expected: want,
                valueRange: spec.entries.get('processors')!.value!.range,
                lowest: Math.max(0, ffs(pm)),
                chw: s.bigData[ll],
              }
            : undefined,
        });
      }
      const om = s.outputProcessorMap[ll];
      if (om !== null) checkOutputCount(ctx, s, ll, om, pending224);
    }
    const om = s.outputProcessorMap[ll];
    if (s.hwOperator[ll] === 'none' && om !== null) {
      for (let g = 0; g < 4; g++) {
        const inPro = contiguousMask(0, popcount((pm >> BigInt(g * 16)) & 0xffffn));
        let outPro = (om >> BigInt(g * 16)) & 0xffffn;
        if (outPro !== 0n) outPro >>= BigInt(ffs(outPro));
        if (outPro !== inPro) {
          reportLayer(
            ctx,
            ll,
            225,
            'error',
            ['output_processors', 'processors'],
            `A passthrough layer writes each quadrant's channels packed from that quadrant's first output processor: in quadrant ${g} it reads ${popcount((pm >> BigInt(g * 16)) & 0xffffn)} processor(s), so the output map there must be that many consecutive processors (input 0x${pm.toString(16).padStart(16, '0')}, output 0x${om.toString(16).padStart(16, '0')}).`,
          );
          break;
        }
      }
    }
    if (s.groups[ll] > 1 && om !== null) {
      if (ffs(om) % 4 !== 0)
        reportLayer(
          ctx,
          ll,
          226,
          'error',
          ['output_processors'],
          `Depth-wise output processors must start at a multiple of 4 (0x${om.toString(16).padStart(16, '0')} starts at ${ffs(om)}).`,
        );
      if (ffs(pm) % 4 !== 0 && (pm >> BigInt(ffs(pm))) >> 16n > 0n)
        reportLayer(ctx, ll, 227, 'error', ['processors'], 'Depth-wise processors that span quadrants must start at a multiple of 4.');
      s.broadcastMode[ll] = pm === om;
    }
    if (
      ch &&
      device.features.emulateEltwiseMp &&
      s.operands[ll] > 1 &&
      s.inExpand[ll] > 1 &&
      s.operands[ll] * s.inExpand[ll] !== s.operands[ll] + s.inExpand[ll]
    ) {
      if (s.hwOperator[ll] !== 'none' || s.pool[ll][0] > 1 || s.pool[ll][1] > 1 || s.poolStride[ll][0] > 1 || s.poolStride[ll][1] > 1) {
        reportLayer(
          ctx,
          ll,
          229,
          'error',
          ['op', 'eltwise', 'operation'],
          `On ${device.name}, an element-wise operation over more than 2 passes cannot also pool or convolve; split it into separate layers.`,
        );
      }
      s.emulateEltwise[ll] = true;
    }
  }
  // A wrong output count found through the next layer's `processors` is usually also that layer's own
  // input-count error (#222) on the same value; report it once.
  for (const p of pending224) {
    if (!ctx.sink.items.some((d) => d.code === 'IZ222' && d.range[0] === p.range[0] && d.range[1] === p.range[1]))
      ctx.sink.izer(224, 'error', p.range, p.layer, p.message, p.extra);
  }
  const finalMap = s.outputProcessorMap[s.finalLayer] ?? 0n;
  const groupsUsed: number[] = [];
  for (let g = 0; g < 4; g++) if (((processorsUsed | finalMap) >> BigInt(g * 16)) & 0xffffn) groupsUsed.push(g);
  if ((s.channelsKnown || s.outputProcessorMap[s.finalLayer] !== null) && !groupsUsed.includes(0)) {
    reportNetwork(ctx, 231, 'error', 'No layer uses quadrant 0 (processors 0–15); izer does not support that.');
  }
  s.groupsUsed = groupsUsed;
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) {
    const bg = s.biasGroupMap[ll];
    if (!bg) continue;
    for (const e of bg) {
      if (!groupsUsed.includes(e)) {
        reportLayer(
          ctx,
          ll,
          232,
          flags.ignoreBiasGroups ? 'warning' : 'error',
          ['bias_group', 'bias_quadrant'],
          `\`bias_group\` names quadrant ${e}, which this network does not use; the used quadrants are [${groupsUsed.join(', ')}].`,
        );
      }
    }
  }
}

interface Pending {
  range: readonly [number, number];
  layer: number | null;
  message: string;
  extra?: { fix?: FixHint };
}

function checkOutputCount(ctx: PassContext, s: IzerState, ll: number, om: bigint, pending: Pending[]): void {
  const have = popcount(om);
  const want = s.outExpandThresh[ll];
  if (have === want) return;
  const oc = s.outputChannels[ll];
  const oe = s.outExpand[ll];
  const why =
    oe > 1
      ? `${oc} output channels need ${oe} passes of ${want} processors`
      : `${oc} output channel${oc === 1 ? '' : 's'} need ${want} processor${want === 1 ? '' : 's'}`;
  const spec = ctx.model.layers[ll];
  const outKey = spec.entries.get('output_processors');
  if (outKey) {
    reportLayer(ctx, ll, 224, 'error', ['output_processors'], `\`output_processors\` enables ${have} processor${have === 1 ? '' : 's'}, but ${why}.`, {
      fix: outKey.value ? { kind: 'processorCount', expected: want, valueRange: outKey.value.range, lowest: Math.max(0, ffs(om)) } : undefined,
    });
    return;
  }
  const outChannels = spec.entries.get('out_channels');
  if (outChannels) {
    reportLayer(
      ctx,
      ll,
      224,
      'error',
      ['out_channels'],
      `\`out_channels: ${oc}\` needs ${want} output processor${want === 1 ? '' : 's'}${oe > 1 ? ` per pass (${oe} passes)` : ''}, but the output processors 0x${om.toString(16).padStart(16, '0')} enable ${have}.`,
    );
    return;
  }
  const global = ctx.model.globals.get('output_map');
  if (ll === s.finalLayer && global) {
    ctx.sink.izer(
      224,
      'error',
      (global.value ?? global.key).range,
      spec.yamlIndex,
      `\`output_map\` enables ${have} processor${have === 1 ? '' : 's'}, but the final layer's ${why}.`,
    );
    return;
  }
  const target = s.nextSequence[ll];
  const tspec = target >= 0 ? ctx.model.layers[target] : undefined;
  const v = tspec?.entries.get('processors')?.value;
  if (tspec && v) {
    pending.push({
      range: v.range,
      layer: tspec.yamlIndex,
      message: `These processors receive the output of layer ${ll} (which has no \`output_processors\`): ${why}, but ${have} ${have === 1 ? 'is' : 'are'} enabled.`,
      extra: { fix: { kind: 'processorCount', expected: want, valueRange: v.range, lowest: Math.max(0, ffs(om)) } },
    });
    return;
  }
  reportLayer(
    ctx,
    ll,
    224,
    'error',
    ['processors'],
    `The output processors 0x${om.toString(16).padStart(16, '0')} enable ${have} processor${have === 1 ? '' : 's'}, but ${why}.`,
  );
}
