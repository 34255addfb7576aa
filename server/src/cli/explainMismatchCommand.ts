// `ai8x explain-mismatch`: reads the board's serial output after a failed known-answer test (`Data mismatch (i/n) at
// address 0x…: Expected 0x…, read 0x….`), simulates the network, and says for each line which layer's output is
// at that address, which channels and bytes differ, and what is worth checking.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedInputs } from '../engine/check';
import { checkNetwork } from '../engine/check';
import type { SampleInput } from '../engine/sample/npy';
import { simulate, SimulationError } from '../engine/simulate';
import { explainMismatches, explanationText, parseBoardLog } from '../engine/services/explainMismatch';
import { UsageError, deviceOption, optionString, parseArgs, readNetworkFile } from './args';
import { cliInputs } from './cliInputs';
import { formatDiagnosticsText } from './formatDiagnostics';

const NAME = 'ai8x explain-mismatch';
const MAX_LOG_BYTES = 16 * 2 ** 20;

export async function runExplainMismatch(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'format', 'log']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const logName = optionString(args, 'log');
  if (logName === undefined) throw new UsageError('--log FILE (or --log - for standard input) names the serial output to explain');
  const device = deviceOption(args);

  let logText: string;
  try {
    logText = logName === '-' ? await readStdin() : fs.readFileSync(logName, 'utf8');
  } catch (e) {
    process.stderr.write(`${NAME}: cannot read ${logName}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  if (logText.length > MAX_LOG_BYTES) {
    process.stderr.write(`${NAME}: ${logName} is larger than ${MAX_LOG_BYTES} bytes\n`);
    return 2;
  }
  const log = parseBoardLog(logText);

  const text = readNetworkFile(NAME, file);
  if (text === null) return 2;
  let resolved: ResolvedInputs = {};
  const base = cliInputs(file, args);
  const result = checkNetwork({
    text,
    fileName: path.basename(file),
    deviceOverride: device ?? undefined,
    izerFlags: args.izerFlags,
    resolveInputs: (ctx) => (resolved = base(ctx)),
  });
  if (!resolved.checkpointPath && result.model.arch !== 'test') {
    process.stderr.write(`${NAME}: the known answer needs the network's checkpoint: give --checkpoint FILE or a \`# ai8x: checkpoint=…\` line in the file.\n`);
    return 2;
  }
  if (resolved.checkpoint && 'error' in resolved.checkpoint) {
    process.stderr.write(`${NAME}: cannot use the checkpoint ${resolved.checkpointPath}: ${resolved.checkpoint.error}\n`);
    return 2;
  }
  if (!resolved.sample || 'error' in resolved.sample) {
    const why = resolved.sample && 'error' in resolved.sample ? `: ${resolved.sample.error}` : '';
    process.stderr.write(`${NAME}: the known answer needs the sample input the firmware was made with${why}: give --sample-input FILE.npy.\n`);
    return 2;
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const plan = result.analysis?.plan;
  if (errors.length || !plan) {
    process.stdout.write(formatDiagnosticsText(file, { ...result, diagnostics: errors }));
    process.stderr.write(`${NAME}: ${file} has errors; izer would not have made firmware from it as it is. Fix them first.\n`);
    return 1;
  }
  let sim;
  try {
    sim = simulate(plan, resolved.sample as SampleInput, { device: result.device, flags: result.flags });
  } catch (e) {
    if (e instanceof SimulationError) {
      process.stderr.write(`${file}: error ${e.code} ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const explained = explainMismatches(log.mismatches, { result, plan, sim });
  if (format === 'json') {
    const mismatches = explained.map((e) => ({
      line: e.line,
      address: e.address,
      expected: e.expected,
      read: e.read,
      layer: e.layer,
      memory: e.memory,
      channels: e.channels,
      position: e.position,
      message: e.message,
      causes: e.causes,
    }));
    process.stdout.write(JSON.stringify({ mismatches }, null, 2) + '\n');
  } else if (!explained.length) {
    process.stdout.write(
      log.passed
        ? 'The log says *** PASS ***: the known-answer test passed.\n'
        : 'No "Data mismatch (i/n) at address 0x…: Expected 0x…, read 0x…." lines in the log.\n',
    );
  } else process.stdout.write(explained.map(explanationText).join('\n\n') + '\n');
  return explained.length ? 1 : 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
    size += b.length;
    if (size > MAX_LOG_BYTES) throw new Error(`more than ${MAX_LOG_BYTES} bytes on standard input`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
