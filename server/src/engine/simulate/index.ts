// Public surface of the simulator: a bit-exact re-implementation of izer's known-answer simulation.
export { simulate, simulateAsync, simulationSteps } from './simulateNetwork';
export type { SimulateOptions, SimulatedLayer, SimulationFlags, SimulationResult, SimulationWarning } from './simulateNetwork';
export {
  decodeKnownAnswer,
  encodeKnownAnswer,
  knownAnswerDifference,
  knownAnswerEntries,
  knownAnswerHeader,
  knownAnswerWords,
  outputLayout,
  packKnownAnswer,
  parseKnownAnswerHeader,
} from './knownAnswer';
export type { CheckedLayer, KnownAnswerEntries, KnownAnswerRecord, OutputLayout } from './knownAnswer';
export { SimulationCancelled, SimulationError } from './simulationError';
export type { Tensor3 } from './tensor';
export { exportLayerNpy, layerOutputArray } from './tensorExport';
export type { LayerArray } from './tensorExport';
