// Hardware constants of the two CNN accelerators (izer's tornadocnn device classes, spec §4).

export type DeviceName = 'MAX78000' | 'MAX78002';

export interface Device {
  name: DeviceName;
  /** izer's short name: 85 or 87. */
  die: 85 | 87;
  maxLayers: number;
  maxStartLayer: number;
  maxStreamLayers: number;
  quadrants: number;
  processorsPerQuadrant: number;
  maxProcessors: number;
  processorsPerMemory: number;
  maxChannels: number;
  maxRowCol: number;
  /** 32-bit words of address span per processor slot. */
  instanceSize: number;
  /** 32-bit words present per data memory (the limit for offset + size). */
  instanceWidth: number;
  /** Bytes per data-memory instance: instanceWidth * 16. */
  dataMemoryBytes: number;
  memSize: number;
  frameSizeMax: number;
  /** Kernel columns (72-bit words) of processors that are not a multiple of 16. */
  maskWidthSmall: number;
  /** Kernel columns of processors 0, 16, 32 and 48. */
  maskWidthLarge: number;
  maskInstanceLarge: number;
  maskInstanceSmall: number;
  maskInstances: number;
  maskInstancesEach: number;
  kernelMemoryBytes: number;
  biasSizePerQuadrant: number;
  tramSize: number;
  maxDilation1d: number;
  maxPoolDilation: number;
  maxPoolPasses: number;
  maxPoolLastElements: number;
  maxCntBits: number;
  maxPtrBits: number;
  maxTptrBits: number;
  maxIsvalBits: number;
  maxDsval2Bits: number;
  maxFbufBits: number;
  maxIfrmBits: number;
  maxWptrincBits: number;
  biasDiv: number;
  /** MHz */
  ipoSpeed: number;
  apbSpeed: number;
  pllSpeed: number;
  /** Base address of the accelerator (APB base + offset). */
  cnnBase: number;
  quadrantStride: number;
  sramOffset: number;
  mramOffset: number;
  bramOffset: number;
  tramOffset: number;
  features: {
    linkLayer: boolean;
    readAhead: boolean;
    calcx4: boolean;
    depthwise: boolean;
    binaryWeights: boolean;
    kernelBypass: boolean;
    snoop: boolean;
    pipeline: boolean;
    pll: boolean;
    fifoGo: boolean;
    oneShot: boolean;
    streamNonpadFinal: boolean;
    streamingPassthrough: boolean;
    multipassPaddedConv1d: boolean;
    multipassEltwiseConvBias: boolean;
    latencyCalc: boolean;
    passthroughAvgpoolAfterEltwise: boolean;
    emulateEltwiseMp: boolean;
    streamBias: boolean;
  };
}

export const MAX78000: Device = {
  name: 'MAX78000',
  die: 85,
  maxLayers: 32,
  maxStartLayer: 0,
  maxStreamLayers: 8,
  quadrants: 4,
  processorsPerQuadrant: 16,
  maxProcessors: 64,
  processorsPerMemory: 4,
  maxChannels: 1024,
  maxRowCol: 1024,
  instanceSize: 2048,
  instanceWidth: 2048,
  dataMemoryBytes: 2048 * 16,
  memSize: 32768,
  frameSizeMax: 2 ** 21,
  maskWidthSmall: 768,
  maskWidthLarge: 768,
  maskInstanceLarge: 768,
  maskInstanceSmall: 768,
  maskInstances: 1,
  maskInstancesEach: 1,
  kernelMemoryBytes: 442368,
  biasSizePerQuadrant: 512,
  tramSize: 3072,
  maxDilation1d: 1023,
  maxPoolDilation: 1,
  maxPoolPasses: 1,
  maxPoolLastElements: 2,
  maxCntBits: 10,
  maxPtrBits: 17,
  maxTptrBits: 12,
  maxIsvalBits: 14,
  maxDsval2Bits: 12,
  maxFbufBits: 17,
  maxIfrmBits: 20,
  maxWptrincBits: 4,
  biasDiv: 128,
  ipoSpeed: 100,
  apbSpeed: 50,
  pllSpeed: 0,
  cnnBase: 0x50100000,
  quadrantStride: 0x400000,
  sramOffset: 0x300000,
  mramOffset: 0x80000,
  bramOffset: 0x8000,
  tramOffset: 0x10000,
  features: {
    linkLayer: false,
    readAhead: false,
    calcx4: false,
    depthwise: false,
    binaryWeights: false,
    kernelBypass: false,
    snoop: false,
    pipeline: false,
    pll: false,
    fifoGo: false,
    oneShot: false,
    streamNonpadFinal: false,
    streamingPassthrough: true,
    multipassPaddedConv1d: true,
    multipassEltwiseConvBias: true,
    latencyCalc: true,
    passthroughAvgpoolAfterEltwise: false,
    emulateEltwiseMp: true,
    streamBias: false,
  },
};

export const MAX78002: Device = {
  name: 'MAX78002',
  die: 87,
  maxLayers: 128,
  maxStartLayer: 127,
  maxStreamLayers: 8,
  quadrants: 4,
  processorsPerQuadrant: 16,
  maxProcessors: 64,
  processorsPerMemory: 4,
  maxChannels: 1024,
  maxRowCol: 2048,
  instanceSize: 8192,
  instanceWidth: 5120,
  dataMemoryBytes: 5120 * 16,
  memSize: 81920,
  frameSizeMax: 2 ** 21,
  maskWidthSmall: 4096,
  maskWidthLarge: 5120,
  maskInstanceLarge: 1024,
  maskInstanceSmall: 256,
  maskInstances: 8,
  maskInstancesEach: 4,
  kernelMemoryBytes: 2396160,
  biasSizePerQuadrant: 2048,
  tramSize: 12288,
  maxDilation1d: 2047,
  maxPoolDilation: 16,
  maxPoolPasses: 65536,
  maxPoolLastElements: 2,
  maxCntBits: 11,
  maxPtrBits: 21,
  maxTptrBits: 14,
  maxIsvalBits: 15,
  maxDsval2Bits: 14,
  maxFbufBits: 18,
  maxIfrmBits: 22,
  maxWptrincBits: 8,
  biasDiv: 128,
  ipoSpeed: 120,
  apbSpeed: 60,
  pllSpeed: 200,
  cnnBase: 0x51000000,
  quadrantStride: 0x1000000,
  sramOffset: 0x800000,
  mramOffset: 0x400000,
  bramOffset: 0x180000,
  tramOffset: 0x200000,
  features: {
    linkLayer: true,
    readAhead: true,
    calcx4: true,
    depthwise: true,
    binaryWeights: true,
    kernelBypass: true,
    snoop: true,
    pipeline: true,
    pll: true,
    fifoGo: true,
    oneShot: true,
    streamNonpadFinal: true,
    streamingPassthrough: false,
    multipassPaddedConv1d: false,
    multipassEltwiseConvBias: false,
    latencyCalc: false,
    passthroughAvgpoolAfterEltwise: true,
    emulateEltwiseMp: false,
    streamBias: true,
  },
};

export const DEVICES: readonly Device[] = [MAX78000, MAX78002];

/** Kernel memory columns available to processor p. */
export function maskWidth(device: Device, processor: number): number {
  return processor % device.processorsPerQuadrant === 0 ? device.maskWidthLarge : device.maskWidthSmall;
}

/**
 * Accepts the spellings izer's --device accepts: MAX78000, AI85, 85, 78000 (and the MAX78002 forms),
 * case-insensitively. Returns null for anything else.
 */
export function parseDeviceName(text: string): DeviceName | null {
  let s = text.trim().toUpperCase();
  if (s.startsWith('MAX')) s = s.slice(3);
  else if (s.startsWith('AI')) s = s.slice(2);
  if (s === '78000' || s === '85') return 'MAX78000';
  if (s === '78002' || s === '87') return 'MAX78002';
  return null;
}

export function deviceByName(name: DeviceName): Device {
  return name === 'MAX78002' ? MAX78002 : MAX78000;
}

/** The device a checkpoint file name suggests (ai85-… / ai87-…), or null. */
export function deviceFromCheckpointName(fileName: string): DeviceName | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (/^ai85/i.test(base)) return 'MAX78000';
  if (/^ai87/i.test(base)) return 'MAX78002';
  return null;
}
