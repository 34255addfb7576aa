// Reading the checkpoint and sample input files that belong to a network, with caching, and turning an
// association into the engine's inputs.
import * as path from 'node:path';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import type { TorchCheckpoint } from '../engine/checkpoint/types';
import type { SampleInput } from '../engine/sample/npy';
import { NpyArrays, elementCount, readNpy, readNpyArrays } from '../engine/sample/npy';
import type { SampleWeightFile } from '../engine/analysis/sampleWeights';
import * as fs from 'node:fs';
import type { ResolvedInputs } from '../engine/check';
import type { Modeline } from '../engine/model/modeline';
import { FileCache } from './fileCache';
import type { Association } from './associations';

const MiB = 2 ** 20;

export class InputFiles {
  readonly checkpoints = new FileCache<TorchCheckpoint>(
    (bytes, p) => {
      if (/\.onnx$/i.test(p))
        throw new Error('izer reads .onnx files with its ONNX loader, which this tool does not support; checks that need the weights are skipped.');
      if (!/\./.test(path.basename(p))) throw new Error('izer needs a file name with an extension (it picks the loader from it).');
      return readCheckpoint(bytes);
    },
    Number(process.env.AI8X_CHECKPOINT_CACHE_MB ?? 256) * MiB,
    512 * MiB,
    undefined,
    // The file's bytes stay referenced by tensors decoded on first use; the rest is what the reader charged.
    (c) => c.byteLength + c.memoryBytes,
  );
  readonly samples = new FileCache<SampleInput>(
    (bytes) => readNpy(bytes),
    128 * MiB,
    256 * MiB,
    undefined,
    // What the values take once decoded (a check reads only the range; the simulator decodes them).
    (s) => 8 * elementCount(s.shape) + 1024,
  );
  /** Test networks' sample-weight files (several arrays each), charged what their decoded values take. */
  readonly arrays = new FileCache<NpyArrays>(
    (bytes) => readNpyArrays(bytes),
    128 * MiB,
    64 * MiB,
    undefined,
    (a) => a.arrays.reduce((n, x) => n + 8 * elementCount(x.shape), 1024),
  );

  invalidate(file?: string): void {
    this.checkpoints.invalidate(file);
    this.samples.invalidate(file);
    this.arrays.invalidate(file);
  }
}

/** Loads what an association points to, for the engine. */
export function loadAssociatedInputs(files: InputFiles, a: Association, modeline: Modeline): ResolvedInputs {
  const out: ResolvedInputs = { device: a.device, izerFlags: a.izerFlags };
  if (a.checkpointPath) {
    const r = files.checkpoints.get(a.checkpointPath);
    out.checkpoint = r.value ?? { error: r.error! };
    out.checkpointPath = a.checkpointPath;
    if (a.checkpointSource === 'modeline' && modeline.ranges.checkpoint) out.checkpointAnchor = modeline.ranges.checkpoint;
  }
  if (a.samplePath) {
    const r = files.samples.get(a.samplePath);
    out.sample = r.value ?? { error: r.error! };
    out.samplePath = a.samplePath;
    if (a.sampleSource === 'modeline' && modeline.ranges.sampleInput) out.sampleAnchor = modeline.ranges.sampleInput;
  } else if (a.sampleCandidates.length) {
    out.missingSampleCandidates = a.sampleCandidates;
  }
  out.findSampleWeightFile = (name) => findSampleWeightFile(files, a.izerRoots, name);
  if (modeline.ranges.izerFlags) out.sampleWeightsAnchor = modeline.ranges.izerFlags;
  return out;
}

/** A file izer opens by a name relative to the folder it runs in: the first of the roots that has it. */
export function findSampleWeightFile(files: InputFiles, roots: readonly string[], name: string, exists = fs.existsSync): SampleWeightFile {
  const lookedAt = [...new Set(roots.map((r) => path.resolve(r, name)))];
  const found = lookedAt.find((p) => exists(p)) ?? null;
  if (!found) return { name, path: null, lookedAt };
  const r = files.arrays.get(found);
  return { name, path: found, lookedAt, content: r.value ?? { error: r.error! } };
}
