// quantize.py's `-c/--config-file`: the network YAML's per-layer `quantization` (weight bits), read the way izer's
// YAML parser reads the file. These bits beat the checkpoint's `weight_bits`, and only that many weight layers of the
// checkpoint are quantized (the rest are left as they are).
import type { Device } from '../device/devices';
import { DiagnosticSink } from '../diagnosticSink';
import { LineIndex } from '../lineIndex';
import { readNetwork } from '../model/readNetwork';
import { parseYamlTree } from '../yaml/yamlTree';

/** One entry per network layer in izer's order: 1, 2, 4 or 8 bits, −1 for binary, null when the layer gives none. */
export type ConfigBits = (number | null)[];

export type ConfigBitsOutcome = { ok: true; bits: ConfigBits } | { ok: false; line: number | null; message: string };

export function configBits(text: string, device: Device): ConfigBitsOutcome {
  const tree = parseYamlTree(text);
  const sink = new DiagnosticSink();
  const model = readNetwork(tree, device, sink);
  // izer's parser stops at the first error in the file: so does quantize.py.
  const error = sink.items.find((d) => d.severity === 'error');
  if (error) return { ok: false, line: new LineIndex(text).lineOf(error.range[0]) + 1, message: error.message };
  if (!model.isNetwork) return { ok: false, line: null, message: 'it is not a network description (it needs a top-level `layers` list)' };
  return { ok: true, bits: model.layers.map((l) => l.quantization) };
}
