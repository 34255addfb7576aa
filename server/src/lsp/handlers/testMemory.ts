// ai8x/test/memory (tests and the bench only, AI8X_SERVER_TEST_HOOKS=1): memory figures after a full collection.
import type { ServerMemoryFigures } from '../../protocol';
import type { ServerContext } from './context';

export async function testMemory(_p: unknown, ctx: ServerContext): Promise<ServerMemoryFigures> {
  const workers = await ctx.pool.everyWorker('memory', {});
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, workers, documents: ctx.analyses.size, gcExposed: !!gc };
}
