// A plain pickle (no torch storages) as data, with the same guarantees as the checkpoint reader.
import { CheckpointLimits, defaultLimits } from './limits';
import { ReadBudget } from './budget';
import { unpickle } from './pickleMachine';
import { globalResolver } from './knownGlobals';
import { TensorStore } from './tensorStore';
import { finalizeValue } from './finalizeValue';
import type { PyObject } from './types';

export function loadPickle(bytes: Uint8Array, limits: Partial<CheckpointLimits> = {}): PyObject {
  const l: CheckpointLimits = { ...defaultLimits(bytes.length), ...limits };
  const budget = new ReadBudget(l);
  const store = new TensorStore(budget);
  const { value } = unpickle(bytes, 0, { findGlobal: globalResolver({ store, budget }) }, budget);
  store.materialize();
  return finalizeValue(value, budget);
}
