// "ai8x: New Network YAML from Model…" on the server: the models a file declares, and the YAML for a model and
// its checkpoint (the client asks where to save it and writes it). Both read files and the second allocates a whole
// network, so they run in a check worker like every other heavy call.
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { ListModelsRequest, NewNetworkRequest, type ListModelsParams, type ListModelsResult, type NewNetworkParams, type NewNetworkResult } from '../protocol';
import { modelsInFile, newNetworkFromFiles } from '../app/newNetwork';
import type { CheckPool } from './checkPool';

export function registerNewNetwork(connection: Connection, pool: CheckPool): void {
  const failed = (e: unknown) => `The model reader could not run: ${e instanceof Error ? e.message : String(e)}.`;
  connection.onRequest(ListModelsRequest, async (p): Promise<ListModelsResult> => {
    try {
      return (await pool.call('listModels', p, { interactive: true })) ?? { ok: false, message: failed('cancelled') };
    } catch (e) {
      return { ok: false, message: failed(e) };
    }
  });
  connection.onRequest(NewNetworkRequest, async (p): Promise<NewNetworkResult> => {
    try {
      return (await pool.call('newNetwork', p, { interactive: true })) ?? { ok: false, message: failed('cancelled'), file: null, line: null };
    } catch (e) {
      return { ok: false, message: failed(e), file: null, line: null };
    }
  });
}

/** ai8x/listModels, in a worker. */
export function listModels(p: ListModelsParams): ListModelsResult {
  const models = modelsInFile(p.file);
  return 'error' in models ? { ok: false, message: models.error } : { ok: true, models: models.map((m) => ({ name: m.name, line: m.line })) };
}

/** ai8x/newNetwork, in a worker. */
export function newNetwork(p: NewNetworkParams): NewNetworkResult {
  const out = newNetworkFromFiles({
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
  });
  if (out.ok) return { ok: true, text: out.text, notes: out.notes };
  return { ok: false, message: out.message, file: 'io' in out ? null : out.file, line: 'io' in out ? null : out.line };
}
