// `ai8x` — the command-line face of the engine: check | kernel-map | simulate | allocate | new-network | quantize |
// synthesize | explain-mismatch. dist/cli.js (bin.ts) loads this bundle (dist/cliMain.js) and calls runCli.
import { UsageError } from './args';
import { mark, reportTiming } from './timing';

const USAGE = `Usage:
  ai8x check <network.yaml> [--device MAX78000|MAX78002] [--checkpoint FILE] [--sample-input FILE] [--format text|json] [-- <izer flags>]
  ai8x kernel-map <network.yaml> --checkpoint FILE [--device D] [--sample-input FILE] [-- <izer flags>]
  ai8x simulate <network.yaml> --checkpoint FILE [--device D] [--sample-input FILE | --random-input SEED [--input-shape C,H,W]]
                [--format text|json] [-- <izer flags>]
  ai8x allocate <network.yaml> [--checkpoint FILE] [--sample-input FILE] [--device D] [--output FILE] [--keep] [--explain] [-- <izer flags>]
                chooses processors, output_processors, in_offset and out_offset for every layer
  ai8x new-network --model FILE.py --checkpoint FILE [--arch NAME] [--sample-input FILE] [--device D] [--dataset NAME]
                   [--output FILE] [-- <izer flags>]      writes the network YAML for a model and its checkpoint
  ai8x quantize <in.pth.tar> <out.pth.tar> --device MAX78000|MAX78002 [-c|--config-file YAML] [--force]
                [-- <quantize.py flags: --clip-method M, --qat-weight-bits N, --scale X, --stddev X, -v>]
                quantizes a training checkpoint as quantize.py does (exit 1: a layer cannot be quantized)
  ai8x synthesize <network.yaml> --checkpoint FILE [--prefix NAME] [--device D] [--sample-input FILE] [--out DIR]
                  [--engine native|izer] [--update-network-only] [--force] [-- <izer flags>]
                  writes the MSDK project into DIR/NAME (default <MAXIM_PATH>/Examples/<device>/CNN/NAME); the native
                  engine needs nothing else, --engine izer runs your ai8x-synthesis ([--synthesis-path DIR] [--python EXE])
  ai8x compare-synthesis <network.yaml> [--checkpoint FILE] [--sample-input FILE] [--device D] [--prefix NAME] [--keep]
                         [--synthesis-path DIR] [--python EXE] [--format text|json] [-- <izer flags>]
                  makes the project with izer and natively and compares what each gives the accelerator
                  (exit 0 the same, 1 different, 2 a tool could not run)
  ai8x explain-mismatch <network.yaml> --checkpoint FILE [--sample-input FILE] [--device D] --log FILE|- [--format text|json]
                        [-- <izer flags>]
                explains the board's "Data mismatch … Expected …, read …" lines: layer, channels, bytes, likely causes
  ai8x example [DIR]     writes the built-in example network, checkpoint and sample input (default ./example)

Exit status: 0 no errors, 1 errors found, 2 usage or I/O problem.`;

type Command = (argv: string[]) => Promise<number>;

// Each command is loaded when it is run: `check` then neither evaluates nor compiles the simulator, the allocator,
// the synthesis runner or the model reader (a cold check is mostly Node starting and the code it has to load).
const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./checkCommand')).runCheck,
  'kernel-map': async () => (await import('./kernelMapCommand')).runKernelMap,
  simulate: async () => (await import('./simulateCommand')).runSimulate,
  example: async () => (await import('./exampleCommand')).runExample,
  synthesize: async () => (await import('./synthesizeCommand')).runSynthesize,
  'compare-synthesis': async () => (await import('./compareSynthesisCommand')).runCompareSynthesis,
  allocate: async () => (await import('./allocateCommand')).runAllocate,
  'new-network': async () => (await import('./newNetworkCommand')).runNewNetwork,
  quantize: async () => (await import('./quantizeCommand')).runQuantize,
  'explain-mismatch': async () => (await import('./explainMismatchCommand')).runExplainMismatch,
};

export async function main(argv: string[]): Promise<number> {
  mark('main');
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!load) {
    process.stderr.write(`ai8x: unknown command "${cmd}"\n${USAGE}\n`);
    return 2;
  }
  try {
    const run = await load();
    mark('command loaded');
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

/** What dist/cli.js (bin.ts) runs: the command, then the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    process.stderr.write(String(e) + '\n');
    code = 2;
  }
  // Set the exit code instead of calling process.exit(): piped stdout must drain first.
  process.exitCode = code;
  reportTiming();
  return code;
}
