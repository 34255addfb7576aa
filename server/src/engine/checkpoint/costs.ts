// What the checkpoint reader charges its memory budget (budget.ts) for what it builds.

/**
 * What the reader charges for what it builds: rough V8 sizes on a 64-bit host (no pointer compression), rounded up,
 * including the slack of growing arrays and hash tables. The memory tests compare these charges with the heap.
 */
export const COST = {
  /** A slot of the pickle stack or of a growing array (8 bytes plus growth slack). */
  slot: 16,
  /** A small object ({kind, items}, a marker, an internal helper). */
  object: 64,
  /** An empty array. */
  array: 32,
  /** The first backing store of an array that was empty (V8 allocates 16 slots). */
  firstGrowth: 144,
  /** A typed-array view or Buffer header. */
  view: 112,
  /** A string header. */
  string: 32,
  /** One entry of a Map or Set, with its share of the hash table. */
  entry: 56,
  /** An empty Map or Set. */
  map: 200,
} as const;
