// The new-network workflow (`ai8x new-network`, "ai8x: New Network YAML from Model…"): the model source (and the
// sibling modules it imports, read as text only), the checkpoint and the sample input, read safely; then the
// engine writes the YAML, with paths relative to where it will be saved, and checks it as the request would. A
// training checkpoint is quantized on the way (as quantize.py would) into `<name>-q.pth.tar` next to it, which the
// network then uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import type { TorchCheckpoint } from '../engine/checkpoint/types';
import { writeCheckpointObject } from '../engine/checkpoint/writeCheckpoint';
import { deviceByName, deviceFromCheckpointName, DeviceName } from '../engine/device/devices';
import type { ModuleLoader } from '../engine/modelReader/interpreter';
import { newNetwork, NewNetworkOutcome } from '../engine/modelReader/newNetwork';
import { parsePython } from '../engine/modelReader/pythonSyntax';
import { listModels, ModelEntry } from '../engine/modelReader/readModel';
import { quantizationState } from '../engine/quantize/quantizationState';
import { QuantizeError, quantizeCheckpoint } from '../engine/quantize/quantizeCheckpoint';
import { quantizedName } from '../shared/checkpointNames';
import { FileExistsError, writeFileSafely } from '../shared/safeWrite';
import { ioReason } from '../workspace/ioReason';
import { readTrainingCheckpoint } from '../workspace/quantizeFiles';
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
  let checkpointPath = abs(req.checkpoint);
  const loaded = sources.files.checkpoints.get(checkpointPath);
  if (loaded.error !== undefined) return io(`cannot use the checkpoint ${req.checkpoint}: ${loaded.error}`);
  let checkpoint = loaded.value;
  // A training checkpoint: quantized now and written next to it (never over a file), so the check reads it as it will be.
  let quantized: QuantizedOnTheWay | null = null;
  if (quantizationState(checkpoint) === 'training') {
    const q = quantizeOnTheWay(checkpointPath);
    if ('message' in q) return q.quantizeError ? { ok: false, message: q.message, file: null, line: null } : io(q.message);
    try {
      writeFileSafely(q.path, q.bytes, { replace: false });
    } catch (e) {
      return io(e instanceof FileExistsError ? `${q.path} appeared meanwhile; not replaced` : `cannot write ${q.path}: ${ioReason(e)}`);
    }
    quantized = q;
    checkpoint = q.checkpoint;
    checkpointPath = q.path;
  }
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
  const outcome = newNetwork({
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
  if (!quantized) return outcome;
  if (!outcome.ok) {
    // Made here for a network that could not be made: not left behind.
    fs.rmSync(quantized.path, { force: true });
    return outcome;
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

/** A training checkpoint quantized in memory, to be written as `<name>-q.pth.tar`. */
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
