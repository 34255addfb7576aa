// The files behind `ai8x new-network` and "ai8x: New Network YAML from Model…": the model source (and the
// sibling modules it imports, read as text only), the checkpoint and the sample input, read safely; then the
// engine writes the YAML, with paths relative to where it will be saved.
import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import { deviceByName, deviceFromCheckpointName, DeviceName } from '../engine/device/devices';
import type { ModuleLoader } from '../engine/modelReader/interpreter';
import { newNetwork, NewNetworkOutcome } from '../engine/modelReader/newNetwork';
import { parsePython } from '../engine/modelReader/pythonSyntax';
import { listModels, ModelEntry } from '../engine/modelReader/readModel';
import { readNpy } from '../engine/sample/npy';
import { readRegularFile, readRegularTextFile } from './safeRead';

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
}

export type NewNetworkFilesOutcome = NewNetworkOutcome | { ok: false; io: true; message: string };

export function modelsInFile(file: string): ModelEntry[] | { error: string } {
  try {
    return listModels(readRegularTextFile(file, 4 * MiB));
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export function newNetworkFromFiles(req: NewNetworkRequest): NewNetworkFilesOutcome {
  const abs = (p: string) => path.resolve(req.cwd, p);
  const io = (message: string): NewNetworkFilesOutcome => ({ ok: false, io: true, message });
  let source: string;
  try {
    source = readRegularTextFile(abs(req.model), 4 * MiB);
  } catch (e) {
    return io(`cannot read the model ${req.model}: ${(e as Error).message}`);
  }
  let checkpoint;
  try {
    checkpoint = readCheckpoint(readRegularFile(abs(req.checkpoint), 512 * MiB).bytes);
  } catch (e) {
    return io(`cannot use the checkpoint ${req.checkpoint}: ${(e as Error).message}`);
  }
  const arch = req.arch ?? checkpoint.arch ?? undefined;
  if (!arch) return io('the checkpoint names no arch: give one');
  const dataset = req.dataset ?? datasetFrom(req.sampleInput) ?? arch;
  const samplePath = abs(req.sampleInput ?? path.join('tests', `sample_${dataset.toLowerCase()}.npy`));
  let sample;
  try {
    sample = readNpy(readRegularFile(samplePath, 128 * MiB).bytes);
  } catch (e) {
    return io(`the network needs a sample input for its shapes; ${samplePath}: ${(e as Error).message}`);
  }
  const deviceName: DeviceName = req.device ?? deviceFromCheckpointName(req.checkpoint) ?? 'MAX78000';
  const base = req.output ? path.dirname(abs(req.output)) : req.cwd;
  const rel = (p: string) => path.relative(base, p).split(path.sep).join('/');
  const checkpointPath = abs(req.checkpoint);
  return newNetwork({
    modelFile: abs(req.model),
    modelSource: source,
    loader: siblingModules(),
    arch,
    checkpoint,
    inputShape: sample.shape,
    device: deviceByName(deviceName),
    dataset,
    izerFlags: req.izerFlags,
    checkpointRef: rel(checkpointPath),
    sampleRef: rel(samplePath),
    recheck: (text) =>
      checkNetwork({
        text,
        fileName: req.output ? path.basename(req.output) : `${arch}.yaml`,
        deviceOverride: deviceName,
        izerFlags: req.izerFlags,
        resolveInputs: () => ({ checkpoint, checkpointPath, sample, samplePath }),
      }),
  });
}

/** `sample_<dataset>.npy` → `<dataset>`. */
function datasetFrom(sample: string | undefined): string | null {
  const m = sample ? /^sample_(.+)\.npy$/i.exec(path.basename(sample)) : null;
  return m ? m[1] : null;
}
