// "ai8x: New Network YAML from Model…" on the server: the models a file declares, and the YAML for a model and
// its checkpoint (the client asks where to save it and writes it).
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { ListModelsRequest, NewNetworkRequest } from '../protocol';
import { modelsInFile, newNetworkFromFiles } from '../workspace/newNetworkFiles';

export function registerNewNetwork(connection: Connection): void {
  connection.onRequest(ListModelsRequest, (p) => {
    const models = modelsInFile(p.file);
    return 'error' in models ? { ok: false, message: models.error } : { ok: true, models: models.map((m) => ({ name: m.name, line: m.line })) };
  });
  connection.onRequest(NewNetworkRequest, (p) => {
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
    });
    if (out.ok) return { ok: true, text: out.text, notes: out.notes };
    return { ok: false, message: out.message, file: 'io' in out ? null : out.file, line: 'io' in out ? null : out.line };
  });
}
