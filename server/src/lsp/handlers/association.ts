// ai8x/association: the files, device and izer flags the server resolved for a network document (the client's
// simulator, synthesis and status item use them).
import * as path from 'node:path';
import type { AssociationParams, AssociationResult } from '../../protocol';
import { URI } from '../uri';
import type { ServerContext } from './context';

export async function association(p: AssociationParams, ctx: ServerContext): Promise<AssociationResult | null> {
  const v = await ctx.analyses.currentView(p.uri);
  if (!v) return null;
  const st = v.analysis;
  const r = st.result;
  const dir = path.dirname(URI.toPath(p.uri));
  const abs = (f: string | undefined | null) => (f ? path.resolve(dir, f) : null);
  return {
    isNetwork: st.isNetwork,
    device: r?.device.name ?? 'MAX78000',
    deviceSource: r?.deviceSource ?? 'default',
    checkpoint: st.info.checkpointPath ?? abs(r?.modeline.checkpoint),
    sampleInput: st.info.samplePath ?? abs(r?.modeline.sampleInput),
    izerFlags: r ? r.flags.argv : [],
    checkpointRequired: r?.model.arch !== 'test',
    // Only needed (and only searched for, in a worker) when there is no sample to take the shape from.
    suggestedInputShape:
      r && st.isNetwork && !r.analysis?.state.inputSize
        ? await ctx.pool.call('suggestedInputShape', { doc: ctx.analyses.analysedSnapshot(v) }, { uri: p.uri, interactive: true }).catch(() => null)
        : null,
  };
}
