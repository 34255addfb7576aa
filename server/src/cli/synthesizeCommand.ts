// `ai8x synthesize`: generate the C code of a network into the MSDK project layout, natively (the default) or by
// running the user's izer (--engine izer), with the same safety rules as the editor command.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputSources } from '../app/inputSources';
import { NATIVE_GENERATOR } from '../app/nativeGenerator';
import { SynthesisEngine, synthesisInputs, synthesizeNetwork } from '../app/synthesize';
import { LineIndex } from '../engine/lineIndex';
import { CLI_NAMES, findEnvironment } from '../synthesis/environment';
import { buildSteps } from '../synthesis/buildSteps';
import { summaryLine } from '../synthesis/logSummary';
import type { SynthesisOutcome } from '../synthesis/synthesize';
import { optionString, parseArgs, readNetworkFile, UsageError } from './args';
import { commandRequest } from './commandRequest';

const VALUED = ['checkpoint', 'prefix', 'device', 'sample-input', 'out', 'synthesis-path', 'python', 'engine'];
const FLAGS = ['update-network-only', 'force'];

export async function runSynthesize(argv: string[]): Promise<number> {
  const args = parseArgs(argv, VALUED, FLAGS);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const network = path.resolve(args.positionals[0]);
  const err = (s: string) => process.stderr.write(`ai8x synthesize: ${s}\n`);
  const req = commandRequest(network, '', args);

  const engineOpt = optionString(args, 'engine') ?? 'native';
  if (engineOpt !== 'native' && engineOpt !== 'izer') throw new UsageError(`--engine must be native or izer (got "${engineOpt}")`);
  const engine: SynthesisEngine = engineOpt;

  const text = readNetworkFile('ai8x synthesize', network);
  if (text === null) return 2;
  const inputs = synthesisInputs({ ...req, text }, InputSources.forCommandLine(), engine);
  if (!inputs.checkpoint && inputs.checkpointRequired) {
    err(`no checkpoint: give --checkpoint FILE or write "# ai8x: checkpoint=FILE" into ${path.basename(network)}`);
    return 2;
  }
  const device = inputs.device;
  const prefix = optionString(args, 'prefix') ?? path.basename(network).replace(/\.ya?ml$/i, '');

  const env = process.env;
  const outOpt = optionString(args, 'out');
  const synthesisOpt = optionString(args, 'synthesis-path') ?? env.AI8X_SYNTHESIS_PATH;
  const pythonOpt = optionString(args, 'python') ?? env.AI8X_PYTHON;
  const found = findEnvironment({
    synthesisPath: synthesisOpt ? { path: synthesisOpt, source: optionString(args, 'synthesis-path') ? '--synthesis-path' : 'AI8X_SYNTHESIS_PATH' } : undefined,
    workspaceFolders: [process.cwd()],
    python: pythonOpt ? { path: pythonOpt, source: optionString(args, 'python') ? '--python' : 'AI8X_PYTHON' } : undefined,
    env,
    needMsdk: !outOpt,
    names: CLI_NAMES,
  });
  // The native generator needs neither ai8x-synthesis nor Python: only somewhere to put the project.
  const problems = engine === 'izer' ? found.problems : found.problems.filter((p) => p.tool === 'msdk');
  if (problems.length || (engine === 'izer' && (!found.synthesis || !found.python)) || (!outOpt && !found.msdk)) {
    for (const p of problems) err(p.message);
    return 2;
  }
  const testDir = outOpt ? path.resolve(outOpt) : path.join(found.msdk!.path, 'Examples', device, 'CNN');

  const abort = new AbortController();
  const onSigint = () => {
    err('cancelling: ending izer and everything it started');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let outcome: SynthesisOutcome;
  try {
    outcome = await synthesizeNetwork(
      {
        engine,
        inputs,
        network,
        networkText: text,
        prefix,
        testDir,
        mode: args.options.has('update-network-only') ? 'update-network-only' : 'project',
        force: args.options.has('force'),
      },
      { izer: found.python && found.synthesis ? { python: found.python.path, synthesisDir: found.synthesis.path } : undefined, native: NATIVE_GENERATOR },
      {
        signal: abort.signal,
        onCommandLine: (line) => err(engine === 'izer' ? `running (in ${found.synthesis!.path}):\n  ${line}` : `generating natively: ${line}`),
        onNote: (n) => err(n),
        onOutput: (stream, t) => (stream === 'stdout' ? process.stdout : process.stderr).write(t),
      },
    );
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }

  const lines = new LineIndex(text);
  for (const d of outcome.diagnostics) {
    const p = lines.position(d.range[0]);
    process.stdout.write(`${network}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.code} ${d.message}\n`);
  }
  switch (outcome.status) {
    case 'ok': {
      process.stdout.write(`ai8x synthesize: ${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'} written to ${outcome.target}\n`);
      const s = outcome.summary ? summaryLine(outcome.summary) : '';
      if (s) process.stdout.write(`ai8x synthesize: ${s}\n`);
      if (outcome.backup) process.stdout.write(`ai8x synthesize: the previous contents were kept in ${outcome.backup}\n`);
      const steps = buildSteps({
        target: outcome.target,
        device,
        msdk: found.msdk?.path ?? null,
        maximPathSet: !!env.MAXIM_PATH,
        hasVscodeFolder: fs.existsSync(path.join(outcome.target, '.vscode')),
        commandLine: outcome.commandLine,
        engine,
      });
      for (const l of steps) process.stdout.write(`ai8x synthesize: ${l}\n`);
      return 0;
    }
    case 'izer-failed':
      err(outcome.problem ?? 'izer failed');
      return outcome.exitCode ?? 1;
    case 'cancelled':
      err(outcome.problem ?? 'cancelled');
      return 130;
    case 'refused':
      err(
        `${outcome.problem ?? 'refused'}${outcome.needsConsent ? ' Choose another --prefix or --out, or give --force to replace it (the previous contents are kept in a backup folder next to it).' : ''}`,
      );
      return 2;
    default:
      err(outcome.problem ?? 'synthesis failed');
      return 2;
  }
}
