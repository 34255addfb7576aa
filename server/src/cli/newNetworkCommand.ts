// `ai8x new-network`: writes a complete network YAML from an ai8x-training model file and its quantized
// checkpoint. Exit 0: written and clean; 1: the model cannot be turned into a valid network (why, with the source
// line); 2: usage or I/O problem.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { deviceByName, deviceFromCheckpointName, DeviceName } from '../engine/device/devices';
import { newNetwork } from '../engine/modelReader/newNetwork';
import { parsePython } from '../engine/modelReader/pythonSyntax';
import type { ModuleLoader } from '../engine/modelReader/interpreter';
import { readCheckpoint } from '../engine/checkpoint/readCheckpoint';
import { readNpy } from '../engine/sample/npy';
import { UsageError, deviceOption, optionString, parseArgs } from './args';
import { readRegularFile, readRegularTextFile } from '../workspace/safeRead';

const NAME = 'ai8x new-network';
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

export async function runNewNetwork(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['model', 'arch', 'checkpoint', 'sample-input', 'device', 'dataset', 'output'], ['force']);
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const model = optionString(args, 'model');
  const checkpointFile = optionString(args, 'checkpoint');
  if (!model) throw new UsageError('--model FILE.py is required');
  if (!checkpointFile) throw new UsageError('--checkpoint FILE is required');
  const output = optionString(args, 'output');
  const read = (file: string, limit: number): Uint8Array | null => {
    try {
      return readRegularFile(file, limit).bytes;
    } catch (e) {
      process.stderr.write(`${NAME}: cannot read ${file}: ${(e as Error).message}\n`);
      return null;
    }
  };
  const modelBytes = read(model, 4 * MiB);
  const ckptBytes = read(checkpointFile, 512 * MiB);
  if (!modelBytes || !ckptBytes) return 2;
  let checkpoint;
  try {
    checkpoint = readCheckpoint(ckptBytes);
  } catch (e) {
    process.stderr.write(`${NAME}: cannot use the checkpoint ${checkpointFile}: ${(e as Error).message}\n`);
    return 2;
  }
  const arch = optionString(args, 'arch') ?? checkpoint.arch ?? undefined;
  if (!arch) throw new UsageError('the checkpoint names no arch: give --arch NAME');
  const dataset = optionString(args, 'dataset') ?? datasetFrom(optionString(args, 'sample-input')) ?? arch;
  const samplePath = optionString(args, 'sample-input') ?? path.join('tests', `sample_${dataset.toLowerCase()}.npy`);
  const sampleBytes = read(samplePath, 128 * MiB);
  if (!sampleBytes) {
    process.stderr.write(`${NAME}: the network needs a sample input for its shapes: give --sample-input FILE.npy\n`);
    return 2;
  }
  let sample;
  try {
    sample = readNpy(sampleBytes);
  } catch (e) {
    process.stderr.write(`${NAME}: cannot use the sample input ${samplePath}: ${(e as Error).message}\n`);
    return 2;
  }
  const deviceName: DeviceName = deviceOption(args) ?? deviceFromCheckpointName(checkpointFile) ?? 'MAX78000';
  const device = deviceByName(deviceName);
  // The YAML names its inputs relative to where it is written (or to the working folder when printed).
  const base = output ? path.dirname(path.resolve(output)) : process.cwd();
  const rel = (p: string) => path.relative(base, path.resolve(p)).split(path.sep).join('/');
  const outcome = newNetwork({
    modelFile: path.resolve(model),
    modelSource: new TextDecoder().decode(modelBytes),
    loader: siblingModules(),
    arch,
    checkpoint,
    inputShape: sample.shape,
    device,
    dataset,
    izerFlags: args.izerFlags,
    checkpointRef: rel(checkpointFile),
    sampleRef: rel(samplePath),
    recheck: (text) =>
      checkNetwork({
        text,
        fileName: output ? path.basename(output) : `${arch}.yaml`,
        deviceOverride: deviceName,
        izerFlags: args.izerFlags,
        resolveInputs: () => ({ checkpoint, checkpointPath: path.resolve(checkpointFile), sample, samplePath: path.resolve(samplePath) }),
      }),
  });
  if (!outcome.ok) {
    const where = outcome.file ? `${outcome.file}:${outcome.line}: ` : '';
    process.stderr.write(`${NAME}: ${where}${outcome.message}\n`);
    return 1;
  }
  for (const n of outcome.notes) process.stderr.write(`${NAME}: note: ${n}\n`);
  if (output) {
    if (fs.existsSync(output) && !args.options.has('force')) {
      process.stderr.write(`${NAME}: ${output} exists; choose another --output (nothing was written)\n`);
      return 2;
    }
    try {
      fs.writeFileSync(output, outcome.text, { flag: 'wx' });
    } catch (e) {
      process.stderr.write(`${NAME}: cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  } else process.stdout.write(outcome.text);
  return 0;
}

/** `sample_<dataset>.npy` → `<dataset>`. */
function datasetFrom(sample: string | undefined): string | null {
  const m = sample ? /^sample_(.+)\.npy$/i.exec(path.basename(sample)) : null;
  return m ? m[1] : null;
}
