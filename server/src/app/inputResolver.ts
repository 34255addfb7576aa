// The one resolver of a network's checkpoint and sample input (and the association's device and izer flags): the
// request's explicit choices first, then the file's modeline, the `ai8x.associations` setting, the workspace's
// gen-demos scripts and izer's default sample. The engine calls it once it has read the modeline (check.ts
// `resolveInputs`); which device applies is then decided by the engine's resolveDevice from these facts.
import * as path from 'node:path';
import type { ResolveContext, ResolvedInputs } from '../engine/check';
import { Association, resolveAssociation } from '../workspace/associations';
import { loadAssociatedInputs } from '../workspace/inputFiles';
import type { InputSources } from './inputSources';
import type { NetworkRequest } from './networkRequest';
import { substituteRandomInput } from './randomInput';

/** What the resolver found for a document, for the status item and the client's commands. */
export interface AssociationInfo {
  checkpointPath: string | null;
  checkpointSource: string | null;
  checkpointProblem: string | null;
  samplePath: string | null;
  sampleSource: string | null;
  sampleProblem: string | null;
}

export const emptyInfo = (): AssociationInfo => ({
  checkpointPath: null,
  checkpointSource: null,
  checkpointProblem: null,
  samplePath: null,
  sampleSource: null,
  sampleProblem: null,
});

/** `load`: read the checkpoint and sample (a check); `paths`: only say where they are (izer reads them itself). */
export type ResolveMode = 'load' | 'paths';

/** The engine's `resolveInputs` for a request; `info` is filled in when the engine calls it. */
export function inputResolver(req: NetworkRequest, sources: InputSources, info: AssociationInfo = emptyInfo(), mode: ResolveMode = 'load') {
  return (ctx: ResolveContext): ResolvedInputs => {
    const a = associationFor(req, sources, ctx);
    const inputs = mode === 'load' ? loadAssociatedInputs(sources.files, a, ctx.modeline) : pathsOf(a);
    if (req.randomInput) substituteRandomInput(inputs, req.randomInput);
    if (ctx.arch === 'test') return testNetworkInputs(inputs, a, info);
    info.checkpointPath = a.checkpointPath;
    info.checkpointSource = sourceText(a);
    info.checkpointProblem = inputs.checkpoint && 'error' in inputs.checkpoint ? inputs.checkpoint.error : null;
    fillSampleInfo(info, inputs, a, !!a.checkpointPath);
    return inputs;
  };
}

/** Where the request's checkpoint and sample are, and the association's device and flags. */
export function associationFor(req: NetworkRequest, sources: InputSources, ctx: ResolveContext): Association {
  const s = req.settings;
  const chosen = req.choices;
  const a = resolveAssociation({
    yamlPath: req.path,
    modeline: ctx.modeline,
    dataset: ctx.dataset,
    preferredDevice: chosen.device ?? ctx.modeline.device ?? (s && s.device !== 'auto' ? s.device : null),
    settings: s ?? { associations: [], autoAssociate: false },
    workspaceFolders: sources.folders,
    scripts: sources.scripts,
    synthesisPath: s?.synthesisPath,
  });
  if (chosen.checkpoint) {
    a.checkpointPath = path.resolve(chosen.checkpoint);
    a.checkpointSource = chosen.origin;
  }
  if (chosen.sampleInput) {
    a.samplePath = path.resolve(chosen.sampleInput);
    a.sampleSource = chosen.origin;
  }
  return a;
}

function pathsOf(a: Association): ResolvedInputs {
  return {
    device: a.device,
    izerFlags: a.izerFlags,
    checkpointPath: a.checkpointPath ?? undefined,
    samplePath: a.samplePath ?? undefined,
    missingSampleCandidates: !a.samplePath && a.sampleCandidates.length ? a.sampleCandidates : undefined,
  };
}

function sourceText(a: Association): string | null {
  if (a.checkpointSource === 'session') return 'chosen in this session';
  if (a.script) return `gen-demos script ${path.basename(a.script.file)}:${a.script.line + 1}`;
  return a.checkpointSource;
}

function fillSampleInfo(info: AssociationInfo, inputs: ResolvedInputs, a: Association, wanted: boolean): void {
  info.samplePath = a.samplePath;
  info.sampleSource = a.sampleSource;
  info.sampleProblem =
    inputs.sample && 'error' in inputs.sample
      ? inputs.sample.error
      : wanted && !a.samplePath && a.sampleCandidates.length
        ? `no ${path.basename(a.sampleCandidates[0])}`
        : null;
}

/** A test network (`arch: test`) takes izer's sample weights instead of a checkpoint; the status shows that file. */
function testNetworkInputs(inputs: ResolvedInputs, a: Association, info: AssociationInfo): ResolvedInputs {
  const find = inputs.findSampleWeightFile;
  if (find)
    inputs.findSampleWeightFile = (name, role) => {
      const f = find(name, role);
      if (role === 'bias') return f;
      info.checkpointPath = f.path ?? f.lookedAt[0] ?? name;
      info.checkpointSource = "izer's sample weights (`arch: test`)";
      info.checkpointProblem = !f.path ? `${name} not found (looked at ${f.lookedAt.join(', ')})` : f.content && 'error' in f.content ? f.content.error : null;
      return f;
    };
  fillSampleInfo(info, inputs, a, true);
  return inputs;
}
