// Says in words what an address of the accelerator is: a quadrant's control or layer register, a word of its
// kernel, bias, TRAM or data memory, a FIFO register. Used to give a difference between two images its context.
import { Device, DeviceName, deviceByName } from '../engine/device/devices';
import { fifoRegisterName } from './fifoRegisters';
import type { MemoryImage } from './imageReport';

/** How each device lays out its registers and memories inside a quadrant (byte offsets and strides). */
interface QuadrantLayout {
  /** Start of the per-layer registers. */
  layerRegisters: number;
  /** Address of register `reg` of layer `layer`, relative to layerRegisters. */
  layerRegister: (reg: number, layer: number) => number;
  registerNames: readonly string[];
  /** Streaming registers of the first layers, where they are not in the per-layer block. */
  streamRegisters: { offset: number; name: string }[] | null;
  controlRegisters: Record<number, string>;
  /** Bytes of kernel memory per processor (72-bit kernels, one per 16 bytes). */
  kernelStride: number;
  /** Bytes of TRAM per processor. */
  tramStride: number;
  /** Bytes of data memory per memory instance (shared by four processors). */
  dataStride: number;
  biasWords: number;
}

const MAX78000_REGISTERS = [
  'RCNT (row count)',
  'CCNT (column count)',
  'ONED (1-D)',
  'PRCNT (row pooling)',
  'PCCNT (column pooling)',
  'STRIDE',
  'WPTR_BASE (write pointer base)',
  'WPTR_TOFFS (write pointer time-slot offset)',
  'WPTR_MOFFS (write pointer mask offset)',
  'WPTR_CHOFFS (write pointer channel offset)',
  'RPTR_BASE (read pointer base)',
  'LCTL (layer control)',
  'MCNT (mask count)',
  'TPTR (TRAM pointer)',
  'ENA (mask and processor enables)',
  'POST (post-processing)',
  'STREAM1 (streaming)',
  'STREAM2 (streaming)',
  'FMAX (frame maximum)',
  'IFRM (input frame)',
  'LCTL2 (layer control 2)',
];

const MAX78002_REGISTERS = [
  'NXTLYR (next layer)',
  'RCNT (row count)',
  'CCNT (column count)',
  'ONED (1-D)',
  'PRCNT (row pooling)',
  'PCCNT (column pooling)',
  'STRIDE',
  'WPTR_BASE (write pointer base)',
  'WPTR_TOFFS (write pointer time-slot offset)',
  'WPTR_MOFFS (write pointer mask offset)',
  'WPTR_CHOFFS (write pointer channel offset)',
  'RPTR_BASE (read pointer base)',
  'LCTL (layer control)',
  'LCTL2 (layer control 2)',
  'MCNT1 (mask count)',
  'MCNT2 (mask count)',
  'OCHAN (output channels)',
  'TPTR (TRAM pointer)',
  'ENA (mask and processor enables)',
  'POST (post-processing)',
];

const CONTROL = { 0x0: 'CTL (control)', 0x4: 'SRAM (memory control)', 0x8: 'LCNT_MAX (layer count)', 0xc: 'SRAM_TEST (memory test and clear)' };

const LAYOUTS: Record<DeviceName, QuadrantLayout> = {
  MAX78000: {
    layerRegisters: 0x10,
    layerRegister: (reg, layer) => reg * 4 * 32 + layer * 4,
    registerNames: MAX78000_REGISTERS,
    streamRegisters: null,
    controlRegisters: { ...CONTROL, 0x1000: 'MLAT (mlator)' },
    kernelStride: 1024 * 16,
    tramStride: 4096 * 4,
    dataStride: 2048 * 16,
    biasWords: 512,
  },
  MAX78002: {
    layerRegisters: 0x100000,
    layerRegister: (reg, layer) => reg * 4 + layer * 0x100,
    registerNames: MAX78002_REGISTERS,
    streamRegisters: [
      { offset: 0x8000, name: 'STREAM1 (streaming)' },
      { offset: 0x8020, name: 'STREAM2 (streaming)' },
      { offset: 0x8040, name: 'FMAX (frame maximum)' },
    ],
    controlRegisters: { ...CONTROL, 0x108060: 'IFRM (input frame)', 0x110000: 'MLAT (mlator)' },
    kernelStride: 8192 * 16,
    tramStride: 16384 * 4,
    dataStride: 8192 * 16,
    biasWords: 2048,
  },
};

const FAST_FIFO_REGISTERS = ['control', 'status', 'interrupt enable', 'interrupt flag', 'data', 'DMA'];

const hex = (n: number) => `0x${n.toString(16)}`;

/** The device whose accelerator a configured image was written for: its first quadrant's control register is set. */
export function deviceOfImage(configured: MemoryImage): DeviceName | null {
  const has = (address: number) => configured.addresses.includes(address);
  if (has(0x51000000)) return 'MAX78002';
  if (has(0x50100000)) return 'MAX78000';
  return null;
}

export function describeAddress(address: number, deviceName: DeviceName): string {
  const fifo = fifoRegisterName(address);
  if (fifo) return fifo;
  if (address >= 0x400c0400 && address < 0x400c0400 + 4 * FAST_FIFO_REGISTERS.length)
    return `the fast FIFO's ${FAST_FIFO_REGISTERS[(address - 0x400c0400) / 4]} register`;
  if (address === 0x50000000) return 'the FIFO control register';
  if (address === 0x50000004) return 'the FIFO status register';
  if (address === 0x50001000) return 'the always-on control register (AON)';
  const device = deviceByName(deviceName);
  for (let q = 0; q < device.quadrants; q++) {
    const base = device.cnnBase + q * device.quadrantStride;
    if (address >= base && address < base + device.quadrantStride) return `quadrant ${q}, ${describeInQuadrant(address - base, q, device)}`;
  }
  return `${hex(address)}, outside the quadrants of ${deviceName}`;
}

function describeInQuadrant(offset: number, q: number, device: Device): string {
  const L = LAYOUTS[device.name];
  const control = L.controlRegisters[offset];
  if (control) return `control register ${control}`;
  const inBlock = (start: number, stride: number, count: number) => offset >= start && offset < start + stride * count;
  if (inBlock(device.bramOffset, 4, L.biasWords)) return `bias memory entry ${(offset - device.bramOffset) / 4}`;
  if (inBlock(device.tramOffset, L.tramStride, 16)) {
    const rel = offset - device.tramOffset;
    return `TRAM of processor ${processor(q, Math.floor(rel / L.tramStride))}, entry ${(rel % L.tramStride) / 4}`;
  }
  if (inBlock(device.mramOffset, L.kernelStride, 16)) {
    const rel = offset - device.mramOffset;
    const within = rel % L.kernelStride;
    return `kernel memory of processor ${processor(q, Math.floor(rel / L.kernelStride))}, kernel ${Math.floor(within / 16)}, word ${(within % 16) / 4} of 4`;
  }
  if (inBlock(device.sramOffset, L.dataStride, 4)) {
    const rel = offset - device.sramOffset;
    const memory = Math.floor(rel / L.dataStride);
    const first = processor(q, memory * 4);
    return `data memory of processors ${first}-${first + 3}, word ${hex((rel % L.dataStride) / 4)}`;
  }
  const layerOffset = offset - L.layerRegisters;
  if (layerOffset >= 0 && offset % 4 === 0) {
    for (const s of L.streamRegisters ?? []) {
      const layer = (layerOffset - s.offset) / 4;
      if (layer >= 0 && layer < device.maxStreamLayers) return `layer ${layer} register ${s.name}`;
    }
    for (let reg = 0; reg < L.registerNames.length; reg++) {
      const rest = layerOffset - L.layerRegister(reg, 0);
      const layer = rest / (L.layerRegister(0, 1) - L.layerRegister(0, 0));
      if (Number.isInteger(layer) && layer >= 0 && layer < device.maxLayers) return `layer ${layer} register ${L.registerNames[reg]}`;
    }
  }
  return `offset ${hex(offset)}`;
}

/** Processor numbers count across quadrants (0-63), as in a network's processor maps. */
function processor(q: number, inQuadrant: number): number {
  return q * 16 + inQuadrant;
}
