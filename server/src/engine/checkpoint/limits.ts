// Bounds that keep a hostile or broken checkpoint from costing unbounded time or memory.
// Real ai8x checkpoints stay far below every one of them (the largest shared one: ~4 MB, ~2,700 tensors,
// ~25,000 pickle objects, nesting depth < 10).

export interface CheckpointLimits {
  /**
   * Total bytes that deflated zip members may inflate to. Default max(8 × file size, 512 MiB): torch stores its
   * members uncompressed, a re-zipped checkpoint of quantized float weights inflates a few times its size, and a
   * zip bomb (thousands of times its size) is stopped before any allocation. Inflated bytes also count against
   * maxMemoryBytes.
   */
  maxInflatedBytes: number;
  maxZipEntries: number;
  /** Containers, strings and objects the pickle machine may create (memory bound). */
  maxPickleObjects: number;
  /** Memo entries (PUT/MEMOIZE) one pickle may create. */
  maxMemoEntries: number;
  /** Open MARKs at any time. */
  maxMarkDepth: number;
  /** Nesting depth of the unpickled value (lists in lists in …). */
  maxDepth: number;
  /** Bytes of one arbitrary-precision integer (LONG/LONG1/LONG4). */
  maxIntBytes: number;
  /**
   * Tensor elements materialized over the whole file. Default min(2^27, max(4 × file size, 2^22)): every stored
   * element takes at least one byte, so only overlapping or stride-0 views can exceed the file size, and a
   * 1-element storage "expanded" to billions of elements is refused instead of allocated.
   */
  maxTensorElements: number;
  /** Dimensions of one tensor. */
  maxTensorRank: number;
  /**
   * Memory the whole read may use: everything the reader builds (pickle objects, keys, inflated members, decoded
   * tensors, also those decoded later on first use) is charged against it. Default min(64 × file size, 512 MiB): a
   * real checkpoint needs a few times its size (float32 weights decode to float64), a forged one is refused before
   * it costs more.
   */
  maxMemoryBytes: number;
  /** Wall-clock budget of the whole read, checked every few thousand instructions' worth of work. */
  timeBudgetMs: number;
  /** The clock of the time budget (milliseconds; tests use a fake one). Default Date.now. */
  clock?: () => number;
  /** Check zip members' CRC-32 and name those that fail (torch's reader does not check; see ZipLimits.verifyCrc). */
  verifyCrc: boolean;
}

export function defaultLimits(fileSize: number): CheckpointLimits {
  return {
    maxInflatedBytes: Math.max(8 * fileSize, 512 * 1024 * 1024),
    maxZipEntries: 1_000_000,
    maxPickleObjects: 4_000_000,
    maxMemoEntries: 4_000_000,
    maxMarkDepth: 10_000,
    maxDepth: 1_000,
    maxIntBytes: 4096,
    maxTensorElements: Math.min(1 << 27, Math.max(4 * fileSize, 1 << 22)),
    maxTensorRank: 64,
    maxMemoryBytes: Math.min(64 * fileSize, 512 * 1024 * 1024),
    timeBudgetMs: 20_000,
    verifyCrc: true,
  };
}
