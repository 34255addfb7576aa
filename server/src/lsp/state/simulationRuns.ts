// Finished simulations the client may still export from: the newest run per document, a few documents at most,
// with layer values stored compactly (8-bit layers as Int8Array, 32-bit as Int32Array).
import type { SimulationResult } from '../../engine/simulate';
import { knownAnswerHeader } from '../../engine/simulate';
import { writeNpy } from '../../engine/sample/npy';
import type { ExportLayerResult, KnownAnswerHeaderResult } from '../../protocol';

interface StoredLayer {
  index: number;
  name: string | null;
  shape: [number, number, number];
  values: LayerValues | null;
}

type LayerValues = Int8Array | Int32Array | Float64Array;

interface StoredRun {
  uri: string;
  network: string;
  layers: StoredLayer[];
  header: string;
}

/** Values beyond this (all layers of all kept runs) are not kept; those layers cannot be exported. */
const MAX_KEPT_BYTES = 512 * 2 ** 20;
/** The .npy of one layer is sent as base64 in one message; larger layers are refused. */
const MAX_EXPORT_BYTES = 256 * 2 ** 20;
const MAX_RUNS = 4;

function compact(values: Float64Array, width: 8 | 32): LayerValues {
  const out = width === 8 ? new Int8Array(values.length) : new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i];
    // A value the compact type cannot hold (not expected from the accelerator's clamps): keep the original.
    if (out[i] !== values[i]) return values;
  }
  return out;
}

const bytesOf = (a: LayerValues | null) => a?.byteLength ?? 0;

export class SimulationRuns {
  private readonly runs = new Map<string, StoredRun>();

  add(runId: string, uri: string, network: string, result: SimulationResult): void {
    for (const [id, r] of this.runs) if (r.uri === uri) this.runs.delete(id);
    while (this.runs.size >= MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
    let budget = MAX_KEPT_BYTES - [...this.runs.values()].reduce((n, r) => n + r.layers.reduce((m, l) => m + bytesOf(l.values), 0), 0);
    const layers = result.layers.map((l): StoredLayer => {
      let values: LayerValues | null = l.values ? compact(l.values, l.width) : null;
      if (values && bytesOf(values) > budget && l !== result.output) values = null;
      budget -= bytesOf(values);
      return { index: l.index, name: l.name, shape: l.shape, values };
    });
    this.runs.set(runId, { uri, network, layers, header: knownAnswerHeader(result.knownAnswer) });
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  /** Drops the runs of a closed document. */
  forget(uri: string): void {
    for (const [id, r] of this.runs) if (r.uri === uri) this.runs.delete(id);
  }

  exportLayer(runId: string, layer: number): ExportLayerResult {
    const run = this.runs.get(runId);
    if (!run) return { ok: false, message: 'These results are no longer available (the network was simulated again or closed); run the simulator again.' };
    const l = run.layers.find((x) => x.index === layer);
    if (!l) return { ok: false, message: `Layer ${layer} did not run in this simulation.` };
    if (!l.values)
      return {
        ok: false,
        message: `The values of layer ${layer} were not kept (the simulation was too large to keep every layer); only the output layer can be exported.`,
      };
    const n = l.shape[0] * l.shape[1] * l.shape[2];
    if (n * 8 > MAX_EXPORT_BYTES)
      return { ok: false, message: `Layer ${layer} has ${n} values; its .npy file would be larger than ${MAX_EXPORT_BYTES / 2 ** 20} MiB.` };
    const bytes = writeNpy(l.shape, l.values);
    const stem = run.network.replace(/\.ya?ml$/i, '');
    const fileName = `${stem}-layer${String(layer).padStart(2, '0')}${l.name ? '-' + l.name.replace(/[^\w.-]+/g, '_') : ''}.npy`;
    return { ok: true, fileName, shape: [...l.shape], base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
  }

  knownAnswerHeader(runId: string): KnownAnswerHeaderResult {
    const run = this.runs.get(runId);
    if (!run) return { ok: false, message: 'These results are no longer available (the network was simulated again or closed); run the simulator again.' };
    return { ok: true, text: run.header };
  }
}
