// The processor maps as the backend programs them: with the fast-FIFO quad mode the first layer's processors are
// repeated in all four quadrants, which also makes every quadrant "used".
import { enabledProcessorMaps } from '../analysis/quadProcessorMap';
import type { GeneratorInput } from './generatorInput';

export interface HardwareMaps {
  /** The first layer's processors as the YAML gives them (the input loader's map). */
  inputProcessors: bigint;
  /** Each layer's processors as the hardware enables them. */
  processorMap: bigint[];
  /** Quadrants any layer's processors or the final output map touch, in order. */
  groupsUsed: number[];
  /** The fast FIFO feeds one processor group (izer's fifo_group). */
  fifoGroup: boolean;
}

export function hardwareMaps(input: GeneratorInput): HardwareMaps {
  const { state: s, flags } = input;
  const inputProcessors = s.processorMap[s.startLayer];
  const processorMap = enabledProcessorMaps(s.processorMap, s.startLayer, flags.fastFifoQuad);
  let used = 0n;
  for (let ll = s.firstLayerUsed; ll < s.layers; ll++) used |= processorMap[ll];
  used |= s.outputProcessorMap[s.finalLayer] ?? 0n;
  const groupsUsed: number[] = [];
  for (let q = 0; q < input.device.quadrants; q++) if ((used >> BigInt(q * 16)) & 0xffffn) groupsUsed.push(q);
  let fifoGroup = flags.fastFifo;
  // Decided on the YAML's map, before the quad mode repeats it.
  if (flags.fastFifo && inputProcessors !== 1n && (inputProcessors & 0x0en) === 0n) fifoGroup = false;
  return { inputProcessors, processorMap, groupsUsed, fifoGroup };
}
