// The check workers, seen from the server's thread: calls are queued (calls a request waits for first), run one at a
// time per worker, preferably on the worker that last served the same document (its files are cached there). A
// worker that crashes, runs out of memory or takes longer than the time limit is stopped and replaced; the call
// fails with a CheckFailure saying what happened, and the server goes on.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CallKind, WorkerCalls } from '../worker/calls';
import type { FromWorker, ToWorker } from '../workerProtocol';

/** A call that did not produce an answer: the worker crashed, ran out of memory, took too long or threw. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

export interface PoolOptions {
  size: number;
  /** The bundled worker entry (dist/checkWorker.js). */
  workerPath: string;
  /** A call running longer than this is stopped (its worker is replaced). */
  timeoutMs: number;
  /** The V8 heap limit of a worker: a file that needs more fails its check instead of taking the server down. */
  maxHeapMb: number;
  log(message: string): void;
}

type Params<K extends CallKind> = WorkerCalls[K]['params'];
type Result<K extends CallKind> = WorkerCalls[K]['result'];

interface Job {
  id: number;
  kind: CallKind;
  /** Evaluated when the call starts (a document is read as it is then); null cancels the call (answer: null). */
  params: () => Params<CallKind> | null;
  uri: string | null;
  interactive: boolean;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Slot {
  index: number;
  worker: Worker | null;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

export function defaultPoolOptions(log: (m: string) => void): PoolOptions {
  const env = process.env;
  return {
    size: Math.max(1, Math.min(4, Number(env.AI8X_CHECK_WORKERS) || 2)),
    workerPath: path.join(__dirname, 'checkWorker.js'),
    timeoutMs: Number(env.AI8X_CHECK_TIMEOUT_MS) || 60_000,
    maxHeapMb: Number(env.AI8X_CHECK_WORKER_HEAP_MB) || 2048,
    log,
  };
}

export class CheckPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly affinity = new Map<string, number>();
  private folders: string[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, (_, index) => ({ index, worker: null, job: null, timer: null }));
  }

  /**
   * Runs a call in a worker. `params` may be a function, evaluated when the call starts; it returns null to cancel
   * (the answer is then null). `interactive`: a request waits for the answer, so it goes before background checks.
   */
  call<K extends CallKind>(
    kind: K,
    params: Params<K> | (() => Params<K> | null),
    opts: { uri?: string; interactive?: boolean } = {},
  ): Promise<Result<K> | null> {
    if (this.disposed) return Promise.reject(new CheckFailure('the language server is shutting down'));
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        kind,
        params: typeof params === 'function' ? (params as () => Params<CallKind> | null) : () => params,
        uri: opts.uri ?? null,
        interactive: !!opts.interactive,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      // Interactive calls go after the other interactive ones, before every background call.
      const at = job.interactive ? this.queue.findIndex((j) => !j.interactive) : -1;
      if (at >= 0) this.queue.splice(at, 0, job);
      else this.queue.push(job);
      this.dispatch();
    });
  }

  setFolders(folders: string[]): void {
    this.folders = folders;
    this.broadcast({ type: 'folders', folders });
  }

  fileChanged(file: string): void {
    this.broadcast({ type: 'fileChanged', path: file });
  }

  /** A document was closed: the workers drop what they kept for it. */
  forget(uri: string): void {
    this.affinity.delete(uri);
    this.broadcast({ type: 'forget', uri });
  }

  /** Calls queued or running (for tests and the bench). */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  /** Answers of every live worker to the same call (test hooks). */
  async everyWorker<K extends CallKind>(kind: K, params: Params<K>): Promise<Result<K>[]> {
    const out: Result<K>[] = [];
    for (const s of this.slots) {
      if (!s.worker) continue;
      const v = await this.callOn(s, kind, params);
      if (v !== null) out.push(v);
    }
    return out;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const j of this.queue.splice(0)) j.reject(new CheckFailure('the language server is shutting down'));
    await Promise.all(this.slots.map((s) => this.stop(s, 'the language server is shutting down')));
  }

  private broadcast(m: ToWorker): void {
    for (const s of this.slots) s.worker?.postMessage(m);
  }

  private dispatch(): void {
    while (this.queue.length && !this.disposed) {
      const idle = this.slots.filter((s) => !s.job);
      if (!idle.length) return;
      const job = this.queue.shift()!;
      const preferred = job.uri !== null ? this.affinity.get(job.uri) : undefined;
      const slot = idle.find((s) => s.index === preferred) ?? idle.find((s) => s.worker) ?? idle[0];
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    let params: Params<CallKind> | null;
    try {
      params = job.params();
    } catch (e) {
      job.reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (params === null) {
      job.resolve(null);
      return;
    }
    const worker = slot.worker ?? this.spawn(slot);
    slot.job = job;
    if (job.uri !== null) this.affinity.set(job.uri, slot.index);
    slot.timer = setTimeout(() => {
      void this.stop(slot, `the check took longer than ${+(this.options.timeoutMs / 1000).toFixed(1)} s and was stopped`);
    }, this.options.timeoutMs);
    try {
      worker.postMessage({ type: 'call', id: job.id, kind: job.kind, params } satisfies ToWorker);
    } catch (e) {
      this.finish(slot, job.id, (j) =>
        j.reject(new CheckFailure(`the document could not be sent to the checker (${e instanceof Error ? e.message : String(e)})`)),
      );
    }
  }

  /** A call on one given worker (test hooks), outside the queue: waits until the worker is idle. */
  private callOn<K extends CallKind>(slot: Slot, kind: K, params: Params<K>): Promise<Result<K> | null> {
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, kind, params: () => params, uri: null, interactive: true, resolve: resolve as (v: unknown) => void, reject };
      const tryStart = () => {
        if (slot.job || !slot.worker) {
          if (!slot.worker) resolve(null);
          else setTimeout(tryStart, 10);
          return;
        }
        this.start(slot, job);
      };
      tryStart();
    });
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.options.workerPath, {
      // Node's per-process flags are refused here (the debugger's, V8's such as --expose-gc, which workers share anyway).
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      // What a worker prints must not reach the server's stdout (the LSP channel when it runs over stdio).
      stdout: true,
      // The workers share the checkpoint cache's budget (each caches what it read).
      env: {
        ...process.env,
        AI8X_CHECKPOINT_CACHE_MB: String(Math.max(16, Math.floor(Number(process.env.AI8X_CHECKPOINT_CACHE_MB ?? 256) / this.options.size))),
      },
    });
    worker.stdout.on('data', (d: Buffer) => this.options.log(d.toString().trimEnd()));
    worker.on('message', (m: FromWorker) => {
      if (slot.worker !== worker) return;
      if (m.type === 'log') this.options.log(m.message);
      else if (m.type === 'result') this.finish(slot, m.id, (j) => j.resolve(m.value));
      else this.finish(slot, m.id, (j) => j.reject(new CheckFailure(`the check failed: ${m.message.split('\n')[0]}`)));
      if (m.type === 'error') this.options.log(`ai8x check worker: ${m.message}`);
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const what =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the check ran out of memory (more than ${this.options.maxHeapMb} MB)` : `the checker crashed (${e.message})`;
      this.options.log(`ai8x check worker: ${e.stack ?? e.message}`);
      void this.stop(slot, what);
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      void this.stop(slot, `the checker stopped unexpectedly (exit code ${code})`);
    });
    slot.worker = worker;
    if (this.folders.length) worker.postMessage({ type: 'folders', folders: this.folders } satisfies ToWorker);
    return worker;
  }

  private finish(slot: Slot, id: number, settle: (j: Job) => void): void {
    const job = slot.job;
    if (!job || job.id !== id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    settle(job);
    this.dispatch();
  }

  /** Ends a worker (it is replaced on the next call); its running call fails with `reason`. */
  private async stop(slot: Slot, reason: string): Promise<void> {
    const worker = slot.worker;
    const job = slot.job;
    slot.worker = null;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    for (const [uri, i] of this.affinity) if (i === slot.index) this.affinity.delete(uri);
    if (job) job.reject(new CheckFailure(reason));
    if (worker) await worker.terminate().catch(() => undefined);
    this.dispatch();
  }
}
