// Where the accelerator's registers and memories sit, and the bit positions of the fields the generator sets:
// the facts of the two devices' register maps (izer's tornadocnn device classes).
import type { Device } from '../device/devices';

/** Per-layer register numbers (index within the layer register file). */
export interface LayerRegisterNumbers {
  /** MAX78002 only: the next layer to run. */
  nextLayer: number | null;
  rowCount: number;
  columnCount: number;
  oneD: number;
  poolRows: number;
  poolColumns: number;
  stride: number;
  writePointer: number;
  writeTimeSlotOffset: number;
  writeMaskOffset: number;
  writeChannelOffset: number;
  readPointer: number;
  control: number;
  control2: number;
  /** MAX78000: one mask register (start and end); MAX78002: mcnt1 (end) and mcnt2 (start). */
  maskCount: number | null;
  maskEnd: number | null;
  maskStart: number | null;
  /** MAX78002 only. */
  outputChannels: number | null;
  tramMax: number;
  enables: number;
  post: number;
  streamStart: number;
  streamDelta: number;
  rollover: number;
}

export interface RegisterLayout {
  apbBase: number;
  /** Offset of the CNN's quadrant 0 from the APB base. */
  cnnBase: number;
  quadrantStride: number;
  /** Layer registers start this many words after a quadrant's base. */
  layerRegisterWord: number;
  /** MAX78002: bytes between two layers' register files (null: MAX78000 interleaves registers by layer). */
  layerStride: number | null;
  maxLayers: number;
  lastLayerRegister: number;
  layer: LayerRegisterNumbers;
  /** Global control registers (word index within a quadrant). */
  ctl: number;
  sram: number;
  layerCount: number;
  sramTest: number;
  inputFrame: number;
  mlator: number;
  snoop: number | null;
  /** FIFO control block: its registers are words at the APB base. */
  fifoControl: number;
  fifoStatus: number;
  fifoData: number;
  /** The always-on control register (word index from the APB base). */
  aonControl: number;
  fastFifoBase: number;
  fastFifo: { control: number; status: number; interruptEnable: number; data: number };
  // Bit positions of fields that differ between the devices.
  padCountShift: number;
  padEnableShift: number | null;
  countDiffShift: number | null;
  countIncShift: number | null;
  multipassStrideShift: number | null;
  channelMaxShift: number;
  maskStartShift: number;
  maskEndShift: number;
  readAheadShift: number | null;
  columnPrimeShift: number | null;
  rowPrimeShift: number | null;
  shiftCountShift: number | null;
  pipelineShift: number | null;
  writePointerShift: number;
  /** Memory regions (offsets from the APB base). */
  biasMemory: number;
  tram: number;
  kernelMemory: number;
  dataMemory: number;
  /** Bytes between two processors' kernel memories / 16. */
  maskOffset: number;
  /** Words between two processors' TRAMs. */
  tramOffset: number;
  tramSize: number;
  /** Bits of the SRAM test register that clear memories, and the one that reports it done (MAX78002). */
  bistZeroBoth: number | null;
  bistZero: number | null;
  bistZeroDone: number | null;
  bist: {
    data: BistStep;
    mask: BistStep;
    tram: BistStep;
    bias: BistStep;
  };
  /** RISC-V SRAM origin (boot address without cache). */
  riscvSramOrigin: number;
}

export interface BistStep {
  start: number;
  done: number;
  error: number;
}

const MAX78000_LAYOUT: RegisterLayout = {
  apbBase: 0x50000000,
  cnnBase: 0x100000,
  quadrantStride: 0x400000,
  layerRegisterWord: 4,
  layerStride: null,
  maxLayers: 32,
  lastLayerRegister: 20,
  layer: {
    nextLayer: null,
    rowCount: 0,
    columnCount: 1,
    oneD: 2,
    poolRows: 3,
    poolColumns: 4,
    stride: 5,
    writePointer: 6,
    writeTimeSlotOffset: 7,
    writeMaskOffset: 8,
    writeChannelOffset: 9,
    readPointer: 10,
    control: 11,
    maskCount: 12,
    maskEnd: null,
    maskStart: null,
    outputChannels: null,
    tramMax: 13,
    enables: 14,
    post: 15,
    streamStart: 16,
    streamDelta: 17,
    rollover: 18,
    control2: 20,
  },
  ctl: 0,
  sram: 1,
  layerCount: 2,
  sramTest: 3,
  inputFrame: 612,
  mlator: 1024,
  snoop: null,
  fifoControl: 0,
  fifoStatus: 1,
  fifoData: 2,
  aonControl: 1024,
  fastFifoBase: 0x400c0400,
  fastFifo: { control: 0, status: 1, interruptEnable: 2, data: 4 },
  padCountShift: 16,
  padEnableShift: null,
  countDiffShift: null,
  countIncShift: null,
  multipassStrideShift: null,
  channelMaxShift: 8,
  maskStartShift: 16,
  maskEndShift: 0,
  readAheadShift: null,
  columnPrimeShift: null,
  rowPrimeShift: null,
  shiftCountShift: null,
  pipelineShift: null,
  writePointerShift: 13,
  biasMemory: 0x100000 + 0x8000,
  tram: 0x100000 + 0x10000,
  kernelMemory: 0x100000 + 0x80000,
  dataMemory: 0x100000 + 0x300000,
  maskOffset: 1024,
  tramOffset: 4096,
  tramSize: 3072,
  bistZeroBoth: null,
  bistZero: null,
  bistZeroDone: null,
  bist: {
    data: { start: 1 << 0, done: (1 << 27) | (1 << 18), error: 1 << 14 },
    mask: { start: 1 << 2, done: (1 << 27) | (1 << 19), error: 1 << 15 },
    tram: { start: 1 << 4, done: (1 << 27) | (1 << 20), error: 1 << 16 },
    bias: { start: 1 << 6, done: (1 << 27) | (1 << 21), error: 1 << 17 },
  },
  riscvSramOrigin: 0x2001c000,
};

const MAX78002_LAYOUT: RegisterLayout = {
  apbBase: 0x50000000,
  cnnBase: 0x1000000,
  quadrantStride: 0x1000000,
  layerRegisterWord: 0x40000,
  layerStride: 0x100,
  maxLayers: 128,
  lastLayerRegister: 19,
  layer: {
    nextLayer: 0,
    rowCount: 1,
    columnCount: 2,
    oneD: 3,
    poolRows: 4,
    poolColumns: 5,
    stride: 6,
    writePointer: 7,
    writeTimeSlotOffset: 8,
    writeMaskOffset: 9,
    writeChannelOffset: 10,
    readPointer: 11,
    control: 12,
    control2: 13,
    maskCount: null,
    maskEnd: 14,
    maskStart: 15,
    outputChannels: 16,
    tramMax: 17,
    enables: 18,
    post: 19,
    streamStart: 0x2000,
    streamDelta: 0x2008,
    rollover: 0x2010,
  },
  ctl: 0,
  sram: 1,
  layerCount: 2,
  sramTest: 3,
  inputFrame: 0x42018,
  mlator: 0x44000,
  snoop: 0x42020,
  fifoControl: 0,
  fifoStatus: 1,
  fifoData: 2,
  aonControl: 1024,
  fastFifoBase: 0x400c0400,
  fastFifo: { control: 0, status: 1, interruptEnable: 2, data: 4 },
  padCountShift: 13,
  padEnableShift: 15,
  countDiffShift: 16,
  countIncShift: 4,
  multipassStrideShift: 4,
  channelMaxShift: 12,
  maskStartShift: 0,
  maskEndShift: 0,
  readAheadShift: 17,
  columnPrimeShift: 18,
  rowPrimeShift: 22,
  shiftCountShift: 26,
  pipelineShift: 5,
  writePointerShift: 15,
  biasMemory: 0x1000000 + 0x180000,
  tram: 0x1000000 + 0x200000,
  kernelMemory: 0x1000000 + 0x400000,
  dataMemory: 0x1000000 + 0x800000,
  maskOffset: 8192,
  tramOffset: 16384,
  tramSize: 12288,
  bistZeroBoth: (1 << 12) | (1 << 11) | (1 << 10) | (1 << 7),
  bistZero: (1 << 12) | (1 << 11) | (1 << 7),
  bistZeroDone: 1 << 25,
  bist: {
    data: { start: (1 << 12) | (1 << 0), done: 1 << 18, error: 1 << 14 },
    mask: { start: (1 << 13) | (1 << 2), done: 1 << 19, error: 1 << 15 },
    tram: { start: (1 << 13) | (1 << 12) | (1 << 4), done: 1 << 20, error: 1 << 16 },
    bias: { start: (1 << 12) | (1 << 11) | (1 << 10) | (1 << 6), done: 1 << 21, error: 1 << 17 },
  },
  riscvSramOrigin: 0x2005c000,
};

export function registerLayout(device: Device): RegisterLayout {
  return device.name === 'MAX78002' ? MAX78002_LAYOUT : MAX78000_LAYOUT;
}

/** Absolute address of a quadrant's global control register `reg` (a word index). */
export function controlAddress(l: RegisterLayout, quadrant: number, reg: number): number {
  return l.apbBase + l.quadrantStride * quadrant + l.cnnBase + reg * 4;
}

/** Absolute address of layer `layer`'s register `reg` in a quadrant. */
export function layerRegisterAddress(l: RegisterLayout, quadrant: number, reg: number, layer: number): number {
  const base = l.apbBase + l.quadrantStride * quadrant + l.cnnBase + l.layerRegisterWord * 4;
  if (l.layerStride === null) return base + reg * 4 * l.maxLayers + layer * 4;
  return reg <= l.lastLayerRegister ? base + reg * 4 + layer * l.layerStride : base + reg * 4 + layer * 4;
}

/** Absolute address of the FIFO block's register `reg` (words at the APB base). */
export function fifoAddress(l: RegisterLayout, reg: number): number {
  return l.apbBase + reg * 4;
}

/** Absolute address of word `offset` of a quadrant's bias memory. */
export function biasAddress(l: RegisterLayout, quadrant: number): number {
  return l.apbBase + l.quadrantStride * quadrant + l.biasMemory;
}

/** Absolute address of processor `p`'s kernel memory (16 bytes per 72-bit kernel column). */
export function kernelAddress(l: RegisterLayout, processor: number): number {
  return l.apbBase + l.quadrantStride * Math.floor(processor / 16) + l.kernelMemory + (processor % 16) * l.maskOffset * 16;
}

/** Absolute address of processor `p`'s TRAM. */
export function tramAddress(l: RegisterLayout, quadrant: number, processor: number): number {
  return l.apbBase + l.quadrantStride * quadrant + l.tram + processor * l.tramOffset * 4;
}

/** Absolute address of data memory for the byte offset izer computes (quadrant, instance and offset folded in). */
export function dataAddress(l: RegisterLayout, offset: number): number {
  return l.apbBase + l.dataMemory + offset;
}
