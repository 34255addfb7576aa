// `ai8x simulate`: runs the bit-exact simulation of a network on its sample input (or a seeded random input)
// and prints the per-layer shapes, the final output and the known answer izer would write to sampleoutput.h.
import * as path from 'node:path';
import type { ResolvedInputs } from '../engine/check';
import { checkNetwork } from '../engine/check';
import type { SampleInput } from '../engine/sample/npy';
import { simulate, SimulationError } from '../engine/simulate';
import { randomSampleInput } from '../engine/services/simulationInput';
import { inputShapeProblem, parseInputShape, parseSeed } from '../shared/inputShape';
import { simulationReportText } from '../engine/services/simulationReportText';
import { UsageError, deviceOption, optionString, parseArgs, readNetworkFile } from './args';
import { cliInputs } from './cliInputs';
import { formatDiagnosticsJson, formatDiagnosticsText } from './formatDiagnostics';

const NAME = 'ai8x simulate';

export async function runSimulate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['device', 'checkpoint', 'sample-input', 'format', 'random-input', 'input-shape']);
  if (args.positionals.length !== 1) throw new UsageError('expected exactly one network YAML file');
  const file = args.positionals[0];
  const format = optionString(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
  const device = deviceOption(args);
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

  const text = readNetworkFile(NAME, file);
  if (text === null) return 2;

  const base = cliInputs(file, args);
  let resolved: ResolvedInputs = {};
  let inputLabel = '';
  const result = checkNetwork({
    text,
    fileName: path.basename(file),
    deviceOverride: device ?? undefined,
    izerFlags: args.izerFlags,
    resolveInputs: (ctx) => {
      const r = base(ctx);
      if (seed !== null) {
        const from = shape ?? (r.sample && !('error' in r.sample) ? r.sample.shape : null);
        if (from) {
          inputLabel = `random (seed ${seed})`;
          r.sample = randomSampleInput(from, seed);
          r.samplePath = undefined;
          r.sampleAnchor = undefined;
          r.missingSampleCandidates = undefined;
        } else r.sample = undefined;
      } else if (r.samplePath) inputLabel = path.relative(process.cwd(), r.samplePath) || r.samplePath;
      resolved = r;
      return r;
    },
  });

  const problem = inputProblem(resolved, seed, result.model.arch === 'test');
  if (problem) {
    process.stderr.write(`${NAME}: ${problem}\n`);
    return 2;
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const plan = result.analysis?.plan;
  if (errors.length || !plan) {
    process.stdout.write(format === 'json' ? formatDiagnosticsJson(file, result) : formatDiagnosticsText(file, result));
    if (!errors.length) process.stderr.write(`${NAME}: ${file}: the network could not be resolved far enough to simulate it.\n`);
    else
      process.stderr.write(
        `${NAME}: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before simulating.\n`,
      );
    return 1;
  }
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length) process.stderr.write(formatDiagnosticsText(file, { ...result, diagnostics: warnings }));

  const sample = resolved.sample as SampleInput;
  let sim;
  try {
    sim = simulate(plan, sample, { device: result.device, flags: result.flags });
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
        { network: path.basename(file), device: result.device.name, input: inputLabel, inputShape: sample.shape },
        { softmax: result.flags.softmax },
      ),
    );
  }
  return 0;
}

/** Why the simulation has no usable checkpoint or input (an I/O problem, exit 2), or null. */
function inputProblem(r: ResolvedInputs, seed: number | null, testNetwork: boolean): string | null {
  if (!r.checkpointPath && !testNetwork)
    return "the simulation needs the network's checkpoint: give --checkpoint FILE or a `# ai8x: checkpoint=…` line in the file.";
  if (r.checkpoint && 'error' in r.checkpoint) return `cannot use the checkpoint ${r.checkpointPath}: ${r.checkpoint.error}`;
  if (seed !== null && !r.sample) return '--random-input needs --input-shape C,H,W (or C,L): there is no sample input to take the shape from.';
  if (r.sample && 'error' in r.sample) return `cannot use the sample input ${r.samplePath ?? ''}: ${r.sample.error}`;
  if (!r.sample) {
    const tried = r.missingSampleCandidates?.length
      ? ` (izer's default sample input does not exist; looked for ${[...new Set(r.missingSampleCandidates)].join(', ')})`
      : '';
    return `the simulation needs a sample input${tried}: give --sample-input FILE.npy or --random-input SEED.`;
  }
  return null;
}
