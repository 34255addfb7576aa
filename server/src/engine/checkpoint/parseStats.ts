// Parse-speed figure for `npm run bench` (target: ≥ 200 MB/s on the shared checkpoints).
import { readCheckpoint } from './readCheckpoint';

export interface ParseStats {
  /** Median wall time of one full read (state_dict tensors decoded), in milliseconds. */
  ms: number;
  /** File megabytes (10^6 bytes) per second at the median time. */
  mbPerSecond: number;
  bytes: number;
  tensors: number;
  runs: number;
}

export function checkpointParseStats(bytes: Uint8Array, runs = 15): ParseStats {
  let tensors = 0;
  for (let i = 0; i < 3; i++) readCheckpoint(bytes); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c = readCheckpoint(bytes);
    times.push(performance.now() - t0);
    tensors = c.stateDict.length;
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  return { ms, mbPerSecond: bytes.length / 1e6 / (ms / 1000), bytes: bytes.length, tensors, runs };
}
