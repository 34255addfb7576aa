// `ai8x allocate`: fills in processors, output_processors, in_offset and out_offset for the whole network and
// prints the YAML (or writes --output) with minimal edits. Exit 0: allocated and `ai8x check` finds no error in
// the result; 1: no valid allocation (which layer, which resource); 2: usage or I/O problem.
import { allocateRequest } from '../app/allocate';
import { InputSources } from '../app/inputSources';
import { maskHex, popcount, processorsOf, rangesText } from '../engine/model/processorMask';
import { writeFileSafely } from '../shared/safeWrite';
import { UsageError, optionString, parseArgs, readNetworkFile } from './args';
import { commandRequest } from './commandRequest';

const NAME = 'ai8x allocate';

export async function runAllocate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'output'], ['keep', 'explain']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const req = commandRequest(file, '', args);
  const output = optionString(args, 'output');
  const text = readNetworkFile(NAME, file);
  if (text === null) return 2;

  const outcome = allocateRequest({ ...req, text }, InputSources.forCommandLine(), { keep: args.options.has('keep') });
  if (!outcome.ok) {
    process.stderr.write(`${NAME}: ${file}: no valid allocation: ${outcome.message}\n`);
    for (const r of outcome.remaining?.slice(1, 6) ?? []) process.stderr.write(`  also: ${r}\n`);
    return 1;
  }
  if (args.options.has('explain')) {
    for (const l of outcome.layers) {
      const label = l.name ? `layer ${l.ll} (${l.name})` : `layer ${l.ll}`;
      const procs = processorsOf(l.processors);
      process.stderr.write(`${label}: processors ${maskHex(l.processors)} (${popcount(l.processors)}: ${rangesText(procs)}) — ${l.reason}\n`);
    }
  }
  if (output) {
    try {
      writeFileSafely(output, outcome.text);
    } catch (e) {
      process.stderr.write(`${NAME}: cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  } else process.stdout.write(outcome.text);
  return 0;
}
