// Reads a checkpoint in a process of its own, for tests that must measure a read alone or survive one that never ends:
//   node --expose-gc readProbe.js read <checkpoint file>   reads it; prints what the read cost as JSON (memoryBudget.test.ts)
//   node readProbe.js cache <file>                         asks the checkpoint cache for it; prints the answer as JSON
import * as fs from 'node:fs';
import { readCheckpoint } from '../../../server/src/engine/checkpoint/readCheckpoint';
import { CheckpointError } from '../../../server/src/engine/checkpoint/types';
import { InputFiles } from '../../../server/src/workspace/inputFiles';

export interface ProbeReport {
  /** 'ok', 'CheckpointError' or the name of another error. */
  outcome: string;
  message?: string;
  code?: string;
  /** What the reader charged its budget (readCheckpoint's memoryBytes), when it read the file. */
  memoryBytes?: number;
  /** Peak resident memory during the read minus resident memory before it (an upper bound of the read's peak). */
  peakGrowth: number;
  /** Heap and array buffers still held after the read, with its result alive, after a full collection. */
  retained: number;
  ms: number;
}

function collect(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the probe with --expose-gc');
  gc();
  gc();
  return process.memoryUsage();
}

/**
 * Peak resident memory since the last resetPeak(). On Linux the high-water mark is reset through clear_refs: the
 * process's own maxRSS would include its parent's, which a forked process inherits.
 */
function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

function resetPeak(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: maxRSS is all there is
  }
}

const [mode, file] = process.argv.slice(2);
if (mode === 'read') {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const before = collect();
  resetPeak();
  const t0 = performance.now();
  let report: Omit<ProbeReport, 'peakGrowth' | 'retained' | 'ms'>;
  let result: unknown = null;
  try {
    const c = readCheckpoint(bytes);
    result = c;
    report = { outcome: 'ok', memoryBytes: c.memoryBytes };
  } catch (e) {
    report =
      e instanceof CheckpointError ? { outcome: 'CheckpointError', code: e.code, message: e.message } : { outcome: (e as Error).name, message: String(e) };
  }
  const ms = performance.now() - t0;
  const peak = peakRss();
  const after = collect();
  const full: ProbeReport = {
    ...report,
    peakGrowth: peak - before.rss,
    retained: after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers),
    ms,
  };
  process.stdout.write(JSON.stringify(full) + '\n');
  if (result === undefined) process.exitCode = 3; // keeps `result` alive up to here
} else if (mode === 'cache') {
  process.stdout.write(JSON.stringify(new InputFiles().checkpoints.get(file)) + '\n');
} else {
  process.stderr.write('usage: readProbe.js read|cache <file>\n');
  process.exitCode = 2;
}
