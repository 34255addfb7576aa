// `ai8x allocate`: fills in processors, output_processors, in_offset and out_offset for the whole network and
// prints the YAML (or writes --output) with minimal edits. Exit 0: allocated and `ai8x check` finds no error in
// the result; 1: no valid allocation (which layer, which resource); 2: usage or I/O problem.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNetwork } from '../engine/check';
import { allocateNetwork } from '../engine/allocate/allocateNetwork';
import { maskHex, popcount, processorsOf, rangesText } from '../engine/model/processorMask';
import { UsageError, deviceOption, optionString, parseArgs, readNetworkFile } from './args';
import { cliInputs } from './cliInputs';
import { InputFiles } from '../workspace/inputFiles';

const NAME = 'ai8x allocate';

export async function runAllocate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'output'], ['keep', 'explain']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const device = deviceOption(args);
  const output = optionString(args, 'output');
  const text = readNetworkFile(NAME, file);
  if (text === null) return 2;

  const files = new InputFiles();
  const inputs = cliInputs(file, args, files);
  const recheck = (t: string) =>
    checkNetwork({ text: t, fileName: path.basename(file), deviceOverride: device, izerFlags: args.izerFlags, resolveInputs: inputs });
  const outcome = allocateNetwork(text, recheck, { keep: args.options.has('keep') });
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
      fs.writeFileSync(output, outcome.text);
    } catch (e) {
      process.stderr.write(`${NAME}: cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  } else process.stdout.write(outcome.text);
  return 0;
}
