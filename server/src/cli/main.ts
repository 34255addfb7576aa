// `ai8x` — the command-line face of the engine: check | kernel-map | simulate | allocate | synthesize | explain-mismatch.
import { runCheck } from './checkCommand';
import { runKernelMap } from './kernelMapCommand';
import { runExample } from './exampleCommand';
import { UsageError } from './args';
import { runSynthesize } from './synthesizeCommand';
import { runSimulate } from './simulateCommand';
import { runAllocate } from './allocateCommand';
import { runExplainMismatch } from './explainMismatchCommand';

const USAGE = `Usage:
  ai8x check <network.yaml> [--device MAX78000|MAX78002] [--checkpoint FILE] [--sample-input FILE] [--format text|json] [-- <izer flags>]
  ai8x kernel-map <network.yaml> --checkpoint FILE [--device D] [--sample-input FILE] [-- <izer flags>]
  ai8x simulate <network.yaml> --checkpoint FILE [--device D] [--sample-input FILE | --random-input SEED [--input-shape C,H,W]]
                [--format text|json] [-- <izer flags>]
  ai8x allocate <network.yaml> [--checkpoint FILE] [--sample-input FILE] [--device D] [--output FILE] [--keep] [--explain] [-- <izer flags>]
                chooses processors, output_processors, in_offset and out_offset for every layer
  ai8x synthesize <network.yaml> --checkpoint FILE --prefix NAME [--device D] [--sample-input FILE] [--out DIR]
                  [--synthesis-path DIR] [--python EXE] [--update-network-only] [--force] [-- <more izer flags>]
  ai8x explain-mismatch <network.yaml> --checkpoint FILE [--sample-input FILE] [--device D] --log FILE|- [--format text|json]
                        [-- <izer flags>]
                explains the board's "Data mismatch … Expected …, read …" lines: layer, channels, bytes, likely causes
  ai8x example [DIR]     writes the built-in example network, checkpoint and sample input (default ./example)

Exit status: 0 no errors, 1 errors found, 2 usage or I/O problem.`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  check: runCheck,
  'kernel-map': runKernelMap,
  simulate: runSimulate,
  example: runExample,
  synthesize: runSynthesize,
  allocate: runAllocate,
  'explain-mismatch': runExplainMismatch,
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`ai8x: unknown command "${cmd}"\n${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ai8x ${cmd}: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`ai8x ${cmd}: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  // Set the exit code instead of calling process.exit(): piped stdout must drain first.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(String(e) + '\n');
      process.exitCode = 2;
    },
  );
}
