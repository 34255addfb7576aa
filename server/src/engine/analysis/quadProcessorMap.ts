// The fast FIFO's quad mode (--fast-fifo-quad) feeds the first layer in all four quadrants at once: the backend
// enables that layer's processors (as the YAML gives them, for quadrant 0) in every quadrant. Bias allocation, the
// used quadrants and the generated registers see this map; the processor-count check sees the YAML's.

/** The YAML's processor map repeated in the four quadrants (as izer computes it: the bits are not cut to 64). */
export function quadProcessorMap(processors: bigint): bigint {
  return (processors << 48n) | (processors << 32n) | (processors << 16n) | processors;
}

/** Each layer's processors as the backend enables them: the start layer's repeated when the quad mode is on. */
export function enabledProcessorMaps(processorMap: readonly bigint[], startLayer: number, fastFifoQuad: boolean): bigint[] {
  if (!fastFifoQuad) return processorMap.slice();
  return processorMap.map((p, ll) => (ll === startLayer ? quadProcessorMap(p) : p));
}
