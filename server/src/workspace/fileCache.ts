// Parsed input files (checkpoints, sample inputs) cached by path, size and modification time, with a
// bound on the memory the cached results take so that many open networks cannot exhaust memory.
import * as fs from 'node:fs';
import { RegularFile, readRegularFile } from './safeRead';

export type Loaded<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

interface Entry<T> {
  mtimeMs: number;
  size: number;
  result: Loaded<T>;
  cost: number;
}

export class FileCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private total = 0;

  /**
   * @param maxBytes what all cached results may take together (as `costOf` says)
   * @param maxFileBytes the largest file read; longer ones (and any that is not a regular file) are refused unread
   * @param costOf the memory a parsed result takes (default: its file's size); a checkpoint's decoded tensors take more
   */
  constructor(
    private readonly parse: (bytes: Uint8Array, path: string) => T,
    private readonly maxBytes: number,
    private readonly maxFileBytes: number,
    private readonly describeError: (e: unknown) => string = (e) => (e instanceof Error ? e.message : String(e)),
    private readonly costOf: (value: T, fileBytes: number) => number = (_value, fileBytes) => fileBytes,
  ) {}

  get(path: string): Loaded<T> {
    let st: fs.Stats;
    try {
      st = fs.statSync(path);
    } catch (e) {
      this.entries.delete(path);
      const code = (e as NodeJS.ErrnoException).code;
      return { error: code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path} (${code ?? 'error'})` };
    }
    if (!st.isFile()) return { error: `${path} is not a file` };
    const hit = this.entries.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) {
      this.entries.delete(path);
      this.entries.set(path, hit); // most recently used last
      return hit.result;
    }
    if (hit) this.drop(path, hit);
    let file: RegularFile;
    try {
      file = readRegularFile(path, this.maxFileBytes);
    } catch (e) {
      // Not cached: the next request looks again (cheaply: nothing past the size a file reports is read).
      const code = (e as NodeJS.ErrnoException).code;
      return { error: code ? `cannot read ${path} (${code})` : (e as Error).message };
    }
    let result: Loaded<T>;
    let cost = file.bytes.length;
    try {
      const value = this.parse(file.bytes, path);
      result = { value };
      cost = this.costOf(value, file.bytes.length);
    } catch (e) {
      result = { error: this.describeError(e) };
    }
    cost = Math.max(cost, 1024);
    this.entries.set(path, { mtimeMs: file.stats.mtimeMs, size: file.stats.size, result, cost });
    this.total += cost;
    for (const [k, v] of this.entries) {
      if (this.total <= this.maxBytes || this.entries.size <= 1) break;
      this.drop(k, v);
    }
    return result;
  }

  invalidate(path?: string): void {
    if (path === undefined) {
      this.entries.clear();
      this.total = 0;
      return;
    }
    const e = this.entries.get(path);
    if (e) this.drop(path, e);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The memory the cached results take, as charged. */
  get chargedBytes(): number {
    return this.total;
  }

  private drop(path: string, e: Entry<T>): void {
    this.entries.delete(path);
    this.total -= e.cost;
  }
}
