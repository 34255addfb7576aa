// Runs one of the harness's programs (the compiler, the compiled project) with a time limit and the caller's
// cancellation; either ends the whole process tree. Keeps the tail of what it printed for messages.
import { runProcess } from '../process/runProcess';
import { ImageError } from './imageError';

export interface ToolRunOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** What runs, for messages: "compiling cnn.c", "the compiled project". */
  what: string;
}

export interface ToolRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

const TAIL = 64 * 1024;

export async function runTool(command: string, args: readonly string[], opts: ToolRunOptions): Promise<ToolRunResult> {
  if (opts.signal?.aborted) throw new ImageError('cancelled', 'Cancelled.');
  const limit = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    limit.abort();
  }, opts.timeoutMs);
  const onCancel = () => limit.abort();
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  let stdout = '';
  let stderr = '';
  const t0 = Date.now();
  try {
    const r = await runProcess(command, args, {
      cwd: opts.cwd,
      signal: limit.signal,
      killGraceMs: 500,
      onStdout: (t) => (stdout = (stdout + t).slice(-TAIL)),
      onStderr: (t) => (stderr = (stderr + t).slice(-TAIL)),
    });
    if (r.startError) throw new ImageError('environment', `${opts.what}: ${r.startError}.`);
    if (timedOut) throw new ImageError('run', `${opts.what} did not finish within ${Math.round(opts.timeoutMs / 1000)} s; it was stopped.`);
    if (r.cancelled) throw new ImageError('cancelled', 'Cancelled.');
    return { exitCode: r.exitCode, signal: r.signal, stdout, stderr, seconds: (Date.now() - t0) / 1000 };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
  }
}
