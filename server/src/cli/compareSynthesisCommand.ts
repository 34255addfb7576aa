// `ai8x compare-synthesis`: makes the project of a network with izer and with the native generator and says whether
// both give the accelerator the same (exit 0) or where they first differ (exit 1); 2 for usage, I/O, or a tool that
// could not run.
import * as path from 'node:path';
import { compareSynthesis } from '../app/compareSynthesis';
import { InputSources } from '../app/inputSources';
import { synthesisInputs } from '../app/synthesize';
import { CLI_NAMES, findEnvironment } from '../synthesis/environment';
import { optionString, parseArgs, readNetworkFile, UsageError } from './args';
import { commandRequest } from './commandRequest';

const NAME = 'ai8x compare-synthesis';

export async function runCompareSynthesis(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['checkpoint', 'device', 'sample-input', 'synthesis-path', 'python', 'prefix', 'format'], ['keep']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format is text or json, not "${format}"`);
  const network = path.resolve(args.positionals[0]);
  const err = (s: string) => process.stderr.write(`${NAME}: ${s}\n`);
  const text = readNetworkFile(NAME, network);
  if (text === null) return 2;
  const inputs = synthesisInputs({ ...commandRequest(network, '', args), text }, InputSources.forCommandLine(), 'native');
  const env = process.env;
  const synthesisOpt = optionString(args, 'synthesis-path') ?? env.AI8X_SYNTHESIS_PATH;
  const pythonOpt = optionString(args, 'python') ?? env.AI8X_PYTHON;
  const found = findEnvironment({
    synthesisPath: synthesisOpt ? { path: synthesisOpt, source: optionString(args, 'synthesis-path') ? '--synthesis-path' : 'AI8X_SYNTHESIS_PATH' } : undefined,
    workspaceFolders: [process.cwd()],
    python: pythonOpt ? { path: pythonOpt, source: optionString(args, 'python') ? '--python' : 'AI8X_PYTHON' } : undefined,
    env,
    needMsdk: false,
    names: CLI_NAMES,
  });
  if (!found.synthesis || !found.python) {
    for (const p of found.problems) err(p.message);
    return 2;
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.on('SIGINT', stop);
  try {
    const outcome = await compareSynthesis(
      {
        inputs,
        network,
        networkText: text,
        prefix: optionString(args, 'prefix') ?? path.basename(network).replace(/\.ya?ml$/i, ''),
        izer: { python: found.python.path, synthesisDir: found.synthesis.path },
        keep: args.options.has('keep'),
      },
      { signal: abort.signal, onNote: err, onCommandLine: (line) => err(`running izer: ${line}`) },
    );
    const code = outcome.status === 'compared' ? (outcome.same ? 0 : 1) : outcome.status === 'cancelled' ? 130 : 2;
    // JSON for the editor's command: the whole outcome on one line of stdout (notes stay on stderr).
    if (format === 'json') process.stdout.write(JSON.stringify(outcome) + '\n');
    if (outcome.status !== 'compared') {
      err(outcome.problem);
      return code;
    }
    if (format === 'json') return code;
    process.stdout.write(`${outcome.same ? '' : 'different: '}${outcome.summary}\n`);
    for (const d of outcome.differences.slice(1)) process.stdout.write(`  also ${d.aspect}: ${d.message}\n`);
    if (outcome.izerProject) process.stdout.write(`izer's project: ${outcome.izerProject}\nthe native project: ${outcome.nativeProject}\n`);
    return code;
  } finally {
    process.off('SIGINT', stop);
  }
}
