// The synthesize workflow: C code for a network, made by izer (the user's ai8x-synthesis and Python) or by the native
// generator, and put into the MSDK project layout with the same safety either way (a temporary folder first, the
// target replaced only with consent). The CLI runs both here; the editor runs izer in the extension host (it needs
// the user's environment and dialogs) and asks the language server for native synthesis (ai8x/synthesize).
import * as path from 'node:path';
import type { DeviceName } from '../engine/device/devices';
import { mapIzerMessages } from '../synthesis/mapToYaml';
import { emptyOutcome, placeGeneratedFiles, synthesize, SynthesisHooks, SynthesisMode, SynthesisOutcome } from '../synthesis/synthesize';
import { checkRequest, RequestCheck } from './check';
import type { InputSources } from './inputSources';
import type { NativeGenerator } from './nativeGenerator';
import type { NetworkRequest } from './networkRequest';

export type SynthesisEngine = 'izer' | 'native';

/** What a synthesis runs on, as the one resolver finds it for the request. */
export interface SynthesisInputs {
  check: RequestCheck;
  device: DeviceName;
  /** izer flags in the order they apply: the modeline's, the association's, then the request's. */
  flags: string[];
  checkpoint: string | null;
  /** The sample named for this network; null lets izer take its own default. */
  sampleInput: string | null;
  /** False for a test network (`arch: test`), which izer runs on its sample weights. */
  checkpointRequired: boolean;
}

/**
 * The device, flags and files of a synthesis. For izer only the paths are resolved (izer reads the files itself);
 * the native generator needs the full check with the checkpoint and sample.
 */
export function synthesisInputs(req: NetworkRequest, sources: InputSources, engine: SynthesisEngine): SynthesisInputs {
  const check = checkRequest(req, sources, { mode: engine === 'izer' ? 'paths' : 'load' });
  const { result, inputs } = check;
  // izer's default sample (tests/sample_<dataset>.npy) is izer's to find: it is not named on its command line.
  const izerDefault = check.info.sampleSource === 'izer default';
  return {
    check,
    device: result.device.name,
    flags: [...result.flags.argv],
    checkpoint: inputs.checkpointPath ?? null,
    sampleInput: izerDefault ? null : (inputs.samplePath ?? null),
    checkpointRequired: result.model.arch?.toLowerCase() !== 'test',
  };
}

export interface SynthesisRequest {
  engine: SynthesisEngine;
  inputs: SynthesisInputs;
  /** The network file (izer reads it from disk) and the text the messages are placed on. */
  network: string;
  networkText: string;
  prefix: string;
  /** izer's --test-dir: the project ends up in <testDir>/<prefix>. */
  testDir: string;
  mode: SynthesisMode;
  force?: boolean;
}

/** What each engine needs: izer's Python and ai8x-synthesis folder; the native generator, when the build has one. */
export interface SynthesisTools {
  izer?: { python: string; synthesisDir: string };
  native: NativeGenerator | null;
}

export async function synthesizeNetwork(req: SynthesisRequest, tools: SynthesisTools, hooks: SynthesisHooks = {}): Promise<SynthesisOutcome> {
  const job = {
    network: req.network,
    checkpoint: req.inputs.checkpoint,
    sampleInput: req.inputs.sampleInput,
    device: req.inputs.device,
    prefix: req.prefix,
    testDir: req.testDir,
    flags: req.inputs.flags,
    mode: req.mode,
    force: req.force,
  };
  if (req.engine === 'izer') {
    if (!tools.izer) return refused(req, 'izer synthesis needs the ai8x-synthesis folder and its Python.');
    return synthesize({ ...job, ...tools.izer, networkText: req.networkText, placeMessages: mapIzerMessages }, hooks);
  }
  if (!tools.native) return refused(req, 'This build has no native C-code generator; synthesize with izer.');
  const { result } = req.inputs.check;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    return {
      ...refused(req, `The network has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix them before generating C code.`),
      diagnostics: errors,
    };
  if (!result.analysis?.memory)
    return refused(req, 'The network could not be analysed far enough to generate C code (it needs its checkpoint and sample input).');
  const sample = req.inputs.check.inputs.sample;
  const generated = tools.native({
    result,
    analysis: result.analysis,
    sample: sample && !('error' in sample) ? sample : null,
    prefix: req.prefix,
    commandLine: nativeCommandLine(req),
  });
  if (!generated.ok) return refused(req, generated.message);
  for (const w of generated.warnings) hooks.onNote?.(`warning: ${w}`);
  const placed = await placeGeneratedFiles(job, generated.files, ['native', ...req.inputs.flags], hooks);
  const warnings = generated.warnings.map((text) => ({ severity: 'warning' as const, kind: 'izer' as const, text }));
  return { ...placed, messages: [...placed.messages, ...warnings], commandLine: nativeCommandLine(req) };
}

function refused(req: SynthesisRequest, problem: string): SynthesisOutcome {
  return emptyOutcome(req.testDir, req.prefix, 'refused', problem);
}

/** The request as an `ai8x synthesize` command line, for the generated files' first lines. */
function nativeCommandLine(req: SynthesisRequest): string {
  const name = (p: string | null) => (p ? path.basename(p) : null);
  const parts = ['ai8x synthesize', path.basename(req.network), '--device', req.inputs.device];
  const checkpoint = name(req.inputs.checkpoint);
  if (checkpoint) parts.push('--checkpoint', checkpoint);
  const sample = name(req.inputs.sampleInput);
  if (sample) parts.push('--sample-input', sample);
  parts.push('--prefix', req.prefix);
  if (req.inputs.flags.length) parts.push('--', ...req.inputs.flags);
  return parts.join(' ');
}
