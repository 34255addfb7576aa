// `ai8x simulate`: runs the bit-exact simulation of a network on its sample input (or a seeded random input)
// and prints the per-layer shapes, the final output and the known answer izer would write to sampleoutput.h.
import * as path from 'node:path';
import { InputSources } from '../app/inputSources';
import { prepareSimulation, runSimulation, SimulationProblem } from '../app/simulate';
import { SimulationError } from '../engine/simulate';
import { inputShapeProblem, parseInputShape, parseSeed } from '../shared/inputShape';
import { simulationReportText } from '../engine/services/simulationReportText';
import { UsageError, optionString, parseArgs, readNetworkFile } from './args';
import { commandRequest } from './commandRequest';
import { formatDiagnosticsJson, formatDiagnosticsText } from './formatDiagnostics';

const NAME = 'ai8x simulate';

export async function runSimulate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'format', 'random-input', 'input-shape']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const seedText = optionString(args, 'random-input');
  const seed = seedText === undefined ? null : parseSeed(seedText);
  if (seedText !== undefined && seed === null) throw new UsageError(`--random-input needs a seed, a whole number from 0 to 4294967295 (got "${seedText}")`);
  if (seed !== null && optionString(args, 'sample-input')) throw new UsageError('give either --sample-input or --random-input, not both');
  const shapeText = optionString(args, 'input-shape');
  const shape = shapeText === undefined ? null : parseInputShape(shapeText);
  if (shapeText !== undefined && seed === null) throw new UsageError('--input-shape goes with --random-input');
  if (shapeText !== undefined && !shape) throw new UsageError(`--input-shape must be C,H,W or C,L (got "${shapeText}")`);
  const shapeProblem = shape ? inputShapeProblem(shape) : null;
  if (shapeProblem) throw new UsageError(`--input-shape: ${shapeProblem}`);

  const req = commandRequest(file, '', args, seed === null ? undefined : { seed, shape: shape ?? undefined });
  const text = readNetworkFile(NAME, file);
  if (text === null) return 2;

  const prepared = prepareSimulation({ ...req, text }, InputSources.forCommandLine());
  if (!prepared.ok) {
    const problem = inputProblem(prepared);
    if (problem) {
      process.stderr.write(`${NAME}: ${problem}\n`);
      return 2;
    }
    const result = 'result' in prepared ? prepared.result : null;
    if (result) process.stdout.write(format === 'json' ? formatDiagnosticsJson(file, result) : formatDiagnosticsText(file, result));
    if (prepared.reason === 'network-errors') {
      const n = prepared.errors.length;
      process.stderr.write(`${NAME}: ${file} has ${n} error${n === 1 ? '' : 's'}; fix ${n === 1 ? 'it' : 'them'} before simulating.\n`);
    } else if (prepared.reason === 'no-layers') process.stderr.write(`${NAME}: ${file} has no top-level \`layers\` list to simulate.\n`);
    else process.stderr.write(`${NAME}: ${file}: the network could not be resolved far enough to simulate it.\n`);
    return 1;
  }
  const { result, sample } = prepared;
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length) process.stderr.write(formatDiagnosticsText(file, { ...result, diagnostics: warnings }));

  let sim;
  try {
    sim = runSimulation(prepared);
  } catch (e) {
    if (e instanceof SimulationError) {
      process.stderr.write(`${file}: error ${e.code} ${e.layer !== null ? `(layer ${e.layer}) ` : ''}${e.message}\n`);
      return 1;
    }
    throw e;
  }
  for (const w of sim.warnings) process.stderr.write(`${file}: warning ${w.code} (layer ${w.layer}) ${w.message}\n`);

  if (format === 'json') {
    const json = {
      layers: sim.layers.map((l) => ({ index: l.index, shape: l.shape, width: l.width })),
      output: { shape: sim.output.shape, data: Array.from(sim.output.values ?? []) },
      known_answer: sim.knownAnswer.map((r) => ({ address: r.address, mask: r.mask, words: r.words })),
    };
    process.stdout.write(JSON.stringify(json) + '\n');
  } else {
    process.stdout.write(
      simulationReportText(
        sim,
        { network: path.basename(file), device: result.device.name, input: inputLabel(prepared.samplePath, seed), inputShape: sample.shape },
        { softmax: result.flags.softmax },
      ),
    );
  }
  return 0;
}

/** How the input is named in the report: a path relative to the working folder, or the random input's seed. */
function inputLabel(samplePath: string | null, seed: number | null): string {
  if (samplePath) return path.relative(process.cwd(), samplePath) || samplePath;
  return seed !== null ? `random (seed ${seed})` : '';
}

/** Why the simulation has no usable checkpoint or input (an I/O problem, exit 2), or null. */
function inputProblem(p: SimulationProblem): string | null {
  switch (p.reason) {
    case 'no-checkpoint':
      return "the simulation needs the network's checkpoint: give --checkpoint FILE or a `# ai8x: checkpoint=…` line in the file.";
    case 'checkpoint-unreadable':
      return `cannot use the checkpoint ${p.path}: ${p.error}`;
    case 'no-input-shape':
      return '--random-input needs --input-shape C,H,W (or C,L): there is no sample input to take the shape from.';
    case 'sample-unreadable':
      return `cannot use the sample input ${p.path}: ${p.error}`;
    case 'no-sample': {
      const tried = p.candidates.length ? ` (izer's default sample input does not exist; looked for ${p.candidates.join(', ')})` : '';
      return `the simulation needs a sample input${tried}: give --sample-input FILE.npy or --random-input SEED.`;
    }
    default:
      return null;
  }
}
