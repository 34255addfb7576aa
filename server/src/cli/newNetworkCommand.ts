// `ai8x new-network`: writes a complete network YAML from an ai8x-training model file and its quantized
// checkpoint. Exit 0: written and clean; 1: the model cannot be turned into a valid network (why, with the source
// line); 2: usage or I/O problem.
import * as fs from 'node:fs';
import { newNetworkFromFiles } from '../app/newNetwork';
import { FileExistsError, writeFileSafely } from '../shared/safeWrite';
import { ioReason } from '../workspace/ioReason';
import { UsageError, deviceOption, optionString, parseArgs } from './args';

const NAME = 'ai8x new-network';

export async function runNewNetwork(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['model', 'arch', 'checkpoint', 'sample-input', 'device', 'dataset', 'output'], []);
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const model = optionString(args, 'model');
  const checkpoint = optionString(args, 'checkpoint');
  if (!model) throw new UsageError('--model FILE.py is required');
  if (!checkpoint) throw new UsageError('--checkpoint FILE is required');
  const output = optionString(args, 'output') ?? null;
  if (output && fs.existsSync(output)) {
    process.stderr.write(`${NAME}: ${output} exists; choose another --output (nothing was written)\n`);
    return 2;
  }
  const outcome = newNetworkFromFiles({
    model,
    arch: optionString(args, 'arch'),
    checkpoint,
    sampleInput: optionString(args, 'sample-input'),
    device: deviceOption(args),
    dataset: optionString(args, 'dataset'),
    izerFlags: args.izerFlags,
    output,
    cwd: process.cwd(),
    origin: 'command line',
  });
  if (!outcome.ok) {
    if ('io' in outcome) {
      process.stderr.write(`${NAME}: ${outcome.message}\n`);
      return 2;
    }
    process.stderr.write(`${NAME}: ${outcome.file ? `${outcome.file}:${outcome.line}: ` : ''}${outcome.message}\n`);
    return 1;
  }
  for (const n of outcome.notes) process.stderr.write(`${NAME}: note: ${n}\n`);
  if (!output) {
    process.stdout.write(outcome.text);
    return 0;
  }
  try {
    writeFileSafely(output, outcome.text, { replace: false });
  } catch (e) {
    process.stderr.write(`${NAME}: ${e instanceof FileExistsError ? `${output} exists (nothing was written)` : `cannot write ${output}: ${ioReason(e)}`}\n`);
    return 2;
  }
  return 0;
}
