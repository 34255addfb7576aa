// The text a user types for a simulation input: a shape ("3,32,32", "3x32x32", "64 128") and a seed. Shared by the
// extension's input boxes, the CLI and the server; imports nothing, so the client bundle stays free of the engine.

/** More values than any data memory holds; a larger shape is a typing mistake. */
export const MAX_RANDOM_INPUT_VALUES = 1 << 24;

/** Parses "C,H,W" or "C,L" (separators: comma, x, ×, space); null when it is not 2 or 3 positive integers. */
export function parseInputShape(text: string): number[] | null {
  const parts = text
    .trim()
    .replace(/^[([]|[)\]]$/g, '')
    .split(/\s*[,x×*]\s*|\s+/i)
    .filter((p) => p !== '');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => /^\d+$/.test(p))) return null;
  const shape = parts.map(Number);
  return shape.every((n) => n >= 1) ? shape : null;
}

/** Why a shape cannot be used for a random input, or null. */
export function inputShapeProblem(shape: readonly number[]): string | null {
  if (shape.length < 2 || shape.length > 3 || !shape.every((n) => Number.isInteger(n) && n >= 1)) {
    return `the input shape must be C,H,W or C,L with positive whole numbers (got ${shape.join(',') || 'nothing'})`;
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_RANDOM_INPUT_VALUES) return `the input shape ${shape.join('×')} has ${n} values, more than the ${MAX_RANDOM_INPUT_VALUES} allowed`;
  return null;
}

/** Parses a seed: a whole number 0 … 2^32 − 1. */
export function parseSeed(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n <= 0xffffffff ? n : null;
}

/**
 * The shape question for a random input. The suggestion is the box's value (selected, so typing replaces it and
 * Enter accepts it), never a placeholder that looks like a default but is refused on Enter.
 */
export function shapeInputBox(suggested: readonly number[] | null): {
  value: string;
  valueSelection: [number, number];
  prompt: string;
  validateInput: (text: string) => string | null;
} {
  const fallback = [3, 32, 32];
  const value = (suggested && !inputShapeProblem(suggested) ? suggested : fallback).join(',');
  return {
    value,
    valueSelection: [0, value.length],
    prompt: `Input shape, C,H,W (or C,L for Conv1d networks); the network has no sample input to take it from. Enter accepts ${value}${suggested ? " (the first layer's channels)" : ''}.`,
    validateInput: (t) => {
      const shape = parseInputShape(t);
      return !shape ? `C,H,W or C,L with positive whole numbers, e.g. ${value}.` : inputShapeProblem(shape);
    },
  };
}
