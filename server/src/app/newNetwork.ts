// The new-network workflow (`ai8x new-network`, "ai8x: New Network YAML from Model…"): the model source (and the
// sibling modules it imports, read as text only), the checkpoint and the sample input, read safely; then the
// engine writes the YAML, with paths relative to where it will be saved, and checks it as the request would.
import * as path from 'node:path';
import { deviceByName, deviceFromCheckpointName, DeviceName } from '../engine/device/devices';
import type { ModuleLoader } from '../engine/modelReader/interpreter';
import { newNetwork, NewNetworkOutcome } from '../engine/modelReader/newNetwork';
import { parsePython } from '../engine/modelReader/pythonSyntax';
import { listModels, ModelEntry } from '../engine/modelReader/readModel';
import { readRegularTextFile } from '../workspace/safeRead';
import { recheckFor } from './check';
import { InputSources } from './inputSources';
import type { ChoiceOrigin } from './networkRequest';

const MiB = 2 ** 20;

/** Sibling modules of a model file (ai8x_blocks.py next to it or one folder up), read as source only. */
export function siblingModules(): ModuleLoader {
  return (name, from) => {
    if (!/^[A-Za-z_][\w.]*$/.test(name)) return null;
    for (const dir of [path.dirname(from), path.dirname(path.dirname(from))]) {
      const p = path.join(dir, name.replace(/\./g, path.sep) + '.py');
      try {
        return { file: p, module: parsePython(readRegularTextFile(p, 4 * MiB)) };
      } catch {
        // not there: try the next folder
      }
    }
    return null;
  };
}

export interface NewNetworkRequest {
  model: string;
  arch?: string;
  checkpoint: string;
  /** Default: tests/sample_<dataset>.npy relative to the working folder. */
  sampleInput?: string;
  device?: DeviceName;
  dataset?: string;
  izerFlags: string[];
  /** Where the YAML will be written (its references to the checkpoint and sample are relative to it); null: the working folder. */
  output: string | null;
  cwd: string;
  /** Who asked: the command line, or the user in the editor. */
  origin: ChoiceOrigin;
}

export type NewNetworkFilesOutcome = NewNetworkOutcome | { ok: false; io: true; message: string };

export function modelsInFile(file: string): ModelEntry[] | { error: string } {
  try {
    return listModels(readRegularTextFile(file, 4 * MiB));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export function newNetworkFromFiles(req: NewNetworkRequest, sources = new InputSources([req.cwd], false)): NewNetworkFilesOutcome {
  const abs = (p: string) => path.resolve(req.cwd, p);
  const io = (message: string): NewNetworkFilesOutcome => ({ ok: false, io: true, message });
  let source: string;
  try {
    source = readRegularTextFile(abs(req.model), 4 * MiB);
  } catch (e) {
    return io(`cannot read the model ${req.model}: ${(e as Error).message}`);
  }
  const checkpointPath = abs(req.checkpoint);
  const loaded = sources.files.checkpoints.get(checkpointPath);
  if (loaded.error !== undefined) return io(`cannot use the checkpoint ${req.checkpoint}: ${loaded.error}`);
  const checkpoint = loaded.value;
  const arch = req.arch ?? checkpoint.arch ?? undefined;
  if (!arch) return io('the checkpoint names no arch: give one');
  const dataset = req.dataset ?? datasetFrom(req.sampleInput) ?? arch;
  const samplePath = abs(req.sampleInput ?? path.join('tests', `sample_${dataset.toLowerCase()}.npy`));
  const sample = sources.files.samples.get(samplePath);
  if (sample.error !== undefined) return io(`the network needs a sample input for its shapes; ${samplePath}: ${sample.error}`);
  const deviceName: DeviceName = req.device ?? deviceFromCheckpointName(req.checkpoint) ?? 'MAX78000';
  const base = req.output ? path.dirname(abs(req.output)) : req.cwd;
  const rel = (p: string) => path.relative(base, p).split(path.sep).join('/');
  const yamlPath = req.output ? abs(req.output) : path.join(req.cwd, `${arch}.yaml`);
  return newNetwork({
    modelFile: abs(req.model),
    modelSource: source,
    loader: siblingModules(),
    arch,
    checkpoint,
    inputShape: sample.value.shape,
    device: deviceByName(deviceName),
    dataset,
    izerFlags: req.izerFlags,
    checkpointRef: rel(checkpointPath),
    sampleRef: rel(samplePath),
    // The YAML as written, with the files just read (cached in `sources`) and the device chosen here.
    recheck: recheckFor(
      {
        text: '',
        path: yamlPath,
        choices: { origin: req.origin, device: deviceName, checkpoint: checkpointPath, sampleInput: samplePath },
        izerFlags: req.izerFlags,
      },
      sources,
    ),
  });
}

/** `sample_<dataset>.npy` → `<dataset>`. */
function datasetFrom(sample: string | undefined): string | null {
  const m = sample ? /^sample_(.+)\.npy$/i.exec(path.basename(sample)) : null;
  return m ? m[1] : null;
}
