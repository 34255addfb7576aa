// The files behind `ai8x new-network` and "ai8x: New Network YAML from Model…": the model source (and the
// sibling modules it imports, read as text only), the checkpoint and the sample input, read safely; then the
// engine writes the YAML, with paths relative to where it will be saved. A training checkpoint is quantized on the
// way (as quantize.py would) into `<name>-q.pth.tar` next to it, which the network then uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import type { TorchCheckpoint } from '../engine/checkpoint/types';
import { writeCheckpointObject } from '../engine/checkpoint/writeCheckpoint';
import { deviceByName, deviceFromCheckpointName, DeviceName } from '../engine/device/devices';
import type { ModuleLoader } from '../engine/modelReader/interpreter';
import { newNetwork, NewNetworkOutcome } from '../engine/modelReader/newNetwork';
import { parsePython } from '../engine/modelReader/pythonSyntax';
import { listModels, ModelEntry } from '../engine/modelReader/readModel';
import { readNpy } from '../engine/sample/npy';
import { quantizationState } from '../engine/quantize/quantizationState';
import { QuantizeError, quantizeCheckpoint } from '../engine/quantize/quantizeCheckpoint';
import { quantizedName } from '../shared/checkpointNames';
import { FileExistsError, writeFileAtomically } from './atomicWrite';
import { ioReason } from './ioReason';
import { readTrainingCheckpoint } from './quantizeFiles';
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
  let checkpoint: TorchCheckpoint;
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
  const generate = (checkpoint: TorchCheckpoint, checkpointPath: string): NewNetworkOutcome =>
    newNetwork({
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
  let checkpointPath = abs(req.checkpoint);
  let quantized: QuantizedOnTheWay | null = null;
  if (quantizationState(checkpoint) === 'training') {
    const q = quantizeOnTheWay(checkpointPath);
    if ('message' in q) return q.quantizeError ? { ok: false, message: q.message, file: null, line: null } : io(q.message);
    quantized = q;
    checkpoint = q.checkpoint;
    checkpointPath = q.path;
  }
  const outcome = generate(checkpoint, checkpointPath);
  if (!outcome.ok || !quantized) return outcome;
  try {
    writeFileAtomically(quantized.path, quantized.bytes, { replace: false });
  } catch (e) {
    return io(
      e instanceof FileExistsError ? `${quantized.path} appeared while the network was made; not replaced` : `cannot write ${quantized.path}: ${ioReason(e)}`,
    );
  }
  const note = `${req.checkpoint} holds training weights: quantized them on the way, as quantize.py does (${quantized.summary}), into ${rel(quantized.path)}, which the network uses`;
  return { ...outcome, notes: [note, ...outcome.notes] };
}

interface QuantizedOnTheWay {
  path: string;
  bytes: Uint8Array;
  checkpoint: TorchCheckpoint;
  summary: string;
}

/** A training checkpoint quantized in memory, to be written as `<name>-q.pth.tar` once the network is made. */
function quantizeOnTheWay(input: string): QuantizedOnTheWay | { message: string; quantizeError?: true } {
  const target = quantizedName(input);
  if (fs.existsSync(target)) {
    return {
      message: `${input} holds training weights and ${path.basename(target)} exists next to it: give that one as the checkpoint (or remove it to quantize again)`,
    };
  }
  const read = readTrainingCheckpoint(input);
  if (!read.ok) return { message: read.message };
  try {
    const result = quantizeCheckpoint(read.checkpoint);
    const bytes = writeCheckpointObject(result.root, path.basename(target).replace(/\.[^.]*$/, ''));
    const bits = [...new Set(result.layers.map((l) => l.bits))].join('/');
    return { path: target, bytes, checkpoint: readCheckpoint(bytes), summary: `${bits}-bit, ${result.clippingMethod}` };
  } catch (e) {
    if (e instanceof QuantizeError) return { message: `${input} holds training weights that cannot be quantized: ${e.message}`, quantizeError: true };
    throw e;
  }
}

/** `sample_<dataset>.npy` → `<dataset>`. */
function datasetFrom(sample: string | undefined): string | null {
  const m = sample ? /^sample_(.+)\.npy$/i.exec(path.basename(sample)) : null;
  return m ? m[1] : null;
}
