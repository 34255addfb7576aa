// "ai8x: New Network YAML from Model…" in a check worker: the models a file declares, and the YAML for a model and
// its checkpoint (the client asks where to save it and writes it). Both read files and the second allocates a whole
// network, so they run in a worker like every other heavy call.
import * as path from 'node:path';
import type { ListModelsParams, ListModelsResult, NewNetworkParams, NewNetworkResult } from '../../protocol';
import type { InputSources } from '../../app/inputSources';
import { modelsInFile, newNetworkFromFiles } from '../../app/newNetwork';

/** ai8x/listModels, in a worker. */
export function listModels(p: ListModelsParams): ListModelsResult {
  const models = modelsInFile(p.file);
  return 'error' in models ? { ok: false, message: models.error } : { ok: true, models: models.map((m) => ({ name: m.name, line: m.line })) };
}

/** ai8x/newNetwork, in a worker. */
export function newNetwork(p: NewNetworkParams, sources: InputSources): NewNetworkResult {
  const out = newNetworkFromFiles(
    {
      model: p.model,
      arch: p.arch,
      checkpoint: p.checkpoint,
      sampleInput: p.sampleInput,
      device: p.device,
      dataset: p.dataset,
      izerFlags: p.izerFlags ?? [],
      output: p.output,
      cwd: path.dirname(p.output),
      origin: 'session',
    },
    sources,
  );
  if (out.ok) return { ok: true, text: out.text, notes: out.notes };
  return { ok: false, message: out.message, file: 'io' in out ? null : out.file, line: 'io' in out ? null : out.line };
}
