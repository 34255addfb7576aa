// `ai8x explain-mismatch`: reads the board's serial output after a failed known-answer test (`Data mismatch (i/n) at
// address 0x…: Expected 0x…, read 0x….`), simulates the network, and says for each line which layer's output is
// at that address, which channels and bytes differ, and what is worth checking.
import { explainBoardLog, ExplainOutcome } from '../app/explainMismatch';
import { InputSources } from '../app/inputSources';
import { explanationText, parseBoardLog } from '../engine/services/explainMismatch';
import { UsageError, optionString, parseArgs, readNetworkFile } from './args';
import { commandRequest } from './commandRequest';
import { readRegularTextFile } from '../workspace/safeRead';
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
  const req = commandRequest(file, '', args);

  let logText: string;
  try {
    logText = logName === '-' ? await readStdin() : readRegularTextFile(logName, MAX_LOG_BYTES);
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
  const outcome = explainBoardLog({ ...req, text }, InputSources.forCommandLine(), log);
  if (!outcome.ok) return reportProblem(outcome, file);
  const explained = outcome.explanations;
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

/** What stopped the explanation: exit 2 for a missing or unreadable input, 1 for a network izer would refuse. */
function reportProblem(p: Exclude<ExplainOutcome, { ok: true }>, file: string): number {
  const fail = (message: string, code: number) => (process.stderr.write(`${NAME}: ${message}\n`), code);
  switch (p.reason) {
    case 'no-checkpoint':
      return fail("the known answer needs the network's checkpoint: give --checkpoint FILE or a `# ai8x: checkpoint=…` line in the file.", 2);
    case 'checkpoint-unreadable':
      return fail(`cannot use the checkpoint ${p.path}: ${p.error}`, 2);
    case 'no-input-shape':
    case 'no-sample':
    case 'sample-unreadable': {
      const why = p.reason === 'sample-unreadable' ? `: ${p.error}` : '';
      return fail(`the known answer needs the sample input the firmware was made with${why}: give --sample-input FILE.npy.`, 2);
    }
    case 'simulation-error':
      process.stderr.write(`${file}: error ${p.error.code} ${p.error.message}\n`);
      return 1;
    default:
      if (p.reason === 'network-errors') process.stdout.write(formatDiagnosticsText(file, { ...p.result, diagnostics: p.errors }));
      return fail(`${file} has errors; izer would not have made firmware from it as it is. Fix them first.`, 1);
  }
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
