// The files behind `ai8x quantize`, "ai8x: Quantize Checkpoint" and new-network's quantizing on the way: the training
// checkpoint and the network YAML (-c) are read safely, the engine quantizes, and the result is written through a
// temporary file and a rename, never over an existing file unless asked.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import type { TorchCheckpoint } from '../engine/checkpoint/types';
import { writeCheckpointObject } from '../engine/checkpoint/writeCheckpoint';
import { deviceByName, DeviceName } from '../engine/device/devices';
import type { ClipMethod } from '../engine/quantize/clipMethods';
import { configBits } from '../engine/quantize/configBits';
import { QuantizeError, quantizeCheckpoint, QuantizeResult } from '../engine/quantize/quantizeCheckpoint';
import { FileExistsError, writeFileSafely } from '../shared/safeWrite';
import { ioReason } from './ioReason';
import { readRegularFile, readRegularTextFile } from './safeRead';

const MiB = 2 ** 20;
/** The largest checkpoint read (ai8x checkpoints are a few MiB). */
export const MAX_CHECKPOINT_BYTES = 512 * MiB;
const MAX_CONFIG_BYTES = 64 * MiB;

export interface QuantizeFileRequest {
  input: string;
  output: string;
  device: DeviceName;
  configFile?: string | null;
  clipMethod?: ClipMethod | null;
  qatWeightBits?: number | null;
  scale?: number | null;
  stddev?: number | null;
  verbose?: boolean;
  /** Replace an existing output file. */
  force?: boolean;
}

export type QuantizeFileOutcome =
  | { ok: true; result: QuantizeResult; output: string; bytes: number; ms: { read: number; quantize: number; write: number } }
  /** `exists`: the output is there and `force` was not given; `io`: a file could not be read or written. */
  | { ok: false; kind: 'exists' | 'io'; message: string }
  /** The checkpoint (or the config file) cannot be quantized: the key (or line) and why. */
  | { ok: false; kind: 'quantize'; message: string; key: string | null };

/** Reads a checkpoint for quantizing (Python floats kept as floats, so that the rest of it is written as it was). */
export function readTrainingCheckpoint(file: string): { ok: true; checkpoint: TorchCheckpoint } | { ok: false; message: string } {
  try {
    return { ok: true, checkpoint: readCheckpoint(readRegularFile(file, MAX_CHECKPOINT_BYTES).bytes, { fileName: file, exactFloats: true }) };
  } catch (e) {
    return { ok: false, message: `cannot read ${file}: ${ioReason(e)}` };
  }
}

export function quantizeFile(req: QuantizeFileRequest): QuantizeFileOutcome {
  const t0 = performance.now();
  if (!req.force && fs.existsSync(req.output)) return { ok: false, kind: 'exists', message: `${req.output} exists (nothing was written)` };
  let bits = null;
  if (req.configFile) {
    let text: string;
    try {
      text = readRegularTextFile(req.configFile, MAX_CONFIG_BYTES);
    } catch (e) {
      return { ok: false, kind: 'io', message: `cannot read the config file ${req.configFile}: ${ioReason(e)}` };
    }
    const read = configBits(text, deviceByName(req.device));
    if (!read.ok) return { ok: false, kind: 'quantize', key: null, message: `${req.configFile}${read.line ? `:${read.line}` : ''}: ${read.message}` };
    bits = read.bits;
  }
  const input = readTrainingCheckpoint(req.input);
  if (!input.ok) return { ok: false, kind: 'io', message: input.message };
  const t1 = performance.now();
  let result: QuantizeResult;
  try {
    result = quantizeCheckpoint(input.checkpoint, {
      clipMethod: req.clipMethod ?? null,
      qatWeightBits: req.qatWeightBits ?? null,
      scale: req.scale ?? null,
      stddev: req.stddev ?? null,
      configBits: bits,
      verbose: req.verbose ?? false,
    });
  } catch (e) {
    if (e instanceof QuantizeError) return { ok: false, kind: 'quantize', message: e.message, key: e.key };
    throw e;
  }
  const t2 = performance.now();
  // torch.save names the archive's folder after the file (`name-q.pth` for `name-q.pth.tar`).
  const bytes = writeCheckpointObject(result.root, path.basename(req.output).replace(/\.[^.]*$/, '') || 'archive');
  try {
    writeFileSafely(req.output, bytes, { replace: req.force === true });
  } catch (e) {
    if (e instanceof FileExistsError) return { ok: false, kind: 'exists', message: `${req.output} exists (nothing was written)` };
    return { ok: false, kind: 'io', message: `cannot write ${req.output}: ${ioReason(e)}` };
  }
  const t3 = performance.now();
  return { ok: true, result, output: req.output, bytes: bytes.length, ms: { read: t1 - t0, quantize: t2 - t1, write: t3 - t2 } };
}
