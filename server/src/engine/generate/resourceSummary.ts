// How much of the accelerator's kernel and bias memory the network takes, for cnn.h and log.txt.
import type { GeneratorInput } from './generatorInput';

export interface ResourceSummary {
  layers: number;
  kernelBytes: number;
  kernelCapacity: number;
  biasBytes: number;
  biasCapacity: number;
}

export function resourceSummary(input: GeneratorInput, kernelBytes: number, biasBytes: number[]): ResourceSummary {
  const dev = input.device;
  return {
    layers: input.state.layers - input.state.firstLayerUsed,
    kernelBytes,
    kernelCapacity: dev.kernelMemoryBytes,
    biasBytes: biasBytes.reduce((a, b) => a + b, 0),
    biasCapacity: dev.biasSizePerQuadrant * dev.quadrants,
  };
}

/** Thousands separated by commas (without Intl, which is slow to start). */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const percent = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

export function resourceSummaryText(r: ResourceSummary): string {
  return [
    '/*',
    `  Accelerator resources used by this network (${r.layers} layer${r.layers === 1 ? '' : 's'}):`,
    `    kernel memory: ${grouped(r.kernelBytes)} of ${grouped(r.kernelCapacity)} bytes (${percent(r.kernelBytes, r.kernelCapacity)})`,
    `    bias memory:   ${grouped(r.biasBytes)} of ${grouped(r.biasCapacity)} bytes (${percent(r.biasBytes, r.biasCapacity)})`,
    '*/',
  ].join('\n');
}
