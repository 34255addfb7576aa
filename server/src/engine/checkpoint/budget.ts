// The time, object and memory budget of one read. Every part of the reader charges what it builds here, so that
// no input, however small, can make one instruction (or the whole read) cost unbounded memory or time.
import type { CheckpointLimits } from './limits';
import { CheckpointError } from './types';
import { PyKeys } from './pickleValues';
import { COST } from './costs';

export { COST };

/** How often (in work units, about one pickle instruction each) the clock is read. */
const CHECK_EVERY = 4096;

export class ReadBudget {
  /** Containers, strings and objects created (maxPickleObjects). */
  objects = 0;
  /** Bytes charged so far (maxMemoryBytes); never refunded, so it bounds the peak. */
  memoryBytes = 0;
  readonly keys: PyKeys;
  private readonly now: () => number;
  private readonly deadline: number;
  private work = 0;
  private nextCheck = CHECK_EVERY;

  constructor(readonly limits: CheckpointLimits) {
    this.now = limits.clock ?? Date.now;
    this.deadline = this.now() + limits.timeBudgetMs;
    this.keys = new PyKeys(this);
  }

  count(n = 1): void {
    this.objects += n;
    if (this.objects > this.limits.maxPickleObjects) {
      throw new CheckpointError(
        `The pickle creates more than ${this.limits.maxPickleObjects} objects; that is no checkpoint (refusing to use unbounded memory).`,
        'limit',
      );
    }
  }

  /** Charges `bytes` of memory; refuses the file once the total passes the budget. */
  charge(bytes: number): void {
    this.memoryBytes += bytes;
    if (this.memoryBytes > this.limits.maxMemoryBytes) this.overMemory();
  }

  /** Charges `bytes` before a large allocation (named by `what` in the message), refusing the file first if they do not fit. */
  reserve(bytes: number, what: string | (() => string)): void {
    if (this.memoryBytes + bytes > this.limits.maxMemoryBytes) this.overMemory(typeof what === 'string' ? what : what());
    this.memoryBytes += bytes;
  }

  /** Records `units` of work (one ≈ one pickle instruction) and reads the clock every few thousand. */
  step(units = 1): void {
    this.work += units;
    if (this.work >= this.nextCheck) this.checkpoint();
  }

  /** One pickle instruction: a unit of work, and the stack slot it may push (each pushes at most one value). */
  instruction(): void {
    this.memoryBytes += COST.slot;
    if (this.memoryBytes > this.limits.maxMemoryBytes) this.overMemory();
    if (++this.work >= this.nextCheck) this.checkpoint();
  }

  private checkpoint(): void {
    this.nextCheck = this.work + CHECK_EVERY;
    this.checkTime();
  }

  checkTime(): void {
    if (this.now() > this.deadline) throw new CheckpointError(`Reading the checkpoint took longer than ${this.limits.timeBudgetMs} ms; stopped.`, 'limit');
  }

  private overMemory(what?: string): never {
    throw new CheckpointError(
      `Reading this file would take more than ${formatBytes(this.limits.maxMemoryBytes)} of memory${what ? ` (${what})` : ''}, the reader's limit for a file of this size; real checkpoints need far less, so the file is damaged or forged.`,
      'limit',
    );
  }
}

function formatBytes(n: number): string {
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(0)} KiB`;
  return `${n} bytes`;
}
