// Why a simulation could not run. `code` is `IZnnn` when izer stops at the same point for the same reason
// (izer-rules.md), `AX4nn` when it is our own refusal (a configuration izer would crash on or compute garbage for).
import type { Code } from '../rules';

export class SimulationError extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** izer layer number `ll`, or null for network-level problems. */
    readonly layer: number | null = null,
  ) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** Thrown when the caller's AbortSignal fires; carries no result. */
export class SimulationCancelled extends Error {
  constructor() {
    super('Simulation cancelled');
    this.name = 'SimulationCancelled';
  }
}

/** Our simulator codes (AX400–449). */
export const SIM = {
  /** A configuration we refuse to simulate (izer crashes on it or reads undefined memory). */
  unsupported: 'AX400',
  /** The plan or sample is inconsistent in a way izer would not get to (missing weights, wrong lengths, cycles). */
  badInput: 'AX401',
  /** A layer reads the output of a layer that has not run (izer fails with a NoneType error). */
  missingData: 'AX402',
  /** The known-answer encoder cannot place the channels with this output processor map (izer would hang). */
  outputMap: 'AX403',
} as const satisfies Record<string, Code>;
