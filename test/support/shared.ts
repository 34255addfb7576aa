// Where the shared, never-committed data lives (izer sources, trained checkpoints, oracle runs), for tests that read it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest folder above this file that holds package.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = up;
  }
}

/** `<repo root>/../shared`, whether or not it exists. */
export function sharedDir(...parts: string[]): string {
  return path.resolve(repoRoot(), '..', 'shared', ...parts);
}

/** Skips the calling suite or test with a visible reason (mocha's `this.skip()` alone prints nothing). */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  console.log(`      (skipped: ${reason})`);
  ctx.skip();
  throw new Error('unreachable: ctx.skip() throws');
}

/** Skips the calling suite or test, with a visible message, when the shared folder (or a path in it) is missing. */
export function requireShared(ctx: Mocha.Context, ...parts: string[]): string {
  const p = sharedDir(...parts);
  if (!fs.existsSync(p)) skipBecause(ctx, `${p} not found`);
  return p;
}

/**
 * A file of the ai8x-synthesis repository: from ../shared/ai8x-synthesis, or, for the few files ../shared does not
 * ship (the unet runs' "reduced" sample inputs), from an ai8x-synthesis checkout named by AI8X_SYNTHESIS_PATH.
 * Returns the ../shared path when neither has it.
 */
export function synthesisFile(rel: string): string {
  const shared = sharedDir('ai8x-synthesis', rel);
  if (fs.existsSync(shared)) return shared;
  const checkout = process.env.AI8X_SYNTHESIS_PATH;
  if (checkout && fs.existsSync(path.join(checkout, rel))) return path.join(checkout, rel);
  return shared;
}
