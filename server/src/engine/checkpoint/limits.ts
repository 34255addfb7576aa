// Bounds that keep a hostile or broken checkpoint from costing unbounded time or memory.
// Real ai8x checkpoints stay far below every one of them (the largest shared one: ~4 MB, ~2,700 tensors,
// ~25,000 pickle objects, nesting depth < 10).

export interface CheckpointLimits {
  /**
   * Total bytes that deflated zip members may inflate to. Default max(8 × file size, 512 MiB): torch stores its
   * members uncompressed, a re-zipped checkpoint of quantized float weights inflates a few times its size, and a
   * zip bomb (thousands of times its size) is stopped before any allocation.
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
  /** Wall-clock budget of the whole read. */
  timeBudgetMs: number;
  /** Check zip members' CRC-32 (torch's reader does). */
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
    timeBudgetMs: 20_000,
    verifyCrc: true,
  };
}
