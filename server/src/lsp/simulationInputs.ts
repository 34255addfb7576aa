// What a simulation of an open network runs on: the document checked with its associated checkpoint and the
// chosen input (associated sample, a .npy file, or a seeded random input), or why it cannot run.
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SampleInput } from '../engine/sample/npy';
import type { NetworkPlan } from '../engine/analysis/networkPlan';
import { CheckResult, checkNetwork, ResolvedInputs } from '../engine/check';
import { randomSampleInput } from '../engine/services/simulationInput';
import { inputShapeProblem } from '../shared/inputShape';
import type { Ai8xSettings, SimulationFailureReason, SimulationInput } from '../protocol';
import type { WorkspaceInputs } from './association';
import { emptyInfo, isNetworkDocument } from './documentState';
import { URI } from './uri';

export interface PreparedSimulation {
  ok: true;
  result: CheckResult;
  plan: NetworkPlan;
  sample: SampleInput;
  /** How the input is shown: a path relative to the network, or "random (seed N)". */
  label: string;
}

export interface PreparationProblem {
  ok: false;
  reason: SimulationFailureReason;
  message: string;
  details: string[];
}

const notNetwork = (name: string) =>
  `${name} is not an ai8x network description (it needs top-level \`arch\` and \`layers\`, or a match in the setting ai8x.networkFiles).`;

const problem = (reason: SimulationFailureReason, message: string, details: string[] = []): PreparationProblem => ({ ok: false, reason, message, details });

export function prepareSimulation(
  doc: TextDocument,
  settings: Ai8xSettings,
  workspace: WorkspaceInputs,
  input: SimulationInput,
): PreparedSimulation | PreparationProblem {
  const yamlPath = URI.toPath(doc.uri);
  const name = path.basename(yamlPath);
  if (!isNetworkDocument(doc, settings)) return problem('not-network', notNetwork(name));
  const info = emptyInfo();
  const extra = workspace.extraInputs(doc, settings, info);
  let resolved: ResolvedInputs = {};
  let label = '';
  let shapeMissing = false;
  const result = checkNetwork({
    text: doc.getText(),
    fileName: yamlPath,
    deviceSetting: settings.device,
    izerFlags: settings.izerFlags,
    ...extra,
    resolveInputs: (ctx) => {
      const r = extra.resolveInputs!(ctx);
      if (input.kind === 'file') {
        const file = path.resolve(path.dirname(yamlPath), input.path);
        const loaded = workspace.files.samples.get(file);
        r.sample = loaded.value ?? { error: loaded.error! };
        r.samplePath = file;
        r.sampleAnchor = undefined;
        r.missingSampleCandidates = undefined;
      } else if (input.kind === 'random') {
        const shape = input.shape ?? (r.sample && !('error' in r.sample) ? r.sample.shape : null);
        if (shape && !inputShapeProblem(shape)) {
          r.sample = randomSampleInput(shape, input.seed);
          r.samplePath = undefined;
          r.sampleAnchor = undefined;
          r.missingSampleCandidates = undefined;
          label = `random (seed ${input.seed})`;
        } else {
          shapeMissing = true;
          r.sample = undefined;
        }
      }
      if (r.samplePath) label = path.relative(path.dirname(yamlPath), r.samplePath) || r.samplePath;
      resolved = r;
      return r;
    },
  });

  // Recognised by the setting ai8x.networkFiles, but without a layer list.
  if (!result.model.isNetwork) return problem('not-network', `${name} has no top-level \`layers\` list to simulate.`);
  // A test network (`arch: test`) runs on izer's sample weights; a missing weight file is one of its errors below.
  if (!resolved.checkpointPath && result.model.arch !== 'test') {
    return problem(
      'no-checkpoint',
      `No checkpoint is associated with ${name}. Choose one with "ai8x: Choose Checkpoint for This Network", or add a \`# ai8x: checkpoint=…\` line to the file.`,
    );
  }
  if (resolved.checkpoint && 'error' in resolved.checkpoint)
    return problem('checkpoint-unreadable', `The checkpoint ${resolved.checkpointPath} cannot be used: ${resolved.checkpoint.error}`);
  if (shapeMissing) {
    const given = input.kind === 'random' && input.shape ? ` (${inputShapeProblem(input.shape)})` : '';
    return problem('no-input-shape', `A random input needs a shape (C,H,W or C,L)${given}: ${name} has no sample input to take it from.`);
  }
  if (resolved.sample && 'error' in resolved.sample)
    return problem('sample-unreadable', `The sample input ${resolved.samplePath ?? ''} cannot be used: ${resolved.sample.error}`);
  if (!resolved.sample) {
    const tried = resolved.missingSampleCandidates?.length
      ? ` izer reads its default tests/${path.basename(resolved.missingSampleCandidates[0])} from the ai8x-synthesis folder; looked for ${[...new Set(resolved.missingSampleCandidates)].join(', ')}: none exists.`
      : '';
    return problem('no-sample', `${name} has no sample input.${tried} Choose a .npy file or a random input, or add \`# ai8x: sample-input=…\` to the file.`);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const details = errors.slice(0, 8).map((d) => {
      const p = result.lines.position(d.range[0]);
      return `${p.line + 1}:${p.character + 1} ${d.code} ${d.message}`;
    });
    if (errors.length > details.length) details.push(`… and ${errors.length - details.length} more (see the Problems view)`);
    return problem(
      'network-errors',
      `${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} before simulating.`,
      details,
    );
  }
  const plan = result.analysis?.plan;
  if (!plan)
    return problem('not-resolved', `${name} could not be resolved far enough to simulate it (the checkpoint and the sample input must both fit the network).`);
  return { ok: true, result, plan, sample: resolved.sample, label };
}
