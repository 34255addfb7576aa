// `ai8x quantize`: a training checkpoint (QAT or not) → the quantized checkpoint izer reads, as ai8x-synthesis'
// quantize.py makes it, without Python. Exit 0: written; 1: it cannot be quantized (the layer and why); 2: usage or
// I/O problem (an existing output is replaced only with --force).
import { parseQuantizeArguments } from '../engine/quantize/quantizeArguments';
import { quantizeFile } from '../workspace/quantizeFiles';
import { UsageError } from './args';

const NAME = 'ai8x quantize';

export async function runQuantize(argv: string[]): Promise<number> {
  const args = parseQuantizeArguments(argv);
  if (args.problems.length) throw new UsageError(args.problems[0]);
  if (args.positionals.length !== 2) {
    throw new UsageError(args.positionals.length < 2 ? 'give the training checkpoint and the file to write' : `unexpected argument ${args.positionals[2]}`);
  }
  if (!args.device) throw new UsageError('--device MAX78000|MAX78002 is required (as for quantize.py)');
  const [input, output] = args.positionals;
  const outcome = quantizeFile({ ...args, input, output, device: args.device });
  if (!outcome.ok) {
    const hint = outcome.kind === 'exists' ? '; give --force to replace it' : '';
    process.stderr.write(`${NAME}: ${outcome.message}${hint}\n`);
    return outcome.kind === 'quantize' ? 1 : 2;
  }
  const { result } = outcome;
  for (const w of result.warnings) process.stderr.write(`${NAME}: warning: ${w}\n`);
  if (result.verbose.length) process.stdout.write(result.verbose.join('\n') + '\n');
  const bits = [...new Set(result.layers.map((l) => l.bits))].join('/');
  process.stdout.write(
    `${output}: ${result.layers.length} layer${result.layers.length === 1 ? '' : 's'} quantized (${bits}-bit weights, ${result.clippingMethod}) from ${input}\n`,
  );
  return 0;
}
