// The backend's network-level checks before it looks at single layers (create_net): device features,
// FIFO and streaming set-up, clocks, layer count. Rules #130–#168.
import { layerName, PassContext, reportLayer, reportNetwork } from './passContext';
import type { IzerState } from './izerState';

export function runNetworkChecks(ctx: PassContext, s: IzerState): void {
  const { device, flags, model } = ctx;
  const f = device.features;
  const start = s.startLayer;
  const layers = s.layers;
  const used = (ll: number) => ll >= s.firstLayerUsed && ll < layers;

  if (start > 0 && !f.linkLayer) reportNetwork(ctx, 130, 'error', `\`--start-layer\` is not supported on ${device.name}.`);
  if (start > device.maxStartLayer)
    reportNetwork(ctx, 131, 'error', `\`--start-layer\` is ${start}, but ${device.name} allows at most ${device.maxStartLayer}.`);
  if (flags.linkLayer && !f.linkLayer) reportNetwork(ctx, 132, 'error', `\`--link-layer\` is not supported on ${device.name}.`);
  if (!f.readAhead)
    for (let ll = 0; ll < layers; ll++)
      if (s.readahead[ll]) {
        reportLayer(ctx, ll, 133, 'error', ['readahead'], `\`readahead\` is a MAX78002 feature; ${device.name} does not have it.`, { onKey: true });
      }
  if (!f.calcx4)
    for (let ll = 0; ll < layers; ll++)
      if (s.calcx4[ll]) {
        reportLayer(ctx, ll, 134, 'error', ['calcx4'], `\`calcx4\` is a MAX78002 feature; ${device.name} does not have it.`, { onKey: true });
      }
  if (flags.pipeline === true && !f.pipeline) reportNetwork(ctx, 135, 'error', `\`--pipeline\` is not supported on ${device.name}.`);
  if (flags.pll === true && !f.pll) reportNetwork(ctx, 136, 'error', `\`--pll\` is not supported on ${device.name}.`);
  if (flags.fifoGo && !f.fifoGo) reportNetwork(ctx, 137, 'error', `\`--fifo-go\` is not supported on ${device.name}.`);
  if (model.hasSnoop && !f.snoop) {
    const e = model.globals.get('snoop')!;
    reportNetwork(ctx, 138, 'error', `\`snoop\` is a MAX78002 feature; ${device.name} does not have it.`, e.key.range);
  }
  if (flags.oneShot && !f.oneShot) reportNetwork(ctx, 139, 'error', `\`--one-shot\` is not supported on ${device.name}.`);
  const pll = flags.pll ?? f.pll;
  const pipeline = flags.pipeline ?? f.pipeline;
  if (flags.maxSpeed && !pll) reportNetwork(ctx, 140, 'error', '`--max-speed` needs `--pll` (MAX78002).');
  const clock = pll ? device.pllSpeed : device.apbSpeed;
  let div = 1;
  if (!pipeline) {
    div = Math.ceil(clock / 50);
    div = 2 ** Math.ceil(Math.log2(Math.max(1, div)));
  }
  if (Math.floor(clock / div) > 50 && !pipeline) reportNetwork(ctx, 141, 'warning', `A CNN clock of ${clock} MHz needs the pipeline.`);

  // FIFO and streaming constraints.
  const startSpec = model.layers[start];
  if (!flags.fifo && flags.synthesizeInput !== null) reportNetwork(ctx, 147, 'error', '`--synthesize-input` needs `--fifo`.');
  if (startSpec && s.bigData[start] && flags.synthesizeInput !== null)
    reportLayer(ctx, start, 148, 'error', ['data_format'], '`--synthesize-input` needs HWC input data.');
  if (flags.fifo) {
    if (start !== 0) reportNetwork(ctx, 149, 'error', 'With a FIFO, `--start-layer` must be 0.');
    const inCh = s.inputChannels[start];
    if (s.channelsKnown && (inCh > 16 || (s.bigData[start] && inCh > 4))) {
      reportLayer(
        ctx,
        start,
        150,
        'error',
        ['processors'],
        `Loading through the FIFO allows at most 4 input channels in CHW format or 16 in HWC; this input has ${inCh}.`,
      );
    }
    const pm = s.processorMap[start];
    if ((s.bigData[start] && (pm & ~0x0001000100010001n) !== 0n) || (!s.bigData[start] && (pm & ~0x000f000f000f000fn) !== 0n)) {
      reportLayer(
        ctx,
        start,
        151,
        'error',
        ['processors'],
        `With the FIFO, the first layer can only use processors 0, 16, 32, 48 (CHW) or 0–3, 16–19, 32–35, 48–51 (HWC).`,
      );
    }
    if (flags.fastFifo) {
      if (s.channelsKnown && s.bigData[start] && inCh > 1)
        reportLayer(ctx, start, 152, 'error', ['data_format'], `The fast FIFO takes a single CHW channel; this input has ${inCh}.`);
      else if (s.channelsKnown && !s.bigData[start] && inCh > 4)
        reportLayer(ctx, start, 153, 'error', ['processors'], `The fast FIFO takes at most 4 HWC channels; this input has ${inCh}.`);
      if (s.outputWidth[start] !== 8) reportLayer(ctx, start, 154, 'error', ['output_width'], 'The fast FIFO needs 8-bit output in the first layer.');
      if (s.operator[start] === 'none')
        reportLayer(ctx, start, 155, 'error', ['op', 'operation', 'operator'], 'The fast FIFO needs a convolution in the first layer.');
    }
  } else if (s.streaming[start] && !flags.allowStreaming) {
    reportLayer(
      ctx,
      start,
      156,
      'error',
      ['streaming'],
      'The first layer streams, which needs izer\'s `--fifo` flag (add it to the izer flags, e.g. `# ai8x: izer-flags="--fifo"`).',
    );
  }
  if (s.streaming.slice(0, layers).some((x) => x) && start !== 0) reportNetwork(ctx, 157, 'error', 'Streaming needs `--start-layer 0`.');

  for (let ll = 0; ll < Math.min(device.maxStreamLayers + 1, layers); ll++) {
    const next = s.nextSequence[ll];
    if (next !== -1 && next !== ll + 1 && s.streaming[ll]) {
      reportLayer(
        ctx,
        ll,
        158,
        'error',
        ['next_sequence'],
        `A streaming layer must be followed by layer ${ll + 1}; \`next_sequence\` is ${layerName(ctx, next)}.`,
      );
    }
    const k = s.kernelSize[ll];
    const prev = s.prevSequence[ll];
    if (
      k[0] === 1 &&
      k[1] === 1 &&
      (s.operator[ll] === 'conv2d' || s.operator[ll] === 'convtranspose2d') &&
      (s.streaming[ll] || (prev >= 0 && s.streaming[prev]))
    ) {
      reportLayer(
        ctx,
        ll,
        159,
        'information',
        ['kernel_size'],
        'Because of streaming, this 1×1 layer runs on 3×3 kernel hardware (the 1×1 weight sits in the centre and padding becomes 1).',
      );
      if (s.padding[ll][0] !== 0 || s.padding[ll][1] !== 0) {
        reportLayer(
          ctx,
          ll,
          'AX303',
          'error',
          ['pad'],
          'A 1×1 layer next to streaming layers must have `pad: 0`; izer converts it to a 3×3 kernel with padding 1 and stops with an assertion otherwise.',
        );
      }
      s.padding[ll] = [1, 1];
      s.kernelSize[ll] = [3, 3];
      s.emulated1x1[ll] = true;
      const w = s.weights[ll];
      if (w && w.shape.length === 3 && w.shape[1] === 1 && w.shape[2] === 1) {
        const n = w.shape[0];
        const data = new Int32Array(n * 9);
        for (let i = 0; i < n; i++) data[i * 9 + 4] = w.data[i];
        s.weights[ll] = { shape: [n, 3, 3], data };
      }
    }
    if (!f.streamNonpadFinal && s.streaming[ll] && (next === -1 || !s.streaming[next]) && (s.padding[ll][0] === 0 || s.padding[ll][1] === 0)) {
      reportLayer(ctx, ll, 160, 'error', ['pad'], `On ${device.name} the last streaming layer must use padding (pad ≠ 0).`);
    }
    if (!f.streamingPassthrough && s.operator[ll] === 'none' && s.streaming[ll]) {
      reportLayer(ctx, ll, 161, 'error', ['streaming'], `${device.name} cannot stream a passthrough or element-wise layer.`);
    }
  }

  if (flags.softmax && s.outputWidth[s.terminatingLayer] === 8) {
    reportLayer(
      ctx,
      s.terminatingLayer,
      162,
      'warning',
      ['output_width'],
      '`--softmax` is meant for a final layer with `output_width: 32`; this one writes 8-bit values.',
    );
  }
  if (flags.fastFifo && !flags.riscv) reportNetwork(ctx, 163, 'error', '`--fast-fifo` needs `--riscv`.');
  if (flags.deepsleep && !flags.riscv) reportNetwork(ctx, 164, 'error', '`--deepsleep` needs `--riscv`.');
  if (flags.oneShot && flags.timer !== null && f.oneShot) reportNetwork(ctx, 165, 'error', '`--timer` cannot be used with `--one-shot`.');
  if (!f.kernelBypass)
    for (let ll = 0; ll < layers; ll++)
      if (used(ll) && s.bypass[ll]) {
        reportLayer(ctx, ll, 166, 'error', ['bypass'], `Kernel bypass is a MAX78002 feature; ${device.name} does not have it.`, { onKey: true });
      }
  if (!f.binaryWeights)
    for (let ll = 0; ll < layers; ll++)
      if (used(ll) && s.quantization[ll] === -1) {
        reportLayer(ctx, ll, 167, 'error', ['quantization'], `Binary (±1) weights are a MAX78002 feature; ${device.name} does not have them.`);
      }
  let hidden = 0;
  for (let ll = 0; ll < layers; ll++) if (s.avgpoolResetLayer[ll]) hidden++;
  const rep = flags.repeatLayers;
  if (rep * (s.finalLayer + hidden) > device.maxLayers) {
    reportNetwork(
      ctx,
      168,
      'error',
      `${rep > 1 ? `Repeated ${rep} times, the` : 'The'} network needs ${s.finalLayer + hidden} hardware layers${hidden ? ` (including ${hidden} hidden average-pool reset layer${hidden === 1 ? '' : 's'} after element-wise layers)` : ''}, more than ${device.name}'s ${device.maxLayers}.`,
    );
  }
}
