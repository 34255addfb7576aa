// The allocator's reason in a hover on processors, output_processors and the offsets: the allocation of the analysed
// text is asked of a check worker once (it re-checks candidates with the document's files).
import type { AllocationOutcome } from '../../engine/allocate/allocateNetwork';
import { ALLOCATION_KEYS, allocationHoverMarkdown } from '../../engine/allocate/allocationHover';
import type { CheckResult } from '../../engine/check';
import { locate } from '../../engine/services/locate';
import type { AnalysisView } from '../state/documentState';
import type { ServerContext } from './context';

/** Is the value under the cursor one the allocator chooses (processors, offsets)? Then the hover asks for its reason. */
export function isAllocationKeyAt(result: CheckResult, offset: number): boolean {
  const loc = locate(result.model, offset);
  return !!loc && loc.scope === 'layer' && !!loc.layer && !!loc.entry.keyName && ALLOCATION_KEYS.has(loc.entry.keyName);
}

/** The allocator's reason for the value under the cursor, given the allocation of the analysed text. */
export function allocationHover(result: CheckResult, offset: number, out: AllocationOutcome): string | null {
  const loc = locate(result.model, offset);
  if (!loc || loc.scope !== 'layer' || !loc.layer || !loc.entry.keyName || !ALLOCATION_KEYS.has(loc.entry.keyName)) return null;
  if (!out.ok) return `**Allocator**: no valid allocation for this network — ${out.message}.`;
  const v = loc.entry.value;
  return allocationHoverMarkdown(loc.entry.keyName, loc.layer, out.layers, v && v.type === 'scalar' ? v.text : null);
}

/** The allocation of the text a view analysed, asked of a worker once per analysis. */
export function allocationOf(ctx: ServerContext, v: AnalysisView): Promise<AllocationOutcome | null> {
  let p = ctx.allocations.get(v.analysis);
  if (!p) {
    const doc = ctx.analyses.analysedSnapshot(v);
    p = ctx.pool.call('allocation', { doc }, { uri: doc.uri, interactive: true }).catch(() => null);
    ctx.allocations.set(v.analysis, p);
  }
  return p;
}
