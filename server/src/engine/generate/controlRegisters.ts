// cnn_init() and cnn_start(): the quadrants' global control registers (state machine, SRAM control, layer count,
// memory clearing and self-tests) and the enable sequence that starts the accelerator, as izer's backend sets them.
import type { GeneratorInput } from './generatorInput';
import { hardwareMaps } from './hardwareMaps';
import { controlAddress, fifoAddress, registerLayout } from './registerLayout';
import { StepList } from './registerProgram';

export function initSteps(input: GeneratorInput): StepList {
  const { device: dev, state: s, options: o, flags } = input;
  const L = registerLayout(dev);
  const steps = new StepList();
  const { groupsUsed } = hardwareMaps(input);
  const clearsRegisters = L.bistZero !== null;
  if (clearsRegisters) {
    const v = !dev.features.pipeline || o.pipeline ? 0 : 1 << 5;
    for (const q of groupsUsed) steps.write(controlAddress(L, q, L.ctl), v | (1 << 3), 'enable clocks');
  }
  steps.write(fifoAddress(L, L.aonControl), 0, 'always-on control', true);
  if (clearsRegisters) {
    for (const q of groupsUsed) steps.write(controlAddress(L, q, L.sram), 0x40e, 'SRAM control');
    const clear = s.bias.some((b) => b !== null) ? L.bistZeroBoth! : L.bistZero!;
    for (const q of groupsUsed) steps.write(controlAddress(L, q, L.sramTest), clear, 'clear registers and memories');
    for (const q of groupsUsed) steps.wait(controlAddress(L, q, L.sramTest), L.bistZeroDone!, L.bistZeroDone!, 'wait until cleared');
    for (const q of groupsUsed) steps.write(controlAddress(L, q, L.sramTest), 0, 'end the clearing', true);
    steps.gap();
  }
  const hwAdded = s.avgpoolResetLayer.reduce((n, r) => n + (r ? 1 : 0), 0);
  const hwAddedBeforeStart = s.avgpoolResetLayer.slice(0, s.startLayer + 1).filter(Boolean).length;
  for (const q of groupsUsed) {
    let ctl = 1 << 3;
    if (flags.fifo) ctl |= 1 << 15;
    if (o.mexpress) ctl |= 1 << 20;
    if (dev.features.pipeline && !o.pipeline) ctl |= 1 << 5;
    steps.write(controlAddress(L, q, L.ctl), ctl, 'stop the state machine');
    if (!clearsRegisters) steps.write(controlAddress(L, q, L.sram), 0x40e, 'SRAM control');
    const count = (flags.repeatLayers * (s.finalLayer + hwAdded)) | ((s.startLayer + hwAddedBeforeStart) << 8);
    steps.write(controlAddress(L, q, L.layerCount), count, 'layer count');
  }
  if (o.zeroSram) {
    for (const [what, bist] of [
      ['data memory', L.bist.data],
      ['kernel memory', L.bist.mask],
      ['TRAM', L.bist.tram],
      ['bias memory', L.bist.bias],
    ] as const) {
      steps.gap();
      for (let q = 0; q < dev.quadrants; q++) steps.write(controlAddress(L, q, L.sramTest), bist.start, `self-test and clear the ${what}`);
      for (let q = 0; q < dev.quadrants; q++) steps.wait(controlAddress(L, q, L.sramTest), bist.done, bist.done, 'wait for the self-test');
      for (let q = 0; q < dev.quadrants; q++) steps.verify(controlAddress(L, q, L.sramTest), bist.error, 0, 'fail on a self-test error');
      for (let q = 0; q < dev.quadrants; q++) steps.write(controlAddress(L, q, L.sramTest), 0, 'end the self-test', true);
    }
  }
  return steps;
}

/** The control word cnn_start() writes to every used quadrant (before its own quadrant bits). */
function startControl(input: GeneratorInput): number {
  const { device: dev, state: s, options: o, flags } = input;
  const anyStreaming = s.streaming.some(Boolean);
  let v = anyStreaming ? 1 << 14 : 0;
  if (flags.avgPoolRounding) v |= 1 << 13;
  if (flags.fifo) v |= 1 << 11;
  if (flags.fifo && anyStreaming) v |= 1 << 19;
  v |= 1 << 3;
  if (o.mexpress) v |= 1 << 20;
  if (flags.simple1b) v |= 1 << 21;
  let binary = false;
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) if (s.quantization[ll] === -1) binary = true;
  if (binary) v |= 1 << 30;
  if (flags.fastFifoQuad) v |= 1 << 31;
  if (dev.name === 'MAX78002') {
    if (!o.pipeline) v |= 1 << 5;
    if (s.streaming[s.startLayer] && s.bigData[s.startLayer]) v |= 1 << 6;
  }
  if (input.snoop) v |= 1 << 7;
  if (dev.features.pipeline && !o.pipeline) v |= 1 << 5;
  return v;
}

/** cnn_start(): the enables of every used quadrant, then the first quadrant's master enable. */
export function startSteps(input: GeneratorInput): { enables: StepList; master: StepList } {
  const { device: dev, flags } = input;
  const L = registerLayout(dev);
  const maps = hardwareMaps(input);
  const first = maps.groupsUsed[0];
  const ctl = startControl(input);
  const enables = new StepList();
  const fifoBits = (q: number): number => {
    if (flags.fifo && (maps.inputProcessors & (0x0fn << BigInt(q * 16))) !== 0n) {
      let f = 1 << 15;
      if (flags.fastFifo) f |= 1 << 22;
      if (maps.fifoGroup) f |= 1 << 23;
      return f;
    }
    return flags.fifo ? 1 << 15 : 0;
  };
  for (const q of maps.groupsUsed) {
    let f = fifoBits(q);
    if (q !== first) f |= 0x01;
    f |= 1 << 11;
    enables.write(controlAddress(L, q, L.ctl), ctl | f | (first << 9), `enable quadrant ${q}`);
  }
  const master = new StepList();
  let m = ctl;
  if (flags.fifo && (maps.inputProcessors & (0x0fn << BigInt(first * 16))) !== 0n) {
    m |= 1 << 15;
    if (flags.fastFifo) m |= 1 << 22;
    if (maps.fifoGroup) m |= 1 << 23;
  }
  master.write(controlAddress(L, first, L.ctl), m | 0x01, `master enable, quadrant ${first}`);
  return { enables, master };
}
